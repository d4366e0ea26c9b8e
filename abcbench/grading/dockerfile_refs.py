"""What a submission's Dockerfile may reach outside its build context, checked before the build.

The classic builder lets `FROM` and `COPY --from` name any image on the engine, so a hostile
Dockerfile could read another trial's service image or anything else stored there. A reference
must be an earlier stage of the same Dockerfile or an image the caller allows (the project's
own); `ADD <url>` is fetched by the engine itself, outside any network setting, so it needs the
task's build network. Parsing follows the classic builder: parser directives, `\\` (or the
`# escape=` character) continuations, comments, `ARG`s declared before the first `FROM`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

IMAGE_ALLOWED = Callable[[str], "str | None"]
"""Returns None when an image reference may be used, else the reason it may not."""

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class DockerfileRefused(Exception):
    """The Dockerfile reaches for something a submission may not use; the message says what."""


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str
    args: str
    end: int = 0
    """The instruction's last physical line (1-based)."""


def instructions(text: str) -> list[Instruction]:
    """Logical instructions (continuations joined, comments dropped), with their first line."""
    lines = text.splitlines()
    escape = "\\"
    start = 0
    while start < len(lines):  # parser directives come first, then never again
        match = _DIRECTIVE.match(lines[start].strip())
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            escape = match.group(2)
        start += 1
    found: list[Instruction] = []
    buffer, first = "", 0
    for number, raw in enumerate(lines[start:], start=start + 1):
        stripped = raw.strip()
        if not buffer and not stripped:
            continue
        if stripped.startswith("#"):
            continue  # comments, also between continuation lines
        if not buffer:
            first = number
        if stripped.endswith(escape):
            buffer += stripped[:-1].rstrip() + " "
            continue
        buffer += stripped
        keyword, _, args = buffer.strip().partition(" ")
        found.append(Instruction(first, keyword.upper(), args.strip(), number))
        buffer = ""
    if buffer.strip():
        keyword, _, args = buffer.strip().partition(" ")
        found.append(Instruction(first, keyword.upper(), args.strip(), len(lines)))
    return found


def _substitute(value: str, args: dict[str, str], line: int) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in args:
            return args[name]
        if match.group(2) is not None:
            return match.group(2)
        raise DockerfileRefused(f"line {line}: ${name} has no value before the build starts, "
                                "so the image it names cannot be checked; write the name out")
    return _VAR.sub(repl, value)


def _flags(args: str) -> tuple[dict[str, str], list[str]]:
    flags: dict[str, str] = {}
    words = args.split()
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key.lower()] = value
    return flags, words


def check_references(text: str, image_allowed: IMAGE_ALLOWED, *, network: bool) -> None:
    """Raise DockerfileRefused for a reference outside the stages and the allowed images."""
    global_args: dict[str, str] = {}
    stages: list[str] = []  # lower-cased stage names ("" when unnamed), in order
    for ins in instructions(text):
        keyword, args = ins.keyword, ins.args
        if keyword == "ONBUILD":  # runs in whatever builds FROM this stage: same rules
            keyword, _, args = args.partition(" ")
            keyword, args = keyword.upper(), args.strip()
        if keyword == "ARG" and not stages:
            for word in args.split():
                name, eq, default = word.partition("=")
                if eq:
                    global_args[name] = default.strip("\"'")
        elif keyword == "FROM":
            words = _flags(args)[1]
            if not words:
                raise DockerfileRefused(f"line {ins.line}: FROM names no image")
            ref = _substitute(words[0], global_args, ins.line)
            if ref.lower() not in stages and ref.lower() != "scratch":
                _check_image(ref, image_allowed, ins.line, "FROM")
            alias = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else ""
            stages.append(alias)
        elif keyword == "COPY":
            flags, _words = _flags(args)
            source = flags.get("from")
            if source is not None and "$" in source:
                raise DockerfileRefused(f"line {ins.line}: COPY --from={source}: write the "
                                        "stage or image out, variables are not checked")
            if source is not None and not _earlier_stage(source, stages):
                _check_image(source, image_allowed, ins.line, "COPY --from")
        elif keyword == "ADD" and not network:
            words = _flags(args)[1]
            remote = [w for w in words[:-1] if _URL.match(w.strip("[\",]"))]
            if remote:
                raise DockerfileRefused(
                    f"line {ins.line}: ADD {remote[0]} downloads during the build, which has no "
                    "network for this task (service.build_network is off)")


def _earlier_stage(source: str, stages: list[str]) -> bool:
    if source.isdigit():
        return int(source) < len(stages)
    return source.lower() in stages


def _check_image(ref: str, image_allowed: IMAGE_ALLOWED, line: int, what: str) -> None:
    reason = image_allowed(ref)
    if reason is not None:
        raise DockerfileRefused(f"line {line}: {what} {ref}: {reason}")
