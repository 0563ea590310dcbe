"""One writer per warehouse: an advisory file lock that dies with its process (so kill -9 frees it)."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def warehouse_lock(
    warehouse_dir: Path,
    *,
    wait: bool = True,
    timeout: float = 3600.0,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold `<warehouse>/.lock` for the block; wait for it (telling `on_wait` once) or refuse at once."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait=wait, timeout=timeout, on_wait=on_wait)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        try:
            yield path
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "?"
    except OSError:
        return "?"


def _acquire(fd: int, path: Path, *, wait: bool, timeout: float, on_wait: Callable[[str], None] | None) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    msg = f"another news-pipeline run (pid {_holder(path)}) is writing to {path.parent}"
    if not wait:
        raise WarehouseBusy(f"{msg}; not waiting (--no-wait). Try again when it has finished.")
    if on_wait:
        on_wait(f"{msg}; waiting for it to finish ...")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise WarehouseBusy(f"{msg}; gave up after {timeout:.0f}s") from None
            time.sleep(0.2)
