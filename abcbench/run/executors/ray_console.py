"""Keep Ray's cluster error reports off the driver's console.

Whatever `log_to_driver` says, a Ray driver runs a thread that prints every error the cluster
publishes to stdout: when a node's raylet dies, that is the last 20 lines of its log, a state
dump of some 46 lines, once per report, in the middle of the live view (and of `--format json`
output on stdout). The executor already turns a lost node into a `node_lost` fault, retried and
recorded, so the driver says one fixed line instead and keeps Ray's text in the Python log
(logger `abcbench.ray`, level DEBUG: not shown by default). Ray's text is not parsed: it is
the cluster's own report, whose form changes between Ray versions.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

log = logging.getLogger("abcbench.ray")

NOTICE_EVERY_SEC = 60.0
NOTICE = ("Ray reported a cluster fault (a node or its raylet died?); trials lost with it are "
          "retried. Ray's report: the session logs of the cluster (`ray status`, raylet.out)")


@contextlib.contextmanager
def cluster_errors_routed(notify: Callable[[str], None]) -> Iterator[None]:
    """While open, the driver's printer of cluster errors (`ray._private.worker`'s
    `print_to_stdstream`, called by its error-listener thread only when `log_to_driver` is
    off) logs them and calls `notify(NOTICE)`, at most once a minute; other output passes
    through."""
    try:
        from ray._private import worker as ray_worker
    except ImportError:  # another layout of Ray's internals: its printing stays as it is
        yield
        return
    original = getattr(ray_worker, "print_to_stdstream", None)
    if original is None:
        yield
        return
    lock = threading.Lock()
    last = [-NOTICE_EVERY_SEC]

    def routed(data: dict[str, Any], ignore_prefix: bool) -> None:
        if not isinstance(data, dict) or data.get("pid") != "raylet":
            original(data, ignore_prefix)
            return
        for line in data.get("lines") or []:
            log.debug("from the Ray cluster: %s", line)
        with lock:
            now = time.monotonic()
            due = now - last[0] >= NOTICE_EVERY_SEC
            if due:
                last[0] = now
        if due:
            notify(NOTICE)

    ray_worker.print_to_stdstream = routed
    try:
        yield
    finally:
        if getattr(ray_worker, "print_to_stdstream", None) is routed:
            ray_worker.print_to_stdstream = original
