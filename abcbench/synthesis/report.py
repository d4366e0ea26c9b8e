"""The synthesize report: yield (checked tasks / candidates), cost per checked task, and why
the others were rejected."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, Field

from abcbench.results.models import Usage
from abcbench.synthesis.state import BatchState, SourceStatus


class SynthesisReport(BaseModel):
    repositories: int = 0
    refused_repositories: int = 0
    candidates: int = 0
    checked: int = 0
    yield_rate: float | None = Field(default=None, description="checked / candidates.")
    usage: Usage = Field(default_factory=Usage)
    cost_per_checked_usd: float | None = None
    reasons: dict[str, int] = Field(
        default_factory=dict, description="Rejected candidates by their first reason, and "
        "refused repositories by theirs.")
    tasks: list[str] = Field(default_factory=list)


def build_report(state: BatchState) -> SynthesisReport:
    report = SynthesisReport(repositories=len(state.sources))
    reasons: Counter[str] = Counter()
    for source in state.sources:
        if source.status is SourceStatus.refused:
            report.refused_repositories += 1
            if source.refusal is not None:
                reasons[source.refusal.reason.value] += 1
        for c in source.candidates:
            report.candidates += 1
            report.usage = report.usage + c.usage
            if c.accepted:
                report.checked += 1
                if c.task_id:
                    report.tasks.append(c.task_id)
            elif c.rejections:
                reasons[c.rejections[0].reason.value] += 1
    if report.candidates:
        report.yield_rate = report.checked / report.candidates
    if report.checked:
        report.cost_per_checked_usd = report.usage.cost_usd / report.checked
    report.reasons = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    return report


def render_markdown(report: SynthesisReport) -> str:
    """The report as Markdown (written to `<work>/report.md`)."""
    yield_text = "-" if report.yield_rate is None else f"{report.yield_rate:.0%}"
    cost = "-" if report.cost_per_checked_usd is None else f"${report.cost_per_checked_usd:.4f}"
    lines = [
        "# Synthesis report", "",
        "| repositories | refused | candidates | checked tasks | yield | tokens in/out | cost "
        "| cost per checked task |",
        "|---|---|---|---|---|---|---|---|",
        f"| {report.repositories} | {report.refused_repositories} | {report.candidates} | "
        f"{report.checked} | {yield_text} | {report.usage.input_tokens}/"
        f"{report.usage.output_tokens} | ${report.usage.cost_usd:.4f} | {cost} |", ""]
    if report.reasons:
        lines += ["## Rejection reasons", "", "| reason | count |", "|---|---|"]
        lines += [f"| {reason} | {n} |" for reason, n in report.reasons.items()]
        lines.append("")
    if report.tasks:
        lines += ["## Checked tasks", "", *(f"- {t}" for t in report.tasks), ""]
    return "\n".join(lines)
