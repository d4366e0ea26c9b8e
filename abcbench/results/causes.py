"""Why an unresolved trial failed, beyond its stage: one declarative table of rules.

Each rule names the failure classes it applies to, the log it reads and a pattern; the first
rule that matches gives the cause. Add a row to extend it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from abcbench.results.models import FailureClass, TrialResult


class Cause(StrEnum):
    syntax_error = "syntax_error"
    missing_path_or_entrypoint = "missing_path_or_entrypoint"
    missing_dependency = "missing_dependency"
    compilation_error = "compilation_error"
    port_or_binding = "port_or_binding"
    logic_error = "logic_error"
    timeout = "timeout"
    agent = "agent"
    infrastructure = "infrastructure"
    other = "other"


@dataclass(frozen=True)
class Rule:
    cause: Cause
    failures: tuple[FailureClass, ...]
    log: str  # a key of TrialLogs: build, service, tests
    pattern: re.Pattern[str]


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE | re.MULTILINE)


BUILD, START = (FailureClass.build_failed,), (FailureClass.service_did_not_start,)

RULES: tuple[Rule, ...] = (
    Rule(Cause.missing_path_or_entrypoint, BUILD, "build",
         _rx(r"no Dockerfile at", r"COPY failed", r"ADD failed", r"not found in build context",
             r"no such file or directory")),
    Rule(Cause.syntax_error, BUILD + START, "build",
         _rx(r"SyntaxError", r"syntax error", r"Dockerfile parse error", r"unknown instruction",
             r"unexpected (token|end of file|keyword)")),
    Rule(Cause.missing_dependency, BUILD, "build",
         _rx(r"Unable to locate package", r"ModuleNotFoundError", r"cannot find package",
             r"Cannot find module", r"could not find gem", r"package .* does not exist",
             r"unresolved import", r"Could not open input file", r"not in GOROOT")),
    Rule(Cause.compilation_error, BUILD, "build",
         _rx(r"error\[E\d+\]", r"error CS\d+", r"\.java:\d+: error", r"\.go:\d+:\d+:",
             r"compilation (failed|terminated)", r"could not compile",
             r"returned a non-zero code")),
    Rule(Cause.syntax_error, START, "service",
         _rx(r"SyntaxError", r"syntax error", r"Parse error", r"unexpected (token|end)")),
    Rule(Cause.missing_dependency, START, "service",
         _rx(r"ModuleNotFoundError", r"ImportError", r"Cannot find module", r"LoadError",
             r"ClassNotFoundException", r"NoClassDefFoundError", r"cannot load such file",
             r"Class \".*\" not found")),
    Rule(Cause.missing_path_or_entrypoint, START, "service",
         _rx(r"executable file not found", r"No such file or directory", r"can't open file",
             r"Could not find or load main class", r"Could not open input file")),
    # A server bound to the loopback interface only is unreachable from the tester; each
    # framework says so in its own words ("Running on http://127.0.0.1:5000", "Listening on
    # http://localhost:3000", "Development Server (http://127.0.0.1:8000) started").
    Rule(Cause.port_or_binding, START, "service",
         _rx(r"address already in use", r"EADDRINUSE", r"bind.*permission denied",
             r"(listening|running|serving|started|server|bound)\b[^\n]{0,40}?"
             r"(https?://)?(127\.0\.0\.1|localhost|\[::1\])\b")),
    # Nothing in the log, the container still up, the port refusing: it listens elsewhere.
    Rule(Cause.port_or_binding, START, "service",
         _rx(r"did not answer on port \d+.*(connection refused|errno 111)")),
)

_BY_FAILURE: dict[FailureClass, Cause] = {
    FailureClass.tests_failed: Cause.logic_error,
    FailureClass.no_tests: Cause.other,
    FailureClass.test_timeout: Cause.timeout,
    FailureClass.agent_timeout: Cause.agent,
    FailureClass.agent_error: Cause.agent,
    FailureClass.infrastructure: Cause.infrastructure,
}


def _read(trial_dir: Path, rel: str | None) -> str:
    if rel is None:
        return ""
    try:
        return (trial_dir / rel).read_text(encoding="utf-8", errors="replace")[-200_000:]
    except OSError:
        return ""


def classify(result: TrialResult, trial_dir: Path) -> Cause | None:
    """The cause of an unresolved trial (None for a resolved one)."""
    if result.resolved or result.failure_class is None:
        return None
    for rule in RULES:
        if result.failure_class in rule.failures:
            text = _read(trial_dir, getattr(result.logs, rule.log)) + "\n" + (result.error or "")
            if rule.pattern.search(text):
                return rule.cause
    return _BY_FAILURE.get(result.failure_class, Cause.other)
