"""The failure-cause rules, on logs as the stages leave them."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.results.causes import Cause, classify
from abcbench.results.models import AgentInfo, FailureClass, TrialLogs, TrialResult


def failed(tmp_path: Path, failure: FailureClass, log: str, text: str) -> Cause | None:
    (tmp_path / "logs").mkdir(exist_ok=True)
    (tmp_path / "logs" / f"{log}.log").write_text(text)
    result = TrialResult(
        run_id="r", trial_name="t__1", task_id="t", task_hash="h", attempt=1,
        agent=AgentInfo(name="x"), language="go", framework="f", task_type="environment",
        category="c", failure_class=failure, logs=TrialLogs(**{log: f"logs/{log}.log"}),
    )
    return classify(result, tmp_path)


@pytest.mark.parametrize(
    ("failure", "log", "text", "cause"),
    [
        (FailureClass.build_failed, "build", "COPY failed: file not found in build context",
         Cause.missing_path_or_entrypoint),
        (FailureClass.build_failed, "build", "E: Unable to locate package nodejs-foo",
         Cause.missing_dependency),
        (FailureClass.build_failed, "build", "src/Main.java:12: error: ';' expected\n"
         "The command '/bin/sh -c javac' returned a non-zero code: 1", Cause.compilation_error),
        (FailureClass.build_failed, "build", "Dockerfile parse error line 3: unknown instruction",
         Cause.syntax_error),
        (FailureClass.service_did_not_start, "service", "ModuleNotFoundError: No module 'x'",
         Cause.missing_dependency),
        (FailureClass.service_did_not_start, "service", "  File \"app.py\", line 3\n"
         "SyntaxError: invalid syntax", Cause.syntax_error),
        (FailureClass.service_did_not_start, "service", "Error: Could not find or load main "
         "class com.acme.App", Cause.missing_path_or_entrypoint),
        (FailureClass.service_did_not_start, "service", "listening on 127.0.0.1:8080",
         Cause.port_or_binding),
        (FailureClass.tests_failed, "tests", "assert 404 == 200", Cause.logic_error),
        (FailureClass.build_failed, "build", "something odd", Cause.other),
    ],
)
def test_rules(tmp_path: Path, failure: FailureClass, log: str, text: str,
               cause: Cause) -> None:
    assert failed(tmp_path, failure, log, text) is cause
