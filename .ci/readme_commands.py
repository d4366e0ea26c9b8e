"""The README's "Set up" commands, as written, for `.ci/run` to execute.

CI must never be greener than the README: rather than a copy of the install line that could
drift, `.ci/run` runs what this prints. Command 1 is one `&&` chain (apt, pip, the oracle
run); command 2 is the test command. Usage: `python3 .ci/readme_commands.py apt|pip|run|test`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def setup_block(text: str) -> list[str]:
    """The command lines (no comments, no blanks) of the first bash block under "## Set up"."""
    section = text.split("\n## Set up\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    if block is None:
        raise SystemExit("README.md: no ```bash block under '## Set up'")
    return [line.strip() for line in block.group(1).splitlines()
            if line.strip() and not line.strip().startswith("#")]


def commands(text: str) -> dict[str, str]:
    """{"apt", "pip", "run"}: the parts of command 1; "test": command 2."""
    lines = setup_block(text)
    if len(lines) != 2:
        raise SystemExit(f"README.md's set-up block has {len(lines)} commands, not 2: {lines}")
    parts = [p.strip() for p in lines[0].split("&&")]
    found = {"apt": [p for p in parts if p.startswith("apt-get install")],
             "pip": [p for p in parts if p.startswith("pip install")],
             "run": [p for p in parts if p.startswith("abcbench run")]}
    if any(len(v) != 1 for v in found.values()) or len(parts) != 3:
        raise SystemExit(f"README.md's command 1 is not `apt-get install ... && pip install "
                         f"... && abcbench run ...`: {lines[0]}")
    return {**{k: v[0] for k, v in found.items()}, "test": lines[1]}


def main(argv: list[str]) -> int:
    wanted = argv[1] if len(argv) == 2 else ""
    found = commands(README.read_text())
    if wanted not in found:
        print(f"usage: {argv[0]} {'|'.join(found)}", file=sys.stderr)
        return 2
    print(found[wanted])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
