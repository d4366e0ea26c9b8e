"""Static checks of a task: what can be wrong with it before anything runs."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from abcbench.hashing import iter_tree_files
from abcbench.tasks.containment import path_problems
from abcbench.tasks.model import Task, TaskFormat
from abcbench.tasks.safepaths import LinkLoop, resolve
from abcbench.tasks.spec import TaskType


def lint_task(task: Task) -> list[str]:
    """Problems found, as sentences that say what to fix; empty when the task is sound."""
    if task.format is TaskFormat.terminal_bench:
        return [f"{name} is missing" for name in ("solution.sh", "run-tests.sh")
                if not (task.directory / name).is_file()]
    spec = task.spec
    problems = path_problems(spec, task.directory)
    if problems:  # the other checks would read outside the task's trees
        return problems
    reference = task.reference_repo
    problems += [f"{tree}: symlink {rel} points outside it (to {target}); make it a file "
                 "or a link inside the tree" for tree, rel, target in _escaping_links(task)]
    if problems:
        return problems
    for env_file in spec.service.environment_files:
        if not (reference / env_file).is_file():
            problems.append(f"service.environment_files entry {env_file!r} is not a file in the "
                            f"reference repository {reference}: fix the name (a missing "
                            "file is not restored, so the agent's own would be built)")
    tests = task.tests_dir
    if tests.is_relative_to(reference):
        problems.append(f"the tests ({tests}) are inside the repository the agent gets; move "
                        "them out of repository.source")
    test_bodies = {p.read_bytes() for p in iter_tree_files(tests)}
    leaked = [p.relative_to(reference).as_posix() for p in iter_tree_files(reference)
              if p.read_bytes() in test_bodies]
    if leaked:
        problems.append(f"hidden test files are copied in the repository: {', '.join(leaked)}")
    if not re.search(rf"\b{spec.service.port}\b", task.instruction):
        problems.append(f"the instruction never names the service port {spec.service.port}")
    if spec.repository.mask.overlay is not None:
        overlay = task.directory / spec.repository.mask.overlay
        for path in iter_tree_files(overlay):
            rel = path.relative_to(overlay)
            original = reference / rel
            if not original.is_file():
                problems.append(f"overlay file {rel} has no counterpart in the reference, so "
                                "the oracle cannot restore it")
            elif original.read_bytes() == path.read_bytes():
                problems.append(f"overlay file {rel} is identical to the reference: it masks "
                                "nothing")
    if spec.task_type is TaskType.environment:
        removed = set(spec.repository.mask.remove)
        if spec.service.dockerfile not in removed:
            problems.append(f"an environment task must remove {spec.service.dockerfile} "
                            "(repository.mask.remove)")
    elif spec.repository.mask.overlay is None:
        problems.append("a logic task needs a mask.overlay: without it nothing is masked")
    if spec.task_type is TaskType.environment and "abcbench/" not in task.instruction:
        problems.append("the instruction of an environment task should name the base image "
                        "available offline (abcbench/<language>)")
    if spec.recipe is not None:
        problems += _recipe_problems(task, test_bodies)
    elif spec.sandbox.image is not None:
        problems += _sandbox_image_problems(spec.sandbox.image)
    return problems


def _sandbox_image_problems(image: str) -> list[str]:
    """`sandbox.image` names one of the harness's recipes: the run builds nothing else."""
    from abcbench.images.recipe import RecipeBook
    from abcbench.paths import dockerfiles_dir

    names = RecipeBook(dockerfiles_dir()).names()
    if image in names:
        return []
    return [f"field 'sandbox.image': {image!r} is not an image recipe of this harness; known: "
            f"{', '.join(names)} (folders of dockerfiles/; a recipe is built, never pulled)"]


def _recipe_problems(task: Task, test_bodies: set[bytes]) -> list[str]:
    """The task's own image recipe: sound, and holding nothing the agent may not see (what
    its Dockerfile copies ends up in the sandbox)."""
    from abcbench.images.recipe import RecipeBook
    from abcbench.images.task_recipe import recipe_problems
    from abcbench.paths import dockerfiles_dir

    spec = task.spec
    assert spec.recipe is not None
    folder = (task.directory / spec.recipe).resolve()
    secret = {"the task folder itself": task.directory, "the hidden tests": task.tests_dir,
              "the reference repository": task.reference_repo}
    held = [what for what, path in secret.items()
            if path == folder or path.is_relative_to(folder)]
    if held:
        return [f"field 'recipe': {spec.recipe!r} holds {held[0]}, which would be copied into "
                "the images the agent gets; give the recipe a folder of its own (e.g. "
                "environment/recipe)"]
    problems = recipe_problems(folder, RecipeBook(dockerfiles_dir()).names(), spec.sandbox.image)
    if not problems and folder.is_dir():
        copied = [p.relative_to(folder).as_posix() for p in iter_tree_files(folder)
                  if p.read_bytes() in test_bodies]
        if copied:
            problems.append(f"hidden test files are copied in the task recipe: "
                            f"{', '.join(copied)}")
    return problems



def _escaping_links(task: Task) -> Iterator[tuple[str, str, Path]]:
    """(tree, link, target) for each symlink in the reference, overlay or tests that leaves
    its tree: copies keep links as links, but readers of the tree would follow them."""
    spec = task.spec
    trees = [("repository.source", task.reference_repo), ("tests.directory", task.tests_dir)]
    if spec.repository.mask.overlay is not None:
        trees.append(("repository.mask.overlay",
                      (task.directory / spec.repository.mask.overlay).resolve()))
    for field, root in trees:
        for current, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d != ".git"]
            for name in [*dirs, *files]:
                path = Path(current) / name
                if path.is_symlink():
                    try:
                        target = resolve(path)
                    except LinkLoop:  # it leads nowhere inside either
                        yield field, path.relative_to(root).as_posix(), Path(os.readlink(path))
                        continue
                    if not (target == root or target.is_relative_to(root)):
                        yield field, path.relative_to(root).as_posix(), target
