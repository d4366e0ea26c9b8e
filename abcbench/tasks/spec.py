"""The native task specification: what a `task.yaml` under `tasks/<id>/` may say.

A task is a masked view of a reference repository. The repository lives once (usually under
`tasks/_repos/<name>/`, in its solved state) and several tasks may point at it, each masking a
different endpoint group: the starting state the agent sees is the reference tree with the
task's `mask.overlay` files laid over it and `mask.remove` paths deleted; the oracle restores the
reference tree. Paths inside the spec are relative to the task directory.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from abcbench.egress.allowlist import parse_pattern
from abcbench.egress.settings import EgressMode

TASK_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,79}$"


class Strict(BaseModel):
    """Base for spec models: unknown keys are typos, and typos must fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Language(str, Enum):
    csharp = "csharp"
    javascript = "javascript"
    java = "java"
    ruby = "ruby"
    php = "php"
    go = "go"
    python = "python"
    rust = "rust"


class TaskType(str, Enum):
    """`logic`: the environment files are given; `environment`: the agent must write them."""

    logic = "logic"
    environment = "environment"


class Difficulty(str, Enum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


def _relative_posix(value: str, what: str, inside: str = "the repository",
                   root_ok: bool = False) -> str:
    """Spec paths are relative and never climb: task folders are input, not code. Only a
    build context may name the root itself (`.`): removing, restoring or overlaying the root
    would act on the whole tree, which no run can do.

    The loader then resolves each path (symlinks included) and checks it stays in its tree.
    """
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value or not value.strip():
        raise ValueError(f"{what} must be a relative path inside {inside} (no leading '/', "
                         f"no '..'), got {value!r}")
    if not path.parts and not root_ok:
        raise ValueError(f"{what} {value!r} names {inside} itself; name a file or folder "
                         "inside it")
    return value


def _not_absolute(value: str, what: str) -> str:
    if PurePosixPath(value).is_absolute() or "\\" in value or not value.strip():
        raise ValueError(f"{what} must be a path relative to the task folder, got {value!r}")
    return value


class Mask(Strict):
    """How the starting state is derived from the reference repository."""

    overlay: str | None = Field(
        default=None,
        description="Directory (relative to the task dir) whose files replace the reference's "
        "files at the same relative paths: the masked endpoint bodies.",
    )
    remove: list[str] = Field(
        default_factory=list,
        description="Paths (relative to the repository root) deleted from the starting state. "
        "Environment tasks list their Dockerfile and deploy files here.",
    )
    functions: list[str] = Field(
        default_factory=list,
        description="Functions whose bodies `abcbench tasks mask` replaces with a 'not "
        "implemented' stub, as FILE:NAME (NAME qualified by class/impl/receiver if needed); the "
        "overlay is regenerated from the reference and must equal that regeneration.",
    )
    routes: list[str] = Field(
        default_factory=list,
        description="Route handlers to mask, as 'METHOD /path' (the path as the code writes it).",
    )
    edited_from: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="Set by `tasks mask --keep-edits`: the sha256 of the overlay the selection "
        "generated when the author corrected it by hand. The drift check then accepts the "
        "hand-corrected overlay while the selection still generates exactly that.",
    )
    must_build: bool = Field(
        default=True,
        description="The masked repository builds and starts (with the environment files), so "
        "the untouched code fails on the tests, not on the compiler or at start-up; `tasks check` "
        "verifies it.",
    )

    @field_validator("remove")
    @classmethod
    def _remove_is_relative(cls, value: list[str]) -> list[str]:
        return [_relative_posix(v, "mask.remove entry") for v in value]

    @field_validator("overlay")
    @classmethod
    def _overlay_in_task(cls, value: str | None) -> str | None:
        return None if value is None else _relative_posix(value, "mask.overlay", "the task folder")


class Repository(Strict):
    source: str = Field(
        description="Directory (relative to the task dir) holding the reference repository in "
        "its solved state, e.g. ../_repos/flask-notes."
    )
    project: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Directory name under /app in the sandbox: the agent works in /app/<project>.",
    )
    mask: Mask = Field(default_factory=Mask)

    @field_validator("source")
    @classmethod
    def _source_relative(cls, value: str) -> str:
        # `..` is expected here (../_repos/<name>); the loader keeps it inside the tasks folder.
        return _not_absolute(value, "repository.source")


