"""Pulled datasets: fetched, verified, unpacked once into a per-user cache, then reused.

A pulled version lives in `<cache>/datasets/<name>/<version>/`: the unpacked archive, the
metadata file and `dataset.json` (what was pulled from where, at which commit, with which
sha256). It is unpacked in a scratch folder and renamed into place only once verified, so a
version folder that exists is complete.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from abcbench.datasets import hub
from abcbench.datasets.extract import UnsafeArchive, unpack_archive
from abcbench.datasets.metadata import METADATA_FILE, read_metadata
from abcbench.datasets.registry import DatasetRef, HubSource
from abcbench.errors import UserError
from abcbench.paths import cache_dir
from abcbench.tasks.loader import is_task_dir
from abcbench.tasks.registry import TaskRegistry

RECORD = "dataset.json"
Notify = Callable[[str], None]


class PulledDataset(BaseModel):
    """`dataset.json`: the provenance of one pulled dataset version."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    source: HubSource
    commit: str | None
    archive_sha256: str
    metadata_sha256: str | None
    pulled_at: datetime
    tasks_root: str  # relative to the version folder
    metadata_file: str | None
    n_tasks: int


def datasets_dir() -> Path:
    """ABCBENCH_DATASETS_DIR, or `datasets/` in the per-user cache."""
    env = os.environ.get("ABCBENCH_DATASETS_DIR")
    return Path(env).resolve() if env else cache_dir() / "datasets"


def version_dir(ref: DatasetRef) -> Path:
    return datasets_dir() / ref.entry.name / ref.release.version


def read_pulled(ref: DatasetRef) -> PulledDataset | None:
    record = version_dir(ref) / RECORD
    if not record.is_file():
        return None
    return PulledDataset.model_validate_json(record.read_text())


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _verify(ref: DatasetRef, fetched: hub.FetchedFile, what: str, pinned: str | None) -> str:
    digest = sha256_file(fetched.path)
    expected, by = (pinned, "the registry pins") if pinned else \
        (fetched.declared_sha256, "the hub declares")
    if expected and digest != expected:
        hub.forget(fetched)
        raise UnsafeArchive(f"{ref.label}: {what} has sha256 {digest[:16]}…, {by} "
                            f"{expected[:16]}…: corrupt or changed upstream; refused, "
                            "nothing unpacked (the download was discarded; pull again)")
    return digest


def find_tasks_root(unpacked: Path) -> Path:
    """Where the task folders are: the top, `tasks/`, or inside one single top folder."""
    candidates = [unpacked, unpacked / "tasks"]
    children = [p for p in unpacked.iterdir() if p.is_dir()] if unpacked.is_dir() else []
    if len(children) == 1:
        candidates += [children[0], children[0] / "tasks"]
    for root in candidates:
        if root.is_dir() and any(is_task_dir(p) for p in root.iterdir()):
            return root
    raise UserError(f"{unpacked.name}: the archive holds no task folders (each a folder with "
                    "a task.yaml); is this a Terminal-Bench-layout dataset?")


def check_pinned(ref: DatasetRef, allow_unpinned: bool, notify: Notify | None) -> None:
    """Refuse an unpinned version unless asked for; say what is and is not checked then."""
    reason = ref.release.unpinned_reason()
    if reason is None:
        return
    if not allow_unpinned:
        raise UserError(f"{ref.label} is not pinned ({reason}): pin it (`abcbench datasets pin "
                        f"{ref.label}`, docs/datasets.md) or pull it anyway with `abcbench "
                        f"datasets pull {ref.label} --allow-unpinned`")
    if notify:
        notify(f"warning: {ref.label} is not pinned ({reason}); its bytes are checked only "
               "against the sha256 the hub declares, and the commit and sha256 it gets are "
               "recorded")


def pull(ref: DatasetRef, *, force: bool = False, allow_unpinned: bool = False,
         notify: Notify | None = None) -> PulledDataset:
    """Fetch, verify and unpack `ref` unless already pulled (or `force`); an unpinned version
    only with `allow_unpinned`."""
    dest = version_dir(ref)
    if not force and (pulled := read_pulled(ref)) is not None:
        return pulled
    check_pinned(ref, allow_unpinned, notify)
    source = ref.release.source
    if notify:
        notify(f"pulling {ref.label} from {source.describe()}")
    fetched = hub.fetch(source)
    archive_sha = _verify(ref, fetched.archive, source.archive, ref.release.sha256)
    meta_sha = _verify(ref, fetched.metadata, source.metadata or "",
                       ref.release.metadata_sha256) if fetched.metadata else None
    dest.parent.mkdir(parents=True, exist_ok=True)
    scratch = dest.parent / f".{ref.release.version}.partial-{uuid.uuid4().hex[:8]}"
    try:
        unpack_archive(fetched.archive.path, scratch / "archive")
        root = find_tasks_root(scratch / "archive")
        metadata_file = None
        if fetched.metadata is not None:
            # Beside the task folder, where `find_metadata` looks for any tasks directory.
            metadata_file = (root.parent / METADATA_FILE).relative_to(scratch)
            (scratch / metadata_file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fetched.metadata.path, scratch / metadata_file)
            read_metadata(scratch / metadata_file)  # refuse unreadable metadata now
        n_tasks = len(TaskRegistry.from_dir(root).all())
        record = PulledDataset(
            name=ref.entry.name, version=ref.release.version, source=source,
            commit=fetched.commit, archive_sha256=archive_sha, metadata_sha256=meta_sha,
            pulled_at=datetime.now(UTC), tasks_root=root.relative_to(scratch).as_posix(),
            metadata_file=metadata_file.as_posix() if metadata_file else None, n_tasks=n_tasks)
        (scratch / RECORD).write_text(record.model_dump_json(indent=2) + "\n")
        if dest.exists():
            shutil.rmtree(dest)
        try:
            scratch.rename(dest)
        except OSError:
            if read_pulled(ref) is None:  # not another process's complete pull: a real error
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if notify:
        notify(f"pulled {ref.label}: {n_tasks} task(s), sha256 {archive_sha[:16]}…, "
               f"in {dest}")
    return record


def open_dataset(value: Path, notify: Notify | None = None) -> TaskRegistry:
    """`--dataset VALUE`: a folder (downloaded by hand), or NAME[@VERSION], pulled on first use.

    A folder of that name wins over a registered dataset.
    """
    from abcbench.datasets.metadata import with_metadata
    from abcbench.datasets.registry import DatasetRegistry

    path = value.expanduser()
    if path.exists():
        return with_metadata(TaskRegistry.from_dir(path))
    registry = DatasetRegistry.default()
    spec = str(value)
    if not registry.knows(spec):
        known = ", ".join(sorted(registry.entries)) or "none"
        raise UserError(f"--dataset {spec!r} is neither a folder nor a registered dataset "
                        f"(registered: {known}; `abcbench datasets list`)")
    ref = registry.resolve(spec)
    pulled = pull(ref, notify=notify)
    base = version_dir(ref)
    metadata = base / pulled.metadata_file if pulled.metadata_file else None
    return with_metadata(TaskRegistry.from_dir(base / pulled.tasks_root), metadata)
