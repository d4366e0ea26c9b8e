"""Runs a recording scenario against a service and prints what it answered, as JSON.

Copied into the tester container by `abcbench tasks record` and run there (python3 + httpx
only, no abcbench import): `python3 record_client.py PLAN.json`. The plan is
`{"base_url": ..., "tests": [{"name": ..., "steps": [{"method", "path", "json"?, "headers"?,
"save"?}]}], "transforms": {name: expression}}`; `{var}` in a path, a header or a JSON string
is replaced by a value saved from an earlier answer of the same test (`save: {var: "key.sub"}`),
and `{var|name}` by the plan's transform expression (`scenario.TRANSFORMS`) applied to it.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import urllib.parse
from typing import Any

import httpx

TIMEOUT_SEC = 10
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\|([A-Za-z0-9_]+))?\}")
TRANSFORMS: dict[str, str] = {}


def _value(name: str, transform: str | None, saved: dict[str, Any]) -> Any:
    value = saved[name]
    if transform is None:
        return value
    expression = TRANSFORMS[transform].format(v="v")
    return eval(expression, {"base64": base64, "urllib": urllib}, {"v": value})  # noqa: S307


def substitute(value: Any, saved: dict[str, Any]) -> Any:
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value)
        if whole and whole[1] in saved:
            return _value(whole[1], whole[2], saved)
        return PLACEHOLDER.sub(lambda m: str(_value(m[1], m[2], saved)) if m[1] in saved
                               else m[0], value)
    if isinstance(value, list):
        return [substitute(v, saved) for v in value]
    if isinstance(value, dict):
        return {substitute(k, saved): substitute(v, saved) for k, v in value.items()}
    return value


def dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


def run_step(client: httpx.Client, step: dict[str, Any], saved: dict[str, Any]) -> dict[str, Any]:
    path = substitute(step["path"], saved)
    kwargs: dict[str, Any] = {"headers": substitute(step.get("headers") or {}, saved)}
    if "json" in step:
        kwargs["json"] = substitute(step["json"], saved)
    response = client.request(step["method"].upper(), path, **kwargs)
    out: dict[str, Any] = {"status": response.status_code}
    try:
        out["json"] = response.json()
    except ValueError:
        out["text"] = response.text[:2000]
    for name, dotted in (step.get("save") or {}).items():
        try:
            saved[name] = dig(out.get("json"), dotted)
        except (KeyError, IndexError, TypeError, ValueError):
            out.setdefault("errors", []).append(f"cannot save {name!r}: no {dotted!r} in answer")
    return out


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    TRANSFORMS.update(plan.get("transforms") or {})
    results = []
    with httpx.Client(base_url=plan["base_url"], timeout=TIMEOUT_SEC) as client:
        for test in plan["tests"]:
            saved: dict[str, Any] = {}
            steps = []
            for step in test["steps"]:
                try:
                    steps.append(run_step(client, step, saved))
                except httpx.HTTPError as exc:
                    steps.append({"status": None, "errors": [f"{type(exc).__name__}: {exc}"]})
                    break
            results.append({"name": test["name"], "steps": steps})
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
