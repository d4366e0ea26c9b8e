"""The pipeline: explore -> build -> filter -> record, per repository, resumable.

Each candidate ends in exactly one of two places: a checked task in `--tasks-dir` (with
`synthesis.json`), or `<tasks-dir>/rejected/<repo>/candidate-<n>/` with `rejection.json` saying
why. A fault in one candidate (a `Rejected`) never stops the batch; the state file is written
after every decision, so an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from abcbench.errors import UserError
from abcbench.results.models import FailureClass
from abcbench.results.store import write_json_atomic
from abcbench.run.runner import RunEvents, new_run_id
from abcbench.synthesis.build import build_task, free_task_id
from abcbench.synthesis.candidate import (
    CANDIDATE_DIR,
    CANDIDATE_FILES,
    MAX_FILE_BYTES,
    Candidate,
    load_candidate,
)
from abcbench.synthesis.explore import AgentChoice, Exploration, explore, project_name
from abcbench.synthesis.filter import FilterResult, filter_task
from abcbench.synthesis.instruction import PROMPT_VERSION
from abcbench.synthesis.license import LicenseInfo, detect_license, license_allowed
from abcbench.synthesis.provenance import (
    REJECTION_FILE,
    Provenance,
    SourceRecord,
    write_provenance,
)
from abcbench.synthesis.reasons import Reason, Rejected, Rejection
from abcbench.synthesis.report import SynthesisReport, build_report, render_markdown
from abcbench.synthesis.source import Source, detect_language, fetch_source, slug
from abcbench.synthesis.state import (
    BatchState,
    CandidateOutcome,
    SourceState,
    SourceStatus,
    load_state,
    save_state,
)
from abcbench.synthesis.static_rules import static_rejections
from abcbench.tasks.model import Task
from abcbench.tasks.spec import Language

REJECTED_DIR = "rejected"
Notify = Callable[[str], None]


@dataclass(frozen=True)
class SynthesisOptions:
    tasks_dir: Path
    work: Path
    agent: AgentChoice
    candidates: int = 1
    repeat: int = 3
    n_concurrent: int = 1
    language: str | None = None
    allow_license: list[str] = field(default_factory=list)
    run_prefix: str | None = None
    """Prefix of the batch's run ids (default: `synth-<time>-<random>`, kept in the state)."""


def synthesize(origins: list[str], opts: SynthesisOptions, notify: Notify = lambda _m: None,
               ) -> SynthesisReport:
    """Every origin through the pipeline; the report covers the whole work folder."""
    opts.work.mkdir(parents=True, exist_ok=True)
    opts.tasks_dir.mkdir(parents=True, exist_ok=True)
    state = load_state(opts.work)
    if state.run_prefix is None:
        state.run_prefix = opts.run_prefix or new_run_id("synth")
        save_state(opts.work, state)
    for i, origin in enumerate(origins, 1):
        notify(f"[{i}/{len(origins)}] {origin}")
        _synthesize_source(origin, opts, state, notify)
        save_state(opts.work, state)
    report = build_report(state)
    write_json_atomic(opts.work / "report.json", report)
    (opts.work / "report.md").write_text(render_markdown(report), encoding="utf-8")
    return report


def _refuse(s: SourceState, reason: Reason, detail: str, notify: Notify) -> None:
    s.status, s.refusal = SourceStatus.refused, Rejection(reason=reason, detail=detail)
    notify(f"  refused: {reason.value}: {detail}")


def _synthesize_source(origin: str, opts: SynthesisOptions, state: BatchState,
                       notify: Notify) -> None:
    s = state.source(origin)
    retry = s.refusal is not None and s.refusal.reason is Reason.source_unavailable
    if s.status is not SourceStatus.pending and not retry:  # a failed fetch is tried again
        notify(f"  already {s.status.value}: skipped")
        return
    s.status, s.refusal = SourceStatus.pending, None
    s.slug = slug(origin)
    work = opts.work / s.slug
    try:
        source = fetch_source(origin, work)
    except UserError as exc:
        return _refuse(s, Reason.source_unavailable, str(exc), notify)
    s.commit = source.commit
    repo = Path(source.folder)
    lic = detect_license(repo)
    s.license = lic.spdx
    if not license_allowed(lic, opts.allow_license):
        return _refuse(s, Reason.license_refused, (
            f"license {lic.spdx} ({lic.file or 'no license file'}) is not permissive; pass "
            f"--allow-license {lic.spdx} if you may use it"), notify)
    language = opts.language or detect_language(repo)
    if language not in {lang.value for lang in Language}:
        return _refuse(s, Reason.language_unknown,
                       f"cannot tell the language ({language}); pass --language", notify)
    s.language = language
    notify(f"  {language}, license {lic.spdx}, commit {source.commit or '-'}: exploring "
           f"({opts.candidates} candidate(s))")
    events = RunEvents(on_message=lambda m: notify(f"  {m}"), on_trial_done=lambda r: notify(
        f"  explored candidate {r.attempt}: "
        f"{r.failure_class.value if r.failure_class else 'the Dockerfile builds and starts'}"))
    explorations = explore(source, language, work, opts.agent, opts.candidates,
                           opts.n_concurrent, f"{state.run_prefix}-{s.slug}-explore", events)
    for exploration in explorations:
        if s.decided(exploration.attempt):
            continue
        outcome = _decide(exploration, source, lic, language, opts, work, state, notify)
        s.candidates.append(outcome)
        save_state(opts.work, state)
    if all(s.decided(a) for a in range(1, opts.candidates + 1)):
        s.status = SourceStatus.done


