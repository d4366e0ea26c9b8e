"""Dataset registry, safe extraction and metadata, without a network."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from abcbench.datasets.extract import UnsafeArchive, unpack_archive
from abcbench.datasets.metadata import read_metadata, with_metadata
from abcbench.datasets.registry import DatasetRegistry
from abcbench.errors import UserError
from abcbench.tasks.registry import TaskRegistry
from tests.conftest import TB_FIXTURES


def make_tar(path: Path, members: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info in members:
            body = b"x" * info.size if info.isfile() else None
            tar.addfile(info, io.BytesIO(body) if body is not None else None)
    return path


def member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "",
           size: int = 1) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = size if kind == tarfile.REGTYPE else 0
    return info


@pytest.mark.parametrize(("bad", "why"), [
    (member("/etc/cron.d/evil"), "outside"),
    (member("tasks/../../evil"), "outside"),
    (member("../evil"), "outside"),
    (member("tasks/link", tarfile.SYMTYPE, "/etc/passwd"), "link"),
    (member("tasks/link", tarfile.SYMTYPE, "../../etc/passwd"), "link"),
    (member("tasks/hard", tarfile.LNKTYPE, "../outside"), "link"),
    (member("tasks/dev", tarfile.CHRTYPE), "special"),
    (member("tasks/fifo", tarfile.FIFOTYPE), "special"),
])
def test_unsafe_members_are_refused_before_anything_is_written(
        tmp_path: Path, bad: tarfile.TarInfo, why: str) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [member("tasks/ok.txt"), bad])
    dest = tmp_path / "out"
    with pytest.raises(UnsafeArchive, match=why):
        unpack_archive(archive, dest)
    assert not dest.exists()
    assert not (tmp_path / "evil").exists()


def test_links_inside_the_archive_and_executable_bits_are_kept(tmp_path: Path) -> None:
    script = member("tasks/run.sh")
    script.mode = 0o755
    archive = make_tar(tmp_path / "a.tar.gz", [
        member("tasks", tarfile.DIRTYPE), script,
        member("tasks/alias.sh", tarfile.SYMTYPE, "run.sh")])
    unpack_archive(archive, tmp_path / "out")
    assert (tmp_path / "out/tasks/run.sh").stat().st_mode & 0o100
    assert (tmp_path / "out/tasks/alias.sh").resolve() == (tmp_path / "out/tasks/run.sh")


def test_size_limit_and_corrupt_archives_are_refused(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [member("tasks/big", size=2048)])
    with pytest.raises(UnsafeArchive, match="over the limit"):
        unpack_archive(archive, tmp_path / "out", max_bytes=1024)
    truncated = tmp_path / "t.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:40])
    with pytest.raises(UnsafeArchive, match="not a readable tar archive"):
        unpack_archive(truncated, tmp_path / "out2")


def test_builtin_registry_knows_the_published_dataset() -> None:
    ref = DatasetRegistry.default().resolve("abc-bench")
    assert ref.label == "abc-bench@1.0"
    assert ref.release.source.repo_id == "OpenMOSS-Team/ABC-Bench"
    assert ref.release.source.archive == "tasks.tar.gz"
    assert ref.release.source.metadata == "hf_dataset/train.jsonl"
    assert ref.release.n_tasks == 224
    # Honest about what is known: a branch and no checksum is not a pin.
    reason = ref.release.unpinned_reason()
    assert reason is not None and "revision 'main' is a branch" in reason
    assert "no sha256" in reason


def test_a_pin_is_a_commit_and_the_sha256_of_every_file() -> None:
    from abcbench.datasets.registry import DatasetVersion

    def version(revision: str, **pins: str) -> DatasetVersion:
        return DatasetVersion.model_validate({
            "version": "1", "source": {"repo_id": "o/r", "revision": revision,
                                       "metadata": "m.jsonl"}, **pins})

    commit, digest = "a" * 40, "b" * 64
    assert version(commit, sha256=digest, metadata_sha256=digest).unpinned_reason() is None
    assert "no metadata_sha256" in (version(commit, sha256=digest).unpinned_reason() or "")
    assert "'v1.0' is a branch or tag" in (
        version("v1.0", sha256=digest, metadata_sha256=digest).unpinned_reason() or "")
    with pytest.raises(ValueError, match="revision"):  # revision is required: no silent `main`
        DatasetVersion.model_validate({"version": "1", "source": {"repo_id": "o/r"}})


def test_extra_registry_adds_entries_and_bad_names_are_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "registry.yaml"
    extra.write_text("datasets:\n- name: mirror\n  default_version: '2'\n  versions:\n"
                     "  - version: '2'\n    sha256: " + "a" * 64 + "\n    source:\n"
                     "      repo_id: me/mirror\n      revision: " + "c" * 40 + "\n")
    monkeypatch.setenv("ABCBENCH_DATASET_REGISTRY", str(extra))
    registry = DatasetRegistry.default()
    assert registry.resolve("mirror@2").release.sha256 == "a" * 64
    assert registry.knows("abc-bench@1.0")
    with pytest.raises(UserError, match="no version '9'"):
        registry.resolve("mirror@9")
    with pytest.raises(UserError, match="unknown dataset 'nope'"):
        registry.resolve("nope")
    extra.write_text("datasets:\n- name: Bad Name\n  default_version: '1'\n  versions: []\n")
    with pytest.raises(UserError, match=r"registry.yaml: datasets\.0\.name"):
        DatasetRegistry.default().entries  # noqa: B018


def test_metadata_overrides_the_loaders_guesses(tmp_path: Path) -> None:
    tasks = TaskRegistry.from_dir(TB_FIXTURES)
    assert tasks.get("tb-word-stats").framework == "unknown"
    meta = tmp_path / "train.jsonl"
    meta.write_text(json.dumps({"task_id": "tb-word-stats", "language": "Python",
                                "framework": "flask", "task_type": "environment"}) + "\n\n"
                    + json.dumps({"id": "elsewhere", "language": "go"}) + "\n")
    assert read_metadata(meta)["elsewhere"] == {"language": "go"}
    task = with_metadata(tasks, meta).get("tb-word-stats")
    assert (task.language, task.framework, task.task_type) == ("python", "flask", "environment")
    meta.write_text("{not json\n")
    with pytest.raises(UserError, match=r"train\.jsonl:1: not valid JSON"):
        with_metadata(tasks, meta)
