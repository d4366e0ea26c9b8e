"""Run the hidden tests in the tester container and read their outcomes back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from abcbench.grading.junit import JUnitParseError, parse_junit
from abcbench.grading.pytest_summary import parse_pytest_summary
from abcbench.results.models import TestResult
from abcbench.sandbox.base import SandboxFileNotFound
from abcbench.sandbox.container import DockerContainer

TESTS_DIR = "/tests"
JUNIT_PATH = "/results/junit.xml"


@dataclass(frozen=True)
class TestRun:
    tests: list[TestResult]
    timed_out: bool
    exit_code: int
    evidence: str
    """How the outcomes were read: junit, summary, or none (the suite left no trace)."""


def run_hidden_tests(
    tester: DockerContainer,
    tests_dir: Path,
    service_url: str,
    timeout_sec: float,
    log_path: Path,
    junit_path: Path,
) -> TestRun:
    tester.copy_in(tests_dir, TESTS_DIR)
    tester.exec(["mkdir", "-p", "/results"], timeout=30)
    result = tester.exec(
        ["python3", "-m", "pytest", TESTS_DIR, "-rA", "-p", "no:cacheprovider",
         f"--junitxml={JUNIT_PATH}", "-o", "junit_family=xunit2"],
        timeout=timeout_sec,
        cwd=TESTS_DIR,
        env={"SERVICE_URL": service_url, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(
        f"$ pytest (exit {result.exit_code}{', timed out' if result.timed_out else ''})\n"
        f"{result.stdout}\n{result.stderr}",
        encoding="utf-8",
    )
    tests: list[TestResult] = []
    evidence = "none"
    try:
        xml = tester.read_file(JUNIT_PATH).decode("utf-8", errors="replace")
        junit_path.write_text(xml, encoding="utf-8")
        tests = parse_junit(xml)
        evidence = "junit"
    except (SandboxFileNotFound, JUnitParseError):
        tests = parse_pytest_summary(result.stdout)
        evidence = "summary" if tests else "none"
    return TestRun(tests=tests, timed_out=result.timed_out, exit_code=result.exit_code,
                   evidence=evidence)
