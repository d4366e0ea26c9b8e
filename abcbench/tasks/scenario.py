"""A recording scenario (what `tasks record` sends) and the draft tests made from its answers.

The draft asserts what the reference answered: the status of every request and, for JSON
objects, each field, nested ones included. `tasks record` plays the scenario twice (the second
time in reverse order, against a service that now holds the first round's data): a value that
differs between the two rounds (an id, a timestamp, a count, a list other tests grow) is
asserted by type only, so the tests do not depend on the order they run in or on data other
tests created. A value saved for a later request (`save:`, e.g. a created id or a token) is
used by name afterwards: in paths, headers, JSON bodies and inside asserted strings;
`{name|base64}` (see `TRANSFORMS`) sends a value derived from it. The author edits the draft:
it is a start.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from abcbench.errors import UserError


TRANSFORMS: dict[str, str] = {
    "base64": "base64.b64encode(str({v}).encode()).decode()",
    "base64url": "base64.urlsafe_b64encode(str({v}).encode()).decode()",
    "urlquote": "urllib.parse.quote(str({v}), safe=str())",
}
"""`{name|transform}` in a scenario string: a Python expression over the saved value, the one
definition both the recording client (which evaluates it) and the draft (which contains it)
use. Written without quotes, so it can sit inside any f-string."""

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\|([A-Za-z0-9_]+))?\}")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


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
        for text in _strings([self.path, self.headers, self.json_body]):
            for match in PLACEHOLDER.finditer(text):
                if match[2] is not None and match[2] not in TRANSFORMS:
                    raise ValueError(f"{match[0]!r}: unknown transform {match[2]!r} "
                                     f"(known: {', '.join(sorted(TRANSFORMS))})")
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


def _brace_literal(text: str) -> str:
    """Text as the literal part of an f-string."""
    return text.replace("{", "{{").replace("}", "}}")


def _embedded(text: str, saved: dict[str, Any]) -> str | None:
    """An f-string naming the saved values that occur inside `text`, or None if none does.

    A saved string counts from 3 characters; a saved integer only where no letter or digit
    touches it (`user 12 created`, not `v120`), so short constants are rarely taken for ids."""
    patterns: list[tuple[str, str]] = []
    for name, value in saved.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, str) and len(value) >= 3:
            patterns.append((re.escape(value), name))
        elif isinstance(value, int):
            patterns.append((rf"(?<![0-9A-Za-z]){value}(?![0-9A-Za-z])", name))
    if not patterns:
        return None
    patterns.sort(key=lambda p: -len(p[0]))
    combined = re.compile("|".join(f"({p})" for p, _ in patterns))
    pieces, last, found = [], 0, False
    for match in combined.finditer(text):
        name = patterns[next(i for i, g in enumerate(match.groups()) if g is not None)][1]
        pieces.append(_brace_literal(text[last:match.start()]))
        pieces.append("{" + name + "}")
        last, found = match.end(), True
    if not found:
        return None
    pieces.append(_brace_literal(text[last:]))
    return "f" + repr("".join(pieces))


def _literal(value: Any, saved: dict[str, Any]) -> str:
    """Python source for a JSON value, with earlier saved values named, not repeated."""
    for name, saved_value in saved.items():
        if type(value) is type(saved_value) and value == saved_value \
                and not isinstance(value, bool):
            return name
    if isinstance(value, str):
        return _embedded(value, saved) or repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v, saved)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, saved) for v in value) + "]"
    return repr(value)


def _placeholder_source(name: str, transform: str | None) -> str:
    return name if transform is None else TRANSFORMS[transform].format(v=name)


def _fstring_body(text: str, names: set[str]) -> tuple[str, bool]:
    """`text` as the inside of an f-string: placeholders of saved names become expressions,
    every other brace is literal. Also says whether any placeholder was found."""
    pieces, last, found = [], 0, False
    for match in PLACEHOLDER.finditer(text):
        if match[1] not in names:
            continue
        pieces.append(_brace_literal(text[last:match.start()]))
        pieces.append("{" + _placeholder_source(match[1], match[2]) + "}")
        last, found = match.end(), True
    pieces.append(_brace_literal(text[last:]))
    return "".join(pieces), found


def _template(text: str, names: set[str]) -> str:
    """A string with `{var}` / `{var|transform}` placeholders as Python source (an f-string
    when it has any); other braces stay literal."""
    whole = PLACEHOLDER.fullmatch(text)
    if whole and whole[1] in names:
        return _placeholder_source(whole[1], whole[2])
    body, found = _fstring_body(text, names)
    return "f" + repr(body) if found else repr(text)


def _request_literal(value: Any, names: set[str]) -> str:
    if isinstance(value, str):
        return _template(value, names)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_request_literal(k, names)}: {_request_literal(v, names)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_request_literal(v, names) for v in value) + "]"
    return repr(value)


def _path_source(path: str, names: set[str]) -> str:
    return "f" + repr("{URL}" + _fstring_body(path, names)[0])


def _dig(body: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        body = body[int(part)] if isinstance(body, list) else body[part]
    return body


def _type_check(expr: str, value: Any) -> str:
    if value is None:
        return f"assert {expr} is None"
    return f"assert isinstance({expr}, {type(value).__name__})"


def _assertions(expr: str, first: Any, second: Any, saved: tuple[dict[str, Any], ...],
                exact_ok: bool = True) -> list[str]:
    """What both recordings agree on about `expr`: its value, else its shape, else its type."""
    literal = _literal(first, saved[0])
    if exact_ok and literal == _literal(second, saved[1]):
        return [f"assert {expr} == {literal}"]
    if isinstance(first, dict) and isinstance(second, dict):
        return [line for key, value in first.items() if key in second
                for line in _assertions(f"{expr}[{key!r}]", value, second[key], saved)]
    if isinstance(first, list) and isinstance(second, list) and first and \
            len(first) == len(second):
        return [_type_check(expr, first)] + [
            line for i, (a, b) in enumerate(zip(first, second, strict=True))
            for line in _assertions(f"{expr}[{i}]", a, b, saved)]
    if type(first) is type(second):
        return [_type_check(expr, first)]
    return [f"# {expr} varies between recordings: not asserted"]


def _saved_values(step: Step, body: Any, saved: dict[str, Any]) -> None:
    for name, dotted in step.save.items():
        try:
            saved[name] = _dig(body, dotted)
        except (KeyError, IndexError, TypeError, ValueError):
            pass


def render_tests(tests: list[ScenarioTest], answers: list[dict[str, Any]],
                 source: str, *, repeat: list[dict[str, Any]]) -> str:
    """The draft test_functional.py.

    `repeat` is a second recording of the same tests (aligned with `answers`); a value is
    asserted exactly only where both recordings agree, and a field a step saves by type."""
    body_lines: list[str] = []
    taken: set[str] = set()
    for test, answer, again in zip(tests, answers, repeat, strict=True):
        body_lines += ["", f"def {_slug(test.name, taken)}():"]
        saved: dict[str, Any] = {}
        saved_again: dict[str, Any] = {}
        for step, got, got_again in zip(test.steps, answer["steps"], again["steps"],
                                        strict=False):
            names = set(saved)
            args = [_path_source(step.path, names)]
            if "json_body" in step.model_fields_set:
                args.append(f"json={_request_literal(step.json_body, names)}")
            if step.headers:
                args.append(f"headers={_request_literal(step.headers, names)}")
            call = f"httpx.request({step.method.upper()!r}, {', '.join(args)}, timeout=10)"
            body_lines.append(f"    r = {call}")
            if got.get("status") is None:
                body_lines.append(f"    # the reference did not answer: {got.get('errors')}")
                continue
            body_lines.append(f"    assert r.status_code == {got['status']}")
            body, body_again = got.get("json"), got_again.get("json")
            if got_again.get("status") != got["status"]:
                body_again = object()  # not comparable: only types are asserted below
            saved_keys = {dotted.split(".")[0] for dotted in step.save.values()}
            rounds = (saved, saved_again)
            if isinstance(body, dict):
                body_lines.append("    body = r.json()")
                other = body_again if isinstance(body_again, dict) else {}
                for key, value in body.items():
                    expr = f"body[{key!r}]"
                    if key in saved_keys or key not in other:
                        body_lines.append(f"    {_type_check(expr, value)}")
                    else:
                        body_lines += [f"    {line}" for line in
                                       _assertions(expr, value, other[key], rounds)]
            elif isinstance(body, list):
                body_lines += [f"    {line}" for line in
                               _assertions("r.json()", body, body_again, rounds)]
            for name, dotted in step.save.items():
                getter = "".join(f"[{int(p)}]" if p.isdigit() else f"[{p!r}]"
                                 for p in dotted.split("."))
                body_lines.append(f"    {name} = r.json(){getter}")
            _saved_values(step, body, saved)
            _saved_values(step, got_again.get("json"), saved_again)
    imports = ["import os"]
    text = "\n".join(body_lines)
    if "base64." in text:
        imports.insert(0, "import base64")
    if "urllib.parse." in text:
        imports.append("import urllib.parse")
    head = [f'"""Functional tests recorded by `abcbench tasks record` from {source}.',
            "", "Edit them: keep what the endpoints promise, drop what is incidental.", '"""',
            "", *imports, "", "import httpx", "", 'URL = os.environ["SERVICE_URL"]', ""]
    return "\n".join(head + body_lines) + "\n"


def unstable_steps(tests: list[ScenarioTest], answers: list[dict[str, Any]],
                   repeat: list[dict[str, Any]]) -> list[str]:
    """Requests whose status differed between the two recordings: the test depends on the
    order it runs in or on data other tests made, and the author should change the scenario."""
    out = []
    for test, first, second in zip(tests, answers, repeat, strict=True):
        for i, (a, b) in enumerate(zip(first["steps"], second["steps"], strict=False), 1):
            if a.get("status") != b.get("status"):
                out.append(f"{test.name} (step {i}: {a.get('status')} then {b.get('status')})")
    return out


def plan_for(tests: list[ScenarioTest], base_url: str) -> str:
    return json.dumps({"base_url": base_url, "transforms": TRANSFORMS, "tests": [
        {"name": t.name, "steps": [s.plan() for s in t.steps]} for t in tests]})
