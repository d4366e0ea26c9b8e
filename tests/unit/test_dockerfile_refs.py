"""A submission's Dockerfile may name earlier stages and the project's images, nothing else."""

from __future__ import annotations

import pytest

from abcbench.grading.dockerfile_refs import DockerfileRefused, check_references, instructions

PROJECT = {"abcbench/python", "abcbench/tester:latest"}


def allowed(ref: str) -> str | None:
    return None if ref in PROJECT else "is not one of the project's images"


def check(text: str, network: bool = False) -> None:
    check_references(text, allowed, network=network)


@pytest.mark.parametrize("text", [
    "FROM abcbench/python\nCOPY . /srv\n",
    "FROM abcbench/python AS build\nRUN make\nFROM abcbench/tester:latest\n"
    "COPY --from=build /out /srv\nCOPY --from=0 /x /y\n",
    "ARG BASE=abcbench/python\nFROM ${BASE}\n",
    "FROM abcbench/python as Build\nFROM build\n",
    "FROM scratch\nCOPY x /x\n",
    "# escape=`\nFROM abcbench/python\nRUN echo a `\n  b\n",
    "FROM abcbench/python\nADD https://example.invalid/x.tgz /x\n",
])
def test_accepted(text: str) -> None:
    network = "ADD http" in text
    check(text, network=network)


@pytest.mark.parametrize(("text", "reason"), [
    ("FROM abcbench-trial/other:latest\n", "line 1: FROM abcbench-trial/other:latest"),
    ("FROM abcbench/python\nCOPY --from=abcbench-trial/x:latest /app /app\n",
     "line 2: COPY --from abcbench-trial/x:latest: is not"),
    ("FROM abcbench/python\nCOPY --from=1 /a /b\n", "COPY --from 1"),
    ("FROM abcbench/python\nCOPY \\\n  --from=secret-image \\\n  /a /b\n",
     "line 2: COPY --from secret-image"),
    ("FROM abcbench/python\ncopy --FROM=secret /a /b\n", "COPY --from secret"),
    ("FROM abcbench/python AS a\nONBUILD COPY --from=secret /a /b\n", "COPY --from secret"),
    ("ARG BASE\nFROM $BASE\n", "$BASE has no value"),
    ("FROM abcbench/python\nARG X=y\nCOPY --from=$X /a /b\n", "variables are not checked"),
    ("FROM abcbench/python\nADD http://10.0.0.1/x /x\n", "downloads during the build"),
    ("FROM sha256:0123456789abcdef\n", "FROM sha256:0123456789abcdef"),
])
def test_refused(text: str, reason: str) -> None:
    with pytest.raises(DockerfileRefused) as info:
        check(text)
    assert reason in str(info.value)


def test_instructions_join_continuations_and_skip_comments() -> None:
    found = instructions("# syntax=x\nFROM a\n# c\nRUN one \\\n# inside\n  two\n\nCMD x")
    assert [(i.line, i.keyword, i.args) for i in found] == [
        (2, "FROM", "a"), (4, "RUN", "one two"), (8, "CMD", "x")]


@pytest.mark.parametrize("text", [
    'FROM abcbench/python\nLABEL "abcbench.kind"="recipe"\n',
    "FROM abcbench/python\nLABEL ABCBENCH.run=other\n",
    "FROM abcbench/python\nARG K=abcbench.run\nLABEL $K=x\n",
])
def test_submissions_cannot_set_the_harness_labels(text: str) -> None:
    """The labels are how a trial's layers are found and project images recognised."""
    from abcbench.grading.deploy import _check_labels

    with pytest.raises(DockerfileRefused, match="abcbench"):
        _check_labels(text)
    _check_labels("FROM abcbench/python\nLABEL maintainer=me version=1\n")
