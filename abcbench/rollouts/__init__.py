"""ABC-Bench tasks as RL environments (docs/rollouts.md): the episode API (`Episode`:
reset / step / finish), grouped rollouts (`run_groups`, `abcbench rollouts`), the records
trainers load (JSON Lines, Parquet) and the SkyRL-gym adapter (`abcbench.rollouts.skyrl`)."""

from abcbench.rollouts.episode import Action, Episode, EpisodeFault, Observation, ResetResult
from abcbench.rollouts.group import GroupOutcome, GroupRequest, run_groups
from abcbench.rollouts.models import EpisodeRecord, GroupStats, RewardReport
from abcbench.rollouts.reward import RewardKind

__all__ = ["Action", "Episode", "EpisodeFault", "EpisodeRecord", "GroupOutcome", "GroupRequest",
           "GroupStats", "Observation", "ResetResult", "RewardKind", "RewardReport",
           "run_groups"]
