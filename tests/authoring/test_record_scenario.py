"""`tasks record` without Docker: a scenario sent by the recording client to the fixture service
on loopback, rendered into draft tests that then pass against the same service."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.tasks import record_client
from abcbench.tasks.scenario import load_scenario, plan_for, render_tests
from tests.authoring_helpers import serving
from tests.conftest import NATIVE_FIXTURES

SCENARIO = """
tests:
  - name: create then fetch
    steps:
      - {method: POST, path: /quotes, json: {text: recorded, author: ada}, save: {quote_id: id}}
      - {method: GET, path: "/quotes/{quote_id}"}
requests:
  - {name: Unknown id is 404, method: GET, path: /quotes/999999}
  - {name: empty text, method: POST, path: /quotes, json: {text: ""}}
  - {name: list, method: GET, path: /quotes}
"""


@pytest.fixture
def quotes_url() -> Iterator[str]:
    sys.path.insert(0, str(NATIVE_FIXTURES / "_repos" / "quotes"))
    try:
        server_module = importlib.import_module("server")
    finally:
        sys.path.pop(0)
    try:
        with serving(server_module.Handler) as url:
            yield url
    finally:
        sys.modules.pop("server", None)
        sys.modules.pop("store", None)


def test_recorded_draft_passes_against_the_recorded_service(tmp_path: Path,
                                                            quotes_url: str) -> None:
    (tmp_path / "scenario.yaml").write_text(SCENARIO)
    tests = load_scenario(tmp_path / "scenario.yaml").all_tests()
    (tmp_path / "plan.json").write_text(plan_for(tests, quotes_url))
    rounds = []
    for _ in range(2):
        done = subprocess.run([sys.executable, record_client.__file__,
                               str(tmp_path / "plan.json")],
                              capture_output=True, text=True, timeout=60, check=True)
        rounds.append(json.loads(done.stdout))
    answers = rounds[0]
    assert [s["status"] for a in answers for s in a["steps"]] == [201, 200, 404, 400, 200]
    draft = render_tests(tests, answers, "scenario.yaml", repeat=rounds[1])
    assert "def test_create_then_fetch():" in draft
    assert "def test_unknown_id_is_404():" in draft
    assert "assert isinstance(body['id'], int)" in draft
    assert "quote_id = r.json()['id']" in draft
    assert "f'{URL}/quotes/{quote_id}'" in draft
    assert "assert body['id'] == quote_id" in draft
    assert "assert r.status_code == 400" in draft
    test_file = tmp_path / "tests" / "test_functional.py"
    test_file.parent.mkdir()
    test_file.write_text(draft)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(test_file)], capture_output=True, text=True, timeout=120,
                         env={"SERVICE_URL": quotes_url, "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout


def test_bad_scenarios_are_one_line_user_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    for text, needle in (("tests: [{name: x, steps: [{method: FETCH, path: /a}]}]", "method"),
                         ("requests: [{name: x, method: GET, path: a}]", "path"),
                         ("{}", "nothing to record"), ("a: [", "not valid YAML")):
        bad.write_text(text)
        with pytest.raises(UserError, match=needle):
            load_scenario(bad)
