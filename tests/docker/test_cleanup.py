"""`abcbench cleanup` removes what a killed run left behind, found by label."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from abcbench.cli.main import app
from abcbench.sandbox import labels as L
from abcbench.sandbox.lifecycle import (
    ContainerRequest,
    create_internal_network,
    leftovers,
    start_container,
)

pytestmark = pytest.mark.docker


def test_cleanup_after_a_crash(tester_image: str, run_id: str) -> None:
    labels = L.managed(run=run_id, trial="ghost")
    network = create_internal_network(f"abcbench-{run_id}-net", labels)
    start_container(ContainerRequest(image=tester_image, name=f"abcbench-{run_id}-ghost",
                                     labels=labels, command=["sleep", "infinity"],
                                     network=network.name))
    assert leftovers(run=run_id)["containers"] == [f"abcbench-{run_id}-ghost"]
    out = CliRunner().invoke(app, ["cleanup", "--run", run_id])
    assert out.exit_code == 0, out.output
    assert "1 containers, 1 networks" in out.output
    assert leftovers(run=run_id) == {"containers": [], "networks": [], "trial_images": []}
