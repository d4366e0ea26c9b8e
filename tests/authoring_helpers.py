"""Helpers for the authoring tests: task folders assembled beside a copy of the fixture repos."""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import NATIVE_FIXTURES

CHECK_FIXTURES = NATIVE_FIXTURES / "_check"


def tasks_dir_with(tmp_path: Path, *names: str) -> Path:
    """A tasks folder: the named fixtures, and `_repos/` of both fixture sets."""
    root = tmp_path / "tasks"
    shutil.copytree(NATIVE_FIXTURES / "_repos", root / "_repos")
    shutil.copytree(CHECK_FIXTURES / "_repos", root / "_repos", dirs_exist_ok=True)
    for name in names:
        source = CHECK_FIXTURES / name if (CHECK_FIXTURES / name).is_dir() \
            else NATIVE_FIXTURES / name
        shutil.copytree(source, root / name)
    return root


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on a loopback port for the block; yields its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
