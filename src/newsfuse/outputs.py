"""Outputs that are whole or absent: checked before any work, written atomically.

A file is written under a temporary name in its own directory, synced, then
renamed over the target (``os.replace`` is atomic within one filesystem), so
a reader or a crash sees the old content or the new, never half of one. A
directory (the Dask engine's Parquet output) is built the same way: in a
temporary sibling, renamed into place at the end.

>>> check_file("out/briefs.md")              # doctest: +SKIP
>>> with atomic_file("out/briefs.md") as f:  # doctest: +SKIP
...     f.write("...")
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PathLike = str | os.PathLike[str]


class OutputError(ValueError):
    """An output path that cannot be written, found before any work is done."""


def _parent(path: Path) -> Path:
    return path.absolute().parent


def _check_parent(path: Path) -> None:
    parent = _parent(path)
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: directory {parent} does not exist")
    # the temporary sibling and the final rename both need to create entries here
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: directory {parent} is not writable")


def check_file(path: PathLike) -> None:
    """Raise :class:`OutputError` unless ``path`` can be written as a file
    (an existing file is replaced)."""
    p = Path(path)
    if p.is_dir():
        raise OutputError(f"cannot write {p}: it is a directory")
    _check_parent(p)


def check_dir(path: PathLike, *, overwrite: bool = False) -> None:
    """Raise :class:`OutputError` unless ``path`` can become an output directory:
    absent or empty, or (with ``overwrite``) any directory, to be replaced whole."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(f"cannot write {p}: it is a file, not a directory")
    _check_parent(p)
    if p.is_dir() and not overwrite and any(p.iterdir()):
        raise OutputError(f"{p} is not empty: give another directory, or --overwrite to replace it")


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_name(path: Path, kind: str) -> Path:
    """A fresh name beside ``path`` (hidden, so that globs over the directory skip it),
    with the mode a plain ``open`` would give (mkstemp makes it private)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{kind}", dir=_parent(path))
    try:
        os.fchmod(fd, path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask())
    finally:
        os.close(fd)
    return Path(name)


def _special(path: Path) -> bool:
    """An existing target that is not a regular file: a device (``/dev/null``, ``/dev/stdout``),
    a pipe or a socket. It is written in place: renamed over, it would be replaced by a file."""
    return path.exists() and not path.is_file() and not path.is_dir()


@contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """A temporary path to write ``path``'s content to, with any writer that takes
    a path (Parquet); it replaces ``path`` when the block ends without error and is
    removed when it fails. A device or pipe is written in place (nothing to keep whole)."""
    target = Path(path)
    if _special(target):
        yield target
        return
    tmp = _temp_name(target, "tmp")
    try:
        yield tmp
        _fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(_parent(target))


@contextmanager
def atomic_file(path: PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:  # type: ignore[type-arg]
    """An open temporary file that replaces ``path`` when the block ends without
    error; on an error the target is left as it was and the temporary file removed."""
    with atomic_path(path) as tmp, open(tmp, mode, encoding=None if "b" in mode else encoding) as f:
        yield f
        f.flush()
        if not _special(tmp):
            os.fsync(f.fileno())


def _sync_tree(root: Path) -> None:
    for d, _, files in os.walk(root):
        for name in files:
            _fsync_file(Path(d) / name)
        _fsync_dir(Path(d))


@contextmanager
def atomic_dir(path: PathLike, *, overwrite: bool = False) -> Iterator[Path]:
    """A temporary sibling directory to build ``path`` in; renamed into place when
    the block ends without error, removed when it fails. An existing ``path``
    (non-empty only with ``overwrite``) is replaced only then."""
    target = Path(path)
    check_dir(target, overwrite=overwrite)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=_parent(target)))
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is an ordinary directory
        yield tmp
        _sync_tree(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _move_into_place(tmp, target, overwrite)
    _fsync_dir(_parent(target))


def _move_into_place(tmp: Path, target: Path, overwrite: bool) -> None:
    """Rename ``tmp`` to ``target``. POSIX renames a directory over an empty one
    atomically, and refuses a full one: so without ``overwrite``, a writer that
    filled the target meanwhile wins and this run fails. With ``overwrite`` a
    full target is first moved aside (the target is then absent for the instant
    between two renames, never half written) and deleted once the new one is in place."""
    if not overwrite:
        try:
            os.rename(tmp, target)
        except OSError as e:
            # the finished output is kept (a run may have taken hours): say where it is
            raise OutputError(f"cannot write {target} ({e.strerror}: written by another run meanwhile?); "
                              f"this run's output is in {tmp}") from e
        return
    if target.is_dir() and any(target.iterdir()):
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=_parent(target)))
        os.replace(target, old / "out")
        try:
            os.replace(tmp, target)
        except BaseException:
            os.replace(old / "out", target)  # put the old output back: the run did not replace it
            old.rmdir()
            raise
        shutil.rmtree(old, ignore_errors=True)
        return
    os.replace(tmp, target)
