"""The dataset registry: names users type (`abc-bench@1.0`) mapped to a source and checksum.

The built-in entries ship with the package (registry.yaml beside this file); a file named by
ABCBENCH_DATASET_REGISTRY adds or replaces entries, for private mirrors and new releases.

A version is *pinned* when it names the commit it comes from and the sha256 of every file it
fetches: then a pull gets the same bytes or nothing. An unpinned version (a branch such as
`main`, or no checksum) is pulled only on request (`--allow-unpinned`); `abcbench datasets pin`
fetches it once and writes the pins (docs/datasets.md).
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from abcbench.errors import UserError

BUILTIN_REGISTRY = Path(__file__).with_name("registry.yaml")
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HubSource(_Model):
    """Files in a Hugging Face Hub repository, fetched with huggingface_hub."""

    kind: Literal["huggingface"] = "huggingface"
    repo_id: str = Field(pattern=r"^[\w.-]+/[\w.-]+$")
    repo_type: Literal["dataset", "model"] = "dataset"
    revision: str = Field(min_length=1, description="A commit sha (a pin), or a branch or "
                          "tag for `abcbench datasets pin` to resolve.")
    archive: str = Field(default="tasks.tar.gz", description="tar.gz of the task folders.")
    metadata: str | None = Field(default=None, description="JSONL with one row per task.")

    def describe(self) -> str:
        return f"hf://{self.repo_type}s/{self.repo_id}@{self.revision}/{self.archive}"


class DatasetVersion(_Model):
    version: str = Field(pattern=r"^[\w.+-]+$")
    source: HubSource
    sha256: str | None = Field(default=None, pattern=SHA256_PATTERN,
                               description="sha256 of the archive; None: not pinned.")
    metadata_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN,
                                        description="sha256 of the metadata file.")
    n_tasks: int | None = Field(default=None, ge=1)

    def unpinned_reason(self) -> str | None:
        """Why a pull of this version could get other bytes another day; None when pinned."""
        missing = []
        if not COMMIT_RE.match(self.source.revision):
            missing.append(f"revision {self.source.revision!r} is a branch or tag, not a commit")
        if self.sha256 is None:
            missing.append("no sha256 of the archive")
        if self.source.metadata and self.metadata_sha256 is None:
            missing.append("no metadata_sha256")
        return "; ".join(missing) or None


class DatasetEntry(_Model):
    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    default_version: str
    versions: list[DatasetVersion] = Field(min_length=1)

    def version(self, wanted: str | None) -> DatasetVersion:
        wanted = wanted or self.default_version
        for v in self.versions:
            if v.version == wanted:
                return v
        known = ", ".join(v.version for v in self.versions)
        raise UserError(f"dataset {self.name} has no version {wanted!r} (known: {known})")


class RegistryFile(_Model):
    datasets: list[DatasetEntry] = Field(default_factory=list)


class DatasetRef(_Model):
    """One resolved `NAME[@VERSION]`."""

    entry: DatasetEntry
    release: DatasetVersion

    @property
    def label(self) -> str:
        return f"{self.entry.name}@{self.release.version}"


def _read(path: Path) -> RegistryFile:
    try:
        return RegistryFile.model_validate(yaml.safe_load(path.read_text()) or {})
    except OSError as exc:
        raise UserError(f"cannot read dataset registry {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise UserError(f"dataset registry {path} is not valid YAML: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UserError(f"dataset registry {path}: {where}: {err['msg']}") from None


class DatasetRegistry:
    def __init__(self, files: list[Path]) -> None:
        self.files = files

    @classmethod
    def default(cls) -> DatasetRegistry:
        extra = os.environ.get("ABCBENCH_DATASET_REGISTRY")
        return cls([BUILTIN_REGISTRY, *([Path(extra)] if extra else [])])

    @cached_property
    def _loaded(self) -> dict[str, tuple[DatasetEntry, Path]]:
        """Later files replace earlier entries of the same name."""
        out: dict[str, tuple[DatasetEntry, Path]] = {}
        for path in self.files:
            out.update({e.name: (e, path) for e in _read(path).datasets})
        return out

    @property
    def entries(self) -> dict[str, DatasetEntry]:
        return {name: entry for name, (entry, _) in self._loaded.items()}

    def origin(self, name: str) -> Path:
        """The registry file the entry `name` comes from."""
        return self._loaded[name][1]

    def knows(self, spec: str) -> bool:
        return spec.partition("@")[0] in self.entries

    def resolve(self, spec: str) -> DatasetRef:
        name, _, version = spec.partition("@")
        entry = self.entries.get(name)
        if entry is None:
            known = ", ".join(sorted(self.entries)) or "none"
            raise UserError(f"unknown dataset {name!r} (registered: {known}; "
                            "`abcbench datasets list`)")
        return DatasetRef(entry=entry, release=entry.version(version or None))
