"""What the driver's model relay (Ray) adds to a model request (prints figures; no assertions).

  python bench/relay_bench.py [--requests 200] [--stream]

The same chat requests, side by side in one process, through a trial's gateway session that
forwards straight to the scripted model server (a local run), and through one that forwards
to the driver's relay, which forwards to the server (a Ray node's session). Everything is on
loopback, so the figure is the relay's own cost per request (one more HTTP hop and the key
swap), not a network's latency. Prints the median and p90 per request and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from abcbench.agents.endpoint import Endpoint
from abcbench.gateway.lease import close_trial, gateway_settings, open_trial
from abcbench.gateway.relay import UpstreamRelay, relayed
from abcbench.llm.pricing import load_price_table
from abcbench.testing.model_server import ModelServer
from abcbench.testing.script import Script, Step, UsageStep

KEY = "sk-bench-relay"
BODY = {"model": "scripted-model", "messages": [{"role": "user", "content": "hi"}]}


def timings(endpoint: Endpoint, logs: Path, n: int, stream: bool, client: httpx.Client
            ) -> list[float]:
    session = open_trial(endpoint, "scripted-model", load_price_table(None), [KEY],
                         gateway_settings({}), logs, None)
    out = []
    try:
        for _ in range(n):
            t0 = time.perf_counter()
            reply = client.post(f"{session.base_url}/v1/chat/completions",
                                json={**BODY, "stream": stream},
                                headers={"Authorization": f"Bearer {session.token}"})
            reply.raise_for_status()
            out.append(time.perf_counter() - t0)
    finally:
        close_trial(session)
    return out


def show(label: str, values: list[float]) -> float:
    median = statistics.median(values)
    p90 = statistics.quantiles(values, n=10)[-1]
    print(f"{label:<28} median {median * 1000:7.2f} ms   p90 {p90 * 1000:7.2f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--stream", action="store_true")
    args = parser.parse_args()
    usage = UsageStep(prompt_tokens=100, completion_tokens=10)
    script = Script(steps=[Step(content="ok", usage=usage)])
    with ModelServer(script, host="127.0.0.1") as server, \
            tempfile.TemporaryDirectory(prefix="relay-bench-") as tmp, \
            httpx.Client(timeout=60) as client:
        relay = UpstreamRelay(Endpoint(base_url=server.base_url, api_key=KEY), "127.0.0.1")
        direct_endpoint = Endpoint(base_url=server.base_url, api_key=KEY)
        node_endpoint = Endpoint(base_url=server.base_url, api_key=relay.token)
        direct: list[float] = []
        relayed_t: list[float] = []
        try:
            with relayed(relay.route):
                for round_ in range(4):  # interleaved, so load on the machine hits both alike
                    n = args.requests // 4
                    direct += timings(direct_endpoint, Path(tmp) / f"d{round_}", n,
                                      args.stream, client)
                    relayed_t += timings(node_endpoint, Path(tmp) / f"r{round_}", n,
                                         args.stream, client)
        finally:
            relay.close()
    kind = "streamed" if args.stream else "whole"
    print(f"{len(direct)} + {len(relayed_t)} {kind} chat requests, loopback")
    a = show("gateway -> provider", direct)
    b = show("gateway -> relay -> provider", relayed_t)
    print(f"relay adds {(b - a) * 1000:.2f} ms per request (x{b / a:.2f})")


if __name__ == "__main__":
    main()
