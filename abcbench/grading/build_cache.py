"""Reuse of build layers the harness made from a task's own reference, never a trial's.

Every trial build runs with no engine cache (`nocache`), so nothing one trial's build committed
can be picked up by another's. What a trial reuses instead is a *reference layer*: the harness
builds the task's reference repository once per engine (same isolation as a trial build) and
tags the layer after each Dockerfile step `abcbench-cache/<task>:<key>`. The key is
content-addressed: the task, the build's network and limits, the base image id, the canonical
line (`dockerfile_parse`) of every step so far and, for a `COPY` from the context, the names,
modes and contents of the files it copies (after `.dockerignore`). A trial whose Dockerfile
stage computes the same key for its first k steps builds `FROM abcbench-cache/<task>:<key_k>`
and runs only the rest, so its build costs what it changed. The tag keeps the layer (and its
parents) out of reach of every trial's cleanup; `abcbench images prune` removes them.

Steps whose effect the key cannot pin down end reuse for their stage: `ARG`, `ONBUILD`, `ADD`,
`COPY --from`, and a `COPY` with wildcards, variables, quotes or escapes in its sources.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docker.errors import APIError, ImageNotFound

from abcbench.grading.dockerfile_parse import (
    Dockerfile,
    DockerfileRefused,
    Instruction,
    parse_instruction,
)
from abcbench.grading.dockerfile_refs import _substitute as substitute
from abcbench.grading.dockerfile_refs import from_parts, global_args
from abcbench.paths import cache_dir
from abcbench.sandbox import labels as L
from abcbench.sandbox.client import docker_client
from abcbench.sandbox.images import context_files, image_exists

CACHE_REPOSITORY = "abcbench-cache"
KIND_BUILD_CACHE = "build-cache"
KEY_VERSION = "abcbench-build-cache-2"
#: Instructions that only set image metadata: their layer is a function of parent and text.
METADATA = {"CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "MAINTAINER", "SHELL",
            "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
_UNCERTAIN = set("*?[$\"'`\\")
"""In a COPY source: a wildcard, or what the engine's word processing would change."""


@dataclass(frozen=True)
class Stage:
    """One `FROM` of a Dockerfile and the keys of the layers after its first steps."""

    start: int
    """The index of its FROM among the Dockerfile's instructions."""
    alias: str
    keys: list[str]
    """keys[k-1]: the layer after the first k steps following FROM; stops where reuse does."""
    steps: list[Instruction]
    """Every instruction of the stage after FROM."""


def scope(task_id: str, network: bool, cpus: float, memory_mb: int, pids: int) -> str:
    """What every key of a task starts from: layers are never shared between tasks, nor
    between builds that ran with a different network or different limits."""
    return _h(KEY_VERSION, task_id, f"network={network}", f"{cpus}/{memory_mb}/{pids}")


def stages(df: Dockerfile, context: Path, dockerfile_name: str, root: str,
           image_id: Callable[[str], str | None]) -> list[Stage]:
    """The Dockerfile's stages with the keys of their reusable leading steps."""
    all_ins = list(df.instructions)
    froms = [i for i, ins in enumerate(all_ins) if ins.keyword == "FROM"]
    if not froms:
        return []
    head = "\n".join([df.escape, *(ins.text for ins in all_ins[:froms[0]])])
    args = global_args(df)
    files = _Context(context, dockerfile_name)
    found: list[Stage] = []
    names: list[str] = []
    for n, start in enumerate(froms):
        end = froms[n + 1] if n + 1 < len(froms) else len(all_ins)
        ins = all_ins[start]
        try:
            ref, alias = from_parts(ins)
        except DockerfileRefused:
            ref, alias = "", ""
        steps = all_ins[start + 1:end]
        keys: list[str] = []
        base = _base_id(ref, args, names, image_id, ins)
        if base is not None and not ins.flags:
            key = _h(root, head, base)
            for step in steps:
                part = _step_part(step, files)
                if part is None:
                    break
                key = _h(key, part)
                keys.append(key)
        found.append(Stage(start, alias, keys, steps))
        names.append(alias.lower())
    return found


def cache_ref(task_id: str, key: str) -> str:
    return f"{CACHE_REPOSITORY}/{_slug(task_id)}:{key}"


def cache_labels(task_id: str) -> dict[str, str]:
    return L.managed(kind=KIND_BUILD_CACHE, task=task_id)


def selector(task_id: str) -> list[str]:
    """Docker `label=` filters of one task's reference layers."""
    return L.selector(kind=KIND_BUILD_CACHE, task=task_id)


