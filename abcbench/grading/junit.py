"""JUnit XML (as pytest writes it) to per-test outcomes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from abcbench.results.models import TestOutcome, TestResult

MAX_MESSAGE = 2000


class JUnitParseError(ValueError):
    pass


def parse_junit(xml_text: str) -> list[TestResult]:
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise JUnitParseError(f"unreadable JUnit XML: {exc}") from exc
    results: list[TestResult] = []
    for case in root.iter("testcase"):
        classname = case.get("classname", "")
        name = f"{classname}::{case.get('name', '?')}" if classname else case.get("name", "?")
        outcome, message = TestOutcome.passed, None
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": TestOutcome.failed, "error": TestOutcome.error,
                           "skipped": TestOutcome.skipped}[child.tag]
                text = (child.get("message") or "") + "\n" + (child.text or "")
                message = text.strip()[:MAX_MESSAGE] or None
                if outcome is not TestOutcome.skipped:
                    break
        time = case.get("time")
        results.append(TestResult(
            name=name,
            outcome=outcome,
            duration_sec=float(time) if time else None,
            message=message,
        ))
    return results
