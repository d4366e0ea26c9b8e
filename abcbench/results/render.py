"""Reports as text: the per-language table in the shape of the published results (rows =
agent/model, columns = languages + overall ± SE), per-task detail, failure breakdown. Labels,
task ids and causes are data: printed as `Text`, never read as console markup."""

from __future__ import annotations

import csv
import html
import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from abcbench.results.costs import dollars, run_cost, unmetered_note
from abcbench.results.metrics import Score
from abcbench.results.report import RunReport

LANGUAGE_ORDER = ("csharp", "javascript", "java", "ruby", "php", "go", "python", "rust")


def languages(reports: list[RunReport]) -> list[str]:
    seen = {lang for r in reports for lang in r.by_language}
    return [lang for lang in LANGUAGE_ORDER if lang in seen] + sorted(seen - set(LANGUAGE_ORDER))


def cell(s: Score | None) -> str:
    if s is None:
        return "-"
    return f"{100 * s.pass_at_1:.1f} ± {100 * s.se:.1f}"


def summary_rows(reports: list[RunReport]) -> tuple[list[str], list[list[str]]]:
    langs = languages(reports)
    header = ["agent / model", *langs, "overall", "trials", "cost $", "infra %"]
    rows = [[r.label, *(cell(r.by_language.get(lang)) for lang in langs), cell(r.overall),
             str(r.overall.n_trials), dollars(r.usage.cost_usd, r.usage.n_unmetered > 0)
             .replace("$", ""), f"{100 * r.infra_rate:.1f}"]
            for r in reports]
    return header, rows


def integrity_line(r: RunReport) -> str:
    """Trials whose verdict is not the agent's (infrastructure failures, unreadable results)
    and whether the cost is a measurement or a lower bound (unmetered replies)."""
    parts = [f"infrastructure {r.n_infrastructure}/{r.overall.n_trials} "
             f"({100 * r.infra_rate:.1f}%)"]
    if r.unreadable:
        parts.append(f"unreadable results {len(r.unreadable)}: "
                     + ", ".join(sorted(r.unreadable)[:5]))
    note = unmetered_note(run_cost(r))
    if note:
        parts.append(note)
    return "; ".join(parts)


def to_table(reports: list[RunReport], console: Console, detail: bool = True) -> None:
    header, rows = summary_rows(reports)
    table = Table(*header, title="pass@1 (%) ± standard error, by language")
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    console.print(table)
    for r in reports:
        extra = [f"pass@{k} {100 * v:.1f}%" for k, v in r.overall.pass_at_k.items() if k > 1]
        env = r.environment
        if env is not None:
            extra.append(f"environment tasks: S1 build {100 * env.s1_build_rate:.1f}%, "
                         f"S2 pass|build {100 * env.s2_pass_given_build:.1f}%")
        console.print(Text.assemble((r.label, "bold"), f" ({r.run_id}): "
                                    + "; ".join(extra or ["-"])))
        console.print(Text(f"  {integrity_line(r)}"), highlight=False)
        if r.failures:
            console.print(Text("  failures: " + ", ".join(f"{k} {v}"
                                                         for k, v in r.failures.items())))
        if r.causes:
            console.print(Text("  causes:   " + ", ".join(f"{k} {v}"
                                                         for k, v in r.causes.items())))
        if detail:
            tasks = Table("task", "language", "type", "pass rate", "attempts")
            for t in r.tasks:
                tasks.add_row(Text(t.task_id), Text(t.language), Text(t.task_type),
                              f"{100 * t.pass_rate:.0f}%",
                              Text(" ".join("✓" if a.resolved else (a.cause or a.failure_class
                                                                    or "✗")
                                            for a in t.attempts)))
            console.print(tasks)


def to_markdown(reports: list[RunReport]) -> str:
    header, rows = summary_rows(reports)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    out = ["pass@1 (%) ± standard error, by language", "", *lines, ""]
    for r in reports:
        out += [f"### {r.label} ({r.run_id})", "", integrity_line(r), "",
                "| task | language | type | pass rate | failures |", "|---|---|---|---|---|"]
        for t in r.tasks:
            fails = ", ".join(a.cause or a.failure_class or "" for a in t.attempts
                              if not a.resolved)
            out.append(f"| {t.task_id} | {t.language} | {t.task_type} | "
                       f"{100 * t.pass_rate:.0f}% | {fails} |")
        out.append("")
    return "\n".join(out)


def to_csv(reports: list[RunReport]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["run_id", "agent", "model", "task_id", "language", "framework", "task_type",
                     "attempt", "resolved", "failure_class", "cause", "n_passed", "n_tests",
                     "run_infra_rate"])
    for r in reports:
        for t in r.tasks:
            for a in t.attempts:
                writer.writerow([r.run_id, r.agent, r.model or "", t.task_id, t.language,
                                 t.framework, t.task_type, a.attempt, int(a.resolved),
                                 a.failure_class or "", a.cause or "", a.n_passed, a.n_tests,
                                 r.infra_rate])
    return buf.getvalue()


def to_json(reports: list[RunReport]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in reports], indent=2)


def to_html(reports: list[RunReport]) -> str:
    header, rows = summary_rows(reports)
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    notes = "".join(f"<p class='integrity'>{html.escape(r.label)} ({html.escape(r.run_id)}): "
                    f"{html.escape(integrity_line(r))}</p>" for r in reports)
    return (f"<!doctype html><meta charset='utf-8'><title>abcbench report</title>"
            f"<table id='summary'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"{notes}")
