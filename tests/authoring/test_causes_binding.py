"""A service that listens on 127.0.0.1 only is a port/binding failure, whatever words its
framework uses to say so (issue 12, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.results.causes import Cause, classify
from abcbench.results.models import AgentInfo, FailureClass, TrialLogs, TrialResult

REFUSED = ("the service did not answer on port 8080 within 120s (not ready: URLError: "
           "<urlopen error [Errno 111] Connection refused>)")


def start_failure(tmp_path: Path, service_log: str, error: str = REFUSED) -> Cause | None:
    (tmp_path / "logs").mkdir(exist_ok=True)
    (tmp_path / "logs" / "service.log").write_text(service_log)
    result = TrialResult(
        run_id="r", trial_name="t__1", task_id="t", task_hash="h", attempt=1,
        agent=AgentInfo(name="x"), language="python", framework="f", task_type="environment",
        category="c", failure_class=FailureClass.service_did_not_start, error=error,
        logs=TrialLogs(service="logs/service.log"),
    )
    return classify(result, tmp_path)


@pytest.mark.parametrize("log", [
    " * Serving Flask app 'app'\n * Running on http://127.0.0.1:5000\nPress CTRL+C to quit",
    "INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
    "* Listening on http://127.0.0.1:9292\nUse Ctrl-C to stop",
    "Server listening at http://localhost:3000",
    "[Sat] PHP 8.4 Development Server (http://127.0.0.1:8000) started",
    "2026/11/29 listening on localhost:8080",
    "Now listening on: http://localhost:5000",
])
def test_loopback_only_service_is_port_or_binding(tmp_path: Path, log: str) -> None:
    assert start_failure(tmp_path, log) is Cause.port_or_binding


def test_refused_port_with_a_silent_log_is_port_or_binding(tmp_path: Path) -> None:
    assert start_failure(tmp_path, "") is Cause.port_or_binding


def test_a_crash_keeps_its_own_cause(tmp_path: Path) -> None:
    crash = "Traceback (most recent call last):\nModuleNotFoundError: No module named 'flask'"
    assert start_failure(tmp_path, crash, "the service container exited (exit code 1) before "
                         "answering on port 8080") is Cause.missing_dependency
