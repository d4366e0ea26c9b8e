"""What a build's Dockerfile may reach outside its build context, checked on the parse.

The classic builder lets `FROM` and `COPY --from` name any image on the engine, so a hostile
Dockerfile could read another trial's service image or anything else stored there. A reference
must be an earlier stage of the same Dockerfile or an image the caller allows (the project's
own). `ADD <url>` (and a git URL) is fetched by the engine itself, outside any network setting
and limit, so it is refused outright: download in a `RUN` step (with the task's build network)
or put the file in the build context.

Everything here reads `dockerfile_parse.Dockerfile` (the official parser's instructions), never
the text, and the engine builds that parse's canonical form. Where the engine will still process
a word (variables, quotes, the escape character in `FROM`, `--from`, `ADD` sources, `LABEL`),
the check accepts only words that processing cannot change, or resolves the few variables it
can (global `ARG`s with plain defaults) exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from abcbench.grading.dockerfile_parse import (
    KEYWORDS,
    Dockerfile,
    DockerfileRefused,
    Instruction,
    parse,
)

__all__ = ["IMAGE_ALLOWED", "DockerfileRefused", "check_dockerfile", "check_labels",
           "check_references", "flags_of", "from_parts", "global_args"]

IMAGE_ALLOWED = Callable[[str], "str | None"]
"""Returns None when an image reference may be used, else the reason it may not."""

PLAIN_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$")
"""An image reference or stage name that no word processing changes."""
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
_ONBUILD = re.compile(r"^\s*ONBUILD\s*", re.IGNORECASE)


def check_dockerfile(df: Dockerfile, image_allowed: IMAGE_ALLOWED,
                     build_args: Mapping[str, str] | None = None) -> None:
    """Every rule: known instructions, no heredocs or RUN flags, references, labels."""
    for ins in df.instructions:
        if ins.keyword not in KEYWORDS:
            raise DockerfileRefused(f"{ins.where()}: {ins.keyword} is not a Dockerfile "
                                    "instruction")
        if ins.heredoc:
            raise DockerfileRefused(f"{ins.where()}: {ins.keyword} with a heredoc (<<) cannot "
                                    "be built by the engine's builder; put the script in a file "
                                    "and COPY it, or write a one-line RUN")
    check_references(df, image_allowed, build_args)
    check_labels(df)


def check_references(df: Dockerfile, image_allowed: IMAGE_ALLOWED,
                     build_args: Mapping[str, str] | None = None) -> None:
    """Raise DockerfileRefused for a reference outside the stages and the allowed images,
    and for any ADD of a URL."""
    args = global_args(df, build_args)
    stages: list[str] = []  # lower-cased stage names ("" when unnamed), in order
    for ins in df.instructions:
        if ins.keyword == "FROM":
            ref, alias = from_parts(ins)
            ref = _substitute(ref, args, ins)
            if ref.lower() not in stages and ref.lower() != "scratch":
                _check_image(ref, image_allowed, ins, "FROM")
            stages.append(alias.lower())
        elif ins.keyword == "ONBUILD":
            _check_step(_trigger(ins), stages, image_allowed)
        else:
            _check_step(ins, stages, image_allowed)


def check_labels(df: Dockerfile) -> None:
    """The harness's labels find and remove a trial's layers; a build may not set them (nor
    hide them behind a variable, quotes or the escape character)."""
    for ins in df.instructions:
        step = _trigger(ins) if ins.keyword == "ONBUILD" else ins
        if step.keyword != "LABEL":
            continue
        plain = re.sub(r"[\"'`\\]", "", step.args).lower()
        if "abcbench" in plain or "$" in step.args:
            raise DockerfileRefused(f"{ins.where()}: LABEL may not set abcbench.* labels or "
                                    "use variables")


def global_args(df: Dockerfile, build_args: Mapping[str, str] | None = None) -> dict[str, str]:
    """The `ARG`s declared before the first FROM whose value is plain (a default, or a build
    argument the harness passes): the only variables a FROM may use."""
    found: dict[str, str] = {}
    for ins in df.instructions:
        if ins.keyword == "FROM":
            break
        if ins.keyword != "ARG":
            continue
        for word in ins.value:
            name, eq, default = word.partition("=")
            if build_args is not None and name in build_args:
                found[name] = build_args[name]
            elif eq and PLAIN_REF.match(default):
                found[name] = default
    return found


def from_parts(ins: Instruction) -> tuple[str, str]:
    """`FROM image [AS name]` as (image, name); refused in any other shape."""
    words = ins.value
    if len(words) == 1:
        return words[0], ""
    if len(words) == 3 and words[1].lower() == "as" and PLAIN_REF.match(words[2]):
        return words[0], words[2]
    raise DockerfileRefused(f"{ins.where()}: FROM takes an image and optionally `AS name`")


def flags_of(ins: Instruction) -> dict[str, list[str]]:
    """The instruction's `--name=value` flags, names lower-cased, every occurrence kept."""
    found: dict[str, list[str]] = {}
    for flag in ins.flags:
        name, eq, value = flag.lstrip("-").partition("=")
        found.setdefault(name.lower(), []).append(value if eq else "")
    return found


