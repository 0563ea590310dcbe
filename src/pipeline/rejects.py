"""Keep a rejected input's bytes under warehouse/rejects/ and describe it as a `rejects` row."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

from pipeline.ids import make_id
from pipeline.records import Article, Reject

# Reasons that quarantine an article that was read fine: `rejects --retry` can run these again, and the
# same article version is passed over until then (or until the extractor version changes).
QUARANTINE_REASONS = ("extract_error", "data_test", "too_long")

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
    stage: str | None = None
    article_id: str | None = None
    content_hash: str | None = None
    extractor_version: str | None = None


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
        suffix = ".article.json" if r.article_id else ""  # a quarantined article is kept as its record
        target = (rejects_dir / f"{rid[:16]}-{safe_name(r.source)}{suffix}").resolve()
        if target.parent != rejects_dir.resolve():  # belt and braces: never write elsewhere
            raise ValueError(f"refusing to store a reject outside {rejects_dir}: {target}")
        if not target.exists():
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(r.data)
            os.replace(tmp, target)
        stored = str(target)
    return RejectRow(
        rid,
        r.source,
        r.reason,
        r.detail,
        stored,
        run_id,
        now,
        r.stage,
        r.article_id,
        r.content_hash,
        r.extractor_version,
    )


def article_json(a: Article, extractor_version: str) -> bytes:
    """The whole article record (text and metadata) as kept for a quarantined article."""
    row: dict[str, object] = asdict(a)
    row["published_at"] = a.published_at.isoformat() if a.published_at else None
    row["extractor_version"] = extractor_version  # part of the bytes: one reject per article version
    return json.dumps(row, ensure_ascii=False, indent=1).encode("utf-8")


def article_from_json(data: bytes) -> Article:
    """The article a quarantine kept, for `rejects --retry`."""
    row = json.loads(data.decode("utf-8"))
    names = {f.name for f in fields(Article)}
    kept = {k: v for k, v in row.items() if k in names}
    if kept.get("published_at"):
        kept["published_at"] = datetime.fromisoformat(kept["published_at"])
    return Article(**kept)


def quarantine(a: Article, reason: str, stage: str, detail: str, extractor_version: str) -> Reject:
    """A `Reject` for an article that was read but cannot be loaded; it keeps the article to retry."""
    return Reject(
        a.source,
        reason,
        detail,
        article_json(a, extractor_version),
        stage=stage,
        article_id=a.article_id,
        content_hash=a.content_hash,
        extractor_version=extractor_version,
    )
