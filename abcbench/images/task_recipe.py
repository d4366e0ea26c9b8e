"""A task's own image recipe: a folder the task brings (`recipe:` in task.yaml), for what the
harness's recipes lack, without editing the harness.

The folder has the layout of a harness recipe (`recipe.yaml` plus a `Dockerfile` that starts
`ARG BASE_IMAGE` / `FROM ${BASE_IMAGE}`), but it is task input, not harness code, so it is built
under a submission's rules: `FROM` only its base, no `COPY --from` another image, no abcbench
labels, no network unless `build_network: true`, resource limits, no layer cache. Debian packages
it lists under `packages:` are installed first by a generated step (the `extra_packages` layer,
which reaches the Debian archive), so most recipes need no network of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from abcbench.errors import UserError
from abcbench.grading.dockerfile_parse import DockerfileRefused, parse
from abcbench.grading.dockerfile_refs import check_dockerfile

RECIPE_FILE = "recipe.yaml"
BASE_ARG = "BASE_IMAGE"
PLACEHOLDER_BASE = "abcbench/task-recipe-base:check"


class TaskRecipeSpec(BaseModel):
    """What a task's `recipe.yaml` may say."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    description: str = ""
    from_: str = Field(alias="from", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                       description="The harness recipe it builds on, e.g. ruby.")
    packages: list[str] = Field(
        default_factory=list,
        description="Debian packages installed over `from` before the Dockerfile runs.")
    build_network: bool = Field(
        default=False, description="Let the Dockerfile's steps reach the network.")
    wheels: list[str] = Field(
        default_factory=list,
        description="PyPI wheels, each pinned NAME==VERSION (no dependencies are resolved: pin "
        "every one), fetched by the host and given to the build as `abcbench-wheels/`; "
        "`RUN /tmp/abcbench-wheels/install` after copying it installs them offline.")
    wheels_python: str = Field(
        default="3.13", pattern=r"^3\.[0-9]{1,2}$",
        description="The Python the wheels are for (the sandbox images run 3.13).")
    build_timeout_sec: float = Field(default=1800, gt=0, le=7200)


def read_task_recipe(folder: Path) -> TaskRecipeSpec:
    """The folder's recipe.yaml, or a UserError that names the file and the field."""
    path = folder / RECIPE_FILE
    if not folder.is_dir():
        raise UserError(f"task recipe folder {folder} does not exist")
    if not path.is_file():
        raise UserError(f"{path} is missing: a task recipe says what it builds on "
                        "(`from: <harness recipe>`)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return TaskRecipeSpec.model_validate(data)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise UserError(f"{path}: field '{loc}': {first['msg']}") from None


def dockerfile_problems(text: str, base_ref: str, network: bool) -> list[str]:
    """What a task recipe's Dockerfile may not do: reach any image but its base, download with
    ADD, or set the labels the harness finds its images by. Read by the official parser; the
    build is handed the canonical form of this same parse."""
    try:
        parsed = parse(text)
    except DockerfileRefused as exc:
        return [f"the Dockerfile is refused: {exc}"]
    if not any(ins.keyword == "FROM" for ins in parsed.instructions):
        return ["the Dockerfile has no FROM; start it with `ARG BASE_IMAGE` and "
                "`FROM ${BASE_IMAGE}`"]

    def allowed(ref: str) -> str | None:
        return None if ref == base_ref else (
            "a task recipe builds only on its base: write `FROM ${BASE_IMAGE}` (set by the "
            "harness from `from:` in recipe.yaml)")

    try:  # the harness passes the base as a build arg (used if the ARG is declared)
        check_dockerfile(parsed, allowed, {BASE_ARG: base_ref})
        parsed.render()
    except DockerfileRefused as exc:
        message = str(exc)
        if message.startswith("line ") and "LABEL" in message:
            return [f"the Dockerfile, {message} (the harness labels its images)"]
        return [f"the Dockerfile is refused: {message}"]
    return []


def escaping_links(folder: Path) -> list[str]:
    """Links in the folder that leave it: the build context and the content hash follow them."""
    root = folder.resolve()
    out: list[str] = []
    for current, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(current) / name
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                out.append(path.relative_to(root).as_posix())
    return out


def recipe_problems(folder: Path, harness_recipes: list[str], sandbox_image: str | None,
                    ) -> list[str]:
    """Static problems of a task recipe folder, as sentences that say what to fix."""
    from abcbench.images.recipe import DEBIAN_PACKAGE

    links = escaping_links(folder) if folder.is_dir() else []
    if links:  # read nothing through them
        return [f"task recipe {folder}: symlink {links[0]} points outside the folder; make it "
                "a file"]
    try:
        spec = read_task_recipe(folder)
    except UserError as exc:
        return [f"field 'recipe': {exc}"]
    where = f"{folder / RECIPE_FILE}"
    problems: list[str] = []
    if spec.from_ not in harness_recipes:
        problems.append(f"{where}: field 'from': {spec.from_!r} is not a harness recipe; "
                        f"known: {', '.join(harness_recipes)}")
    problems += [f"{where}: packages entry {p!r} is not a Debian package name"
                 for p in spec.packages if not DEBIAN_PACKAGE.match(p)]
    from abcbench.images.wheels import CONTEXT_FOLDER, pin_problem

    problems += [f"{where}: wheels entry {why}" for why in map(pin_problem, spec.wheels) if why]
    if spec.wheels and not (folder / "Dockerfile").is_file():
        problems.append(f"{where}: wheels need a Dockerfile that installs them (COPY "
                        f"{CONTEXT_FOLDER}/ ..., RUN .../install)")
    if (folder / CONTEXT_FOLDER).exists():
        problems.append(f"task recipe {folder}: {CONTEXT_FOLDER}/ is reserved for the fetched "
                        "wheels; rename it")
    if sandbox_image is not None and sandbox_image != spec.from_:
        problems.append(f"sandbox.image is {sandbox_image!r} but the task recipe builds on "
                        f"{spec.from_!r} and is the sandbox's image: drop sandbox.image or make "
                        "the two the same")
    dockerfile = folder / "Dockerfile"
    if dockerfile.is_file():
        text = dockerfile.read_text(encoding="utf-8", errors="replace")
        problems += [f"{dockerfile}: {p}" for p in
                     dockerfile_problems(text, PLACEHOLDER_BASE, spec.build_network)]
    elif not dockerfile.is_file() and not spec.packages:
        problems.append(f"task recipe {folder} has neither a Dockerfile nor packages: it adds "
                        "nothing")
    return problems