def _check_step(ins: Instruction, stages: list[str], image_allowed: IMAGE_ALLOWED) -> None:
    flags = flags_of(ins)
    if ins.keyword == "RUN" and ins.flags:
        raise DockerfileRefused(f"{ins.where()}: RUN {ins.flags[0]}: RUN takes no flags here "
                                "(--mount, --network and --security are not available)")
    if ins.keyword in ("COPY", "ADD"):
        for source in flags.get("from", []):
            if not PLAIN_REF.match(source):
                raise DockerfileRefused(f"{ins.where()}: {ins.keyword} --from={source}: write "
                                        "the stage or image out (no variables or quotes)")
            if not _earlier_stage(source, stages):
                _check_image(source, image_allowed, ins, f"{ins.keyword} --from")
    if ins.keyword == "ADD":
        for source in ins.value[:-1]:
            _check_add_source(ins, source)


def _check_add_source(ins: Instruction, source: str) -> None:
    """ADD of a URL or a git repository is fetched by the engine, outside the build's network
    and limits. Word processing can strip quotes and escape characters, so they are ignored
    here; a variable could become anything."""
    plain = re.sub(r"[\"'`\\]", "", source).lower()
    if "$" in source:
        raise DockerfileRefused(f"{ins.where()}: ADD {source}: write the source out (a "
                                "variable could name a URL), or use COPY")
    if _SCHEME.match(plain) or "://" in plain or plain.startswith(("git@", "github.com/")):
        raise DockerfileRefused(
            f"{ins.where()}: ADD {source}: the engine would download it itself, outside the "
            "build's network and limits; put the file in the build context, or download it "
            "in a RUN step (needs the task's build network)")


def _trigger(ins: Instruction) -> Instruction:
    """An ONBUILD trigger as the engine will read it when a later stage builds on it: its
    text after `ONBUILD`, parsed again on its own (with the default escape character)."""
    expression = _ONBUILD.sub("", ins.text, count=1)
    found = parse(expression + "\n").instructions
    if len(found) != 1 or found[0].keyword != ins.sub_keyword:
        raise DockerfileRefused(f"{ins.where()}: ONBUILD trigger does not read back as one "
                                "instruction; write it out on one line")
    return replace(found[0], line=ins.line, end=ins.end)


def _substitute(value: str, args: dict[str, str], ins: Instruction) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name in args:
            return args[name]
        raise DockerfileRefused(f"{ins.where()}: ${name} has no value before the build starts "
                                "(or one with quotes or variables), so the image it names "
                                "cannot be checked; write the name out")
    if not PLAIN_REF.match(_VAR.sub("x", value)):
        raise DockerfileRefused(f"{ins.where()}: FROM {value}: write the image out (only "
                                "$NAME or ${NAME} of a global ARG, no quotes or escapes)")
    return _VAR.sub(repl, value)


def _earlier_stage(source: str, stages: list[str]) -> bool:
    if source.isdigit():
        return int(source) < len(stages)
    return source.lower() in stages


def _check_image(ref: str, image_allowed: IMAGE_ALLOWED, ins: Instruction, what: str) -> None:
    reason = image_allowed(ref)
    if reason is not None:
        raise DockerfileRefused(f"{ins.where()}: {what} {ref}: {reason}")
