"""A recording scenario (what `tasks record` sends) and the draft tests made from its answers.

The draft asserts what the reference answered: the status of every request and, for JSON
objects, each top-level field; a value saved for a later request (`save:`, e.g. a created id)
is asserted by type only and used by name afterwards, so the tests do not depend on the order
they run in or on data other tests created. The author edits the draft: it is a start.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from abcbench.errors import UserError


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: str = Field(pattern=r"^(?i:get|post|put|patch|delete|head|options)$")
    path: str = Field(pattern=r"^/")
    json_body: Any = Field(default=None, alias="json")
    headers: dict[str, str] = Field(default_factory=dict)
    save: dict[str, str] = Field(
        default_factory=dict, description="name -> dotted key of the JSON answer, e.g. id.")

    @model_validator(mode="after")
    def _identifiers(self) -> Step:
        bad = [n for n in self.save if not re.fullmatch(r"[a-z_][a-z0-9_]*", n)]
        if bad:
            raise ValueError(f"save: {bad[0]!r} is not a lowercase Python identifier")
        return self

    def plan(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method.upper(), "path": self.path,
                               "headers": self.headers, "save": self.save}
        if "json_body" in self.model_fields_set:
            out["json"] = self.json_body
        return out


class ScenarioTest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)


class NamedStep(Step):
    name: str = Field(min_length=1)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tests: list[ScenarioTest] = Field(default_factory=list)
    requests: list[NamedStep] = Field(
        default_factory=list, description="Shorthand: one test per request.")

    def all_tests(self) -> list[ScenarioTest]:
        single = [ScenarioTest(name=r.name, steps=[Step.model_validate(
            r.model_dump(by_alias=True, exclude={"name"}, exclude_unset=True))])
            for r in self.requests]
        return [*self.tests, *single]


def load_scenario(path: Path) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenario = Scenario.model_validate(data)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the scenario: {exc.strerror}") from None
    except yaml.YAMLError:
        raise UserError(f"{path}: not valid YAML") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise UserError(f"{path}: field '{loc}': {first['msg']}") from None
    if not scenario.all_tests():
        raise UserError(f"{path}: no `tests:` or `requests:`; nothing to record")
    return scenario


def _slug(name: str, taken: set[str]) -> str:
    base = "test_" + (re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "scenario")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def _literal(value: Any, saved: dict[str, Any]) -> str:
    """Python source for a JSON value, with earlier saved values named, not repeated."""
    for name, saved_value in saved.items():
        if type(value) is type(saved_value) and value == saved_value \
                and not isinstance(value, bool):
            return name
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v, saved)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, saved) for v in value) + "]"
    return repr(value)


def _template(text: str, names: set[str]) -> str:
    """A string with `{var}` placeholders as Python source (an f-string when it has any)."""
    if re.fullmatch(r"\{([a-z_][a-z0-9_]*)\}", text) and text[1:-1] in names:
        return text[1:-1]
    escaped = re.sub(r"\{([^{}]*)\}",
                     lambda m: m[0] if m[1] in names else "{{" + m[1] + "}}", text)
    return ("f" + repr(escaped)) if escaped != text or "{" in text else repr(text)


def _request_literal(value: Any, names: set[str]) -> str:
    if isinstance(value, str):
        return _template(value, names)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_request_literal(v, names)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_request_literal(v, names) for v in value) + "]"
    return repr(value)


def _path_source(path: str, names: set[str]) -> str:
    source = _template("{URL}" + path, names | {"URL"})
    return source if source.startswith("f") else "f" + source


def _dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


def render_tests(tests: list[ScenarioTest], answers: list[dict[str, Any]],
                 source: str) -> str:
    """The draft test_functional.py."""
    lines = [f'"""Functional tests recorded by `abcbench tasks record` from {source}.',
             "", "Edit them: keep what the endpoints promise, drop what is incidental.", '"""',
             "", "import os", "", "import httpx", "", 'URL = os.environ["SERVICE_URL"]', ""]
    taken: set[str] = set()
    for test, answer in zip(tests, answers, strict=True):
        lines += ["", f"def {_slug(test.name, taken)}():"]
        saved: dict[str, Any] = {}
        for step, got in zip(test.steps, answer["steps"], strict=False):
            args = [_path_source(step.path, set(saved))]
            if "json_body" in step.model_fields_set:
                args.append(f"json={_request_literal(step.json_body, set(saved))}")
            if step.headers:
                args.append(f"headers={step.headers!r}")
            call = f"httpx.request({step.method.upper()!r}, {', '.join(args)}, timeout=10)"
            lines.append(f"    r = {call}")
            if got.get("status") is None:
                lines.append(f"    # the reference did not answer: {got.get('errors')}")
                continue
            lines.append(f"    assert r.status_code == {got['status']}")
            body = got.get("json")
            saved_keys = {dotted.split(".")[0]: name for name, dotted in step.save.items()}
            if isinstance(body, dict):
                lines.append("    body = r.json()")
                for key, value in body.items():
                    if key in saved_keys:
                        kind = "type(None)" if value is None else type(value).__name__
                        lines.append(f"    assert isinstance(body[{key!r}], {kind})")
                    else:
                        lines.append(f"    assert body[{key!r}] == {_literal(value, saved)}")
            elif isinstance(body, list):
                lines.append("    assert isinstance(r.json(), list)")
            for name, dotted in step.save.items():
                getter = "".join(f"[{int(p)}]" if p.isdigit() else f"[{p!r}]"
                                 for p in dotted.split("."))
                lines.append(f"    {name} = r.json(){getter}")
                try:
                    saved[name] = _dig(body, dotted)
                except (KeyError, IndexError, TypeError, ValueError):
                    pass
    return "\n".join(lines) + "\n"


def plan_for(tests: list[ScenarioTest], base_url: str) -> str:
    return json.dumps({"base_url": base_url, "tests": [
        {"name": t.name, "steps": [s.plan() for s in t.steps]} for t in tests]})
