"""Labels on everything the project creates, so cleanup can find it after any crash."""

from __future__ import annotations

MANAGED = "abcbench.managed"
RUN = "abcbench.run"
TRIAL = "abcbench.trial"
ROLE = "abcbench.role"
KIND = "abcbench.kind"
RECIPE = "abcbench.recipe"
RECIPE_HASH = "abcbench.recipe-hash"

COMPOSE_PROJECT = "com.docker.compose.project"
"""Set by docker-compose on what it creates; a Terminal-Bench task's networks carry only it."""

KIND_RECIPE_IMAGE = "recipe"
KIND_TRIAL_IMAGE = "trial"


def managed(**extra: str) -> dict[str, str]:
    """The project's label set: `abcbench.managed=true` plus `abcbench.<key>` for each extra."""
    labels = {MANAGED: "true"}
    labels.update({f"abcbench.{k.replace('_', '-')}": v for k, v in extra.items()})
    return labels


def selector(**extra: str) -> list[str]:
    """Docker `label=` filters matching `managed(**extra)`."""
    return [f"{k}={v}" for k, v in managed(**extra).items()]
