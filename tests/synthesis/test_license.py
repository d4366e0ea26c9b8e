"""License detection: SPDX ids from license texts and manifests; only permissive ones pass
unless allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abcbench.synthesis.license import (
    NONE,
    LicenseInfo,
    classify_text,
    detect_license,
    license_allowed,
)
from tests.synthesis.scripts import FIXTURES

APACHE = """                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/
   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"""
BSD3 = """Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:
3. Neither the name of the copyright holder nor the names of its contributors may be used"""
BSD2 = """Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:"""
GPL3 = """                    GNU GENERAL PUBLIC LICENSE
                       Version 3, 29 June 2007"""
AGPL = "GNU AFFERO GENERAL PUBLIC LICENSE\n Version 3, 19 November 2007"
LGPL = "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999"
ISC = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies."""
ZERO_BSD = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES. IN NO EVENT SHALL"""
UNLICENSE = "This is free and unencumbered software released into the public domain."
MPL = "Mozilla Public License Version 2.0\n=================================="


@pytest.mark.parametrize("text,spdx", [
    (APACHE, "Apache-2.0"), (BSD3, "BSD-3-Clause"), (BSD2, "BSD-2-Clause"),
    (GPL3, "GPL-3.0"), (AGPL, "AGPL-3.0"), (LGPL, "LGPL-2.1"), (ISC, "ISC"),
    (ZERO_BSD, "0BSD"), (UNLICENSE, "Unlicense"), (MPL, "MPL-2.0"),
    ((FIXTURES / "python-notes" / "LICENSE").read_text(), "MIT"),
    ("All rights reserved.", None),
])
def test_classify_text(text: str, spdx: str | None) -> None:
    assert classify_text(text) == spdx


@pytest.mark.parametrize("fixture", ["python-notes", "go-notes"])
def test_the_fixtures_are_mit(fixture: str) -> None:
    info = detect_license(FIXTURES / fixture)
    assert info == LicenseInfo(spdx="MIT", file="LICENSE") and info.permissive


def test_manifest_fields_are_the_fallback(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"name": "x", "license": "mit"}))
    assert detect_license(tmp_path).spdx == "MIT"
    other = tmp_path / "py"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "x"\nlicense = {text = "GPL-3.0"}\n')
    assert detect_license(other) == LicenseInfo(spdx="GPL-3.0", file="pyproject.toml")
    rust = tmp_path / "rs"
    rust.mkdir()
    (rust / "Cargo.toml").write_text('[package]\nname = "x"\nlicense = "Apache-2.0"\n')
    assert detect_license(rust).spdx == "Apache-2.0"


def test_no_license_and_a_broken_manifest_are_none(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text("{not json")
    (tmp_path / "LICENSE").write_text("Proprietary. All rights reserved.")
    assert detect_license(tmp_path).spdx == NONE


def test_a_symlinked_license_is_not_read(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere"
    real.write_text(APACHE)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "LICENSE").symlink_to(real)
    assert detect_license(repo).spdx == NONE


def test_only_permissive_licenses_pass_unless_allowed() -> None:
    assert license_allowed(LicenseInfo(spdx="MIT"), [])
    assert license_allowed(LicenseInfo(spdx="BSD-3-Clause"), [])
    assert not license_allowed(LicenseInfo(spdx="GPL-3.0"), [])
    assert not license_allowed(LicenseInfo(spdx=NONE), [])
    assert license_allowed(LicenseInfo(spdx="GPL-3.0"), ["gpl-3.0"])
    assert license_allowed(LicenseInfo(spdx=NONE), ["NONE"])
    assert not license_allowed(LicenseInfo(spdx="AGPL-3.0"), ["GPL-3.0"])
