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
        """The manifest, or one line naming the file and its first fault (exit 2)."""
        try:
            return RunManifest.model_validate_json(self.run_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{self.path} is not a run directory (no {RUN_FILE})") from None
        except (OSError, UnicodeDecodeError, ValidationError) as exc:
            raise UserError(f"{self.run_file}: unreadable run manifest ({_first_fault(exc)}); "
                            "restore it or start a new run") from None

    def write_result(self, result: TrialResult) -> None:
        add_secrets(secrets_in_kwargs(result.agent.kwargs))
        write_json_atomic(self.trial_dir(result.trial_name) / RESULT_FILE, redact_model(result))

    def read_result(self, trial_name: str) -> TrialResult | None:
        """The trial's result; None when it has none or it cannot be read (see `scan`)."""
        try:
            return self.load_result(trial_name)
        except UnreadableResult:
            return None

    def load_result(self, trial_name: str) -> TrialResult | None:
        """None when the trial has no result; `UnreadableResult` when it cannot be read."""
        path = self.trial_dir(trial_name) / RESULT_FILE
        try:
            return TrialResult.model_validate_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValidationError) as exc:
            raise UnreadableResult(f"{path}: {_first_fault(exc)}") from None

    def scan(self) -> tuple[list[TrialResult], dict[str, str]]:
        """Every readable result, and the trials whose result exists but cannot be read
        (trial name -> why): an unreadable result is not a missing one."""
        found: list[TrialResult] = []
        unreadable: dict[str, str] = {}
        if self.trials_dir.is_dir():
            for child in sorted(self.trials_dir.iterdir()):
                if not child.is_dir():
                    continue
                try:
                    result = self.load_result(child.name)
                except UnreadableResult as exc:
                    unreadable[child.name] = str(exc)
                    continue
                if result is not None:
                    found.append(result)
        return found, unreadable

    def results(self) -> list[TrialResult]:
        return self.scan()[0]


class UnreadableResult(Exception):
    """A result file that exists but does not parse (edited, truncated, a non-finite cost)."""


def _first_fault(exc: BaseException) -> str:
    """One line: pydantic's first error (location and message), else the exception's text."""
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        return f"{loc}: {err['msg']}" if loc else str(err["msg"])
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc).splitlines()[0]
