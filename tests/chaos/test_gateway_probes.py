"""A hostile sandbox against the model gateway, over the real bridge network (issue 18, item 5).

A container holding its trial's token (as every installed agent's sandbox does) tries every
way past the gateway's allow-list: other provider paths, dot segments literal and encoded,
double slashes, absolute targets, wrong methods; then a 400 MiB body without a token, a
negative length, and a body sent a byte at a time. The provider behind the gateway (a
catch-all server that records every request line) must see none of it, every refusal must be
in the trial's `gateway.jsonl`, and the harness's memory must not grow with the body.
Set ABCBENCH_CHAOS_REPORT=file.jsonl to collect the figures (docs/security.md).
"""

from __future__ import annotations

import json
import os
import resource
from pathlib import Path

import pytest

from abcbench.agents.endpoint import Endpoint
from abcbench.gateway.body import BodyLimits
from abcbench.gateway.server import Gateway
from abcbench.gateway.session import TrialSession
from abcbench.images.manager import ImageManager
from abcbench.llm.pricing import load_price_table
from abcbench.sandbox.client import docker_client
from tests.llm.raw_http import CatchAll
from tests.llm.test_gateway_intake import ESCAPES

pytestmark = [pytest.mark.docker, pytest.mark.chaos, pytest.mark.sweep]
KEY = "sk-chaos-gateway-KEY-1a2b3c4d5e"

PROBE = r"""
import json, os, socket, struct, sys, time
route = open("/proc/net/route").read().splitlines()[1:]
gw = next(socket.inet_ntoa(struct.pack("<L", int(f.split()[2], 16)))
          for f in route if f.split()[1] == "00000000")
port, token = int(os.environ["PORT"]), os.environ["TOKEN"]

def status(sock):
    data = b""
    while b"\r\n" not in data:
        piece = sock.recv(4096)
        if not piece:
            return 0
        data += piece
    return int(data.split()[1])

def ask(head, body=b"", drip=0.0):
    with socket.create_connection((gw, port), timeout=20) as s:
        s.sendall(head.encode("latin-1"))
        sent = 0
        try:
            if drip:
                for b in body:
                    s.sendall(bytes([b])); sent += 1; time.sleep(drip)
            else:
                for i in range(0, len(body), 1 << 20):
                    s.sendall(body[i:i + (1 << 20)]); sent += min(1 << 20, len(body) - i)
        except OSError:
            pass
        try:
            return status(s), sent
        except OSError:
            return 0, sent

out = {"escapes": []}
for method, target in json.loads(os.environ["ESCAPES"]):
    body = b'{"model": "m", "messages": []}' if method == "POST" else b""
    head = (f"{method} {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    out["escapes"].append([method, target, ask(head, body)[0]])
big = 400 * 1024 * 1024
t0 = time.monotonic()
out["big_no_token"] = ask("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                          f"Content-Length: {big}\r\n\r\n", b"x" * big)
out["big_no_token_sec"] = round(time.monotonic() - t0, 2)
out["negative"] = ask("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: Bearer {token}\r\nContent-Length: -1\r\n\r\n")[0]
t0 = time.monotonic()
out["drip"] = ask("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                  f"Authorization: Bearer {token}\r\nContent-Length: 200\r\n\r\n",
                  b"x" * 200, drip=0.1)
out["drip_sec"] = round(time.monotonic() - t0, 2)
print(json.dumps(out))
"""


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        line = next(x for x in f if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_a_sandbox_with_its_token_reaches_nothing_but_the_allow_list(
        run_id: str, tmp_path: Path) -> None:
    client = docker_client()
    image = ImageManager().ensure("tester")
    labels = {"abcbench.managed": "true", "abcbench.run": run_id}
    network = client.networks.create(f"chaos-gw-{run_id}", driver="bridge", labels=labels)
    gateway = Gateway(BodyLimits(read_sec=3.0))
    try:
        network.reload()
        bind = network.attrs["IPAM"]["Config"][0]["Gateway"]
        with CatchAll() as provider:
            session = gateway.open(TrialSession(
                upstream=Endpoint(base_url=provider.base_url, api_key=KEY), model="m",
                prices=load_price_table(None), logs_dir=tmp_path, secrets=[KEY]), bind)
            rss_before = _rss_mb()
            out = client.containers.run(
                image, ["python3", "-c", PROBE], network=network.name, labels=labels,
                environment={"PORT": session.base_url.rsplit(":", 1)[1],
                             "TOKEN": session.token, "ESCAPES": json.dumps(ESCAPES)},
                remove=True, name=f"chaos-gw-{run_id}")
            rss_growth = _rss_mb() - rss_before
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            seen = list(provider.seen)
        gateway.close(session)
    finally:
        network.remove()
    report = json.loads(out.decode().strip().splitlines()[-1])
    figures = {"probe": "gateway-allow-list", "upstream_requests": len(seen),
               "rss_growth_mb": round(rss_growth, 1), "peak_rss_mb": round(peak_mb, 1),
               **{k: v for k, v in report.items() if k != "escapes"},
               "escape_statuses": sorted({s for _, _, s in report["escapes"]})}
    if os.environ.get("ABCBENCH_CHAOS_REPORT"):
        with open(os.environ["ABCBENCH_CHAOS_REPORT"], "a", encoding="utf-8") as f:
            f.write(json.dumps(figures) + "\n")
    assert seen == [], f"reached the provider: {seen}"
    assert all(s in (400, 404, 405) for _, _, s in report["escapes"]), report["escapes"]
    status, sent = report["big_no_token"]
    assert status == 401 and report["big_no_token_sec"] < 5, figures
    assert sent < 64 * 1024 * 1024, "the gateway stopped taking the body at once"
    assert rss_growth < 50, f"the harness grew {rss_growth:.0f} MiB"
    assert report["negative"] == 400
    assert report["drip"][0] == 408 and report["drip_sec"] < 8
    records = [json.loads(x) for x in (tmp_path / "gateway.jsonl").read_text().splitlines()]
    assert len([r for r in records if r["refused"]]) == len(ESCAPES) + 2
    assert KEY not in (tmp_path / "gateway.jsonl").read_text()
