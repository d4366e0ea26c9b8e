"""`abcbench tasks new`: a task folder from a template, ready for `tasks mask` and `tasks record`.

With `--from PATH|GIT_URL` the working repository is copied (or cloned) into `_repos/<repo>` of
the tasks folder, so the task is self-contained. The scaffold writes nothing its own check
rejects as wrong: the overlay comes from `tasks mask`, the functional tests from `tasks record`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from abcbench.errors import UserError
from abcbench.tasks.materialize import copy_tree
from abcbench.tasks.spec import TASK_ID_PATTERN, Language, TaskType

FRAMEWORK_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.+_-]*$")
PROJECT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
GIT_URL = re.compile(r"^(?:[a-z+]+://|git@)")
CLONE_TIMEOUT_SEC = 300

CONNECTIVITY_TEST = '''import os

import httpx

URL = os.environ["SERVICE_URL"]


def test_service_answers():
    r = httpx.get(f"{{URL}}{path}", timeout=10)
    assert r.status_code {check}
'''

TEMPLATE_LINES = (
    "is ... (what the service does, its stack).",
    "For each masked endpoint: method, path, request body, response shape and status codes.",
)
"""Lines of the scaffold's instruction that a finished instruction no longer has."""

INSTRUCTION = """# {title}

`/app/{project}` is ... (what the service does, its stack).

## What to implement
For each masked endpoint: method, path, request body, response shape and status codes.

## Constraints
The service must listen on port {port}.
{environment}"""

ENVIRONMENT_NOTE = """Write `/app/{project}/Dockerfile`. It must build `FROM abcbench/{language}`, available
offline: the {language} toolchain from Debian packages (`abcbench images show {language}` lists
them{extra}). There is no network during the build.
"""

DOCKERFILE_TEMPLATE = """FROM abcbench/{language}
WORKDIR /srv/app
COPY . .
EXPOSE {port}
# CMD [...]  start the service on 0.0.0.0:{port}
"""

