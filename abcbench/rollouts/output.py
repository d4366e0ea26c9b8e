"""Writing episodes for trainers: JSON Lines (one `EpisodeRecord` per line, every field) and
Parquet (the documented columnar schema below, loadable with `datasets` or `pyarrow`).

Parquet needs one schema for every row, so free-form JSON (a message's non-text content, tool
JSON Schemas, a request's sampling fields) is kept as JSON text in `*_json` columns; token ids,
tokens and log-probabilities are typed lists. Parquet needs the `rollouts` extra (pyarrow).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from abcbench.errors import UserError
from abcbench.rollouts.models import EpisodeRecord, GroupStats


def write_jsonl(records: list[EpisodeRecord], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(record.model_dump_json() + "\n")
    os.replace(tmp, path)


def read_jsonl(path: Path) -> list[EpisodeRecord]:
    return [EpisodeRecord.model_validate_json(line)
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_stats(stats: list[GroupStats], path: Path) -> None:
    path.write_text(json.dumps([s.model_dump(mode="json") for s in stats], indent=2) + "\n",
                    encoding="utf-8")


def _pa() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise UserError("Parquet output needs pyarrow: pip install 'abcbench[rollouts]' "
                        "(or write JSON Lines only with --format jsonl)") from None
    return pyarrow


def parquet_schema() -> Any:
    """The Parquet columns (docs/rollouts.md lists them with their meaning)."""
    pa = _pa()
    call = pa.struct([("id", pa.string()), ("type", pa.string()),
                      ("function", pa.struct([("name", pa.string()),
                                              ("arguments", pa.string())]))])
    message = pa.struct([("role", pa.string()), ("content", pa.string()),
                         ("tool_call_id", pa.string()), ("tool_calls", pa.list_(call))])
    top = pa.struct([("token", pa.string()), ("logprob", pa.float64()),
                     ("token_id", pa.int64())])
    completion = pa.struct([
        ("response_id", pa.string()), ("model", pa.string()), ("started_at", pa.string()),
        ("duration_sec", pa.float64()), ("n_request_messages", pa.int64()),
        ("requested_json", pa.string()), ("finish_reason", pa.string()),
        ("message", message), ("prompt_token_ids", pa.list_(pa.int64())),
        ("token_ids", pa.list_(pa.int64())), ("tokens", pa.list_(pa.string())),
        ("logprobs", pa.list_(pa.float64())), ("top_logprobs", pa.list_(pa.list_(top))),
        ("truncated", pa.bool_()), ("usage_json", pa.string())])
    test = pa.struct([("name", pa.string()), ("outcome", pa.string()), ("passed", pa.bool_())])
    usage = pa.struct([("input_tokens", pa.int64()), ("output_tokens", pa.int64()),
                       ("cached_tokens", pa.int64()), ("cost_usd", pa.float64()),
                       ("n_requests", pa.int64())])
    return pa.schema([
        ("schema_version", pa.int64()), ("run_id", pa.string()), ("group_id", pa.string()),
        ("episode_id", pa.string()), ("index", pa.int64()), ("seed", pa.int64()),
        ("task_id", pa.string()), ("task_hash", pa.string()), ("agent", pa.string()),
        ("model", pa.string()), ("messages", pa.list_(message)), ("tools_json", pa.string()),
        ("completions", pa.list_(completion)), ("n_unreadable_completions", pa.int64()),
        ("reward", pa.float64()),
        ("valid", pa.bool_()), ("advantage", pa.float64()), ("resolved", pa.bool_()),
        ("n_passed", pa.int64()), ("n_tests", pa.int64()), ("tests", pa.list_(test)),
        ("failure_class", pa.string()), ("failure_rule", pa.string()), ("error", pa.string()),
        ("agent_exit_status", pa.string()), ("usage", usage),
        ("timings_json", pa.string()), ("started_at", pa.string()),
        ("finished_at", pa.string())])


def _text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value)


def _message(m: dict[str, Any] | None) -> dict[str, Any] | None:
    if m is None:
        return None
    calls = [c for c in m.get("tool_calls") or [] if isinstance(c, dict)]
    return {"role": _text(m.get("role")), "content": _text(m.get("content")),
            "tool_call_id": _text(m.get("tool_call_id")),
            "tool_calls": [{"id": _text(c.get("id")), "type": _text(c.get("type")),
                            "function": {"name": _text((c.get("function") or {}).get("name")),
                                         "arguments": _text((c.get("function") or {}).get(
                                             "arguments"))}} for c in calls]}


def to_row(r: EpisodeRecord) -> dict[str, Any]:
    completions = []
    for c in r.completions:
        choice = c.choices[0] if c.choices else None
        lps = choice.logprobs if choice is not None else None
        completions.append({
            "response_id": c.response_id, "model": c.model, "started_at": c.started_at,
            "duration_sec": c.duration_sec, "n_request_messages": c.n_request_messages,
            "requested_json": json.dumps(c.requested),
            "finish_reason": choice.finish_reason if choice else None,
            "message": _message(choice.message if choice else None),
            "prompt_token_ids": c.prompt_token_ids,
            "token_ids": choice.token_ids if choice else None,
            "tokens": None if lps is None else [t.token for t in lps],
            "logprobs": None if lps is None else [t.logprob for t in lps],
            "top_logprobs": None if lps is None else [
                [{"token": a.token, "logprob": a.logprob, "token_id": a.token_id}
                 for a in t.top_logprobs] for t in lps],
            "truncated": choice.truncated if choice else False,
            "usage_json": None if c.usage is None else json.dumps(c.usage)})
    rep = r.report
    return {
        "schema_version": r.schema_version, "run_id": r.run_id, "group_id": r.group_id,
        "episode_id": r.episode_id, "index": r.index, "seed": r.seed, "task_id": r.task_id,
        "task_hash": r.task_hash, "agent": r.agent, "model": r.model,
        "messages": [_message(m) for m in r.messages], "tools_json": json.dumps(r.tools),
        "completions": completions, "n_unreadable_completions": r.n_unreadable_completions,
        "reward": r.reward, "valid": r.valid,
        "advantage": r.advantage, "resolved": rep.resolved, "n_passed": rep.n_passed,
        "n_tests": rep.n_tests, "tests": [t.model_dump() for t in rep.tests],
        "failure_class": rep.failure_class, "failure_rule": rep.failure_rule,
        "error": rep.error, "agent_exit_status": rep.agent_exit_status,
        "usage": r.usage.model_dump(include={"input_tokens", "output_tokens", "cached_tokens",
                                             "cost_usd", "n_requests"}),
        "timings_json": json.dumps(r.timings), "started_at": r.started_at,
        "finished_at": r.finished_at}


def write_parquet(records: list[EpisodeRecord], path: Path) -> None:
    pa = _pa()
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([to_row(r) for r in records], schema=parquet_schema())
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
