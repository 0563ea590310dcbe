"""Keep a rejected input's bytes under warehouse/rejects/ and describe it as a `rejects` row."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline.ids import make_id
from pipeline.records import Reject

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class RejectRow:
    reject_id: str
    source: str
    reason: str
    detail: str
    stored_path: str | None
    run_id: str
    rejected_at: datetime


def safe_name(source: str, limit: int = 80) -> str:
    """A file name from a path or URL that cannot leave the rejects folder (no `/`, no `..`, no dotfile)."""
    tail = source.rstrip("/").rsplit("/", 1)[-1] or "input"
    cleaned = _UNSAFE.sub("_", tail).strip("._") or "input"
    return cleaned[:limit]


def reject_id(r: Reject) -> str:
    """Same source and same bytes (or same reason when there are none): the same reject."""
    digest = hashlib.blake2b(r.data, digest_size=16).hexdigest() if r.data is not None else r.reason
    return make_id("reject", r.source, digest)


def store_reject(r: Reject, rejects_dir: Path, run_id: str, now: datetime) -> RejectRow:
    """Write the original bytes (once) and return the row; the detail says what to do about it."""
    rid = reject_id(r)
    stored: str | None = None
    if r.data is not None:
        rejects_dir.mkdir(parents=True, exist_ok=True)
        target = (rejects_dir / f"{rid[:16]}-{safe_name(r.source)}").resolve()
        if target.parent != rejects_dir.resolve():  # belt and braces: never write elsewhere
            raise ValueError(f"refusing to store a reject outside {rejects_dir}: {target}")
        if not target.exists():
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(r.data)
            os.replace(tmp, target)
        stored = str(target)
    return RejectRow(rid, r.source, r.reason, r.detail, stored, run_id, now)
