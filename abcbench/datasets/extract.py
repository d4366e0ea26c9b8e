"""Unpack a downloaded dataset archive without trusting it (datasets are input, not code).

The one safe extraction (`abcbench.sandbox.archive`) in its check-all-first mode: every member
is judged before anything is written, so a corrupt or hostile archive is refused whole, with
nothing unpacked. This module only opens the file and says what a refusal means to the user.
"""

from __future__ import annotations

import gzip
import tarfile
import zlib
from pathlib import Path

from abcbench.errors import UserError
from abcbench.sandbox.archive import UnsafeMember, safe_extract
from abcbench.sandbox.base import ExportTooLarge

MAX_UNPACKED_BYTES = 16 * 1024**3
MAX_UNPACKED_FILES = 2_000_000


class UnsafeArchive(UserError):
    """The archive is corrupt or holds a member that would land outside its destination."""


def unpack_archive(archive: Path, dest: Path, max_bytes: int = MAX_UNPACKED_BYTES,
                   max_files: int = MAX_UNPACKED_FILES) -> None:
    """Unpack the tar archive `archive` (any compression tarfile reads) into `dest`, whole or
    not at all."""
    try:
        with tarfile.open(archive) as tar:
            safe_extract(tar, dest, max_bytes=max_bytes, max_files=max_files, check_first=True)
    except UnsafeMember as exc:
        raise UnsafeArchive(f"{archive.name}: {exc}; refused, nothing unpacked") from None
    except ExportTooLarge as exc:
        raise UnsafeArchive(f"{archive.name} would unpack to {exc}, over the limit; "
                            "refused, nothing unpacked") from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise UnsafeArchive(f"{archive.name} is not a readable tar archive ({exc}): the "
                            "download is corrupt or incomplete; pull it again") from None