class Service(Strict):
    """How the harness deploys the submission and knows it is up."""

    port: int = Field(ge=1, le=65535, description="Port the service listens on in its container.")
    dockerfile: str = Field(
        default="Dockerfile", description="Dockerfile path, relative to the repository root."
    )
    build_context: str = Field(
        default=".", description="Build context, relative to the repository root."
    )
    health_path: str | None = Field(
        default=None,
        description="HTTP path that answers once the service is ready; without it, readiness "
        "is the first accepted TCP connection followed by any HTTP response.",
    )
    startup_timeout_sec: float = Field(default=120, gt=0, le=3600)
    build_timeout_sec: float = Field(default=900, gt=0, le=7200)
    build_network: bool = Field(default=False, description="Let the build reach the network.")
    env: dict[str, str] = Field(default_factory=dict, description="Environment of the service.")
    environment_files: list[str] = Field(
        default_factory=lambda: ["Dockerfile"],
        description="Files that make up the environment. For logic tasks the harness restores "
        "them from the reference before the build, so only the agent's code is judged.",
    )
    extra_packages: list[str] = Field(
        default_factory=list,
        description="Debian packages layered over every abcbench/<recipe> the Dockerfile builds "
        "FROM (content-addressed like every image): what the language recipe lacks.",
    )

    @field_validator("dockerfile")
    @classmethod
    def _relative(cls, value: str) -> str:
        return _relative_posix(value, "service.dockerfile")

    @field_validator("build_context")
    @classmethod
    def _context_relative(cls, value: str) -> str:
        return _relative_posix(value, "service.build_context", root_ok=True)

    @field_validator("environment_files")
    @classmethod
    def _environment_files_relative(cls, value: list[str]) -> list[str]:
        return [_relative_posix(v, "environment_files entry") for v in value]

    @field_validator("health_path")
    @classmethod
    def _health_starts_with_slash(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError("service.health_path must start with '/'")
        return value


class Tests(Strict):
    directory: str = Field(
        default="tests", description="Hidden tests, relative to the task dir; pytest + httpx."
    )
    timeout_sec: float = Field(default=1800, gt=0, le=7200)

    @field_validator("directory")
    @classmethod
    def _directory_in_task(cls, value: str) -> str:
        return _relative_posix(value, "tests.directory", "the task folder")


class Resources(Strict):
    cpus: float = Field(default=1.0, gt=0, le=64)
    memory_mb: int = Field(default=4096, ge=128, le=262144)
    pids: int = Field(default=2048, ge=64, le=1_000_000)
    disk_mb: int = Field(default=10240, ge=64, description="Sandbox writable-layer budget.")


RECIPE_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
"""An image recipe's name: a folder of dockerfiles/ (never an image reference or a path)."""


class Sandbox(Strict):
    image: str | None = Field(
        default=None, pattern=RECIPE_NAME_PATTERN,
        description="Image recipe (a folder of dockerfiles/, e.g. python) for the agent's "
        "sandbox; defaults to the task's language. Not an image reference: nothing is pulled.",
    )
    extra_packages: list[str] = Field(
        default_factory=list,
        description="Debian packages layered over the sandbox's recipe (content-addressed).",
    )
    egress: EgressMode = Field(
        default="full",
        description="What the agent's sandbox reaches: none, archive (package archives "
        "through the harness's allow-listing proxy) or full (the published benchmark's "
        "setting); a run's --egress overrides it. See docs/security.md.")
    egress_allow: list[str] = Field(
        default_factory=list,
        description="With egress archive: hosts allowed besides the default archives, as "
        "HOST, HOST:PORT, *.DOMAIN or *.DOMAIN:PORT (no port: 80 and 443).")

    @field_validator("egress_allow")
    @classmethod
    def _allow_patterns(cls, value: list[str]) -> list[str]:
        for entry in value:
            parse_pattern(entry)  # its ValueError names the entry and the accepted forms
        return value


class TaskSpec(Strict):
    """One benchmark task. `abcbench tasks schema` prints this model's JSON Schema."""

    schema_version: int = Field(default=1, ge=1, le=1)
    id: str = Field(pattern=TASK_ID_PATTERN)
    title: str = Field(min_length=3)
    language: Language
    framework: str = Field(min_length=1, description="e.g. flask, express, gin, axum.")
    category: str = Field(
        min_length=1, description="What the masked endpoints do, e.g. crud, search, auth."
    )
    difficulty: Difficulty = Difficulty.medium
    task_type: TaskType
    instruction: str | None = Field(default=None, description="Inline instruction text.")
    instruction_file: str | None = Field(
        default=None, description="Instruction file relative to the task dir (instruction.md)."
    )
    repository: Repository
    service: Service
    tests: Tests = Field(default_factory=Tests)
    agent_timeout_sec: float = Field(default=3600, gt=0, le=86400)
    estimated_duration_sec: float | None = Field(
        default=None, gt=0, description="Typical trial time; runs start the longest first."
    )
    resources: Resources = Field(default_factory=Resources)
    sandbox: Sandbox = Field(default_factory=Sandbox)
    tags: list[str] = Field(default_factory=list)
    recipe: str | None = Field(
        default=None,
        description="The task's own image recipe: a folder (relative to the task dir, e.g. "
        "environment/recipe) with a recipe.yaml (`from: <harness recipe>`, `packages:`) and a "
        "Dockerfile. It is the sandbox's image and stands in for `FROM abcbench/<from>` in the "
        "service build. See docs/task-format.md.",
    )
    notes: str | None = Field(
        default=None,
        description="Where the task differs from the published benchmark (e.g. a substituted "
        "framework).",
    )

    @field_validator("instruction_file")
    @classmethod
    def _instruction_in_task(cls, value: str | None) -> str | None:
        return None if value is None else _relative_posix(value, "instruction_file",
                                                          "the task folder")

    @field_validator("recipe")
    @classmethod
    def _recipe_in_task(cls, value: str | None) -> str | None:
        return None if value is None else _relative_posix(value, "recipe", "the task folder")

    @model_validator(mode="after")
    def _one_instruction(self) -> TaskSpec:
        if (self.instruction is None) == (self.instruction_file is None):
            raise ValueError("give exactly one of 'instruction' or 'instruction_file'")
        if self.task_type is TaskType.environment and not self.repository.mask.remove:
            raise ValueError(
                "an environment task must remove its environment files: list them under "
                "repository.mask.remove (at least the Dockerfile)"
            )
        return self

    @property
    def sandbox_image(self) -> str:
        from abcbench.images.recipe import layer_name

        return layer_name(self.sandbox.image or self.language.value, self.sandbox.extra_packages)

    @property
    def repo_dir_in_sandbox(self) -> str:
        return f"/app/{self.repository.project}"


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Task-id globs: `*` and `?` only, matched against the whole id."""
    return re.compile("^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".") + "$")
