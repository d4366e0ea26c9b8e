"""Charts for the leaderboard page, as inline SVG strings (no script, no network, no fonts).

People compare agents by looking: pass@1 by language with standard-error bars, pass@k curves
per agent, and accuracy against cost per solved task. Every mark carries its numbers in
`data-*` attributes and a `<title>` tooltip, so the page is checkable by a browser test and
readable by a screen reader.
"""

from __future__ import annotations

from html import escape

from abcbench.results.costs import dollars, run_cost
from abcbench.results.render import languages
from abcbench.results.report import RunReport

COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
HEIGHT, TOP, BOTTOM, LEFT = 260, 20, 50, 50
LEGEND = 180  # the legend's column, right of the plot


def label(report: RunReport) -> str:
    return f"{report.agent} / {report.model}" if report.model else report.agent


def _colour(i: int) -> str:
    return COLOURS[i % len(COLOURS)]


def _y(fraction: float) -> float:
    """Vertical position of a rate in [0, 1] inside the plot area."""
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(1.0, fraction)))


def _frame(width: int, title: str, body: list[str], x_label: str) -> str:
    grid = []
    for pct in range(0, 101, 25):
        y = _y(pct / 100)
        grid.append(f'<line x1="{LEFT}" x2="{width - LEGEND}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="#ddd"/><text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" '
                    f'text-anchor="end">{pct}%</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" '
            f'font-family="sans-serif"><title>{escape(title)}</title>{"".join(grid)}'
            f'{"".join(body)}<text x="{(LEFT + width - LEGEND) / 2:.1f}" y="{HEIGHT - 6}" '
            f'font-size="11" text-anchor="middle">{escape(x_label)}</text></svg>')


def _legend(reports: list[RunReport], x: int) -> list[str]:
    return [f'<rect x="{x}" y="{TOP + 14 * i}" width="10" height="10" fill="{_colour(i)}"/>'
            f'<text x="{x + 14}" y="{TOP + 9 + 14 * i}" font-size="11">{escape(label(r))}'
            f'</text>' for i, r in enumerate(reports)]


def language_bars(reports: list[RunReport]) -> str:
    """pass@1 per language, one bar per run, with ± standard-error whiskers."""
    langs = languages(reports)
    bar = 14
    group = bar * max(1, len(reports)) + 16
    width = LEFT + group * max(1, len(langs)) + LEGEND
    body: list[str] = []
    for li, lang in enumerate(langs):
        x0 = LEFT + 8 + li * group
        body.append(f'<text x="{x0 + (group - 16) / 2:.1f}" y="{HEIGHT - BOTTOM + 14}" '
                    f'font-size="11" text-anchor="middle">{escape(lang)}</text>')
        for ri, r in enumerate(reports):
            s = r.by_language.get(lang)
            if s is None:
                continue
            x, top = x0 + ri * bar, _y(s.pass_at_1)
            name = f"{label(r)}, {lang}: {100 * s.pass_at_1:.1f}% ± {100 * s.se:.1f}"
            body.append(
                f'<rect class="bar" data-run="{escape(r.run_id)}" data-language="{escape(lang)}"'
                f' data-value="{100 * s.pass_at_1:.1f}" data-se="{100 * s.se:.1f}" x="{x}" '
                f'y="{top:.1f}" width="{bar - 2}" height="{_y(0) - top:.1f}" '
                f'fill="{_colour(ri)}"><title>{escape(name)}</title></rect>')
            if s.se > 0:
                cx, lo, hi = x + (bar - 2) / 2, _y(s.pass_at_1 - s.se), _y(s.pass_at_1 + s.se)
                body.append(f'<line class="se" x1="{cx}" x2="{cx}" y1="{lo:.1f}" '
                            f'y2="{hi:.1f}" stroke="#000"/>')
    body += _legend(reports, width - LEGEND + 10)
    return _frame(width, "pass@1 by language (± standard error)", body, "language")


