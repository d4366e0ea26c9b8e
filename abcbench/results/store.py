"""The run directory: `<output>/<run-id>/run.json` and `trials/<trial>/result.json`.

Writes are atomic (temp file + rename): a crash mid-write never leaves a half file that a
resume or a report would misread.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError

from abcbench.errors import UserError
from abcbench.redact import add_secrets, redact_model, secrets_in_kwargs
from abcbench.results.models import RunManifest, TrialResult

RUN_FILE = "run.json"
RESULT_FILE = "result.json"


def write_json_atomic(path: Path, model: BaseModel) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(model.model_dump_json(indent=2))
            handle.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; results are meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RunDir:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def run_file(self) -> Path:
        return self.path / RUN_FILE

    @property
    def trials_dir(self) -> Path:
        return self.path / "trials"

    def trial_dir(self, trial_name: str) -> Path:
        return self.trials_dir / trial_name

    def exists(self) -> bool:
        return self.run_file.is_file()

    def write_manifest(self, manifest: RunManifest) -> None:
        add_secrets(secrets_in_kwargs(manifest.agent.kwargs))
        write_json_atomic(self.run_file, redact_model(manifest))

    def read_manifest(self) -> RunManifest:
        try:
            return RunManifest.model_validate_json(self.run_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{self.path} is not a run directory (no {RUN_FILE})") from None
        except ValidationError as exc:
            raise UserError(f"{self.run_file}: unreadable run manifest: {exc}") from None

    def write_result(self, result: TrialResult) -> None:
        add_secrets(secrets_in_kwargs(result.agent.kwargs))
        write_json_atomic(self.trial_dir(result.trial_name) / RESULT_FILE, redact_model(result))

    def read_result(self, trial_name: str) -> TrialResult | None:
        path = self.trial_dir(trial_name) / RESULT_FILE
        try:
            return TrialResult.model_validate_json(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValidationError):
            return None

    def results(self) -> list[TrialResult]:
        out = []
        if self.trials_dir.is_dir():
            for child in sorted(self.trials_dir.iterdir()):
                result = self.read_result(child.name)
                if result is not None:
                    out.append(result)
        return out
