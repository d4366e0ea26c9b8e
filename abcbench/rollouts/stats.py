"""Group statistics and GRPO advantages, computed the way the common trainers do.

advantage_i = (r_i - mean) / (std + eps) over the group's valid episodes, where std is the
sample standard deviation (Bessel's n - 1, as `torch.std` computes it in verl and TRL) and
eps = 1e-6 (verl's default). Invalid episodes (infrastructure faults) are left out of the mean
and std and get no advantage. A group with one valid episode has no baseline: std is 0.0 and
its advantage 0.0 (no learning signal), never a division by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from abcbench.rollouts.models import EpisodeRecord, GroupStats

EPS = 1e-6


def advantages(rewards: Sequence[float | None],
               eps: float = EPS) -> tuple[float | None, float | None, list[float | None]]:
    """(mean, sample std, advantage per reward); None entries are invalid episodes."""
    valid = [r for r in rewards if r is not None]
    if not valid:
        return None, None, [None] * len(rewards)
    mean = math.fsum(valid) / len(valid)
    if len(valid) < 2:
        return mean, 0.0, [None if r is None else 0.0 for r in rewards]
    std = math.sqrt(math.fsum((r - mean) ** 2 for r in valid) / (len(valid) - 1))
    return mean, std, [None if r is None else (r - mean) / (std + eps) for r in rewards]


def group_stats(records: list[EpisodeRecord], eps: float = EPS) -> list[GroupStats]:
    """One `GroupStats` per group, and each record's `advantage` set in place."""
    groups: dict[str, list[EpisodeRecord]] = {}
    for record in records:
        groups.setdefault(record.group_id, []).append(record)
    out = []
    for group_id, members in groups.items():
        members.sort(key=lambda r: r.index)
        mean, std, advs = advantages([r.reward for r in members], eps)
        for record, adv in zip(members, advs, strict=True):
            record.advantage = adv
        out.append(GroupStats(group_id=group_id, task_id=members[0].task_id,
                              n_episodes=len(members),
                              n_valid=sum(r.valid for r in members), mean=mean, std=std,
                              eps=eps, advantages=advs))
    return out
