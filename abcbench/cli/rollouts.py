"""`abcbench rollouts` (grouped episodes for RL trainers) and `abcbench schema rollout`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from abcbench.agents.registry import agent_class, parse_kv
from abcbench.cli.common import (
    DatasetOption,
    TaskOption,
    TasksDirOption,
    console,
    err_console,
    friendly_errors,
    load_registry,
    parse_agent_env,
)
from abcbench.cli.progress import LiveRunView
from abcbench.errors import UserError
from abcbench.results.models import AgentInfo
from abcbench.rollouts.group import GroupOutcome, GroupRequest, GroupRunner, collect, write_outputs
from abcbench.rollouts.models import EpisodeRecord
from abcbench.rollouts.reward import RewardKind
from abcbench.run.options import check_numbers
from abcbench.tasks.registry import TaskFilter

FORMATS = ("jsonl", "parquet")


@friendly_errors
def rollouts(
    task: list[str] = TaskOption,
    group_size: int = typer.Option(8, "--group-size", "-g", help="Episodes per task."),
    agent: str = typer.Option("abc", "--agent", "-a", help="The agent playing the policy."),
    model: str | None = typer.Option(None, "--model", "-m", help="Model name for LLM agents."),
    agent_import_path: str | None = typer.Option(None, "--agent-import-path",
                                                 help="A custom Agent class: module:Class."),
    agent_kwarg: list[str] = typer.Option([], "--agent-kwarg", help="KEY=VALUE for the agent "
                                          "(base_url=..., temperature=..., extra_body=JSON)."),
    agent_env: list[str] = typer.Option([], "--agent-env", help="NAME or NAME=VALUE (keys)."),
    seed: int = typer.Option(0, "--seed", help="Episode i of a group samples with seed+i."),
    logprobs: bool = typer.Option(True, "--logprobs/--no-logprobs",
                                  help="Ask the endpoint for per-token log-probabilities."),
    top_logprobs: int | None = typer.Option(None, "--top-logprobs", min=0, max=20,
                                            help="Alternatives per token (0-20)."),
    reward: RewardKind = typer.Option(RewardKind.resolved, "--reward",
                                      help="resolved: 1/0; pass_rate: share of tests passed."),
    fmt: list[str] = typer.Option(list(FORMATS), "--format",
                                  help="Output files: jsonl and/or parquet (repeatable)."),
    n_concurrent: int | None = typer.Option(None, "--n-concurrent", "-n",
                                            help="Episodes at a time (default: group size)."),
    agent_timeout: float | None = typer.Option(None, "--agent-timeout",
                                               help="Seconds; overrides each task's."),
    test_timeout: float | None = typer.Option(None, "--test-timeout",
                                              help="Seconds; overrides each task's."),
    max_retries: int = typer.Option(0, "--max-retries", help="Retries after an "
                                    "infrastructure fault (default 0: reported invalid)."),
    tasks_dir: Path | None = TasksDirOption,
    dataset: Path | None = DatasetOption,
    run_id: str | None = typer.Option(None, "--run-id"),
    output: Path = typer.Option(Path("runs"), "--output", "-o", help="Parent of run folders."),
    executor: str = typer.Option("local", "--executor", help="local or ray (docs/ray.md)."),
    ray_address: str | None = typer.Option(None, "--ray-address"),
    as_json: bool = typer.Option(False, "--json", help="Print the group statistics as JSON."),
) -> None:
    """Run GROUP_SIZE episodes of each task and write one record per episode (messages,
    per-completion token ids and log-probs, reward, timing, usage) with GRPO advantages, as
    JSON Lines and Parquet in the run folder (docs/rollouts.md)."""
    if not task:
        raise UserError("give at least one --task (`abcbench tasks list`)")
    bad = sorted(set(fmt) - set(FORMATS))
    if bad:
        raise UserError(f"--format {bad[0]}: choose jsonl or parquet")
    if group_size < 1:
        raise UserError(f"--group-size {group_size}: must be a whole number >= 1")
    check_numbers(n_concurrent=n_concurrent,
                  agent_timeout_sec=agent_timeout, test_timeout_sec=test_timeout,
                  max_retries=max_retries)
    registry = load_registry(tasks_dir, dataset)
    tasks = registry.select(TaskFilter(task, [], [], None))
    agent_cls = agent_class(agent, agent_import_path)
    env = parse_agent_env(agent_env)
    req = GroupRequest(
        tasks=tasks, agent_cls=agent_cls,
        agent_info=AgentInfo(name=agent or agent_cls.name, model=model,
                             import_path=agent_import_path,
                             kwargs=parse_kv(agent_kwarg, "--agent-kwarg"),
                             env_keys=sorted(env)),
        output_dir=output.resolve(), tasks_dir=registry.root, group_size=group_size,
        n_concurrent=n_concurrent, seed=seed, logprobs=logprobs, top_logprobs=top_logprobs,
        reward=reward, run_id=run_id, agent_env=env, agent_timeout_sec=agent_timeout,
        test_timeout_sec=test_timeout, max_retries=max_retries, executor=executor,
        ray_address=ray_address, formats=tuple(dict.fromkeys(fmt)))
    outcome = _execute(req)
    if as_json:
        console.print_json(json.dumps([s.model_dump(mode="json") for s in outcome.stats]))
    else:
        _print(outcome)


def _execute(req: GroupRequest) -> GroupOutcome:
    view = LiveRunView(len(req.tasks) * req.group_size, err_console)
    runner = GroupRunner(req, view.events())
    runner.preflight()
    with view:
        manifest = runner.execute()
    from abcbench.results.store import RunDir

    run_dir = RunDir(req.output_dir / manifest.run_id)
    records, stats = collect(run_dir, req.reward)
    return GroupOutcome(manifest, run_dir, records, stats,
                        write_outputs(run_dir, records, stats, req.formats))


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:+.3f}"


def _print(outcome: GroupOutcome) -> None:
    by_group: dict[str, list[EpisodeRecord]] = {}
    for record in outcome.records:
        by_group.setdefault(record.group_id, []).append(record)
    for stats in outcome.stats:
        table = Table(title=escape(f"{stats.task_id}: mean {_fmt(stats.mean)}  std "
                                   f"{_fmt(stats.std)}  valid {stats.n_valid}/"
                                   f"{stats.n_episodes}"), title_justify="left")
        for column in ("episode", "seed", "reward", "advantage", "tests", "completions",
                       "failure"):
            table.add_column(column)
        for r in by_group.get(stats.group_id, []):
            table.add_row(str(r.index), str(r.seed), _fmt(r.reward), _fmt(r.advantage),
                          f"{r.report.n_passed}/{r.report.n_tests}", str(len(r.completions)),
                          escape(r.report.failure_class or ""))
        console.print(table)
    for path in outcome.files:
        console.print(f"wrote {escape(str(path))}", highlight=False)


def schema_rollout() -> None:
    """JSON Schema of one line of rollouts.jsonl (an episode record)."""
    print(json.dumps(EpisodeRecord.model_json_schema(), indent=2))


def register(app: typer.Typer, schema_app: typer.Typer) -> None:
    app.command("rollouts")(rollouts)
    schema_app.command("rollout")(schema_rollout)
