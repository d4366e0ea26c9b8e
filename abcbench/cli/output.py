"""Output that fits where it goes: a terminal, a CI log, a pipe, a GitHub step summary.

Rich lays tables out at the console's width and, when stdout is not a terminal, assumes 80
columns: task ids get cut to a few characters and messages wrap mid-path. Off a terminal the
consoles here are wide and never hard-wrap, so a table takes its natural width and a line
stays one line; the run summary can also be Markdown or JSON (`--format`), and the Markdown
is appended to `$GITHUB_STEP_SUMMARY` when CI sets it.

Nothing printed is read as Rich markup: task ids, agent names, error text and model output are
data, and a bracket in them (`[/x]`, a provider's `[/INST]`) must print as written, never raise
MarkupError or restyle the line. The consoles here have markup off, and styled lines are built
from `Text` pieces (`styled`), so data can never be parsed as markup even on a console that
reads it.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from abcbench.results.models import RunManifest, TrialResult
from abcbench.results.store import RunDir

#: Width given to a console that does not write to a terminal: wider than any table row.
OFF_TERMINAL_WIDTH = 4096
#: A horizontal rule off a terminal stays this wide rather than OFF_TERMINAL_WIDTH.
RULE_WIDTH = 80


class SummaryFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"


class _WideConsole(Console):
    """A console for pipes and logs: tables at natural width, no hard wraps, short rules."""

    def rule(self, title: Any = "", *, characters: str = "─", style: Any = "rule.line",
             align: Any = "center") -> None:
        self.print(Rule(title, characters=characters, style=style, align=align),
                   width=min(self.width, RULE_WIDTH))


def make_console(*, stderr: bool = False) -> Console:
    """The terminal's own console, or a wide one when the stream is a pipe, file or CI log;
    markup off either way."""
    console = Console(stderr=stderr, markup=False)
    if console.is_terminal:
        return console
    return _WideConsole(stderr=stderr, width=OFF_TERMINAL_WIDTH, soft_wrap=True, markup=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """A line from plain strings (data, printed as written) and (text, style) pairs."""
    return Text.assemble(*parts)


def cell(value: object, style: str = "") -> Text:
    """A table cell holding data: never read as markup."""
    return Text(str(value), style=style)


def _sorted_results(run_dir: RunDir) -> list[TrialResult]:
    return sorted(run_dir.results(), key=lambda r: r.trial_name)


def _failure(r: TrialResult) -> str:
    return r.failure_class.value if r.failure_class else ""


def summary_markdown(manifest: RunManifest, results: list[TrialResult]) -> str:
    s = manifest.summary
    model = f" / {manifest.agent.model}" if manifest.agent.model else ""
    lines = [f"### abcbench run `{manifest.run_id}` ({manifest.agent.name}{model})", "",
             f"**resolved {s.n_resolved}/{s.n_trials} ({100 * s.accuracy:.1f}%)**", "",
             "| trial | language | type | resolved | failure | tests | time |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r.trial_name} | {r.language} | {r.task_type} | "
              f"{'yes' if r.resolved else 'no'} | {_failure(r)} | {r.n_passed}/{r.n_tests} | "
              f"{r.timings.get('total', 0):.0f}s |" for r in results]
    return "\n".join(lines) + "\n"


def summary_data(manifest: RunManifest, results: list[TrialResult], path: Path,
                 ) -> dict[str, Any]:
    return {
        "run_id": manifest.run_id,
        "status": manifest.status.value,
        "agent": manifest.agent.name,
        "model": manifest.agent.model,
        "run_dir": str(path),
        "summary": manifest.summary.model_dump(mode="json"),
        "trials": [{"trial": r.trial_name, "task_id": r.task_id, "attempt": r.attempt,
                    "language": r.language, "type": r.task_type, "resolved": r.resolved,
                    "failure_class": _failure(r) or None, "n_passed": r.n_passed,
                    "n_tests": r.n_tests, "total_sec": r.timings.get("total")}
                   for r in results],
    }


def _summary_table(manifest: RunManifest, results: list[TrialResult]) -> Table:
    table = Table("trial", "language", "type", "resolved", "failure", "tests", "time",
                  title=Text(f"run {manifest.run_id} ({manifest.agent.name})"))
    for r in results:
        table.add_row(cell(r.trial_name), cell(r.language), cell(r.task_type),
                      cell("yes", "green") if r.resolved else cell("no", "red"),
                      cell(_failure(r)), cell(f"{r.n_passed}/{r.n_tests}"),
                      cell(f"{r.timings.get('total', 0):.0f}s"))
    return table


def append_step_summary(markdown: str) -> None:
    """Add to the GitHub Actions job summary when the job provides one (`$GITHUB_STEP_SUMMARY`)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(markdown + "\n")


def print_run_summary(manifest: RunManifest, run_dir: RunDir, console: Console,
                      fmt: SummaryFormat = SummaryFormat.table, *,
                      step_summary: bool = True) -> None:
    """The run's per-trial table and score, in the chosen format, to stdout (and to the
    GitHub step summary unless the caller writes its own)."""
    results = _sorted_results(run_dir)
    markdown = summary_markdown(manifest, results)
    if fmt is SummaryFormat.md:
        sys.stdout.write(markdown)
    elif fmt is SummaryFormat.json:
        sys.stdout.write(json.dumps(summary_data(manifest, results, run_dir.path),
                                    indent=2) + "\n")
    else:
        console.print(_summary_table(manifest, results))
        s = manifest.summary
        console.print(styled(
            (f"resolved {s.n_resolved}/{s.n_trials} ({100 * s.accuracy:.1f}%)", "bold"),
            f"  infrastructure {s.n_infrastructure_errors}/{s.n_trials} "
            f"({100 * s.infrastructure_rate:.1f}%)"
            + (f"  unreadable {s.n_unreadable}" if s.n_unreadable else "")
            + f"  results: {run_dir.path}"), highlight=False)
    sys.stdout.flush()
    if step_summary:
        append_step_summary(markdown)
