"""Runs mini-swe-agent headless inside an abcbench sandbox (copied to
/opt/abcbench/agents/mini-swe-agent/harness and started by the harness with PYTHONPATH set to
the agent's bundled packages).

It uses mini-swe-agent's own Python API with its default `mini.yaml` prompts (the `mini` CLI
is interactive-first and pulls in TUI packages): DefaultAgent + LitellmModel + LocalEnvironment.
Usage: python3 run_mini.py run-config.json. The API key arrives in the environment only.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("MSWEA_SILENT_STARTUP", "1")
os.environ["MSWEA_CONFIGURED"] = "true"  # never run the interactive first-time setup
os.environ.setdefault("MSWEA_GLOBAL_CONFIG_DIR", "/tmp/abcbench-agent/mswea-config")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no fetch from the internet
os.environ["MSWEA_COST_TRACKING"] = "ignore_errors"  # the harness prices tokens itself


def main() -> int:
    cfg = json.loads(Path(sys.argv[1]).read_text())
    os.environ["MSWEA_MODEL_RETRY_STOP_AFTER_ATTEMPT"] = str(cfg.get("retry_attempts", 10))

    import yaml
    from minisweagent.agents.default import DefaultAgent
    from minisweagent.config import builtin_config_dir
    from minisweagent.environments.local import LocalEnvironment
    from minisweagent.models.litellm_model import LitellmModel

    base = yaml.safe_load((builtin_config_dir / "mini.yaml").read_text())
    agent_cfg = dict(base.get("agent", {}))
    agent_cfg.pop("mode", None)
    agent_cfg.update(
        step_limit=int(cfg["step_limit"]),
        cost_limit=float(cfg.get("cost_limit", 0)),
        wall_time_limit_seconds=int(cfg["wall_time_limit_seconds"]),
        output_path=Path(cfg["trajectory"]),
    )
    model_cfg = dict(base.get("model", {}))
    model_cfg["model_name"] = cfg["model"]
    model_cfg["model_kwargs"] = {**model_cfg.get("model_kwargs", {}),
                                 "api_base": cfg["base_url"], **cfg.get("model_kwargs", {})}
    model_cfg["cost_tracking"] = "ignore_errors"
    env_cfg = dict(base.get("environment", {}))
    env_cfg.update(cwd=cfg["repo_dir"], timeout=int(cfg["command_timeout"]))

    agent = DefaultAgent(LitellmModel(**model_cfg), LocalEnvironment(**env_cfg), **agent_cfg)
    try:
        result = agent.run(cfg["task"])
    except Exception as exc:  # recorded in the trajectory by mini-swe-agent itself
        print(f"mini-swe-agent raised {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"exit_status": result.get("exit_status")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
