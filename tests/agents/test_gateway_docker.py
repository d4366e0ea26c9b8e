"""A container on its own user-defined bridge network reaches the gateway listening on that
network's gateway IP, with a trial token only, and the provider sees the real key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.gateway.server import Gateway
from abcbench.gateway.session import TrialSession
from abcbench.images.manager import ImageManager
from abcbench.llm.pricing import load_price_table
from abcbench.sandbox.client import docker_client
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep

pytestmark = pytest.mark.docker
KEY = "sk-gateway-docker-test-KEY-77aa88bb99"

CLIENT = r"""
import json, os, socket, struct, httpx
route = open("/proc/net/route").read().splitlines()[1:]
gw = next(socket.inet_ntoa(struct.pack("<L", int(f.split()[2], 16)))
          for f in route if f.split()[1] == "00000000")
r = httpx.post(f"http://{gw}:{os.environ['PORT']}/v1/messages",
               headers={"x-api-key": os.environ["TOKEN"], "anthropic-version": "2023-06-01"},
               json={"model": "claude-sonnet-4-5", "max_tokens": 5, "stream": True,
                     "messages": [{"role": "user", "content": "hi"}]})
print(json.dumps({"gateway": gw, "status": r.status_code, "env": dict(os.environ),
                  "last": r.text.strip().splitlines()[-1]}))
"""


def test_container_on_its_own_network_reaches_the_gateway(run_id: str, tmp_path: Path) -> None:
    client = docker_client()
    image = ImageManager().ensure("tester")
    labels = {"abcbench.managed": "true", "abcbench.run": run_id}
    network = client.networks.create(f"wt-agents-{run_id}", driver="bridge", labels=labels)
    gateway = Gateway()
    try:
        network.reload()
        bind = network.attrs["IPAM"]["Config"][0]["Gateway"]
        script = Script(steps=[Step.say("hello", usage=UsageStep(prompt_tokens=10,
                                                                 completion_tokens=2))])
        with ModelServer(script, host="127.0.0.1") as provider:
            session = gateway.open(TrialSession(
                upstream=Endpoint(base_url=provider.base_url, api_key=KEY), model="m",
                prices=load_price_table(None), logs_dir=tmp_path, secrets=[KEY]), bind)
            port = session.base_url.rsplit(":", 1)[1]
            out = client.containers.run(
                image, ["python3", "-c", CLIENT], network=network.name, labels=labels,
                environment={"PORT": port, "TOKEN": session.token}, remove=True,
                name=f"wt-agents-{run_id}")
            seen = provider.requests
        gateway.close(session)
    finally:
        network.remove()
    report = json.loads(out.decode().strip().splitlines()[-1])
    assert report["gateway"] == bind and report["status"] == 200
    assert report["last"] == 'data: {"type":"message_stop"}'
    assert KEY not in json.dumps(report["env"])
    assert seen[0].headers["x-api-key"] == KEY
    assert session.summary().usage.input_tokens == 10
    assert session.summary().usage.output_tokens == 2
