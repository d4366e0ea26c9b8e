"""Fetch a dataset's files from the Hugging Face Hub (or a mirror named by HF_ENDPOINT).

The revision is resolved to a commit first and every file is then fetched at that commit, so
the archive and its metadata come from the same snapshot. Files land in huggingface_hub's own
cache (HF_HOME), where a dataset fetched before by other tools is reused.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from abcbench.datasets.registry import HubSource
from abcbench.errors import HarnessError, UserError

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class FetchedFile:
    path: Path
    #: The sha256 the hub declares for the file (its LFS object id), when it declares one.
    declared_sha256: str | None


@dataclass(frozen=True)
class Fetched:
    commit: str | None
    archive: FetchedFile
    metadata: FetchedFile | None


def _fetch_one(source: HubSource, filename: str, revision: str,
               endpoint: str | None) -> tuple[FetchedFile, str | None]:
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url

    url = hf_hub_url(source.repo_id, filename, repo_type=source.repo_type, revision=revision,
                     endpoint=endpoint)
    meta = get_hf_file_metadata(url)
    commit = meta.commit_hash or revision
    path = hf_hub_download(source.repo_id, filename, repo_type=source.repo_type,
                           revision=commit, endpoint=endpoint)
    etag = (meta.etag or "").strip('"').lower()
    return FetchedFile(Path(path), etag if SHA256_RE.match(etag) else None), meta.commit_hash


def fetch(source: HubSource) -> Fetched:
    """Download the archive (and metadata) of `source`; errors say what to do next."""
    from huggingface_hub.errors import (
        EntryNotFoundError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    endpoint = os.environ.get("HF_ENDPOINT") or None
    try:
        archive, commit = _fetch_one(source, source.archive, source.revision, endpoint)
        metadata = None
        if source.metadata:
            metadata, _ = _fetch_one(source, source.metadata, commit or source.revision,
                                     endpoint)
    except LocalEntryNotFoundError as exc:  # offline and not cached: not a missing file
        raise _unreachable(source, exc) from None
    except (RepositoryNotFoundError, RevisionNotFoundError, EntryNotFoundError) as exc:
        raise UserError(f"{source.describe()} not found on the hub: "
                        f"{_first_line(exc)}") from None
    except Exception as exc:  # the transport's errors differ between huggingface_hub versions
        raise _unreachable(source, exc) from None
    return Fetched(commit=commit, archive=archive, metadata=metadata)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _unreachable(source: HubSource, exc: BaseException) -> HarnessError:
    return HarnessError(f"cannot fetch {source.describe()} ({_first_line(exc)}); check the "
                        "network or HF_ENDPOINT, or download the archive yourself and pass "
                        "--dataset DIR")



def forget(fetched: FetchedFile) -> None:
    """Drop a downloaded file from the hub cache, so a corrupt copy is not reused."""
    blob = fetched.path.resolve()
    fetched.path.unlink(missing_ok=True)
    blob.unlink(missing_ok=True)
