"""The canonical form of a Dockerfile reads back as exactly what was checked (hypothesis).

Generated Dockerfiles mix what made two readers disagree on ffadfa6: tabs and odd casing after
the keyword, continuations with either escape character, comments inside continuations, parser
directives known and unknown in any order (and after blank lines), heredocs, CRLF, trailing
whitespace, JSON forms, `--from` flags, URLs and variables. For each one the official parse is
the only reading: the canonical text re-parses to the same instructions (hence the same
references), the checker's verdict on the canonical text equals its verdict on the original
parse, and an accepted Dockerfile's canonical text names no image outside the allowed ones.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abcbench.grading.dockerfile_parse import Dockerfile, DockerfileRefused, parse
from abcbench.grading.dockerfile_refs import check_dockerfile, flags_of, from_parts

SETTINGS = settings(max_examples=150, deadline=timedelta(seconds=5), derandomize=True,
                    database=None, suppress_health_check=[HealthCheck.too_slow])
ALLOWED = {"abcbench/python", "abcbench/tester:latest"}
IMAGES = ["abcbench/python", "abcbench/tester:latest", "some-image:tag", "build", "0", "1",
          "$BASE", "${BASE}", '"some-image"', "scratch"]
WORDS = ["/src", "/dst/", "a.txt", "http://127.0.0.1:9/f", "h\\ttp://x/y", "git@h:x.git",
         "$URL", '"q w"', "'s'", "#", "`", "\\", "&&", "echo", "x=y", "AS", "as", "b", "[",
         '["a", "b"]', "<<EOF", "<<-X"]
KEYWORDS = ["FROM", "from", "From", "COPY", "copy", "ADD", "add", "RUN", "run", "ENV", "ARG",
            "LABEL", "ONBUILD", "CMD", "WORKDIR", "USER", "EXPOSE", "HEALTHCHECK", "SHELL",
            "FOO"]
FLAGS = ["--from={}", "--FROM={}", "--chown=1:1", "--mount=type=bind,from={}", "--link"]
DIRECTIVES = ["# escape=`", "# escape=\\", "#escape = `", "# ESCAPE=`", "# syntax=x/y:1",
              "# foo=bar", "#check=skip=all", "", "# a comment"]
SPACE = st.sampled_from([" ", "\t", " \t ", "  "])


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(DIRECTIVES), max_size=4))
    escape = draw(st.sampled_from(["\\", "`"]))
    for _ in range(draw(st.integers(1, 8))):
        keyword = draw(st.sampled_from(KEYWORDS))
        words = [f.format(draw(st.sampled_from(IMAGES)))
                 for f in draw(st.lists(st.sampled_from(FLAGS), max_size=2))]
        if keyword.upper() == "FROM" or draw(st.booleans()):
            words.append(draw(st.sampled_from(IMAGES)))
        words += draw(st.lists(st.sampled_from(WORDS), max_size=4))
        line = draw(st.sampled_from(["", " ", "\t"])) + keyword
        for word in words:
            if draw(st.integers(0, 5)) == 0:  # a continuation, maybe with a comment inside
                line += draw(st.sampled_from([escape, "\\", "`"])) + "\n"
                if draw(st.booleans()):
                    line += "# inside " + draw(st.sampled_from(WORDS)) + "\n"
            line += draw(SPACE) + word
        line += draw(st.sampled_from(["", " ", "\t", "\r"]))
        lines.append(line)
        if "<<EOF" in words and draw(st.booleans()):
            lines += ["COPY --from=some-image /a /b", "EOF"]
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "# c", "  # c `", "\t"])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


def allowed(ref: str) -> str | None:
    return None if ref in ALLOWED else "is not one of the project's images"


def verdict(df: Dockerfile) -> str:
    try:
        check_dockerfile(df, allowed, {"BASE": "abcbench/python"})
        return "accepted"
    except DockerfileRefused as exc:
        return str(exc).split(": ", 1)[-1]  # line numbers differ between the two texts


def references(df: Dockerfile) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for ins in df.instructions:
        if ins.keyword == "FROM":
            found.append(("FROM", *ins.value))
        found += [(ins.keyword, "--from", v) for v in flags_of(ins).get("from", [])]
        if ins.keyword == "ADD":
            found.append(("ADD", *ins.value))
    return found


@SETTINGS
@given(dockerfiles())
def test_the_canonical_form_reads_back_as_the_parse(text: str) -> None:
    try:
        original = parse(text)
        canonical = original.render()
    except DockerfileRefused:
        return  # refused before anything is built
    again = parse(canonical)
    assert again.escape == original.escape
    assert [i.shape() for i in again.instructions] == [i.shape() for i in original.instructions]
    assert references(again) == references(original)
    assert verdict(again) == verdict(original)
    assert again.render() == canonical  # a fixed point: the engine reads what we wrote


@SETTINGS
@given(dockerfiles())
def test_an_accepted_dockerfile_names_only_allowed_images(text: str) -> None:
    try:
        original = parse(text)
        check_dockerfile(original, allowed, {"BASE": "abcbench/python"})
        canonical = parse(original.render())
    except DockerfileRefused:
        return
    stages: list[str] = []
    for ins in canonical.instructions:
        if ins.keyword == "FROM":
            image, alias = from_parts(ins)
            image = image.replace("${BASE}", "abcbench/python").replace("$BASE",
                                                                          "abcbench/python")
            assert image in ALLOWED or image.lower() in stages or image == "scratch", text
            stages.append(alias.lower())
        for source in flags_of(ins).get("from", []):
            assert source in ALLOWED or source.lower() in stages or (
                source.isdigit() and int(source) < len(stages)), text
        if ins.keyword == "ADD":
            assert not any("://" in v or v.startswith("git@") for v in ins.value), text
        assert not ins.heredoc
