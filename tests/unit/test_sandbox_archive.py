"""Extraction of archives that come out of hostile sandboxes: our own member checks and caps."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import abcbench.sandbox.container as container_module
from abcbench.sandbox.archive import UnsafeMember, safe_extract
from abcbench.sandbox.base import ExportTooLarge, SandboxError
from abcbench.sandbox.container import DockerContainer


def _add(tar: tarfile.TarFile, name: str, *, data: bytes = b"", kind: bytes = tarfile.REGTYPE,
         link: str = "", size: int | None = None) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.mode = 0o4755 if name.endswith("suid") else 0o644
    info.size = len(data) if size is None else size
    tar.addfile(info, io.BytesIO(data) if info.isfile() else None)


def hostile_tar() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        _add(tar, "./", kind=tarfile.DIRTYPE)
        _add(tar, "./ok/file.txt", data=b"fine")
        _add(tar, "./ok/suid", data=b"x")
        _add(tar, "/abs.txt", data=b"absolute")
        _add(tar, "./../escape.txt", data=b"dotdot")
        _add(tar, "./out", kind=tarfile.SYMTYPE, link="../outside")
        _add(tar, "./out/through.txt", data=b"through a planted link")
        _add(tar, "./etc", kind=tarfile.SYMTYPE, link="/etc")
        _add(tar, "./up", kind=tarfile.SYMTYPE, link="ok/..")
        _add(tar, "./ok/parent", kind=tarfile.SYMTYPE, link="..")
        _add(tar, "./chain", kind=tarfile.SYMTYPE, link="ok/parent/..")
        _add(tar, "./inside", kind=tarfile.SYMTYPE, link="ok/file.txt")
        _add(tar, "./hard", kind=tarfile.LNKTYPE, link="../outside/secret")
        _add(tar, "./hardok", kind=tarfile.LNKTYPE, link="ok/file.txt")
        _add(tar, "./dev", kind=tarfile.CHRTYPE)
        _add(tar, "./fifo", kind=tarfile.FIFOTYPE)
    return buf.getvalue()


class FakeApi:
    """Just enough of docker's low-level API for copy_out: get_archive streams our tar."""

    def __init__(self, payload: bytes, chunk: int = 4096) -> None:
        self.payload = payload
        self.chunk = chunk
        self.sent = 0

    def get_archive(self, _cid: str, _path: str) -> tuple[Iterator[bytes], dict[str, Any]]:
        def stream() -> Iterator[bytes]:
            for i in range(0, len(self.payload), self.chunk):
                self.sent += self.chunk
                yield self.payload[i:i + self.chunk]
        return stream(), {}


class FakeContainer:
    id = "c0ffee"
    name = "fake"


