"""`abcbench tasks synthesize`: repositories in, checked tasks out (abcbench/synthesis)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from abcbench.agents.registry import agent_class, parse_kv
from abcbench.cli.common import console, echo_json, friendly_errors, parse_agent_env
from abcbench.errors import UserError
from abcbench.results.models import AgentInfo

MAX_LIST_BYTES = 1024 * 1024


def read_origins(sources: list[str], from_list: Path | None) -> list[str]:
    """`--from` values, then the lines of `--from-list` (blank lines and `#` comments
    skipped), without duplicates."""
    origins = list(sources)
    if from_list is not None:
        try:
            if from_list.stat().st_size > MAX_LIST_BYTES:
                raise UserError(f"--from-list {from_list}: over {MAX_LIST_BYTES} bytes")
            text = from_list.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"--from-list {from_list}: cannot read it: {exc.strerror}") from None
        origins += [line.strip() for line in text.splitlines()
                    if line.strip() and not line.lstrip().startswith("#")]
    if not origins:
        raise UserError("give --from PATH|GIT_URL (repeatable) or --from-list FILE")
    return list(dict.fromkeys(origins))


@friendly_errors
def synthesize(
    source: list[str] = typer.Option(
        [], "--from", help="A repository folder or git URL; repeatable."),
    from_list: Path | None = typer.Option(
        None, "--from-list", help="A file of repository folders or git URLs, one per line."),
    agent: str = typer.Option(..., "--agent", "-a",
                              help="The registered LLM agent that explores (e.g. abc)."),
    model: str | None = typer.Option(None, "--model", "-m", help="Its model."),
    agent_import_path: str | None = typer.Option(None, "--agent-import-path",
                                                 help="A custom Agent class: module:Class."),
    agent_kwarg: list[str] = typer.Option([], "--agent-kwarg", help="KEY=VALUE for the agent."),
    agent_env: list[str] = typer.Option(
        [], "--agent-env", help="NAME or NAME=VALUE given to the agent (API keys); values are "
        "never written to disk."),
    agent_timeout: float | None = typer.Option(
        None, "--agent-timeout", help="Seconds per exploration (default: 3600)."),
    candidates: int = typer.Option(1, "--candidates", "-k", min=1, max=20,
                                   help="Explorations (candidates) per repository."),
    repeat: int = typer.Option(3, "--repeat", "-r", min=1, max=10,
                               help="Runs of each check leg (N/N required)."),
    n_concurrent: int = typer.Option(1, "--n-concurrent", "-n", min=1,
                                     help="Trials at a time."),
    language: str | None = typer.Option(
        None, "--language", "-l", help="The repositories' language (default: detected)."),
    allow_license: list[str] = typer.Option(
        [], "--allow-license", help="An SPDX id (or NONE) to accept besides the permissive "
        "licenses; repeatable."),
    tasks_dir: Path = typer.Option(Path("tasks"), "--tasks-dir",
                                   help="Where checked tasks (and rejected/) go."),
    work: Path = typer.Option(
        Path("runs/synthesis"), "--work",
        help="The batch's working folder: state, explorations, checks, report. Run the same "
        "command again to resume."),
    run_prefix: str | None = typer.Option(
        None, "--run-prefix", help="Prefix of the batch's run ids (default: synth-<time>); "
        "kept in the work folder's state."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Turn repositories into checked tasks: an agent explores each one and writes candidates
    (Dockerfile, routes, scenario, instruction); the authoring tools build them; the three-leg
    check and static rules keep the good ones (docs/authoring.md, "Synthesizing tasks")."""
    from abcbench.synthesis.explore import AgentChoice
    from abcbench.synthesis.pipeline import SynthesisOptions
    from abcbench.synthesis.pipeline import synthesize as run_pipeline

    origins = read_origins(source, from_list)
    agent_cls = agent_class(agent, agent_import_path)
    env = parse_agent_env(agent_env)
    info = AgentInfo(name=agent, model=model, import_path=agent_import_path,
                     kwargs=parse_kv(agent_kwarg, "--agent-kwarg"), env_keys=sorted(env))
    opts = SynthesisOptions(
        tasks_dir=tasks_dir.resolve(), work=work.resolve(),
        agent=AgentChoice(agent_cls, info, env, agent_timeout), candidates=candidates,
        repeat=repeat, n_concurrent=n_concurrent, language=language,
        allow_license=list(allow_license), run_prefix=run_prefix)
    notify = (lambda _m: None) if as_json else \
        (lambda m: console.print(escape(m), highlight=False, soft_wrap=True))
    report = run_pipeline(origins, opts, notify)
    if as_json:
        echo_json(report.model_dump(mode="json"))
        return
    table = Table("candidates", "checked", "yield", "tokens in/out", "cost",
                  "cost per checked task", title=f"synthesis report ({work}/report.md)")
    table.add_row(str(report.candidates), str(report.checked),
                  "-" if report.yield_rate is None else f"{report.yield_rate:.0%}",
                  f"{report.usage.input_tokens}/{report.usage.output_tokens}",
                  f"${report.usage.cost_usd:.4f}",
                  "-" if report.cost_per_checked_usd is None
                  else f"${report.cost_per_checked_usd:.4f}")
    console.print(table)
    for reason, n in report.reasons.items():
        console.print(f"rejected: {escape(reason)} x{n}", highlight=False)
