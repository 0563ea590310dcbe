"""One writer at a time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.warehouse.lock import WarehouseBusy, warehouse_lock

HOLD = """
import sys, time
from pathlib import Path
from pipeline.warehouse.lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(tmp_path: Path, seconds: float) -> subprocess.Popen[str]:
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None and p.stdout.readline().strip() == "held"
    return p


def test_no_wait_refuses_with_a_message(tmp_path: Path) -> None:
    p = _holder(tmp_path, 30)
    try:
        with pytest.raises(WarehouseBusy, match="another news-pipeline run"), warehouse_lock(tmp_path, wait=False):
            pass
    finally:
        p.kill()
        p.wait()


def test_waits_then_acquires(tmp_path: Path) -> None:
    p = _holder(tmp_path, 1.0)
    messages: list[str] = []
    t0 = time.monotonic()
    with warehouse_lock(tmp_path, on_wait=messages.append):
        waited = time.monotonic() - t0
    p.wait()
    assert messages and "waiting" in messages[0]
    assert waited > 0.1


def test_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    p = _holder(tmp_path, 60)
    p.kill()
    p.wait()
    with warehouse_lock(tmp_path, wait=False):
        pass
