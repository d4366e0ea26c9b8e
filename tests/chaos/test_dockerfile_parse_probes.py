"""Dockerfiles the hand-written reader of ffadfa6 misread, built by the real engine.

Each probe is an environment task whose agent writes a Dockerfile that reaches outside its build
context in a way only a second reading would miss: a tab after the keyword, a parser directive
that ends the directives before `# escape=`. On ffadfa6 each build ran and copied or fetched
the file; now the official parser reads the Dockerfile once, the check refuses it, and nothing
is built (the engine would only ever see the canonical form of what was checked).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from abcbench.results.models import FailureClass
from tests.chaos.conftest import chaos_run
from tests.chaos.test_build_probes import ENV, SERVE, build_log, foreign_image, writes

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.chaos]
__all__ = ["foreign_image"]


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = b"LOOPBACK-SECRET\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server bound to the host's loopback only: what `ADD <url>` reached on ffadfa6
    (the daemon fetches it itself, from the host's network namespace)."""
    hits: list[str] = []
    handler = type("Handler", (_Counting,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_add_with_a_tab_of_a_loopback_url_is_refused(
        chaos_dir: Path, run_id: str, loopback_server: tuple[str, list[str]]) -> None:
    url, hits = loopback_server
    agent = writes(f"FROM abcbench/tester\nADD\t{url}/secret /srv/secret\n" + SERVE, fix=True)
    out = chaos_run(chaos_dir, run_id, agent, [ENV],
                    probe="ADD<TAB>http://127.0.0.1:PORT/f (a loopback-only host server)")
    result = out.results[ENV]
    assert result.failure_class is FailureClass.build_failed, result.error
    assert result.error is not None and "the engine would download it itself" in result.error
    assert hits == [], "the engine fetched from the host's loopback"
    assert "Step 1/" not in build_log(out.run_dir)


@pytest.mark.sweep
@pytest.mark.parametrize("spelling", [
    "COPY\t--from={image} /secret /srv/secret\n",
    # `# foo=bar` ends the directives: the backtick is not the escape, the COPY is a step
    "# foo=bar\n# escape=`\nFROM abcbench/tester\nRUN true # `\nCOPY --from={image} "
    "/secret /srv/secret\n",
])
def test_copy_from_a_foreign_image_misread_on_main_is_refused(
        chaos_dir: Path, run_id: str, foreign_image: str, spelling: str) -> None:
    text = spelling.format(image=foreign_image)
    if not text.startswith("#"):
        text = "FROM abcbench/tester\n" + text
    agent = writes(text + SERVE, fix=True)
    out = chaos_run(chaos_dir, run_id, agent, [ENV],
                    probe=f"COPY --from a foreign image, spelt {spelling.splitlines()[0]!r}")
    result = out.results[ENV]
    assert result.failure_class is FailureClass.build_failed, result.error
    assert result.error is not None and f"COPY --from {foreign_image}" in result.error
    assert "s3cret" not in build_log(out.run_dir)


@pytest.mark.sweep
def test_from_with_a_tab_of_a_foreign_image_is_refused(
        chaos_dir: Path, run_id: str, foreign_image: str) -> None:
    agent = writes(f"FROM\t{foreign_image}\nRUN cat /secret\n" + SERVE, fix=True)
    out = chaos_run(chaos_dir, run_id, agent, [ENV], probe="FROM<TAB>a foreign local image")
    result = out.results[ENV]
    assert result.failure_class is FailureClass.build_failed, result.error
    assert result.error is not None and f"line 1: FROM {foreign_image}" in result.error
