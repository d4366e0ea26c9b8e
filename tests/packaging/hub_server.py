"""A stand-in for the Hugging Face Hub on 127.0.0.1: serves a dataset repository's files the
way `huggingface_hub` fetches them (HEAD for metadata, then GET), nothing else. Used instead of
the network, which the tests never touch."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import TB_FIXTURES

REPO = "OpenMOSS-Team/ABC-Bench"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class HubFile:
    body: bytes
    #: The sha256 the server declares (LFS files); defaults to the body's true sha256.
    declared_sha256: str | None = None
    lfs: bool = True

    def etag(self) -> str:
        if self.lfs:
            return self.declared_sha256 or hashlib.sha256(self.body).hexdigest()
        return hashlib.sha1(self.body).hexdigest()


@dataclass
class FakeHub:
    files: dict[str, HubFile] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    url: str = ""


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    prefix = f"/datasets/{REPO}/resolve/"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _lookup(self) -> HubFile | None:
            hub.requests.append(f"{self.command} {self.path}")
            if not self.path.startswith(prefix):
                return None
            revision, _, name = self.path[len(prefix):].partition("/")
            if revision not in {"main", COMMIT}:
                return None
            return hub.files.get(name)

        def _headers(self, f: HubFile) -> None:
            self.send_response(200)
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("ETag", f'"{f.etag()}"')
            if f.lfs:
                self.send_header("X-Linked-Etag", f'"{f.etag()}"')
                self.send_header("X-Linked-Size", str(len(f.body)))
            self.send_header("Content-Length", str(len(f.body)))
            self.end_headers()

        def _missing(self) -> None:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_HEAD(self) -> None:
            f = self._lookup()
            self._headers(f) if f else self._missing()

        def do_GET(self) -> None:
            f = self._lookup()
            if f is None:
                self._missing()
                return
            self._headers(f)
            self.wfile.write(f.body)

    return Handler


@contextmanager
def serve(hub: FakeHub) -> Iterator[FakeHub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()


def tasks_archive(tmp: Path, extra: dict[str, bytes] | None = None) -> bytes:
    """tasks.tar.gz in the published layout: `tasks/<id>/` Terminal-Bench task folders."""
    tmp.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(dir=tmp, prefix="archive-src-"))
    shutil.copytree(TB_FIXTURES / "tb-word-stats", root / "tasks" / "tb-word-stats")
    shutil.copytree(TB_FIXTURES / "tb-word-stats", root / "tasks" / "tb-word-stats-env")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(root / "tasks", arcname="tasks")
        for name, body in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return buf.getvalue()


METADATA_ROWS = [
    {"task_id": "tb-word-stats", "language": "Python", "framework": "stdlib-http",
     "task_type": "logic"},
    {"task_id": "tb-word-stats-env", "language": "Python", "framework": "stdlib-http",
     "task_type": "environment"},
]


def metadata_jsonl() -> bytes:
    return "".join(json.dumps(r) + "\n" for r in METADATA_ROWS).encode()


def published_hub(tmp: Path) -> FakeHub:
    return FakeHub(files={
        "tasks.tar.gz": HubFile(tasks_archive(tmp)),
        "hf_dataset/train.jsonl": HubFile(metadata_jsonl(), lfs=False),
    })
