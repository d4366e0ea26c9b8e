"""A build's Dockerfile may name earlier stages and the project's images, nothing else, and never
makes the engine download: checked on the official parser's reading, never on the text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from abcbench.grading.dockerfile_parse import DockerfileRefused, parse
from abcbench.grading.dockerfile_refs import check_dockerfile

PROJECT = {"abcbench/python", "abcbench/tester:latest"}


def allowed(ref: str) -> str | None:
    return None if ref in PROJECT else "is not one of the project's images"


def check(text: str) -> None:
    df = parse(text)
    check_dockerfile(df, allowed)
    df.render()


@pytest.mark.parametrize("text", [
    "FROM abcbench/python\nCOPY . /srv\n",
    "FROM abcbench/python AS build\nRUN make\nFROM abcbench/tester:latest\n"
    "COPY --from=build /out /srv\nCOPY --from=0 /x /y\n",
    "ARG BASE=abcbench/python\nFROM ${BASE}\n",
    "ARG BASE=abcbench/python\nFROM $BASE\n",
    "FROM abcbench/python as Build\nFROM build\n",
    "FROM scratch\nCOPY x /x\n",
    "# escape=`\nFROM abcbench/python\nRUN echo a `\n  b\n",
    "FROM abcbench/python\nADD app.tar.gz /srv/\nADD [\"a b.txt\", \"/x/\"]\n",
    "FROM abcbench/python\nLABEL maintainer=me version=1\n",
    "FROM abcbench/python AS a\nONBUILD RUN make\n",
])
def test_accepted(text: str) -> None:
    check(text)


BYPASSES_ON_MAIN = [  # each was accepted by the hand-written reader of ffadfa6
    ("FROM abcbench/python\nCOPY\t--from=some-image:tag /file /dst\n",
     "line 2: COPY --from some-image:tag"),
    ("FROM abcbench/python\nADD\thttp://127.0.0.1:8000/file /dst\n",
     "line 2: ADD http://127.0.0.1:8000/file: the engine would download it itself"),
    ("FROM\tsome-image\n", "line 1: FROM some-image"),
    ("FROM abcbench/python\n\t COPY \t --from=some-image /f /d\n", "COPY --from some-image"),
    ("# foo=bar\n# escape=`\nFROM abcbench/python\nRUN true # `\nCOPY --from=some-image /f /d\n",
     "line 5: COPY --from some-image"),
    ("# foo=bar\n# escape=`\nFROM abcbench/python\nRUN true # `\nFROM some-image\n",
     "line 5: FROM some-image"),
    ("FROM abcbench/python\nADD \"http://127.0.0.1:8000/f\" /d\n", "the engine would download"),
    ("FROM abcbench/python\nADD h\\ttp://127.0.0.1:8000/f /d\n", "the engine would download"),
    ("FROM abcbench/python\nADD git@github.com:x/y.git /d\n", "the engine would download"),
    ("FROM abcbench/python\nADD https://example.invalid/x.tgz /x\n",
     "the engine would download"),  # refused even with a build network, now
    ("FROM abcbench/python\nARG U=http://127.0.0.1:1/f\nADD $U /d\n", "write the source out"),
    ("FROM abcbench/python\nONBUILD ADD http://127.0.0.1:1/f /d\n", "would download"),
]


OTHER_REFUSALS = [
    ("FROM abcbench-trial/other:latest\n", "line 1: FROM abcbench-trial/other:latest"),
    ("FROM abcbench/python\nCOPY --from=abcbench-trial/x:latest /app /app\n",
     "line 2: COPY --from abcbench-trial/x:latest: is not"),
    ("FROM abcbench/python\nCOPY --from=1 /a /b\n", "COPY --from 1"),
    ("FROM abcbench/python\nCOPY \\\n  --from=secret-image \\\n  /a /b\n",
     "line 2: COPY --from secret-image"),
    ("FROM abcbench/python\ncopy --FROM=secret /a /b\n", "COPY --from secret"),
    ("FROM abcbench/python AS a\nONBUILD COPY --from=secret /a /b\n", "COPY --from secret"),
    ("ARG BASE\nFROM $BASE\n", "$BASE has no value"),
    ('ARG BASE="some-image"\nFROM $BASE\n', "$BASE has no value"),
    ("ARG BASE=x\nFROM ${BASE:-some-image}\n", "write the image out"),
    ('FROM "some-image"\n', "write the image out"),
    ("FROM some\\-image\n", "write the image out"),
    ("FROM abcbench/python\nARG X=y\nCOPY --from=$X /a /b\n", "no variables or quotes"),
    ('FROM abcbench/python\nCOPY --from="secret" /a /b\n', "COPY --from secret:"),
    ("FROM sha256:0123456789abcdef\n", "FROM sha256:0123456789abcdef"),
    ("FROM abcbench/python\nRUN --mount=type=bind,from=secret,target=/x true\n",
     "RUN takes no flags"),
    ("FROM abcbench/python\nRUN <<EOF\nCOPY --from=secret /a /b\nEOF\n", "heredoc"),
    ("FROM abcbench/python\nFOO bar\n", "FOO is not a Dockerfile instruction"),
    ("FROM abcbench/python\nRUN a\0b\n", "NUL"),
    ("FROM abcbench/python foo\n", "FROM takes an image"),
    ("FROM abcbench/python\n" + "RUN x\n" * 10_001, "more than 10000 lines"),
    ("FROM abcbench/python\nRUN " + "x" * 300_000 + "\n", "larger than 262144 bytes"),
]


@pytest.mark.parametrize(("text", "reason"), [*BYPASSES_ON_MAIN, *OTHER_REFUSALS])
def test_refused(text: str, reason: str) -> None:
    with pytest.raises(DockerfileRefused) as info:
        check(text)
    assert reason in str(info.value)


@pytest.mark.parametrize("text", [
    'FROM abcbench/python\nLABEL "abcbench.kind"="recipe"\n',
    "FROM abcbench/python\nLABEL ABCBENCH.run=other\n",
    "FROM abcbench/python\nARG K=abcbench.run\nLABEL $K=x\n",
    "FROM abcbench/python\nLABEL ab\\cbench.run=other\n",
    "FROM abcbench/python\nLABEL\tabc\"\"bench.run=other\n",
    "FROM abcbench/python AS a\nONBUILD LABEL abcbench.run=x\n",
])
def test_the_harness_labels_cannot_be_set(text: str) -> None:
    """The labels are how a trial's layers are found and project images recognised."""
    with pytest.raises(DockerfileRefused, match="abcbench"):
        check(text)


