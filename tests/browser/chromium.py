"""Headless Chromium for page tests: the DOM after the page's scripts ran, and screenshots.

Skipped without a `chromium` unless ABCBENCH_REQUIRE_BROWSER=1 (CI), where a missing browser
fails instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

needs_browser = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None and os.environ.get("ABCBENCH_REQUIRE_BROWSER") != "1",
                       reason="no chromium (apt-get install chromium)"),
]


def chromium(*args: str) -> str:
    assert CHROMIUM is not None, "ABCBENCH_REQUIRE_BROWSER=1 but chromium is not installed"
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args],
                          capture_output=True, text=True, timeout=60, check=True).stdout


def dump_dom(page: Path) -> str:
    """The page's DOM once loaded: what its scripts built, serialized."""
    return chromium("--dump-dom", page.as_uri())


def screenshot(page: Path, png: Path, size: str = "1200,900") -> Path:
    chromium(f"--screenshot={png}", f"--window-size={size}", page.as_uri())
    return png


def before_scripts(dom: str) -> str:
    """The DOM up to the page's data block: what a reader sees, without the page's own code."""
    return dom.split('<script id="data"', 1)[0]


def link(dom: str, cls: str, near: str) -> str:
    """The href of the first `<a class=cls>` after the text `near` in the DOM."""
    found = re.search(r'<a href="([^"]+)" class="' + re.escape(cls) + '"', dom[dom.index(near):])
    assert found, f"no {cls} link after {near!r}"
    return found.group(1)
