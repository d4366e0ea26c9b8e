"""What a run cost, per trial and per solved task, from the model gateway's counts.

The one place that decides the cost figures the leaderboard, its charts and the text reports
show. A model reply without a usage block (`n_unmetered`) makes every sum a lower bound: it is
shown as "at least", never as a plain figure (and never as a free $0).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from abcbench.results.report import RunReport


class TokensPerTrial(BaseModel):
    input: float
    output: float
    cached: float = Field(description="Part of `input` served from the provider's cache.")


class RunCost(BaseModel):
    cost_usd: float
    n_trials_ran: int = Field(description="Trials with a result: the ones whose usage is known.")
    n_resolved: int
    n_requests: int = Field(description="Metered model replies.")
    n_unmetered: int = Field(description="Model replies that carried no usage block.")
    n_unmetered_trials: int = Field(description="Trials with at least one unmetered reply.")
    lower_bound: bool = Field(description="Some replies were unmetered: the figures are "
                              "minimums, not measurements.")
    cost_per_trial: float | None
    cost_per_solved: float | None = Field(description="None when nothing was solved.")
    tokens_per_trial: TokensPerTrial | None


def run_cost(report: RunReport) -> RunCost:
    """Per trial = over the trials that have a result (a missing trial's spend is unknown);
    per solved = over resolved trials, the denominator of pass@1's numerator."""
    ran = [a for t in report.tasks for a in t.attempts if a.trial_dir is not None]
    usage, n = report.usage, len(ran)
    solved = report.overall.n_resolved
    return RunCost(
        cost_usd=usage.cost_usd, n_trials_ran=n, n_resolved=solved,
        n_requests=usage.n_requests, n_unmetered=usage.n_unmetered,
        n_unmetered_trials=sum(1 for a in ran if a.usage.n_unmetered),
        lower_bound=usage.n_unmetered > 0,
        cost_per_trial=usage.cost_usd / n if n else None,
        cost_per_solved=usage.cost_usd / solved if solved else None,
        tokens_per_trial=TokensPerTrial(input=usage.input_tokens / n,
                                        output=usage.output_tokens / n,
                                        cached=usage.cached_tokens / n) if n else None,
    )


def dollars(value: float | None, lower_bound: bool, digits: int = 2) -> str:
    """`$1.25`, `≥ $1.25` when some replies were unmetered, `-` when undefined."""
    if value is None:
        return "-"
    return f"{'≥ ' if lower_bound else ''}${value:.{digits}f}"


def unmetered_note(cost: RunCost) -> str | None:
    """One line saying which figures are lower bounds, or None when all were metered."""
    if not cost.lower_bound:
        return None
    replies = "reply" if cost.n_unmetered == 1 else "replies"
    trials = "trial" if cost.n_unmetered_trials == 1 else "trials"
    return (f"{cost.n_unmetered} model {replies} in {cost.n_unmetered_trials} {trials} "
            "carried no usage block: tokens and cost are lower bounds")
