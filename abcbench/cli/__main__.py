"""`python -m abcbench.cli`: the same as the `abcbench` command."""

from abcbench.cli.main import app

app()