def reusable(trial: list[Stage], reference: list[Stage]) -> list[int]:
    """Per trial stage, how many leading steps match the reference's (same key, any stage)."""
    ref_keys = {key for stage in reference for key in stage.keys}
    counts = []
    for stage in trial:
        k = 0
        for i, key in enumerate(stage.keys):
            if key in ref_keys:
                k = i + 1
        counts.append(k)
    return counts


def cached(task_id: str, trial: list[Stage], counts: list[int]) -> list[int]:
    """`counts` cut back to the longest prefix whose layer is tagged on this engine."""
    out = []
    for stage, k in zip(trial, counts, strict=True):
        while k > 0 and not image_exists(cache_ref(task_id, stage.keys[k - 1])):
            k -= 1
        out.append(k)
    return out


def rewrite(df: Dockerfile, found: list[Stage], reuse: list[int], task_id: str,
            labels: dict[str, str]) -> Dockerfile:
    """The Dockerfile the engine builds: each stage's first `reuse` steps replaced by
    `FROM <their cached layer>`, and one `LABEL` with `labels` right after every FROM (so every
    step container and layer the build commits carries them). Generated lines are read by the
    parser like the rest; `render()` gives the canonical text."""
    out = list(df.instructions)
    pairs = " ".join(f'"{k}"="{v}"' for k, v in sorted(labels.items()))
    label = parse_instruction(f"LABEL {pairs}", df.escape)
    for stage, k in reversed(list(zip(found, reuse, strict=True))):
        if k == 0:
            out.insert(stage.start + 1, label)
            continue
        alias = f" AS {stage.alias}" if stage.alias else ""
        cached_from = parse_instruction(f"FROM {cache_ref(task_id, stage.keys[k - 1])}{alias}",
                                        df.escape)
        out[stage.start:stage.start + 1 + k] = [cached_from, label]
    return df.with_instructions(out)


def cache_image_ids() -> set[str]:
    """The ids of the reference layers this engine holds now."""
    api = docker_client().api
    return {i["Id"] for i in api.images(filters={"label": [f"{L.KIND}={KIND_BUILD_CACHE}"]})}


def remove_cache_images(keep: frozenset[str] = frozenset()) -> int:
    """Every reference layer's tag but those of `keep` (ids): `abcbench images prune`, and
    the test session removing what it built. The engine keeps a layer a trial image still
    builds on, untagged, until that trial removes its own."""
    api = docker_client().api
    found = api.images(filters={"label": [f"{L.KIND}={KIND_BUILD_CACHE}"]})
    found = [i for i in found if i["Id"] not in keep]
    removed = 0
    for image in sorted(found, key=lambda i: -int(i.get("Created", 0))):
        for ref in image.get("RepoTags") or []:
            with contextlib.suppress(ImageNotFound, APIError):
                api.remove_image(ref, force=False, noprune=False)
                removed += 1
    return removed


def remove_stray_layers(min_age_sec: float = 60.0) -> int:
    """Remove reference layers nothing holds: untagged, without a child, older than
    `min_age_sec`. A reference build cancelled mid-step can leave the layer the engine committed
    after the abort; it carries the cache's labels, not a run's, so no run's label sweep finds
    it. The age spares a layer a live build committed a moment ago and has not built on yet (a
    step running on it holds it anyway: removal without force is refused)."""
    api = docker_client().api
    found = api.images(filters={"dangling": True,
                                "label": [f"{L.KIND}={KIND_BUILD_CACHE}"]})
    now = time.time()
    removed = 0
    for image in found:
        if now - int(image.get("Created", now)) < min_age_sec:
            continue
        with contextlib.suppress(ImageNotFound, APIError):
            api.remove_image(image["Id"], force=False, noprune=False)
            removed += 1
    return removed


class StepsMismatch(Exception):
    """The build log's steps do not line up with the Dockerfile's: nothing is tagged."""


def reference_key(reference: list[Stage]) -> str:
    """Names one reference build: every key of every stage."""
    return _h(*(key for stage in reference for key in stage.keys))


def log_path(ref_key: str) -> Path:
    return cache_dir() / "build-logs" / f"reference-{ref_key[:16]}.log"


