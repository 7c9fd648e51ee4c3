"""Running a process that truly cannot write a store, as a user without rights on it.

The machine and CI run as root, which writes any file whatever its mode. So a
read-only case runs in a subprocess that gives that power up before it starts:
as root it drops the capabilities that override file permissions
(``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH``, ``CAP_FOWNER``) from its bounding
set, so the program it runs obeys the files' modes like any user; where that is
not allowed it becomes uid/gid 65534 (nobody) instead. A probe checks that the
result really cannot write; the test is skipped only if neither way works.
"""

from __future__ import annotations

import ctypes
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from .conftest import ROOT

_PR_CAPBSET_DROP = 24
_CAPS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
_CAP_SETPCAP = 8
NOBODY = 65534


def make_read_only(*paths: Path) -> None:
    """Files 0444, folders 0555: no one but a privileged process may change them."""
    for p in paths:
        p.chmod(0o555 if p.is_dir() else 0o444)


def make_writable(*paths: Path) -> None:
    for p in paths:
        p.chmod(0o755 if p.is_dir() else 0o644)


def _may_drop_caps() -> bool:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return bool(int(line.split()[1], 16) >> _CAP_SETPCAP & 1)
    return False


def _drop_caps() -> None:  # runs in the child, between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _become_nobody() -> None:
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _preexec(folder: Path) -> Callable[[], None] | None:
    if os.geteuid() != 0:
        return None  # a user's own permissions already apply
    if _may_drop_caps():
        return _drop_caps
    for p in [folder, *folder.parents]:  # nobody must be able to reach the store
        p.chmod(p.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
    return _become_nobody


def run_without_write_access(args: Sequence[str], folder: Path, timeout: float = 300,
                             ) -> subprocess.CompletedProcess[str]:
    """Run ``args`` (a Python command line) unable to write what is read-only in ``folder``."""
    preexec = _preexec(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    probe = folder / "probe-of-write-access"
    check = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}, 'w')"], preexec_fn=preexec, env=env,
                           capture_output=True, text=True, timeout=60)
    if check.returncode == 0 or "PermissionError" not in check.stderr:
        probe.unlink(missing_ok=True)
        pytest.skip("cannot run a process without write access here: " + (check.stderr.strip()[-200:] or "it wrote"))
    return subprocess.run(list(args), preexec_fn=preexec, env=env, capture_output=True, text=True, timeout=timeout)


def newsfuse_args(*args: str) -> list[str]:
    return [sys.executable, "-c", "from newsfuse.cli import main; main()", *args]
