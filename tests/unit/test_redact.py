"""Secrets never reach a file: one redaction function, fed with every secret the run knows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.registry import parse_kv
from abcbench.cli.common import parse_agent_env
from abcbench.cli.main import app
from abcbench.errors import UserError
from abcbench.redact import (
    add_secrets,
    clear_secrets,
    redact,
    redact_model,
    redact_url_credentials,
    secrets_in_kwargs,
)
from abcbench.results.models import (
    AgentInfo,
    FailureClass,
    Provenance,
    RunManifest,
    RunSettings,
    TrialResult,
)
from abcbench.results.store import RunDir
from tests.conftest import NATIVE_FIXTURES

KEY = "sk-live-4f9a8b7c6d5e"


@pytest.fixture(autouse=True)
def fresh_secrets() -> Iterator[None]:
    clear_secrets()
    yield
    clear_secrets()


def test_redact_removes_every_form_of_a_secret() -> None:
    text = f'raw {KEY}, json "{json.dumps("a" + KEY + chr(10))[1:-1]}"'
    assert KEY not in redact(text, [KEY])
    assert redact("a\"b\\c-secret", ['a"b\\c-secret']) == "***"
    assert redact(json.dumps({"m": 'a"b\\c-secret'}), ['a"b\\c-secret']) == '{"m": "***"}'
    assert redact("x 1 y", ["1"]) == "x 1 y", "too short to redact"


def test_registered_secrets_are_redacted_everywhere() -> None:
    add_secrets([KEY])
    assert redact(f"failed with {KEY}") == "failed with ***"
    assert redact(f"failed with {KEY}", ["other-secret"]) == "failed with ***"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:s3cr3t-key@api.example.test/v1", "https://user:***@api.example.test/v1"),
        ("https://ghp_tokenvalue@host.test/x", "https://***@host.test/x"),
        ("https://host.test/v1?api-key=abcd1234&model=m", "https://host.test/v1?api-key=***&model=m"),
        ("https://host.test/?key=abcd1234", "https://host.test/?key=***"),
        ("https://h.test/p?sig=zzzz9999&Token=tttt8888#frag",
         "https://h.test/p?sig=***&Token=***#frag"),
        ("https://h.test/p?access_token=aaaa1111", "https://h.test/p?access_token=***"),
        ("http://localhost:8080/v1", "http://localhost:8080/v1"),
        ("https://h.test/p?page=2&q=key", "https://h.test/p?page=2&q=key"),
    ],
)
def test_url_credentials(url: str, expected: str) -> None:
    assert redact_url_credentials(url) == expected
    assert redact(f"error calling {url}: 401") == f"error calling {expected}: 401"


def test_credentials_found_in_kwargs() -> None:
    found = secrets_in_kwargs({"base_url": "https://bob:pa55word@h.test/v1?api-key=qwerty12",
                               "auth_token": "tok-12345", "api_key_env": "MY_KEY",
                               "step_limit": "100"})
    assert sorted(found) == ["pa55word", "qwerty12", "tok-12345"]


def test_redact_model_keeps_the_record_valid() -> None:
    result = TrialResult(run_id="r", trial_name="t__1", task_id="t", task_hash="h", attempt=1,
                         agent=AgentInfo(name="a", kwargs={"base_url": f"https://u:{KEY}@h/"}),
                         language="python", framework="f", task_type="logic", category="c",
                         failure_class=FailureClass.agent_error, error=f"boom {KEY}")
    add_secrets([KEY, "agent_error", "logic"])  # values that collide with schema values
    clean = redact_model(result)
    assert KEY not in clean.model_dump_json()
    assert clean.failure_class is FailureClass.agent_error
    assert TrialResult.model_validate_json(clean.model_dump_json()) == clean


def _result(error: str, **kwargs: str) -> TrialResult:
    return TrialResult(run_id="r", trial_name="t__1", task_id="t", task_hash="h", attempt=1,
                       agent=AgentInfo(name="a", kwargs=kwargs), language="python",
                       framework="f", task_type="logic", category="c",
                       failure_class=FailureClass.agent_error, error=error)


def test_result_json_never_holds_an_agent_env_value(tmp_path: Path) -> None:
    """Today: an --agent-env key in an exception message is written to result.json verbatim."""
    parse_agent_env([f"MY_API_KEY={KEY}"])
    RunDir(tmp_path).write_result(_result(f"the agent raised AuthError: bad key {KEY}"))
    text = (tmp_path / "trials" / "t__1" / "result.json").read_text()
    assert KEY not in text
    assert "bad key ***" in text


def test_run_json_never_holds_url_credentials(tmp_path: Path) -> None:
    """Today: `--agent-kwarg base_url=https://user:key@...` is stored verbatim in run.json."""
    url = "https://team:pa55-w0rd-xyz@gateway.test/v1?api-key=qk-998877"
    manifest = RunManifest(run_id="r", agent=AgentInfo(name="a", kwargs={"base_url": url}),
                           settings=RunSettings(tasks_dir="/t"),
                           provenance=Provenance(harness_version="0", python="3"))
    RunDir(tmp_path).write_manifest(manifest)
    text = (tmp_path / "run.json").read_text()
    assert "pa55-w0rd-xyz" not in text and "qk-998877" not in text
    assert "https://team:***@gateway.test/v1?api-key=***" in text
    # once seen, the credential is a run secret: an error quoting it alone is redacted too
    RunDir(tmp_path).write_result(_result("proxy said: password pa55-w0rd-xyz is wrong"))
    assert "pa55-w0rd-xyz" not in (tmp_path / "trials" / "t__1" / "result.json").read_text()


def test_agent_env_name_alone_takes_the_value_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABCBENCH_TEST_KEY", KEY)
    assert parse_agent_env(["ABCBENCH_TEST_KEY", "OTHER=v"]) == \
        {"ABCBENCH_TEST_KEY": KEY, "OTHER": "v"}
    assert redact(KEY) == "***", "values from the environment are run secrets too"


def test_agent_env_name_unset_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ABCBENCH_TEST_UNSET", raising=False)
    with pytest.raises(UserError, match="not set in your environment") as info:
        parse_agent_env(["ABCBENCH_TEST_UNSET"])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("given", ["OPENAI_API_KEYsk-live-4f9a8b7c6d5e",
                                   "OPENAI_API_KEY_SK_LIVE_4F9A8B7C6D5E",
                                   "sk-live:4f9a8b7c6d5e=x"])
def test_malformed_agent_env_never_echoes_the_value(given: str, tmp_path: Path) -> None:
    """Today: `--agent-env KEYvalue` prints the value back in the error."""
    result = CliRunner().invoke(app, ["run", "--agent", "nop", "--agent-env", given,
                                      "--tasks-dir", str(NATIVE_FIXTURES),
                                      "--output", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert "4f9a8b7c6d5e" not in result.output.upper().replace("4F9A8B7C6D5E", "4f9a8b7c6d5e")
    assert "--agent-env" in result.output
    assert result.output.strip().count("\n") == 0
    assert not (tmp_path / "runs").exists()


def test_recorded_kwargs_that_lost_a_credential_are_named(tmp_path: Path) -> None:
    from abcbench.redact import redacted_kwargs

    manifest = RunManifest(run_id="r", agent=AgentInfo(name="a", kwargs={
        "base_url": "https://u:pw-123456@h.test/v1", "step_limit": "100"}),
        settings=RunSettings(tasks_dir="/t"), provenance=Provenance(harness_version="0",
                                                                    python="3"))
    RunDir(tmp_path).write_manifest(manifest)
    recorded = RunDir(tmp_path).read_manifest().agent.kwargs
    assert redacted_kwargs(recorded) == ["base_url"]
    assert redacted_kwargs({"step_limit": "100"}) == []


def test_a_malformed_agent_kwarg_does_not_echo_url_credentials() -> None:
    with pytest.raises(UserError) as err:
        parse_kv(["https://user:hunter2pass@models.invalid/v1"], "--agent-kwarg")
    assert "hunter2pass" not in str(err.value)
    assert "KEY=VALUE" in str(err.value)
