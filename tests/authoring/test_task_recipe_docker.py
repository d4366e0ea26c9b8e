"""A task outside the project brings its own image recipe; the oracle resolves it on the real
engine (the one representative case CI runs: the recipe builds on the small tester image)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.oracle import OracleAgent
from abcbench.cli.main import app
from abcbench.images.manager import ImageManager
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox import images as docker_images
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with

pytestmark = [pytest.mark.docker, pytest.mark.slow]

TASK = "fx-quotes-recipe"


def test_task_recipe_builds_offline_and_the_oracle_resolves(tmp_path: Path,
                                                            run_id: str) -> None:
    root = tasks_dir_with(tmp_path, TASK)
    task = TaskRegistry.from_dir(root).get(TASK)
    recipe = ImageManager().book.get(task.sandbox_image)
    try:
        request = RunRequest(tasks=[task], agent_cls=OracleAgent,
                             agent_info=AgentInfo(name=OracleAgent.name),
                             output_dir=tmp_path / "runs", tasks_dir=root, run_id=run_id)
        Runner(request).execute()
        run = RunDir(tmp_path / "runs" / run_id)
        [result] = run.results()
        # Resolution proves the service image built on the recipe (its Dockerfile imports the
        # module only the recipe adds); the recipe's own Dockerfile fails if it sees a network.
        assert result.resolved, (result.failure_class, result.error)
        images = json.loads((tmp_path / "runs" / run_id / "run.json").read_text())[
            "provenance"]["images"]
        assert images[task.sandbox_image].startswith(recipe.ref + "@")  # the agent's sandbox
        labels = docker_client().api.inspect_image(recipe.ref)["Config"]["Labels"]
        assert labels[L.RECIPE] == "task-fx-quotes-recipe"
        assert labels[L.RECIPE_HASH] == recipe.content_hash
        assert labels[L.KIND] == L.KIND_RECIPE_IMAGE
        assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
        jail_run = f"image-{recipe.name}-{recipe.content_hash}"
        assert leftovers(run=jail_run)["containers"] == []

        shown = CliRunner().invoke(app, ["images", "show", "--task", TASK, "--tasks-dir",
                                         str(root), "--json"])
        assert shown.exit_code == 0, shown.output
        body = json.loads(shown.stdout)
        assert body["ref"] == recipe.ref
        assert {"python3", "python3-httpx"} <= {p["name"] for p in body["packages"]}
    finally:
        for ref in (recipe.ref, recipe.alias):
            docker_images.remove_image(ref)
