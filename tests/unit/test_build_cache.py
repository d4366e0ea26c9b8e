"""Build-cache keys and the rewritten Dockerfile: reuse follows content, never names."""

from __future__ import annotations

import os
from pathlib import Path

from abcbench.grading import build_cache as bc
from abcbench.grading.dockerfile_parse import parse

DOCKERFILE = ("FROM abcbench/python AS app\nWORKDIR /srv\nCOPY deps.txt ./\nRUN install \\\n"
              "    deps.txt\nCOPY src ./src\nCMD [\"python3\", \"-m\", \"src\"]\n")
ROOT = bc.scope("task-a", False, 1.0, 512, 256)


def ids(ref: str) -> str | None:
    return {"abcbench/python": "sha256:py", "abcbench/base": "sha256:base"}.get(ref)


def context(tmp: Path, src: str = "print(1)\n", deps: str = "flask\n") -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "src").mkdir(exist_ok=True)
    (tmp / "src" / "__main__.py").write_text(src)
    (tmp / "deps.txt").write_text(deps)
    return tmp


def keys(text: str, ctx: Path, root: str = ROOT) -> list[list[str]]:
    return [s.keys for s in bc.stages(parse(text), ctx, ".abcbench-dockerfile", root, ids)]


def test_keys_change_from_the_first_step_whose_input_changed(tmp_path: Path) -> None:
    same = keys(DOCKERFILE, context(tmp_path / "a"))[0]
    assert len(same) == 5
    assert same == keys(DOCKERFILE, context(tmp_path / "b"))[0]
    edited = keys(DOCKERFILE, context(tmp_path / "c", src="print(2)\n"))[0]
    assert edited[:3] == same[:3] and all(x != y for x, y in zip(edited[3:], same[3:], strict=True))
    deps = keys(DOCKERFILE, context(tmp_path / "d", deps="django\n"))[0]
    assert deps[0] == same[0] and all(x != y for x, y in zip(deps[1:], same[1:], strict=True))


def test_file_mode_and_ignored_files(tmp_path: Path) -> None:
    base = keys(DOCKERFILE, context(tmp_path / "a"))[0]
    ignored = context(tmp_path / "b")
    (ignored / ".dockerignore").write_text("src/*.pyc\n")
    (ignored / "src" / "x.pyc").write_text("junk")
    with_ignore = keys(DOCKERFILE, ignored)[0]
    assert with_ignore == base  # the .dockerignore is not copied by these steps; x.pyc is ignored
    executable = context(tmp_path / "c")
    os.chmod(executable / "src" / "__main__.py", 0o755)
    assert keys(DOCKERFILE, executable)[0][3] != base[3]


def test_whitespace_of_a_step_is_part_of_its_key(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    spaced = DOCKERFILE.replace("    deps.txt", "  deps.txt")
    assert keys(spaced, ctx)[0][:2] == keys(DOCKERFILE, ctx)[0][:2]
    assert keys(spaced, ctx)[0][2] != keys(DOCKERFILE, ctx)[0][2]


def test_keys_are_scoped_to_the_task_network_limits_and_base(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    mine = keys(DOCKERFILE, ctx)[0]
    for root in (bc.scope("task-b", False, 1.0, 512, 256), bc.scope("task-a", True, 1.0, 512, 256),
                 bc.scope("task-a", False, 2.0, 512, 256)):
        assert not set(keys(DOCKERFILE, ctx, root)[0]) & set(mine)
    other_base = keys(DOCKERFILE.replace("abcbench/python", "abcbench/base"), ctx)[0]
    assert not set(other_base) & set(mine)


def test_steps_the_key_cannot_pin_down_end_reuse(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    for stopper in ("ARG X=1", "ADD deps.txt /x", "COPY --from=abcbench/base /etc /etc",
                    "COPY src/*.py /x/", "COPY $SRC /x", "ONBUILD RUN x", "COPY missing /x",
                    "COPY ../outside /x"):
        text = f"FROM abcbench/python\nWORKDIR /srv\n{stopper}\nRUN after\n"
        assert len(keys(text, ctx)[0]) == 1, stopper
    assert keys("FROM unknown/image\nRUN x\n", ctx) == [[]]
    assert keys("FROM abcbench/python AS a\nRUN x\nFROM a\nRUN y\n", ctx)[1] == []


def test_rewrite_starts_each_stage_from_its_cached_layer(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    text = DOCKERFILE + "FROM abcbench/base\nCOPY --from=app /srv /srv\n"
    found = bc.stages(parse(text), ctx, ".abcbench-dockerfile", ROOT, ids)
    label = 'LABEL "abcbench.run"="r1" "abcbench.trial"="t1"'
    out = bc.rewrite(parse(text), found, [3, 0], "task-a",
                     {"abcbench.trial": "t1", "abcbench.run": "r1"}).render()
    assert out == (f"FROM {bc.cache_ref('task-a', found[0].keys[2])} AS app\n{label}\n"
                   "COPY src ./src\nCMD [\"python3\", \"-m\", \"src\"]\n"
                   f"FROM abcbench/base\n{label}\nCOPY --from=app /srv /srv\n")
    assert bc.cache_ref("Task A/x", "k") == "abcbench-cache/task-a-x:k"
    assert not bc.has_steps_that_run(parse(text), found, [5, 0])
    assert bc.has_steps_that_run(parse(text), found, [3, 0]) is False
    assert bc.has_steps_that_run(parse(text), found, [2, 0])
    assert bc.has_steps_that_run(parse("FROM x\nONBUILD RUN y\n"), [], [])


def test_reuse_needs_the_reference_to_have_the_same_key(tmp_path: Path) -> None:
    reference = bc.stages(parse(DOCKERFILE), context(tmp_path / "ref"), "d", ROOT, ids)
    edited = bc.stages(parse(DOCKERFILE), context(tmp_path / "t", src="print(3)\n"), "d", ROOT, ids)
    assert bc.reusable(edited, reference) == [3]
    assert bc.reusable(reference, reference) == [5]
    other = bc.stages(parse("FROM abcbench/python\nWORKDIR /app\n"), tmp_path, "d", ROOT, ids)
    assert bc.reusable(other, reference) == [0]
