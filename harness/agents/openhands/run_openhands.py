"""Runs OpenHands' CodeAct agent headless inside an abcbench sandbox, the way Terminal-Bench's
`--agent openhands` (which produced ABC-Bench's published numbers) does: openhands-ai's V0
`run_controller` with the local runtime (no Docker), browsing off, the auto-continue user reply.

Copied to /opt/abcbench/agents/openhands/harness and started with the bundle's interpreter
(a venv over the sandbox's python3). Usage: openhands-python run_openhands.py run-config.json.
Settings come from the environment (OpenHands reads its own variables); the key is the trial's
gateway token, in LLM_API_KEY only. It stops itself gracefully (SIGINT, as Ctrl-C would) at
`wall_time_limit_seconds`, so its trajectory is saved; the harness's hard timeout is the backstop.
Every event is also in the local file store as it happens (the harness collects them).
"""

import asyncio
import json
import os
import signal
import sys
import threading
from pathlib import Path


def main() -> int:
    cfg = json.loads(Path(sys.argv[1]).read_text())
    from pydantic import SecretStr

    from openhands.core.config import load_openhands_config
    from openhands.core.main import auto_continue_response, run_controller
    from openhands.events.action import MessageAction

    config = load_openhands_config(config_file=cfg["config_file"])
    config.runtime = "local"
    config.workspace_base = cfg["repo_dir"]
    config.max_iterations = int(cfg["max_iterations"])
    config.save_trajectory_path = cfg["trajectory"]
    agent_config = config.get_agent_config(config.default_agent)
    agent_config.enable_browsing = False
    agent_config.enable_prompt_extensions = False
    # The IPython tool's kernel gateway is started with a readiness check that races it (seen
    # here: "ConnectionRefusedError: Failed to connect to kernel", and the runtime dies), so
    # it is off unless asked for; the agent keeps its shell, editor, think and finish tools.
    agent_config.enable_jupyter = bool(cfg.get("enable_jupyter", False))
    if not agent_config.enable_jupyter:  # nor start its kernel (a plugin of the agent class)
        from openhands.agenthub.codeact_agent.codeact_agent import CodeActAgent
        from openhands.runtime.plugins import JupyterRequirement

        CodeActAgent.sandbox_plugins = [p for p in CodeActAgent.sandbox_plugins
                                        if not isinstance(p, JupyterRequirement)]
    # The local runtime waits 120 s for its action server; on a loaded machine the server's
    # imports alone took longer (seen here: "Waiting for server to become ready", then
    # ConnectError and the run died with no model request made). IPv4 loopback, as it binds.
    import tenacity
    from openhands.runtime.impl.local.local_runtime import LocalRuntime

    LocalRuntime._wait_until_alive = LocalRuntime._wait_until_alive.retry_with(
        stop=tenacity.stop_after_delay(float(cfg.get("runtime_start_sec", 900))))
    config.sandbox.local_runtime_url = "http://127.0.0.1"
    llm = config.get_llm_config()
    llm.model = cfg["model"]
    llm.base_url = cfg["base_url"]
    llm.api_key = SecretStr(os.environ["LLM_API_KEY"])
    llm.num_retries = int(cfg.get("retry_attempts", 4))

    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(float(cfg["wall_time_limit_seconds"]), stop)
    timer.daemon = True
    timer.start()
    state = asyncio.run(run_controller(
        config=config, initial_user_action=MessageAction(content=cfg["task"]),
        sid=cfg["sid"], fake_user_response_fn=auto_continue_response, headless_mode=True))
    timer.cancel()
    status = {
        "agent_state": str(getattr(state, "agent_state", None)),
        "last_error": getattr(state, "last_error", None) or None,
        "iterations": getattr(getattr(state, "iteration_flag", None), "current_value", None),
        "stopped_at_wall_time": stopped.is_set(),
    }
    Path(cfg["status"]).write_text(json.dumps(status))
    print(json.dumps(status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