def pass_at_k_curves(reports: list[RunReport]) -> str:
    """pass@k for k = 1..attempts, one line per run."""
    max_k = max((max(r.overall.pass_at_k, default=1) for r in reports), default=1)
    width = LEFT + 80 * max(1, max_k) + LEGEND
    span = 80 * max(1, max_k - 1)

    def x_of(k: int) -> float:
        return LEFT + 20 + (span * (k - 1) / (max_k - 1) if max_k > 1 else span / 2)

    body = [f'<text x="{x_of(k):.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="11" '
            f'text-anchor="middle">{k}</text>' for k in range(1, max_k + 1)]
    for ri, r in enumerate(reports):
        points = sorted(r.overall.pass_at_k.items())
        path = " ".join(f"{x_of(k):.1f},{_y(v):.1f}" for k, v in points)
        body.append(f'<polyline class="curve" data-run="{escape(r.run_id)}" points="{path}" '
                    f'fill="none" stroke="{_colour(ri)}" stroke-width="2"/>')
        body += [f'<circle class="point" data-run="{escape(r.run_id)}" data-k="{k}" '
                 f'data-value="{100 * v:.1f}" cx="{x_of(k):.1f}" cy="{_y(v):.1f}" r="4" '
                 f'fill="{_colour(ri)}"><title>{escape(label(r))}: pass@{k} {100 * v:.1f}%'
                 f'</title></circle>' for k, v in points]
    body += _legend(reports, width - LEGEND + 10)
    return _frame(width, "pass@k by agent", body, "k (attempts)")


def cost_per_solved(report: RunReport) -> float | None:
    """Dollars spent per resolved trial; None when nothing was resolved."""
    return run_cost(report).cost_per_solved


def accuracy_vs_cost(reports: list[RunReport]) -> str:
    """pass@1 against cost per solved task; runs that solved nothing are listed, not drawn.
    A run with unmetered replies is drawn hollow and titled "at least": its cost is a floor."""
    width = 520
    costs = {r.run_id: run_cost(r) for r in reports}
    top = max((c.cost_per_solved for c in costs.values() if c.cost_per_solved is not None),
              default=0.0) or 1.0
    plot = width - LEFT - LEGEND - 20

    body = [f'<text x="{LEFT + plot * f:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="11" '
            f'text-anchor="middle">${top * f:.2f}</text>' for f in (0, 0.5, 1)]
    for ri, r in enumerate(reports):
        rc = costs[r.run_id]
        cost = rc.cost_per_solved
        if cost is None:
            continue
        x, y = LEFT + plot * cost / top, _y(r.overall.pass_at_1)
        paint = (f'fill="#fff" stroke="{_colour(ri)}" stroke-width="2"' if rc.lower_bound
                 else f'fill="{_colour(ri)}"')
        body.append(f'<circle class="run" data-run="{escape(r.run_id)}" '
                    f'data-value="{100 * r.overall.pass_at_1:.1f}" data-cost="{cost:.4f}" '
                    f'data-lower-bound="{int(rc.lower_bound)}" '
                    f'cx="{x:.1f}" cy="{y:.1f}" r="6" {paint}><title>'
                    f'{escape(label(r))}: {100 * r.overall.pass_at_1:.1f}% at '
                    f'{escape(dollars(cost, rc.lower_bound, 4))} per solved task'
                    f'{" (some replies unmetered)" if rc.lower_bound else ""}'
                    f'</title></circle>')
    body += _legend(reports, width - LEGEND + 10)
    return _frame(width, "pass@1 against cost per solved task", body, "cost per solved task")


def charts_html(reports: list[RunReport]) -> str:
    """The three charts, ready to place in the leaderboard page's body."""
    parts = [("pass@1 by language", language_bars(reports)),
             ("pass@k", pass_at_k_curves(reports)),
             ("accuracy against cost", accuracy_vs_cost(reports))]
    return ('<section id="charts">' + "".join(
        f'<figure><figcaption>{escape(title)}</figcaption>{svg}</figure>'
        for title, svg in parts) + "</section>")
