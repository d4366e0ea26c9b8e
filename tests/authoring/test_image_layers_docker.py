"""Task-local image layers against the real engine: one small package (jq) over the tester."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from abcbench.agents.base import Agent, AgentContext, AgentResult
from abcbench.cli.main import app
from abcbench.images.manager import ImageManager
from abcbench.images.recipe import RecipeBook
from abcbench.paths import dockerfiles_dir
from abcbench.results.models import AgentInfo
from abcbench.results.store import RunDir
from abcbench.run.runner import Runner, RunRequest
from abcbench.sandbox import images as docker_images
from abcbench.sandbox.lifecycle import leftovers
from abcbench.tasks.registry import TaskRegistry
from tests.authoring_helpers import tasks_dir_with

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.sweep]


class ProbesJq(Agent):
    """Records whether the sandbox has the task's extra package; changes nothing."""

    name = "probes-jq"

    def run(self, ctx: AgentContext) -> AgentResult:
        probe = ctx.sandbox.exec("jq --version", timeout=30)
        (ctx.logs_dir / "jq.txt").write_text(f"{probe.exit_code} {probe.stdout.strip()}")
        return AgentResult(message="probed")


def test_extra_packages_reach_sandbox_and_service_and_images_show_lists_them(
        tmp_path: Path, run_id: str) -> None:
    layer = RecipeBook(dockerfiles_dir()).get("tester[jq]")
    try:
        root = tasks_dir_with(tmp_path, "fx-quotes-jq")
        task = TaskRegistry.from_dir(root).get("fx-quotes-jq")
        request = RunRequest(tasks=[task], agent_cls=ProbesJq,
                             agent_info=AgentInfo(name=ProbesJq.name),
                             output_dir=tmp_path / "runs", tasks_dir=root, run_id=run_id)
        Runner(request).execute()
        [result] = RunDir(tmp_path / "runs" / run_id).results()
        # The masked code fails its tests; that it got to them proves the service image built
        # on the layer (its Dockerfile runs jq), and the agent found jq in its sandbox.
        assert result.failure_class == "tests_failed", (result.failure_class, result.error)
        probe = tmp_path / "runs" / run_id / "trials" / result.trial_name / "agent" / "jq.txt"
        assert probe.read_text().startswith("0 jq-"), probe.read_text()
        assert docker_images.image_exists(layer.ref)
        assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}

        out = CliRunner().invoke(app, ["images", "show", "tester[jq]", "--json"])
        assert out.exit_code == 0, out.output
        shown = json.loads(out.stdout)
        assert shown["ref"] == layer.ref
        names = {p["name"] for p in shown["packages"]}
        assert {"jq", "python3", "bash"} <= names
        base = CliRunner().invoke(app, ["images", "show", "tester", "--json"])
        assert "jq" not in {p["name"] for p in json.loads(base.stdout)["packages"]}
    finally:
        for ref in (layer.ref, layer.alias):
            docker_images.remove_image(ref)
    assert ImageManager().book.get("tester[jq]").ref == layer.ref  # still content-addressed
