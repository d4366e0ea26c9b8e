"""`abcbench tasks new`: a task folder from a template, ready to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from abcbench.errors import UserError
from abcbench.tasks.spec import TASK_ID_PATTERN, Language, TaskType

CONNECTIVITY_TEST = '''import os

import httpx

URL = os.environ["SERVICE_URL"]


def test_service_answers():
    assert httpx.get(f"{URL}/health", timeout=10).status_code == 200
'''

FUNCTIONAL_TEST = '''"""Functional tests of the masked endpoints. Each test makes its own data (names unique to the
test), so tests are independent and order-free; no clock, randomness or outside network."""

import os

import httpx

URL = os.environ["SERVICE_URL"]


def test_replace_me():
    r = httpx.get(f"{URL}/health", timeout=10)
    assert r.status_code == 200
    raise AssertionError("write at least six real tests of the masked endpoints")
'''

INSTRUCTION = """# {title}

`/app/{project}` is ... (what the service does, its stack).

## What to implement
For each masked endpoint: method, path, request body, response shape and status codes.

## Constraints
The service must listen on port {port}.
{environment}"""

ENVIRONMENT_NOTE = """Write `/app/{project}/Dockerfile`. It must build `FROM abcbench/{language}` (available
offline: the {language} toolchain and the frameworks the repository uses); there is no network
during the build.
"""


REPO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def repository_dir(tasks_dir: Path, repo: str) -> Path:
    """`tasks_dir/_repos/<repo>`, refusing any name that would land elsewhere."""
    repos = (tasks_dir / "_repos").resolve()
    target = (repos / repo).resolve()
    if not REPO_NAME.match(repo) or target.parent != repos:
        raise UserError(f"--repo {repo!r}: give a folder name under {repos} (letters, digits, "
                        "'.', '_', '-'; no '/' or '..')")
    return target


def scaffold_task(tasks_dir: Path, task_id: str, language: str, framework: str,
                  task_type: str, repo: str, port: int) -> Path:
    if not re.match(TASK_ID_PATTERN, task_id):
        raise UserError(f"task id {task_id!r}: use lowercase letters, digits, '.', '_', '-'")
    if language not in {lang.value for lang in Language}:
        raise UserError(f"--language {language!r}: one of "
                        f"{', '.join(lang.value for lang in Language)}")
    if task_type not in {t.value for t in TaskType}:
        raise UserError("--type must be logic or environment")
    repo_dir = repository_dir(tasks_dir, repo)
    task_dir = tasks_dir / task_id
    if task_dir.exists():
        raise UserError(f"{task_dir} already exists")
    project = repo.split("-")[-1] if "-" in repo else repo
    title = f"{task_id} ({framework})"
    spec: dict[str, object] = {
        "id": task_id,
        "title": title,
        "language": language,
        "framework": framework,
        "category": "crud",
        "difficulty": "medium",
        "task_type": task_type,
        "instruction_file": "instruction.md",
        "repository": {
            "source": f"../_repos/{repo}",
            "project": project,
            "mask": {"overlay": "masked"} if task_type == "logic" else
                    {"overlay": "masked", "remove": ["Dockerfile"]},
        },
        "service": {"port": port, "health_path": "/health", "startup_timeout_sec": 120},
        "tests": {"timeout_sec": 600},
    }
    (task_dir / "masked").mkdir(parents=True)
    (task_dir / "tests").mkdir()
    (task_dir / "task.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    environment = ENVIRONMENT_NOTE.format(project=project, language=language) \
        if task_type == "environment" else ""
    (task_dir / "instruction.md").write_text(
        INSTRUCTION.format(title=title, project=project, port=port, environment=environment),
        encoding="utf-8")
    (task_dir / "tests" / "test_connectivity.py").write_text(CONNECTIVITY_TEST, encoding="utf-8")
    (task_dir / "tests" / "test_functional.py").write_text(FUNCTIONAL_TEST, encoding="utf-8")
    (task_dir / "masked" / ".keep").write_text(
        "Put here copies of the repository's files with the endpoint bodies masked.\n",
        encoding="utf-8")
    if not repo_dir.exists():
        repo_dir.mkdir(parents=True)
        (repo_dir / "Dockerfile").write_text(
            f"FROM abcbench/{language}\nWORKDIR /srv/app\nCOPY . .\nEXPOSE {port}\n"
            "# CMD [...]  start the service on 0.0.0.0\n", encoding="utf-8")
        (repo_dir / "README.md").write_text(
            f"# {repo}\n\nThe reference repository, in its solved state.\n", encoding="utf-8")
    return task_dir
