"""What an image holds: its Debian packages, read by `dpkg-query` in a throw-away container.

The container runs with the project's labels under a run id of its own, a bounded exec and a
removal in `finally`, so a hung or killed query leaves nothing behind.
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel

from abcbench.errors import UserError
from abcbench.sandbox import labels as L
from abcbench.sandbox.lifecycle import ContainerRequest, Limits, cleanup, start_container

QUERY_TIMEOUT_SEC = 60
DPKG_FORMAT = r"${Package}\t${Version}\n"


class Package(BaseModel):
    name: str
    version: str


def list_packages(image_ref: str) -> list[Package]:
    """The image's installed Debian packages, sorted by name."""
    run = f"images-show-{secrets.token_hex(4)}"
    try:
        container = start_container(ContainerRequest(
            image=image_ref, name=f"abcbench-{run}", labels=L.managed(run=run, role="query"),
            command=["sleep", "infinity"], limits=Limits(cpus=0.5, memory_mb=256, pids=64)))
        result = container.exec(["dpkg-query", "-W", "-f", DPKG_FORMAT],
                                timeout=QUERY_TIMEOUT_SEC, output_limit=4 * 1024 * 1024)
    finally:
        cleanup(run=run)
    if not result.ok:
        raise UserError(f"dpkg-query failed in {image_ref} (exit {result.exit_code}): "
                        f"{(result.stderr or result.stdout).strip()[:200]}; is it a Debian image?")
    rows = (line.split("\t", 1) for line in result.stdout.splitlines() if "\t" in line)
    return sorted((Package(name=n, version=v) for n, v in rows), key=lambda p: p.name)
