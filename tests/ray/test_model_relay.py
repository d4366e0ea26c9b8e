"""Keys stay on the driver under `--executor ray`, without Ray or Docker: the driver's relay
swaps the run token for the key (and refuses anything else), a node's gateway session that holds
the run token goes through the relay and meters what the provider reported, and nothing the
executor hands to a Ray task carries the key. Real HTTP: the scripted model server, the real
gateway and relay listeners on loopback."""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.agents.oracle import OracleAgent
from abcbench.agents.tool_agent import ToolCallingAgent
from abcbench.errors import ModelEndpointUnavailable, UserError
from abcbench.gateway.lease import close_trial, gateway_settings, open_trial, raise_if_outage
from abcbench.gateway.relay import RelayRoute, UpstreamRelay, relayed, route_for
from abcbench.gateway.session import EXCHANGES_FILE
from abcbench.gateway.usage import StreamMeter
from abcbench.llm.pricing import load_price_table
from abcbench.results.models import AgentInfo
from abcbench.run.executors import keys
from abcbench.run.executors.keys import Relays, relay_address, without_key
from abcbench.tasks.registry import TaskRegistry
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep
from abcbench.trial import TrialSpec
from tests.conftest import NATIVE_FIXTURES

SECRET = "sk-driver-only-NEVER-ON-A-NODE-4b3a2c1d"
USAGE = UsageStep(prompt_tokens=1234, completion_tokens=56, cached_tokens=7)
CHAT = {"model": "scripted-model", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with ModelServer(Script(steps=[Step(content="hello", usage=USAGE)] * 8),
                     host="127.0.0.1") as model_server:
        yield model_server


@pytest.fixture
def relay(server: ModelServer) -> Iterator[UpstreamRelay]:
    upstream = UpstreamRelay(Endpoint(base_url=server.base_url, api_key=SECRET), "127.0.0.1")
    try:
        yield upstream
    finally:
        upstream.close()


def test_the_relay_puts_the_key_where_the_caller_put_the_run_token(
        server: ModelServer, relay: UpstreamRelay) -> None:
    bearer = httpx.post(f"{relay.url}/v1/chat/completions", json=CHAT, timeout=30,
                        headers={"Authorization": f"Bearer {relay.token}"})
    streamed = httpx.post(f"{relay.url}/v1/chat/completions", timeout=30,
                          json={**CHAT, "stream": True, "stream_options": {"include_usage": True}},
                          headers={"Authorization": f"Bearer {relay.token}"})
    anthropic = httpx.post(f"{relay.url}/v1/messages", timeout=30,
                           json={"model": "m", "max_tokens": 9, "messages": CHAT["messages"]},
                           headers={"x-api-key": relay.token, "anthropic-version": "2023-06-01"})
    assert bearer.status_code == streamed.status_code == anthropic.status_code == 200
    assert bearer.json()["usage"]["prompt_tokens"] == USAGE.prompt_tokens
    assert streamed.headers["content-type"].startswith("text/event-stream")
    meter = StreamMeter()
    meter.feed(streamed.content)
    meter.close()
    assert meter.usage() is not None and meter.usage().input_tokens == USAGE.prompt_tokens
    assert anthropic.json()["usage"]["input_tokens"] > 0
    seen = server.requests
    assert [r.headers.get("authorization") for r in seen[:2]] == [f"Bearer {SECRET}"] * 2
    assert seen[2].headers.get("x-api-key") == SECRET
    assert "authorization" not in seen[2].headers
    assert all(relay.token not in json.dumps(r.headers) for r in seen)


def test_the_route_names_the_provider_without_credentials() -> None:
    relay = UpstreamRelay(Endpoint(base_url="https://user:pw@p.example/v1?api-key=k",
                                   api_key=SECRET), "127.0.0.1")
    try:
        assert relay.route.upstream == "https://p.example/v1"
        assert "pw" not in repr(relay.route) and relay.token not in repr(relay.route)
    finally:
        relay.close()


def test_the_relay_refuses_other_tokens_and_paths(server: ModelServer,
                                                  relay: UpstreamRelay) -> None:
    wrong = httpx.post(f"{relay.url}/v1/chat/completions", json=CHAT, timeout=30,
                       headers={"Authorization": f"Bearer {SECRET}"})
    missing = httpx.post(f"{relay.url}/v1/chat/completions", json=CHAT, timeout=30)
    off_path = httpx.get(f"{relay.url}/admin", timeout=30,
                         headers={"Authorization": f"Bearer {relay.token}"})
    assert (wrong.status_code, missing.status_code, off_path.status_code) == (401, 401, 404)
    assert server.requests == []


def test_a_provider_the_driver_cannot_reach_is_a_502_the_node_retries() -> None:
    with ModelServer(Script(steps=[]), host="127.0.0.1") as gone:
        url = gone.base_url
    relay = UpstreamRelay(Endpoint(base_url=url, api_key=SECRET), "127.0.0.1")
    try:
        answer = httpx.post(f"{relay.url}/v1/chat/completions", json=CHAT, timeout=30,
                            headers={"Authorization": f"Bearer {relay.token}"})
    finally:
        relay.close()
    assert answer.status_code == 502
    assert "could not be reached from the driver" in answer.json()["error"]["message"]


def test_a_node_session_holding_the_run_token_meters_through_the_relay(
        server: ModelServer, relay: UpstreamRelay, tmp_path: Path) -> None:
    route = relay.route
    node_endpoint = Endpoint(base_url="https://node-default.invalid/v1", api_key=route.token)
    settings = gateway_settings({"retry_attempts": "1"})
    prices = load_price_table(None)
    assert route_for(route.token) is None  # registered only while an attempt runs
    with relayed(route):
        session = open_trial(node_endpoint, "scripted-model", prices, [route.token], settings,
                             tmp_path, None)
        try:
            for stream in (False, True):
                reply = httpx.post(f"{session.base_url}/v1/chat/completions", timeout=30,
                                   json={**CHAT, "stream": stream},
                                   headers={"Authorization": f"Bearer {session.token}"})
                assert reply.status_code == 200, reply.text
        finally:
            summary = close_trial(session)
    assert route_for(route.token) is None
    assert summary.usage.input_tokens == server.usage_total.prompt_tokens == 2 * 1234
    assert summary.usage.output_tokens == server.usage_total.completion_tokens
    assert summary.upstream == server.base_url  # the provider, as the driver resolved it
    assert {r.headers.get("authorization") for r in server.requests} == {f"Bearer {SECRET}"}
    records = (tmp_path / EXCHANGES_FILE).read_text()
    assert route.token not in records and SECRET not in records and session.token not in records


def spec_of(agent: type, env: dict[str, str], **kwargs: str) -> TrialSpec:
    task = TaskRegistry.from_dir(NATIVE_FIXTURES).get("fx-quotes-logic")
    return TrialSpec(run_id="raygw-unit", task=task, attempt=1, agent_cls=agent,
                     agent_info=AgentInfo(name=agent.name, model="scripted-model",
                                          kwargs=kwargs, env_keys=sorted(env)),
                     agent_env=env)


def test_a_node_spec_holds_the_run_token_wherever_the_key_was(
        server: ModelServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    relays = Relays("127.0.0.1")
    try:
        spec = spec_of(ToolCallingAgent, {"OPENAI_API_KEY": SECRET, "ALSO": SECRET, "X": "y"},
                       base_url=server.base_url)
        node_spec, route = relays.node_spec(spec)
        assert route is not None and SECRET.encode() not in pickle.dumps((node_spec, route))
        assert node_spec.agent_env == {"OPENAI_API_KEY": route.token, "ALSO": route.token,
                                       "X": "y"}
        assert node_spec.agent_info == spec.agent_info  # what result.json records is unchanged
        again, same = relays.node_spec(spec)  # one relay per provider and run
        assert same == route and again.agent_env == node_spec.agent_env

        # a key from the driver's own environment: the node gets the token under its name
        monkeypatch.setenv("OPENAI_API_KEY", SECRET)
        from_env, env_route = relays.node_spec(spec_of(ToolCallingAgent, {},
                                                       base_url=server.base_url))
        assert env_route == route and from_env.agent_env == {"OPENAI_API_KEY": route.token}

        oracle = spec_of(OracleAgent, {"SOME": SECRET})
        assert relays.node_spec(oracle) == (oracle, None)
    finally:
        relays.close()


def test_without_key_covers_a_renamed_key_variable() -> None:
    spec = spec_of(ToolCallingAgent, {"MY_KEY": SECRET}, api_key_env="MY_KEY")
    endpoint = keys.provider_of(spec)
    assert endpoint is not None and endpoint.key_var == "MY_KEY" and endpoint.api_key == SECRET
    route = RelayRoute(url="http://127.0.0.1:1", token="abcbench-run-t", upstream="u")
    assert without_key(spec, endpoint, route).agent_env == {"MY_KEY": "abcbench-run-t"}


@pytest.mark.parametrize(("value", "expected"), [
    ("", ("10.0.0.1", 0)), ("10.1.2.3", ("10.1.2.3", 0)), ("0.0.0.0:7000", ("0.0.0.0", 7000)),
    ("[fd00::1]:7001", ("fd00::1", 7001)), ("fd00::2", ("fd00::2", 0))])
def test_the_relay_address_setting(value: str, expected: tuple[str, int],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.RELAY_ENV, value)
    assert relay_address("10.0.0.1") == expected


def test_a_wildcard_relay_advertises_the_drivers_ray_address(server: ModelServer) -> None:
    relay = UpstreamRelay(Endpoint(base_url=server.base_url), "0.0.0.0", advertise="127.0.0.1")
    try:
        assert relay.url.startswith("http://127.0.0.1:")
        answer = httpx.post(f"{relay.url}/v1/chat/completions", json=CHAT, timeout=30,
                            headers={"Authorization": f"Bearer {relay.token}"})
        assert answer.status_code == 200
        assert "authorization" not in server.requests[0].headers  # no key: none is added
    finally:
        relay.close()


class _CapturedRemote:
    """`attempt_on_node.options(...).remote(...)`, recording what would be pickled to a node."""

    def __init__(self) -> None:
        self.args: list[Any] = []

    def options(self, **_options: Any) -> _CapturedRemote:
        return self

    def remote(self, *args: Any) -> object:
        self.args.append(args)
        return object()


def test_nothing_the_executor_sends_to_a_node_holds_the_key(server: ModelServer) -> None:
    """The Ray task's arguments (the spec, the task files, the route) are what travels to a
    node: on the executor before the relay, the spec carried the key in `agent_env`."""
    ray = pytest.importorskip("ray")
    from abcbench.run.executors import ray_cluster

    captured = _CapturedRemote()

    class FakeRay:
        exceptions = ray.exceptions

        @staticmethod
        def wait(refs: list[Any], timeout: float) -> tuple[list[Any], list[Any]]:
            return refs, []

        @staticmethod
        def get(_ref: object) -> None:
            raise ray.exceptions.TaskCancelledError()

        @staticmethod
        def put(value: object) -> object:
            return value

        @staticmethod
        def is_initialized() -> bool:
            return False

    class FakeNode:
        SLOT = "abcbench_slots"
        attempt_on_node = captured

        @staticmethod
        def task_archive(_task: object) -> tuple[bytes, str]:
            return b"files", "task"

    class FakeFeed:
        relay = object()

        def watch(self, *_a: object) -> None: ...
        def unwatch(self, *_a: object) -> None: ...
        def close(self) -> None: ...

    executor = ray_cluster.RayExecutor("127.0.0.1:1")
    executor.ray, executor.node = FakeRay, FakeNode
    executor._feed = FakeFeed()  # type: ignore[assignment]
    executor._relays = Relays("127.0.0.1")
    try:
        spec = spec_of(ToolCallingAgent, {"OPENAI_API_KEY": SECRET}, base_url=server.base_url)
        from abcbench.results.store import RunDir

        out = executor.run_attempt(spec, RunDir(Path("/nonexistent-raygw")), 0, [],
                                   lambda *_a: None, threading.Event())
        assert out is None
        [args] = captured.args
        assert SECRET.encode() not in pickle.dumps(args)
    finally:
        executor.close()


def test_a_relay_the_node_cannot_reach_is_an_outage_that_says_so(tmp_path: Path) -> None:
    """The trial ends as the policy's model-endpoint outage (infrastructure, retried), and its
    gateway.json names the relay rather than the provider."""
    with ModelServer(Script(steps=[]), host="127.0.0.1") as gone:
        closed = f"http://127.0.0.1:{gone.port}"
    route = RelayRoute(url=closed, token="abcbench-run-unreachable", upstream="https://p.invalid")
    settings = gateway_settings({"retry_attempts": "2", "retry_base_sec": "0"})
    with relayed(route):
        session = open_trial(Endpoint(base_url="https://x.invalid", api_key=route.token),
                             "m", load_price_table(None), [route.token], settings, tmp_path, None)
        try:
            reply = httpx.post(f"{session.base_url}/v1/chat/completions", json=CHAT, timeout=60,
                               headers={"Authorization": f"Bearer {session.token}"})
        finally:
            summary = close_trial(session)
    assert reply.status_code == 502
    assert summary.outage is not None and "the driver's model relay could not be reached" in \
        summary.outage
    with pytest.raises(ModelEndpointUnavailable):
        raise_if_outage(summary)


def test_a_relay_address_not_of_this_machine_is_refused_before_the_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.RELAY_ENV, "203.0.113.77:7000")  # TEST-NET-3: on no interface
    with pytest.raises(UserError, match="ABCBENCH_RAY_RELAY=IP"):
        Relays("127.0.0.1")
    monkeypatch.setenv(keys.RELAY_ENV, "relay.example:70000")
    with pytest.raises(UserError, match="give IP or IP:PORT"):
        Relays("127.0.0.1")
