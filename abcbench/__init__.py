"""abcbench: the harness for ABC-Bench, agentic backend coding evaluated end to end in Docker."""

__version__ = "0.1.0"