def test_the_canonical_form_is_one_line_per_instruction() -> None:
    text = ("\ufeff# syntax=docker/dockerfile:1\n# escape=`\n\nfrom\tabcbench/python AS b\n"
            "# comment\nRUN one `\n# inside\n  two\n\nCMD [\"x\"]\n")
    df = parse(text)
    assert df.escape == "`"
    assert [(i.line, i.keyword, i.value) for i in df.instructions] == [
        (4, "FROM", ("abcbench/python", "AS", "b")), (6, "RUN", ("one   two",)),
        (10, "CMD", ("x",))]
    assert df.render() == "# escape=`\nfrom\tabcbench/python AS b\nRUN one   two\nCMD [\"x\"]\n"


def test_a_line_that_would_read_back_differently_is_refused() -> None:
    """`render` parses its own output again: a text that ends in a continuation (or differs
    from its parsed words any other way) is never handed to the engine."""
    df = parse("FROM abcbench/python\nRUN a\nRUN b\n")
    run = df.instructions[1]
    for text in ("RUN a \\", "RUN b", "COPY --from=x a b"):
        bad = df.with_instructions([df.instructions[0], replace(run, text=text),
                                    df.instructions[2]])
        with pytest.raises(DockerfileRefused, match="read"):
            bad.render()