def _taken(opts: SynthesisOptions, state: BatchState) -> Callable[[str], bool]:
    used = {c.task_id for s in state.sources for c in s.candidates if c.task_id}
    return lambda task_id: (task_id in used or (opts.tasks_dir / task_id).exists()
                            or (opts.tasks_dir / "_repos" / task_id).exists())


def _check_exploration(exploration: Exploration) -> None:
    """Stop a candidate whose exploration trial already shows it cannot work."""
    fc = exploration.result.failure_class
    if fc is FailureClass.build_failed:
        raise Rejected(Reason.dockerfile_does_not_build, exploration.result.error or "")
    if fc is FailureClass.service_did_not_start:
        raise Rejected(Reason.service_does_not_start, exploration.result.error or "")
    if fc is FailureClass.infrastructure or exploration.submission is None:
        raise Rejected(Reason.exploration_failed,
                       f"{fc.value if fc else 'no submission'}: {exploration.result.error}")


def _decide(exploration: Exploration, source: Source, lic: LicenseInfo, language: str,
            opts: SynthesisOptions, work: Path, state: BatchState,
            notify: Notify) -> CandidateOutcome:
    attempt = exploration.attempt
    base = work / "candidates" / str(attempt)
    shutil.rmtree(base, ignore_errors=True)  # an undecided candidate starts again
    staging = base / "tasks"
    staging.mkdir(parents=True)
    result = exploration.result
    task: Task | None = None
    filtered: FilterResult | None = None
    candidate: Candidate | None = None
    rejections: list[Rejection] = []
    try:
        if exploration.submission is not None:
            candidate = load_candidate(exploration.submission)
        _check_exploration(exploration)
        assert candidate is not None
        task_id = free_task_id(f"{language}-{candidate.spec.framework}-{candidate.spec.name}",
                               _taken(opts, state))
        notify(f"  candidate {attempt}: building {task_id}")
        task = build_task(candidate, staging, task_id, language, Path(source.folder),
                          project_name(source), notify=lambda m: notify(f"    {m}"))
        rejections = static_rejections(task)
        if not rejections:
            filtered = filter_task(task, candidate.spec.mask.handlers(),
                                   (base / "checks").resolve(), opts.repeat, opts.n_concurrent,
                                   f"{state.run_prefix}-{source.name}-c{attempt}",
                                   notify=lambda m: notify(f"    {m}"))
            rejections = filtered.rejections
    except Rejected as exc:
        rejections = [exc.rejection]
    record = Provenance(
        task_id=task.id if task else "", source=SourceRecord(
            origin=source.origin, commit=source.commit, dirty=source.dirty),
        license=lic, agent=result.agent, prompt_version=PROMPT_VERSION, candidate=attempt,
        exploration_trial=result.trial_name, usage=result.usage, repeat=opts.repeat,
        filter=filtered, rejections=rejections)
    outcome = CandidateOutcome(attempt=attempt, task_id=task.id if task else None,
                               usage=result.usage, rejections=rejections)
    if not rejections and task is not None:
        final = opts.tasks_dir / task.id
        shutil.move(str(task.directory), final)
        _move_repo(staging, opts, task.id)
        write_provenance(final, record)
        outcome.accepted, outcome.folder = True, str(final)
        notify(f"  candidate {attempt}: CHECKED task {task.id}")
    else:
        folder = opts.tasks_dir / REJECTED_DIR / (state.source(source.origin).slug or "repo") \
            / f"candidate-{attempt}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if exploration.submission is not None:
            _keep_candidate_files(exploration.submission / CANDIDATE_DIR, folder / "candidate")
        if task is not None:
            shutil.copytree(task.directory, folder / "task", symlinks=True)
        write_provenance(folder, record, REJECTION_FILE)
        outcome.folder = str(folder)
        first = rejections[0]
        notify(f"  candidate {attempt}: rejected, {first.reason.value}: {first.detail}")
    shutil.rmtree(base / "tasks", ignore_errors=True)
    return outcome


def _move_repo(staging: Path, opts: SynthesisOptions, task_id: str) -> None:
    (opts.tasks_dir / "_repos").mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging / "_repos" / task_id), opts.tasks_dir / "_repos" / task_id)


def _keep_candidate_files(src: Path, dest: Path) -> None:
    """The candidate's own files (regular files of the layout, within the size bound) for the
    author to read; anything else the agent left there is not copied."""
    for name in CANDIDATE_FILES:
        path = src / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_FILE_BYTES:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / name)
