"""`abcbench datasets pin`: write a fetched version's commit and checksums into a registry file.

A maintainer pins a release once, from a machine that reaches the hub; every later pull gets
those bytes or is refused. The file is rewritten as YAML (its leading comment block is kept;
comments inside entries are not), and validated before it replaces the old one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from abcbench.datasets.cache import PulledDataset
from abcbench.datasets.registry import DatasetEntry, DatasetVersion, RegistryFile
from abcbench.errors import UserError


def pinned(release: DatasetVersion, pulled: PulledDataset) -> DatasetVersion:
    """`release` with the commit and sha256s of what was pulled."""
    if pulled.commit is None:
        raise UserError(f"the hub did not say which commit it served for "
                        f"{release.source.describe()}; cannot pin it")
    return release.model_copy(update={
        "source": release.source.model_copy(update={"revision": pulled.commit}),
        "sha256": pulled.archive_sha256, "metadata_sha256": pulled.metadata_sha256,
        "n_tasks": pulled.n_tasks})


def refuse_installed_target(path: Path) -> None:
    """A registry inside an installed package is shared by the environment and replaced by the
    next upgrade: a pin written there would be silently lost, so it is never the default."""
    if {"site-packages", "dist-packages"} & set(path.resolve().parts):
        raise UserError(f"the entry comes from {path}, inside an installed package; pin into a "
                        "registry of your own: --registry FILE, then set "
                        "ABCBENCH_DATASET_REGISTRY=FILE so later pulls use it")


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines).rstrip() + "\n" if any(lines) else ""


def write_pin(path: Path, entry: DatasetEntry, version: DatasetVersion) -> None:
    """Replace (or add) `version` of `entry` in the registry file `path`."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data: Any = yaml.safe_load(text) or {}
    datasets = data.setdefault("datasets", [])
    new = version.model_dump(mode="json", exclude_none=True)
    for item in datasets:
        if item.get("name") == entry.name:
            versions = item.setdefault("versions", [])
            index = next((i for i, v in enumerate(versions)
                          if str(v.get("version")) == version.version), len(versions))
            versions[index:index + 1] = [new]
            break
    else:
        copy = entry.model_dump(mode="json", exclude_none=True)
        copy["versions"] = [new]
        copy["default_version"] = version.version
        datasets.append(copy)
    RegistryFile.model_validate(data)  # never write a file the registry would refuse
    body = _header(text) + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"cannot write the registry {path} ({exc.strerror}); pass --registry "
                        "FILE and name it in ABCBENCH_DATASET_REGISTRY") from None
