"""Drafts from `tasks record` must pass against the reference they were recorded from, also when
the service hands out tokens, echoes saved values inside strings, nests lists that other tests
change, and wants a token in a format the scenario derives (base64 of a saved value).

The fixture service runs on loopback; the draft is run with pytest against a service that has
already served other tests (as an order-independent test suite must tolerate).
"""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest

from abcbench.errors import UserError
from abcbench.tasks import record_client
from abcbench.tasks.scenario import load_scenario, plan_for, render_tests
from tests.authoring_helpers import serving


class _Accounts(BaseHTTPRequestHandler):
    users: ClassVar[dict[int, dict[str, Any]]] = {}
    lock = threading.Lock()

    def log_message(self, *_args: object) -> None:
        pass

    def _send(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _by_token(self) -> dict[str, Any] | None:
        value = self.headers.get("Authorization", "")
        return next((u for u in self.users.values() if value == f"Token {u['token']}"), None)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            uid = len(self.users) + 1
            user = {"id": uid, "name": body["name"], "token": secrets.token_hex(8),
                    "created_at": time.time(), "tags": [body["name"], "new"]}
            self.users[uid] = user
        self._send(201, {**user, "message": f"user {uid} created"})

    def do_GET(self) -> None:
        if self.path == "/me":
            user = self._by_token()
            if user is None:
                return self._send(401, {"error": "no token"})
            return self._send(200, {"id": user["id"], "greeting": f"hello {user['name']}",
                                    "profile": {"tags": user["tags"], "seen": time.time()}})
        if self.path == "/users":
            return self._send(200, {"kind": "list", "count": len(self.users),
                                    "users": [{"id": u["id"]} for u in self.users.values()]})
        if self.path.startswith("/vault/"):
            uid = int(self.path.split("/")[-1])
            expected = base64.b64encode(str(uid).encode()).decode()
            if self.headers.get("X-Key") != expected:
                return self._send(403, {"error": "bad key"})
            return self._send(200, {"owner": uid, "note": f"vault of user {uid}"})
        self._send(404, {"error": "no route"})


@pytest.fixture
def accounts_url() -> Iterator[str]:
    _Accounts.users = {}
    with serving(_Accounts) as url:
        yield url


SCENARIO = """
tests:
  - name: token in a header
    steps:
      - {method: POST, path: /users, json: {name: ada}, save: {token: token, user_id: id}}
      - {method: GET, path: /me, headers: {Authorization: "Token {token}"}}
  - name: base64 key
    steps:
      - {method: POST, path: /users, json: {name: bob}, save: {user_id: id}}
      - {method: GET, path: "/vault/{user_id}", headers: {X-Key: "{user_id|base64}"}}
requests:
  - {name: listing, method: GET, path: /users}
  - {name: no token, method: GET, path: /me}
"""


def _record(tmp_path: Path, url: str, scenario: str) -> str:
    (tmp_path / "scenario.yaml").write_text(scenario)
    tests = load_scenario(tmp_path / "scenario.yaml").all_tests()
    (tmp_path / "plan.json").write_text(plan_for(tests, url))
    rounds = []
    for _ in range(2):  # as `tasks record` does: twice, to tell stable values from volatile
        done = subprocess.run([sys.executable, record_client.__file__,
                               str(tmp_path / "plan.json")],
                              capture_output=True, text=True, timeout=60, check=True)
        rounds.append(json.loads(done.stdout))
    return render_tests(tests, rounds[0], "scenario.yaml", repeat=rounds[1])


def _run_draft(tmp_path: Path, draft: str, url: str) -> subprocess.CompletedProcess[str]:
    test_file = tmp_path / "tests" / "test_functional.py"
    test_file.parent.mkdir(exist_ok=True)
    test_file.write_text(draft)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(test_file)], capture_output=True, text=True, timeout=120,
                          env={"SERVICE_URL": url, "PATH": "/usr/bin:/bin"})


def test_saved_values_reach_headers_strings_and_derived_tokens(tmp_path: Path,
                                                               accounts_url: str) -> None:
    draft = _record(tmp_path, accounts_url, SCENARIO)
    assert "'Authorization': f'Token {token}'" in draft
    assert "base64.b64encode(str(user_id).encode()).decode()" in draft
    assert "f'user {user_id} created'" not in draft  # saved after that answer: type only
    assert "body['note'] == f'vault of user {user_id}'" in draft
    assert "body['greeting'] == 'hello ada'" in draft
    run = _run_draft(tmp_path, draft, accounts_url)
    assert run.returncode == 0, draft + run.stdout + run.stderr
    assert "4 passed" in run.stdout


def test_volatile_values_nested_in_objects_are_asserted_by_type(tmp_path: Path,
                                                                accounts_url: str) -> None:
    draft = _record(tmp_path, accounts_url, SCENARIO)
    assert "body['kind'] == 'list'" in draft
    assert "isinstance(body['count'], int)" in draft
    assert "isinstance(body['users'], list)" in draft
    assert "body['profile']['tags'] == ['ada', 'new']" in draft
    assert "isinstance(body['profile']['seen'], float)" in draft
    # run twice more against the same, now busier, service: still order- and state-independent
    for _ in range(2):
        run = _run_draft(tmp_path, draft, accounts_url)
        assert run.returncode == 0, draft + run.stdout + run.stderr


def test_unknown_transform_and_unsaved_names_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('requests: [{name: x, method: GET, path: /a, headers: {K: "{t|rot13}"}}]')
    with pytest.raises(UserError, match="rot13"):
        load_scenario(bad)