def box(api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> DockerContainer:
    sandbox = DockerContainer(FakeContainer())  # type: ignore[arg-type]
    monkeypatch.setattr(sandbox, "_api", lambda: api)
    return sandbox


def test_hostile_members_stay_inside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("host secret")
    dest = tmp_path / "run" / "submission"
    box(FakeApi(hostile_tar()), monkeypatch).copy_out("/app/x", dest)
    assert (dest / "ok" / "file.txt").read_text() == "fine"
    assert (dest / "inside").resolve() == (dest / "ok" / "file.txt").resolve()
    assert (dest / "hardok").read_text() == "fine" and not (dest / "hardok").is_symlink()
    assert (dest / "ok" / "suid").stat().st_mode & 0o7000 == 0, "setuid bits are dropped"
    assert list(outside.iterdir()) == [outside / "secret"], "nothing written outside"
    assert not (tmp_path / "run" / "escape.txt").exists()
    assert not (dest / "out").is_symlink()
    for name in ("etc", "hard", "dev", "fifo", "abs.txt", "chain"):
        assert not (dest / name).exists() and not (dest / name).is_symlink(), name
    for link in dest.rglob("*"):
        if link.is_symlink():
            assert str(link.resolve()).startswith(str(dest.resolve())), link


def test_extraction_needs_no_tarfile_filter(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Pythons before 3.11.4 have no extraction filters: our checks must not depend on them."""
    monkeypatch.delattr(tarfile, "data_filter")
    monkeypatch.delattr(tarfile.TarFile, "extraction_filter")
    dest = tmp_path / "submission"
    box(FakeApi(hostile_tar()), monkeypatch).copy_out("/app/x", dest)
    assert (dest / "ok" / "file.txt").read_text() == "fine"
    assert not (dest / "etc").is_symlink()


def big_tar(files: int, size: int) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for i in range(files):
            _add(tar, f"./f{i}", data=b"\0" * size)
    return buf.getvalue()


def test_export_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container_module, "EXPORT_MAX_BYTES", 64 * 1024)
    api = FakeApi(big_tar(1, 4 * 1024 * 1024))
    with pytest.raises(ExportTooLarge, match=r"too large to export: more than 0\.1 MiB"):
        box(api, monkeypatch).copy_out("/app/x", tmp_path / "submission")
    assert api.sent < 512 * 1024, "the stream is cut at the cap, not read to the end"
    assert not (tmp_path / "submission").exists(), "a refused export leaves no partial copy"
    assert issubclass(ExportTooLarge, SandboxError)


def test_export_file_count_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container_module, "EXPORT_MAX_FILES", 50)
    with pytest.raises(ExportTooLarge, match="more than 50 files"):
        box(FakeApi(big_tar(200, 1)), monkeypatch).copy_out("/app/x", tmp_path / "s")


def test_caps_are_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox = box(FakeApi(big_tar(3, 1000)), monkeypatch)
    with pytest.raises(ExportTooLarge):
        sandbox.copy_out("/app/x", tmp_path / "a", max_bytes=2500)
    sandbox.copy_out("/app/x", tmp_path / "b", max_bytes=3000, max_files=3)
    assert len(list((tmp_path / "b").iterdir())) == 3


def one_member_tar(name: str, kind: bytes, link: str) -> bytes:
    """A fine file, then one member to judge, then another fine file."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        _add(tar, "tasks/a.txt", data=b"first")
        if link == "(plant)":  # a link the archive plants, then a path through it
            _add(tar, "tasks/lnk", kind=tarfile.SYMTYPE, link=".")
            kind, link = tarfile.REGTYPE, ""
        _add(tar, name, kind=kind, link=link, data=b"bad" if kind == tarfile.REGTYPE else b"")
        _add(tar, "tasks/z.txt", data=b"last")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "kind", "link"), [
    ("/abs.txt", tarfile.REGTYPE, ""),
    ("tasks/../../escape.txt", tarfile.REGTYPE, ""),
    ("tasks/etc", tarfile.SYMTYPE, "/etc"),
    ("tasks/up", tarfile.SYMTYPE, "../../outside"),
    ("tasks/hard", tarfile.LNKTYPE, "../outside/secret"),
    ("tasks/dev", tarfile.CHRTYPE, ""),
    ("tasks/fifo", tarfile.FIFOTYPE, ""),
    ("tasks/lnk/through.txt", tarfile.REGTYPE, "(plant)"),
])
def test_check_first_refuses_the_whole_archive_before_writing(
        tmp_path: Path, name: str, kind: bytes, link: str) -> None:
    """A dataset is whole or nothing: one unsafe member, wherever it is, refuses the archive
    and not even the members before it are written (the stream mode would skip it)."""
    path = tmp_path / "a.tar.gz"
    path.write_bytes(one_member_tar(name, kind, link))
    dest = tmp_path / "out"
    with tarfile.open(path) as tar, pytest.raises(UnsafeMember):
        safe_extract(tar, dest, max_bytes=10**6, max_files=100, check_first=True)
    assert not dest.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tar.gz"]
    with tarfile.open(path) as tar:  # the stream mode skips the member and keeps the rest
        done = safe_extract(tar, tmp_path / "lenient", max_bytes=10**6, max_files=100)
    assert done.skipped and (tmp_path / "lenient/tasks/z.txt").read_text() == "last"


def test_check_first_removes_what_it_wrote_when_a_link_chain_escapes(tmp_path: Path) -> None:
    """`chain -> ok/parent/..` looks inside by its header; only resolving it after writing
    shows it leaves: the check-first mode then removes the whole destination."""
    path = tmp_path / "a.tar"
    path.write_bytes(hostile_chain_tar())
    with tarfile.open(path) as tar, pytest.raises(UnsafeMember, match="chain"):
        safe_extract(tar, tmp_path / "out", max_bytes=10**6, max_files=100, check_first=True)
    assert not (tmp_path / "out").exists()


def hostile_chain_tar() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        _add(tar, "ok/file.txt", data=b"fine")
        _add(tar, "ok/parent", kind=tarfile.SYMTYPE, link="..")
        _add(tar, "chain", kind=tarfile.SYMTYPE, link="ok/parent/..")
    return buf.getvalue()


def test_check_first_caps_are_checked_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "big.tar"
    path.write_bytes(big_tar(3, 1000))
    with tarfile.open(path) as tar, pytest.raises(ExportTooLarge):
        safe_extract(tar, tmp_path / "out", max_bytes=2500, max_files=10, check_first=True)
    assert not (tmp_path / "out").exists()
    with tarfile.open(path) as tar:
        done = safe_extract(tar, tmp_path / "ok", max_bytes=3000, max_files=10,
                            check_first=True)
    assert (done.files, done.bytes, done.skipped) == (3, 3000, [])
