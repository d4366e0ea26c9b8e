"""A Dockerfile read once, by the official parser, and written back in one canonical form.

A hand-written reader and the engine disagree on tabs, continuations and parser directives, and
whatever the checker misreads the engine builds. So the harness never reads a Dockerfile itself:
the `dockerfile` package (the BuildKit parser, compiled from Go) turns the text into
instructions, the checks look only at those, and the engine is handed the *canonical* text
re-serialised from them: at most one directive (`# escape=` on line 1, when the parse used the
backtick), then one instruction per line, with no comments, blank lines, continuations or
heredocs. Every engine version reads that text the same way, and `render` proves it by parsing
its own output again: a Dockerfile whose canonical form would read back differently is refused,
never built.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import dockerfile as official

MAX_DOCKERFILE_BYTES = 256 * 1024
MAX_DOCKERFILE_LINES = 10_000
"""Bounds on what is parsed (the parser takes seconds for 100,000 lines); a real Dockerfile is a
few kilobytes."""
CANONICAL_DOCKERFILE = ".abcbench-dockerfile"
"""The name the canonical text has in a build's tar; never written to the build context, and
dropped from it by the engine (a `COPY . .` does not copy it)."""
KEYWORDS = frozenset(k.upper() for k in official.all_cmds())


class DockerfileRefused(Exception):
    """The Dockerfile reaches for something a build may not use; the message says what."""


@dataclass(frozen=True)
class Instruction:
    """One instruction as the official parser read it."""

    line: int
    """First physical line in the file it came from (1-based; 0 for a generated one)."""
    end: int
    keyword: str
    """Upper-cased (`ONBUILD` for a trigger; its own keyword is `sub_keyword`)."""
    sub_keyword: str | None
    flags: tuple[str, ...]
    value: tuple[str, ...]
    json: bool
    text: str
    """The logical line (continuations joined, comments dropped): what the canonical form
    writes, and what the engine reads."""
    heredoc: bool = False

    @property
    def args(self) -> str:
        """`text` after the keyword."""
        parts = self.text.split(None, 1)
        return parts[1] if len(parts) > 1 else ""

    def shape(self) -> tuple[object, ...]:
        """What must read back identically from the canonical form."""
        return (self.keyword, self.sub_keyword, self.flags, self.value, self.json, self.heredoc)

    def where(self) -> str:
        return f"line {self.line}" if self.line else "a generated line"


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile: its escape character and its instructions."""

    escape: str
    instructions: tuple[Instruction, ...]

    def render(self) -> str:
        """The canonical text; raises DockerfileRefused if it would not read back as this."""
        return render(self.escape, self.instructions)

    def with_instructions(self, found: list[Instruction]) -> Dockerfile:
        return replace(self, instructions=tuple(found))


def parse(text: str) -> Dockerfile:
    """Parse with the official grammar; DockerfileRefused if it does not parse."""
    if "\x00" in text:
        raise DockerfileRefused("the Dockerfile contains a NUL byte; it is not a text file")
    if len(text.encode("utf-8", "surrogateescape")) > MAX_DOCKERFILE_BYTES:
        raise DockerfileRefused(f"the Dockerfile is larger than {MAX_DOCKERFILE_BYTES} bytes")
    if text.count("\n") > MAX_DOCKERFILE_LINES:
        raise DockerfileRefused(f"the Dockerfile has more than {MAX_DOCKERFILE_LINES} lines")
    commands = _parse(text)
    escape = _escape_of(text, commands)
    return Dockerfile(escape, tuple(_instruction(c) for c in commands))


def parse_instruction(text: str, escape: str = "\\") -> Instruction:
    """One generated instruction, read by the parser like any other (never built by hand)."""
    found = parse(_header(escape) + text + "\n").instructions
    if len(found) != 1 or "\n" in text:
        raise DockerfileRefused(f"{text!r} is not one instruction")
    return replace(found[0], line=0, end=0)


def render(escape: str, found: tuple[Instruction, ...] | list[Instruction]) -> str:
    """Directive, then one logical line per instruction; parsed again and compared."""
    for ins in found:
        if ins.heredoc or "\n" in ins.text:
            raise DockerfileRefused(f"{ins.where()}: {ins.keyword} with a heredoc cannot be "
                                    "built here; put the script in a file and COPY it")
    text = _header(escape) + "".join(ins.text + "\n" for ins in found)
    again = parse(text)
    if again.escape != escape:
        raise DockerfileRefused("the Dockerfile's escape directive does not read back")
    for before, after in zip(found, again.instructions, strict=False):
        if before.shape() != after.shape():
            raise DockerfileRefused(
                f"{before.where()}: {before.keyword} would be read differently once written "
                "on one line (does it end with the escape character?); rewrite it")
    if len(found) != len(again.instructions):
        raise DockerfileRefused("the Dockerfile does not read back with the same number of "
                                "instructions once written one per line; rewrite it")
    return text


def _parse(text: str) -> tuple[official.Command, ...]:
    try:
        return tuple(official.parse_string(text))
    except official.GoParseError as exc:
        raise DockerfileRefused(f"the Dockerfile does not parse: {exc}") from None


def _escape_of(text: str, commands: tuple[official.Command, ...]) -> str:
    """The escape character the parser applied, asked of the parser itself: the lines before
    the first instruction (directives, comments) followed by a probe that a backtick joins."""
    lines = text.split("\n")
    head = lines[:commands[0].start_line - 1] if commands else lines
    probe = "\n".join([*head, "LABEL a=b`", "LABEL c=d", ""])
    return "`" if len(_parse(probe)) == 1 else "\\"


def _header(escape: str) -> str:
    return "# escape=`\n" if escape == "`" else ""


def _instruction(command: official.Command) -> Instruction:
    if not command.cmd or command.original is None:
        raise DockerfileRefused(f"line {command.start_line}: an instruction with no keyword (a "
                                "continuation with nothing after it?); remove it")
    text = command.original
    if command.heredocs:
        text = text.split("\n", 1)[0]
    return Instruction(
        line=command.start_line, end=command.end_line, keyword=command.cmd.upper(),
        sub_keyword=command.sub_cmd.upper() if command.sub_cmd else None,
        flags=tuple(command.flags), value=tuple(command.value), json=bool(command.json),
        text=text, heredoc=bool(command.heredocs))