def tag_reference_steps(task_id: str, df: Dockerfile, reference: list[Stage],
                        step_ids: list[str]) -> None:
    """Tag the layer after each keyed step of the reference build (`step_ids`: one id per
    step of the labelled Dockerfile, as the build log gave them), then drop the build's layers
    no tag keeps (the end of a stage whose later steps are not reusable)."""
    labelled = rewrite(df, reference, [0] * len(reference), task_id,
                       cache_labels(task_id)).instructions
    froms = [i for i, ins in enumerate(labelled) if ins.keyword == "FROM"]
    if len(step_ids) == len(labelled):
        offset = 0
    elif len(step_ids) == len(labelled) - froms[0]:
        offset = froms[0]  # no id for the global ARGs before the first FROM
    else:
        raise StepsMismatch(f"{len(step_ids)} step ids for {len(labelled)} instructions")
    api = docker_client().api
    for stage, at in zip(reference, froms, strict=True):
        for j, key in enumerate(stage.keys, start=1):
            ref = cache_ref(task_id, key)
            api.tag(step_ids[at - offset + 1 + j], ref.rsplit(":", 1)[0], key)
    for image in reversed(step_ids):
        with contextlib.suppress(APIError):  # NotFound, or kept: a tag or a child holds it
            if not api.inspect_image(image).get("RepoTags"):
                api.remove_image(image, force=False, noprune=False)


def has_steps_that_run(df: Dockerfile, found: list[Stage], reuse: list[int]) -> bool:
    """Whether any step left to build runs a process: a RUN, or anything at all when the
    Dockerfile has an ONBUILD (its triggers run wherever a later stage starts from it)."""
    if any(ins.keyword == "ONBUILD" for ins in df.instructions):
        return True
    return any(s.keyword == "RUN" for stage, k in zip(found, reuse, strict=True)
               for s in stage.steps[k:])


# -- keys -----------------------------------------------------------------------------------------

def _h(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _slug(task_id: str) -> str:
    slug = "".join(c if c.isalnum() or c in "._-" else "-" for c in task_id.lower()).strip("._-")
    return slug[:100] or "task"


def _base_id(ref: str, args: dict[str, str], stage_names: list[str],
             image_id: Callable[[str], str | None], ins: Instruction) -> str | None:
    """The id of the image a stage starts from; None for `scratch`, an earlier stage or a
    reference that cannot be resolved (no reuse for that stage)."""
    if not ref:
        return None
    try:
        ref = substitute(ref, args, ins)
    except DockerfileRefused:
        return None
    if ref.lower() in stage_names or ref.lower() == "scratch" or ref.isdigit():
        return None
    return image_id(ref)


def engine_image_id(ref: str) -> str | None:
    try:
        return str(docker_client().api.inspect_image(ref)["Id"])
    except ImageNotFound:
        return None


def _step_part(ins: Instruction, files: _Context) -> str | None:
    """What a step's key covers: its canonical line (whitespace inside a `RUN` is the shell's
    business, so two spellings are two keys) and, for a COPY, the files it copies."""
    if ins.keyword in METADATA or ins.keyword == "RUN":
        return ins.text
    if ins.keyword == "COPY":
        if ins.flags and any(f.lower().startswith("--from") for f in ins.flags):
            return None
        sources = list(ins.value[:-1])
        if not sources or any(set(src) & _UNCERTAIN for src in sources):
            return None
        content = files.digest(sources)
        return None if content is None else f"{ins.text}\n{content}"
    return None  # ARG, ONBUILD, ADD, anything unknown


class _Context:
    """The build context as the engine receives it, hashed path by path on demand."""

    def __init__(self, root: Path, dockerfile_name: str) -> None:
        self.root = root
        self.dockerfile_name = dockerfile_name
        self._paths: list[str] | None = None

    def paths(self) -> list[str]:
        if self._paths is None:
            self._paths = context_files(self.root, self.dockerfile_name)
        return self._paths

    def digest(self, sources: list[str]) -> str | None:
        entries: list[str] = []
        for src in sources:
            norm = os.path.normpath(src.lstrip("/")) if src.strip("/") else "."
            if norm.startswith(".."):
                return None
            matched = [p for p in self.paths()
                       if norm == "." or p == norm or p.startswith(norm + "/")]
            if not matched:
                return None
            entries.append(f"source {norm}")
            for path in matched:
                entry = self._entry(path)
                if entry is None:
                    return None
                entries.append(entry)
        return _h(*entries)

    def _entry(self, rel: str) -> str | None:
        full = self.root / rel
        info = full.lstat()
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISLNK(info.st_mode):
            return f"l {rel} {mode:o} {os.readlink(full)}"
        if stat.S_ISDIR(info.st_mode):
            return f"d {rel} {mode:o}"
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256()
            with full.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            return f"f {rel} {mode:o} {digest.hexdigest()}"
        return None  # a socket or device: the key cannot stand for it
