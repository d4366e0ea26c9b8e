"""The candidate layout: a well-formed candidate loads; every malformed one is a rejection with
a reason, never an exception."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from abcbench.synthesis.candidate import CANDIDATE_DIR, MAX_FILE_BYTES, load_candidate
from abcbench.synthesis.reasons import Reason, Rejected
from tests.synthesis.scripts import candidate_files


def write(repo: Path, files: dict[str, str]) -> Path:
    folder = repo / CANDIDATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return repo


def rejected(repo: Path) -> Reason:
    with pytest.raises(Rejected) as info:
        load_candidate(repo)
    return info.value.rejection.reason


@pytest.mark.parametrize("language", ["python", "go"])
def test_the_scripted_candidates_load(tmp_path: Path, language: str) -> None:
    candidate = load_candidate(write(tmp_path, candidate_files(language)))
    assert candidate.spec.framework in {"flask", "net-http"}
    assert [h.kind for h in candidate.spec.mask.handlers()] == ["function", "function"]
    assert len(candidate.scenario.all_tests()) == 3
    assert candidate.dockerfile.startswith(f"FROM abcbench/{language}")


def test_no_folder_or_no_candidate_file_is_no_candidate(tmp_path: Path) -> None:
    assert rejected(tmp_path) is Reason.no_candidate
    (tmp_path / CANDIDATE_DIR).mkdir()
    assert rejected(tmp_path) is Reason.no_candidate


@pytest.mark.parametrize("edit", [
    lambda c: c.update(mask={"functions": []}),                       # nothing masked
    lambda c: c.update(mask={"functions": ["../etc/passwd:x"]}),      # climbing path
    lambda c: c.update(mask={"functions": ["/abs.py:x"]}),            # absolute path
    lambda c: c.update(mask={"routes": ["notes"]}),                   # not METHOD /path
    lambda c: c.update(mask={"functions": ["a.py:f", "a.py:f"]}),     # listed twice
    lambda c: c.update(name="Has Spaces"),
    lambda c: c.update(framework="Flask Web"),
    lambda c: c.update(task_type="docs"),
    lambda c: c.update(surprise=1),                                   # unknown key
    lambda c: c.pop("name"),
])
def test_invalid_candidate_yaml_is_malformed(tmp_path: Path, edit: object) -> None:
    files = candidate_files("python")
    data = yaml.safe_load(files["candidate.yaml"])
    edit(data)  # type: ignore[operator]
    files["candidate.yaml"] = yaml.safe_dump(data)
    assert rejected(write(tmp_path, files)) is Reason.malformed_candidate


@pytest.mark.parametrize("name,text", [
    ("candidate.yaml", "name: [unclosed"),
    ("candidate.yaml", "- just\n- a list\n"),
    ("scenario.yaml", "tests: [{name: x, steps: [{method: FETCH, path: /}]}]"),
    ("scenario.yaml", "tests: []"),
    ("scenario.yaml", "tests: [{name: x, steps: [{method: GET, path: 'http://evil/'}]}]"),
    ("instruction.md", "# too short"),
])
def test_bad_files_are_malformed(tmp_path: Path, name: str, text: str) -> None:
    files = candidate_files("python")
    files[name] = text
    assert rejected(write(tmp_path, files)) is Reason.malformed_candidate


@pytest.mark.parametrize("missing", ["Dockerfile", "scenario.yaml", "instruction.md"])
def test_a_missing_file_is_malformed(tmp_path: Path, missing: str) -> None:
    files = candidate_files("go")
    del files[missing]
    with pytest.raises(Rejected) as info:
        load_candidate(write(tmp_path, files))
    assert info.value.rejection.reason is Reason.malformed_candidate
    assert missing in info.value.rejection.detail


def test_a_symlinked_file_is_refused_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_text("host secret " * 20)
    files = candidate_files("python")
    del files["instruction.md"]
    repo = write(tmp_path / "repo", files)
    os.symlink(secret, repo / CANDIDATE_DIR / "instruction.md")
    with pytest.raises(Rejected) as info:
        load_candidate(repo)
    assert info.value.rejection.reason is Reason.malformed_candidate
    assert "host secret" not in info.value.rejection.detail


def test_oversized_and_binary_files_are_malformed(tmp_path: Path) -> None:
    files = candidate_files("python")
    files["instruction.md"] = "x" * (MAX_FILE_BYTES + 1)
    assert rejected(write(tmp_path / "a", files)) is Reason.malformed_candidate
    repo = write(tmp_path / "b", candidate_files("python"))
    (repo / CANDIDATE_DIR / "Dockerfile").write_bytes(b"\xff\xfe FROM x")
    assert rejected(repo) is Reason.malformed_candidate


def test_the_candidate_folder_as_a_symlink_is_refused(tmp_path: Path) -> None:
    elsewhere = write(tmp_path / "elsewhere", candidate_files("python")) / CANDIDATE_DIR
    repo = tmp_path / "repo"
    repo.mkdir()
    os.symlink(elsewhere, repo / CANDIDATE_DIR)
    assert rejected(repo) is Reason.malformed_candidate
