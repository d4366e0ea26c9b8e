"""The gateway records per-completion tokens (log-probs, token ids) exactly as the upstream
served them, streamed or not, through the real gateway and the real scripted server."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.gateway.lease import close_trial, gateway_settings, open_trial
from abcbench.gateway.logprobs import COMPLETIONS_FILE, CompletionTokens, extract
from abcbench.gateway.session import EXCHANGES_FILE
from abcbench.llm.pricing import load_price_table
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Route, Script, ScriptedToken, Step, scripted_tokens

SECRET = "sk-logprobs-unit-NEVER-ON-DISK"
MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "hello"}]
EXPLICIT = [ScriptedToken(token="Hi", token_id=17, logprob=-0.25),
            ScriptedToken(token="!", token_id=0, logprob=0.0)]


def post_all(server: ModelServer, tmp_path: Path, bodies: list[dict[str, object]]
             ) -> list[CompletionTokens]:
    session = open_trial(Endpoint(base_url=server.base_url, api_key=SECRET), "m",
                         load_price_table(None), [SECRET], gateway_settings({}), tmp_path,
                         None)
    try:
        for body in bodies:
            reply = httpx.post(f"{session.base_url}/v1/chat/completions", timeout=30,
                               json={"model": "m", "messages": MESSAGES, **body},
                               headers={"Authorization": f"Bearer {session.token}"})
            assert reply.status_code == 200, reply.text
            if not body.get("stream"):  # what the agent got is what was recorded
                served = reply.json()["choices"][0].get("logprobs")
                assert served is None or served["content"][0]["token"]
    finally:
        close_trial(session)
    text = (tmp_path / COMPLETIONS_FILE).read_text()
    assert SECRET not in text and session.token not in text
    return [CompletionTokens.model_validate_json(line) for line in text.splitlines()]


@pytest.mark.parametrize("stream", [False, True])
def test_logprobs_and_token_ids_recorded_as_served(tmp_path: Path, stream: bool) -> None:
    step = Step.call("bash", command="ls -la")
    script = Script(routes=[Route(seed=5, steps=[step]),
                            Route(seed=6, steps=[Step(content="Hi!", tokens=EXPLICIT)])])
    with ModelServer(script, host="127.0.0.1") as server:
        records = post_all(server, tmp_path, [
            {"seed": 5, "logprobs": True, "top_logprobs": 3, "return_token_ids": True,
             "stream": stream},
            {"seed": 6, "logprobs": True, "stream": stream},
            {"seed": 5, "stream": stream},  # no logprobs asked: none recorded
        ])
    first, second, third = records
    [choice] = first.choices
    tokens = scripted_tokens(step)
    assert choice.token_ids == [t.token_id for t in tokens]
    assert choice.logprobs is not None
    assert [(t.token, t.logprob) for t in choice.logprobs] == [
        (t.token, t.logprob) for t in tokens]
    assert all(len(t.top_logprobs) == 3 for t in choice.logprobs)
    assert first.requested == {"seed": 5, "logprobs": True, "top_logprobs": 3,
                               "return_token_ids": True}
    assert first.prompt_token_ids is not None and len(first.prompt_token_ids) == 2
    assert first.n_request_messages == 2 and first.stream is stream
    assert first.response_id == "chatcmpl-scripted-0"
    assert first.started_at and first.usage is not None
    if not stream:
        assert choice.finish_reason == "tool_calls"
        assert choice.message is not None
        assert choice.message["tool_calls"][0]["function"]["name"] == "bash"
    [explicit] = second.choices
    assert explicit.logprobs is not None
    assert [(t.token, t.token_id, t.logprob) for t in explicit.logprobs] == [
        ("Hi", None, -0.25), ("!", None, 0.0)]
    assert explicit.token_ids is None  # not asked for: not invented
    assert third.choices[0].logprobs is None and third.choices[0].token_ids is None
    # gateway.jsonl is unchanged in kind: one exchange per request.
    assert len((tmp_path / EXCHANGES_FILE).read_text().splitlines()) == 3


def test_token_ids_written_as_tokens_and_size_bounds() -> None:
    body = {"id": "x", "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": "ab"},
                                    "logprobs": {"content": [
                                        {"token": "token_id:42", "logprob": -1.5,
                                         "top_logprobs": [{"token": "token_id:7",
                                                           "logprob": -2.0}]},
                                        {"token": "token_id:9", "logprob": -0.5}]}}]}
    record = extract({"messages": MESSAGES, "logprobs": True}, json.dumps(body), False)
    assert record is not None
    [choice] = record.choices
    assert choice.token_ids == [42, 9]
    assert choice.logprobs is not None and choice.logprobs[0].top_logprobs[0].token_id == 7
    assert extract({}, "not json", False) is None
    assert extract({}, "[1, 2]", False) is None


def test_records_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from abcbench.gateway import logprobs

    monkeypatch.setattr(logprobs, "MAX_RECORDED_TOKENS", 3)
    body = {"choices": [{"token_ids": list(range(10)), "logprobs": {"content": [
        {"token": str(n), "logprob": -float(n)} for n in range(10)]}}]}
    record = extract({}, json.dumps(body), False)
    assert record is not None
    [choice] = record.choices
    assert choice.truncated and choice.token_ids == [0, 1, 2]
    assert choice.logprobs is not None and len(choice.logprobs) == 3


@pytest.mark.parametrize("slow", ["usage_of_body", "record_tokens"])
def test_a_reply_the_agent_got_is_accounted_before_its_trial_closes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slow: str) -> None:
    """The gateway relays the reply, then meters and records it: an agent that closes its
    trial as soon as it has the reply (its last `finish` call) must not lose that reply's
    usage or token record (seen: a group episode counted 1 of its 2 requests)."""
    import time

    from abcbench.gateway import forward

    real = getattr(forward, slow)

    def slowly(*args: object) -> object:
        time.sleep(0.5)  # a loaded host: the handler thread is scheduled late
        return real(*args)

    monkeypatch.setattr(forward, slow, slowly)
    with ModelServer(Script(steps=[Step.say("done")]), host="127.0.0.1") as server:
        session = open_trial(Endpoint(base_url=server.base_url, api_key=SECRET), "m",
                             load_price_table(None), [SECRET], gateway_settings({}), tmp_path,
                             None)
        try:
            reply = httpx.post(f"{session.base_url}/v1/chat/completions", timeout=30,
                               json={"model": "m", "messages": MESSAGES, "logprobs": True},
                               headers={"Authorization": f"Bearer {session.token}"})
            assert reply.status_code == 200
        finally:
            summary = close_trial(session)
    assert summary.usage.n_requests == 1 and summary.n_exchanges == 1
    assert len((tmp_path / COMPLETIONS_FILE).read_text().splitlines()) == 1
    assert len((tmp_path / EXCHANGES_FILE).read_text().splitlines()) == 1


def test_a_stream_with_per_chunk_logprobs_is_merged_in_order() -> None:
    """OpenAI-compatible servers stream log-probs with each content chunk."""
    chunks = [
        {"id": "s1", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}],
         "prompt_token_ids": [5, 6]},
        {"id": "s1", "choices": [{"index": 0, "delta": {"content": "He"}, "token_ids": [1],
                                  "logprobs": {"content": [{"token": "He", "logprob": -0.1}]}}]},
        {"id": "s1", "choices": [{"index": 0, "delta": {"content": "llo"}, "token_ids": [2],
                                  "logprobs": {"content": [{"token": "llo", "logprob": -0.2}]}}]},
        {"id": "s1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {"id": "s1", "choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 2}},
    ]
    text = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    record = extract({"messages": MESSAGES}, text, True)
    assert record is not None
    [choice] = record.choices
    assert choice.message == {"role": "assistant", "content": "Hello"}
    assert choice.token_ids == [1, 2] and choice.finish_reason == "stop"
    assert choice.logprobs is not None
    assert [(t.token, t.logprob) for t in choice.logprobs] == [("He", -0.1), ("llo", -0.2)]
    assert record.prompt_token_ids == [5, 6] and record.response_id == "s1"
    assert record.usage == {"prompt_tokens": 2, "completion_tokens": 2}


def test_unreadable_token_lines_are_counted_not_guessed(tmp_path: Path) -> None:
    from abcbench.rollouts.records import read_completions

    good = CompletionTokens(started_at="t").model_dump_json()
    (tmp_path / COMPLETIONS_FILE).write_text(f"{good}\n{good[:20]}\n\n{good}\n")
    records, unreadable = read_completions(tmp_path)
    assert len(records) == 2 and unreadable == 1
