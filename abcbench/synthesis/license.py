"""Which license a repository is under, as an SPDX id, and whether synthesis may use it.

The license file's text is normalised (case, punctuation, whitespace) and matched against the
distinctive clauses of each known license; a package manifest's own license field (parsed with
its format's parser) is the fallback. No license found means no permission: it is refused like a
copyleft one unless the user allows it.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel

LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "COPYING",
                 "COPYING.md", "LICENSE-MIT", "UNLICENSE")
MAX_LICENSE_BYTES = 256 * 1024
NONE = "NONE"

PERMISSIVE = frozenset({"MIT", "MIT-0", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC",
                        "0BSD", "Unlicense", "Zlib", "CC0-1.0", "BSL-1.0", "PostgreSQL"})

# (SPDX id, clauses that must all appear in the normalised text), most specific first.
FINGERPRINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("AGPL-3.0", ("gnu affero general public license",)),
    ("LGPL-3.0", ("gnu lesser general public license", "version 3")),
    ("LGPL-2.1", ("gnu lesser general public license", "version 2 1")),
    ("GPL-3.0", ("gnu general public license", "version 3")),
    ("GPL-2.0", ("gnu general public license", "version 2")),
    ("MPL-2.0", ("mozilla public license", "2 0")),
    ("Apache-2.0", ("apache license", "version 2 0")),
    ("BSL-1.0", ("boost software license",)),
    ("Unlicense", ("this is free and unencumbered software released into the public domain",)),
    ("CC0-1.0", ("cc0 1 0 universal",)),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms",
                      "neither the name of")),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",)),
    ("MIT-0", ("permission is hereby granted free of charge",
               "to do so without restriction")),
    ("MIT", ("permission is hereby granted free of charge",
             "the above copyright notice and this permission notice shall be included")),
    ("0BSD", ("permission to use copy modify and or distribute this software for any purpose "
              "with or without fee is hereby granted", "in no event shall")),
    ("ISC", ("permission to use copy modify and or distribute this software for any purpose",
             "provided that the above copyright notice and this permission notice appear")),
    ("Zlib", ("this software is provided as is without any express or implied warranty",
              "altered source versions must be plainly marked as such")),
)


class LicenseInfo(BaseModel):
    spdx: str
    """An SPDX id, or NONE when nothing was found."""
    file: str | None = None
    """The file it was read from (relative to the repository root)."""

    @property
    def permissive(self) -> bool:
        return self.spdx in PERMISSIVE


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def classify_text(text: str) -> str | None:
    """The SPDX id whose clauses the license text holds, or None."""
    norm = normalise(text)
    if "0bsd" not in norm and "without fee is hereby granted" in norm \
            and "provided that the above copyright notice" not in norm \
            and "permission to use copy modify and or distribute" in norm:
        return "0BSD"
    for spdx, clauses in FINGERPRINTS:
        if all(clause in norm for clause in clauses):
            return spdx
    return None


def _manifest_license(repo: Path) -> tuple[str, str] | None:
    """The license a package manifest declares (its own field, parsed by its format)."""
    try:
        data = json.loads((repo / "package.json").read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("license"), str):
            return data["license"], "package.json"
    except (OSError, ValueError):
        pass
    for name, keys in (("pyproject.toml", ("project", "license")),
                       ("Cargo.toml", ("package", "license"))):
        try:
            data = tomllib.loads((repo / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        value: object = data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict):
            value = value.get("text")
        if isinstance(value, str) and value.strip():
            return value.strip(), name
    return None


def detect_license(repo: Path) -> LicenseInfo:
    """The repository's license from its root license file, else its package manifest."""
    for name in LICENSE_FILES:
        path = repo / name
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                text = fh.read(MAX_LICENSE_BYTES).decode("utf-8", errors="replace")
            spdx = classify_text(text)
            if spdx is not None:
                return LicenseInfo(spdx=spdx, file=name)
    declared = _manifest_license(repo)
    if declared is not None:
        known = {s.lower(): s for s in PERMISSIVE | {f for f, _ in FINGERPRINTS}}
        return LicenseInfo(spdx=known.get(declared[0].lower(), declared[0]), file=declared[1])
    return LicenseInfo(spdx=NONE)


def license_allowed(info: LicenseInfo, allowed: list[str]) -> bool:
    """Permissive licenses pass; any other only when the user named it (`--allow-license`)."""
    return info.permissive or info.spdx.lower() in {a.lower() for a in allowed}