GO_DOCKERFILE_TEMPLATE = """FROM abcbench/go
# GOPATH mode (GO111MODULE=off in abcbench/go): the code is built at its import path.
WORKDIR /gopath/src/{module}
COPY . .
RUN go build -o /usr/local/bin/{binary} .
EXPOSE {port}
CMD ["/usr/local/bin/{binary}"]
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


def _validate(task_id: str, language: str, framework: str, task_type: str,
              project: str) -> None:
    if not re.match(TASK_ID_PATTERN, task_id):
        raise UserError(f"task id {task_id!r}: use lowercase letters, digits, '.', '_', '-'")
    if language not in {lang.value for lang in Language}:
        raise UserError(f"--language {language!r}: one of "
                        f"{', '.join(lang.value for lang in Language)}")
    if not FRAMEWORK_PATTERN.match(framework):
        raise UserError(f"--framework {framework!r}: one lowercase word, e.g. net-http, flask, "
                        "spring-mvc (letters, digits, '.', '+', '_', '-')")
    if task_type not in {t.value for t in TaskType}:
        raise UserError("--type must be logic or environment")
    if not PROJECT_PATTERN.match(project):
        raise UserError(f"--project {project!r}: a folder name (letters, digits, '.', '_', '-')")


def import_repository(source: str, dest: Path) -> None:
    """Copy a local folder, or clone a git URL, into `dest` (which must not exist)."""
    if GIT_URL.match(source):
        try:
            done = subprocess.run(["git", "clone", "--depth", "1", "--quiet", source, str(dest)],
                                  capture_output=True, text=True, timeout=CLONE_TIMEOUT_SEC,
                                  check=False)
        except subprocess.TimeoutExpired:
            shutil.rmtree(dest, ignore_errors=True)
            raise UserError(f"--from {source}: git clone took over {CLONE_TIMEOUT_SEC}s; clone "
                            "it yourself and pass the folder") from None
        if done.returncode != 0:
            shutil.rmtree(dest, ignore_errors=True)
            raise UserError(f"--from {source}: git clone failed: "
                            f"{done.stderr.strip().splitlines()[-1] if done.stderr else ''}")
        shutil.rmtree(dest / ".git", ignore_errors=True)
        return
    folder = Path(source).expanduser()
    if not folder.is_dir():
        raise UserError(f"--from {source}: no such folder (give a repository folder or a git URL)")
    copy_tree(folder.resolve(), dest)


def scaffold_task(tasks_dir: Path, task_id: str, language: str, framework: str,
                  task_type: str, repo: str | None, port: int, *, source: str | None = None,
                  project: str | None = None, health_path: str | None = None) -> Path:
    """Create `tasks_dir/<task_id>/` (and `_repos/<repo>/`, from `source` when given)."""
    if repo is None:
        if source is None:
            raise UserError("give --repo NAME (a folder under _repos/) or --from PATH|GIT_URL")
        repo = re.sub(r"\.git$", "", source.rstrip("/").split("/")[-1].split(":")[-1])
    repo_dir = repository_dir(tasks_dir, repo)
    project = project or repo
    _validate(task_id, language, framework, task_type, project)
    if health_path is not None and not health_path.startswith("/"):
        raise UserError(f"--health-path {health_path!r} must start with '/'")
    task_dir = tasks_dir.resolve() / task_id
    if task_dir.exists():
        raise UserError(f"{task_dir} already exists")
    if source is not None:
        if repo_dir.exists():
            raise UserError(f"{repo_dir} already exists: drop --from to reuse it, or choose "
                            "another --repo")
        repo_dir.parent.mkdir(parents=True, exist_ok=True)
        import_repository(source, repo_dir)
    title = f"{task_id} ({framework})"
    service: dict[str, object] = {"port": port}
    if health_path is not None:
        service["health_path"] = health_path
    mask: dict[str, object] = {"remove": ["Dockerfile"]} if task_type == "environment" else {}
    spec: dict[str, object] = {
        "id": task_id, "title": title, "language": language, "framework": framework,
        "category": "crud", "difficulty": "medium", "task_type": task_type,
        "instruction_file": "instruction.md",
        "repository": {"source": f"../_repos/{repo}", "project": project, "mask": mask},
        "service": service, "tests": {"timeout_sec": 600},
    }
    (task_dir / "tests").mkdir(parents=True)
    (task_dir / "task.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    environment = ENVIRONMENT_NOTE.format(
        project=project, language=language,
        extra="; packages a task adds go in service.extra_packages") \
        if task_type == "environment" else ""
    (task_dir / "instruction.md").write_text(
        INSTRUCTION.format(title=title, project=project, port=port, environment=environment),
        encoding="utf-8")
    (task_dir / "tests" / "test_connectivity.py").write_text(CONNECTIVITY_TEST.format(
        path=health_path or "/", check="== 200" if health_path else "< 500"), encoding="utf-8")
    repo_dir.mkdir(parents=True, exist_ok=True)
    if not (repo_dir / "Dockerfile").exists():
        (repo_dir / "Dockerfile").write_text(_dockerfile(repo_dir, language, project, port),
                                             encoding="utf-8")
    return task_dir


def repository_of(task_dir: Path) -> Path:
    """The reference repository folder a scaffolded task names."""
    spec = yaml.safe_load((task_dir / "task.yaml").read_text(encoding="utf-8"))
    return (task_dir / str(spec["repository"]["source"])).resolve()


def instruction_is_template(text: str) -> bool:
    return any(line in text for line in TEMPLATE_LINES)


def _dockerfile(repo_dir: Path, language: str, project: str, port: int) -> str:
    module = go_module_path(repo_dir) if language == "go" else None
    if language == "go":
        binary = re.sub(r"[^A-Za-z0-9._-]", "-", (module or project).split("/")[-1])
        return GO_DOCKERFILE_TEMPLATE.format(module=module or project, binary=binary, port=port)
    return DOCKERFILE_TEMPLATE.format(language=language, port=port)


MAX_GO_MOD_BYTES = 1 << 20


def go_module_path(repo_dir: Path) -> str | None:
    """The `module` directive of go.mod: the import path the code must be built at in GOPATH
    mode (go.mod's grammar: `module path`, the path optionally quoted, `//` comments)."""
    go_mod = repo_dir / "go.mod"
    if not go_mod.is_file() or go_mod.stat().st_size > MAX_GO_MOD_BYTES:
        return None
    for line in go_mod.read_text(encoding="utf-8", errors="replace").splitlines():
        words = line.split("//", 1)[0].split()
        if len(words) == 2 and words[0] == "module":
            path = words[1].strip('"`')
            if re.fullmatch(r"[A-Za-z0-9._~/-]+", path) and ".." not in path.split("/"):
                return path
    return None


MAX_DOCKERFILE_BYTES = 1 << 20


def upstream_dockerfile_warnings(repo_dir: Path, language: str) -> list[str]:
    """What in an imported repository's Dockerfile cannot build on an engine without a
    registry or BuildKit, each with its line, read by the official parser the builds use: the
    author must rewrite it before `tasks check` (it is the task's own Dockerfile, or an
    environment task's reference)."""
    from abcbench.grading.dockerfile_parse import DockerfileRefused, parse

    dockerfile = repo_dir / "Dockerfile"
    if not dockerfile.is_file() or dockerfile.stat().st_size > MAX_DOCKERFILE_BYTES:
        return []
    try:
        found = parse(dockerfile.read_text(encoding="utf-8", errors="replace")).instructions
    except DockerfileRefused as exc:
        return [f"cannot be built here: {exc}"]
    warnings: list[str] = []
    stages: list[str] = []
    for ins in found:
        plain = list(ins.value)
        if ins.keyword == "FROM" and plain:
            image = plain[0]
            if image.lower() not in stages and image != "scratch" \
                    and not image.startswith("abcbench/"):
                warnings.append(f"line {ins.line}: FROM {image} needs an image registry, and this "
                                f"engine has none: build FROM abcbench/{language} (`abcbench "
                                f"images show {language}` lists its packages)")
            stages.append(plain[2].lower() if len(plain) >= 3 and plain[1].lower() == "as"
                          else "")
        elif ins.keyword == "RUN" and ins.flags:
            warnings.append(f"line {ins.line}: RUN {ins.flags[0].split('=')[0]} needs BuildKit, "
                            "which service builds here do not use: drop the flag")
        elif ins.keyword == "ADD" and any("://" in w or w.startswith("git@") for w in plain[:-1]):
            url = next(w for w in plain[:-1] if "://" in w or w.startswith("git@"))
            warnings.append(f"line {ins.line}: ADD {url} would be downloaded by the engine "
                            "during the build, which builds here refuse: vendor the file into "
                            "the repository")
    return warnings
