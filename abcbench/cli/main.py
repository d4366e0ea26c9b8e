"""The `abcbench` command."""

from __future__ import annotations

import typer

from abcbench.cli import agents, datasets, export, images, images_transfer, job, runs, shell, tasks
from abcbench.cli.cleanup import cleanup_command
from abcbench.cli.report import grade, leaderboard, report
from abcbench.cli.rollouts import register as register_rollouts
from abcbench.cli.run import run

app = typer.Typer(
    name="abcbench",
    help="ABC-Bench harness: agents implement backend endpoints; services are built, deployed "
    "and tested end to end in Docker.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(agents.app, name="agents")
images_transfer.register(images.app)
app.add_typer(datasets.app, name="datasets")
app.add_typer(runs.app, name="runs")
app.add_typer(job.schema_app, name="schema")
app.add_typer(images.app, name="images")
tasks.app.command("shell")(shell.shell)
tasks.app.command("export")(export.export)
app.add_typer(tasks.app, name="tasks")
app.command("run")(run)
app.command("report")(report)
app.command("leaderboard")(leaderboard)
app.command("grade")(grade)
app.command("cleanup")(cleanup_command)
register_rollouts(app, job.schema_app)
