"""Rows as text for the CLI: a table that fits the terminal, CSV, JSON Lines or a Markdown table.

Everything here is pure (columns + rows + width in, text out), so layouts are tested without a terminal.

Tables never wrap a cell over several lines. When the natural layout is wider than `width`, in order:
ids and hashes are shortened to their first 8 characters (as git does); optional columns, then the
rightmost ones, are hidden (named in a footer) while even the narrowest layout does not fit; and
free-text columns are cut at a word boundary with an ellipsis. Words, numbers and timestamps are never
cut, so `success` never becomes `succe`/`ss`. `wide=True` skips all of that.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal
from uuid import UUID

Format = Literal["table", "csv", "json", "markdown"]
FORMATS: tuple[Format, ...] = ("table", "csv", "json", "markdown")
# id: shortened; word/number/time: never cut; text: cut at a word; path: cut from the left at a `/`.
Kind = Literal["id", "word", "number", "time", "text", "path"]

SHORT_ID = 8
ELLIPSIS = "…"
GAP = "  "  # between table columns
MIN_TEXT = 12  # a free-text column is never cut narrower than this (or its header)
MIN_PATH = 16

# Run ids are `<UTC timestamp>-<random hex>`: their first 8 characters are only the date, so the
# short form is the random part (the start time has its own column).
_RUN_ID = re.compile(r"^\d{8}T\d{6}-([0-9a-f]{6,})$")
_HEXLIKE = re.compile(r"^[0-9a-fA-F-]{16,}$")
_PREFIXED = re.compile(r"^([a-z_]+:)([0-9a-f]{16,})$")  # `entity:4935ac48...`: the kind stays, the hash shortens
_ID_NAMES = ("id", "hash", "run", "digest", "key")


@dataclass(frozen=True)
class Column:
    """A column to print: its header, how its cells may be shortened, and whether it may be hidden."""

    name: str
    kind: Kind | None = None  # None: inferred from the name and the values
    optional: bool = False  # hidden (last optional first) when the table does not fit otherwise


ColumnSpec = str | Column


# ------------------------------------------------------------------------------------------ values


def short_id(value: str) -> str:
    """First 8 characters, as git shortens hashes; a run id keeps its random part instead."""
    m = _RUN_ID.match(value)
    if m:
        return m.group(1)[:SHORT_ID]
    m = _PREFIXED.match(value)
    if m:
        return m.group(1) + m.group(2)[:SHORT_ID]
    return value[:SHORT_ID]


def iso(value: object) -> object:
    """A value as JSON can carry it: ISO 8601 dates, times and durations, no NaN, lists and maps kept."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [iso(v) for v in value]
    return str(value)


def iso_duration(value: timedelta) -> str:
    """`timedelta(hours=2, seconds=5)` -> `PT2H5S` (ISO 8601)."""
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = f"{sign}P{int(days)}D" if days else f"{sign}P"
    clock = "".join(f"{int(n)}{u}" for n, u in ((hours, "H"), (minutes, "M")) if n)
    if seconds or not (days or clock):
        clock += f"{seconds:g}S"
    return out + ("T" + clock if clock else "")


def text(value: object) -> str:
    """A value as one line of table or CSV text: empty for NULL, ISO 8601 for dates, JSON for lists and maps."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dict | list | tuple):
        return json.dumps(iso(value), ensure_ascii=False)
    converted = iso(value)
    return "" if converted is None else str(converted)


def _cell(value: object, wide: bool) -> str:
    """Table cell text: one line; timestamps to the second and floats to 6 digits unless wide."""
    if isinstance(value, datetime) and not wide:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and not wide and math.isfinite(value):
        return f"{value:.6g}"
    return " ".join(text(value).split())


# ------------------------------------------------------------------------------------------ formats


def render(
    fmt: Format,
    columns: Sequence[ColumnSpec],
    rows: Sequence[Sequence[object]],
    *,
    width: int = 80,
    wide: bool = False,
    shorten: bool = False,
    title: str | None = None,
) -> str:
    """`rows` in `fmt`; `width`, `wide`, `shorten` and `title` concern the table only."""
    if fmt == "csv":
        return render_csv(columns, rows)
    if fmt == "json":
        return render_json(columns, rows)
    if fmt == "markdown":
        return render_markdown(columns, rows)
    return render_table(columns, rows, width, wide=wide, shorten=shorten, title=title)


def _names(columns: Sequence[ColumnSpec]) -> list[str]:
    return [c.name if isinstance(c, Column) else c for c in columns]


def render_csv(columns: Sequence[ColumnSpec], rows: Sequence[Sequence[object]]) -> str:
    """RFC 4180 quoting by the csv module, a header row, `\\n` line ends, NULL as an empty field."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_names(columns))
    writer.writerows([text(v) for v in r] for r in rows)
    return buf.getvalue()


def render_json(columns: Sequence[ColumnSpec], rows: Sequence[Sequence[object]]) -> str:
    """JSON Lines: one object per row, keys in column order, NULL as null, dates in ISO 8601."""
    names = _names(columns)
    lines = [json.dumps(dict(zip(names, (iso(v) for v in r), strict=True)), ensure_ascii=False) for r in rows]
    return "".join(line + "\n" for line in lines)


def _md(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def render_markdown(columns: Sequence[ColumnSpec], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub pipe table: `|` and `\\` escaped, line breaks as spaces, numbers right-aligned."""
    specs = _infer(columns, rows)
    cells = [[_md(_cell(v, wide=True)) for v in r] for r in rows]
    head = "| " + " | ".join(_md(c.name) for c in specs) + " |"
    rule = "| " + " | ".join("---:" if c.kind == "number" else "---" for c in specs) + " |"
    body = ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join([head, rule, *body]) + "\n"


# ------------------------------------------------------------------------------------------ tables


def infer_kind(name: str, values: Sequence[object]) -> Kind:
    """How a column may be shortened, from its name (`*_id`, `*hash`) and its values."""
    present = [v for v in values if v is not None]
    lowered = name.lower()
    if present and all(isinstance(v, bool | int | float | Decimal) for v in present):
        return "number"
    if present and all(isinstance(v, datetime | date | time | timedelta) for v in present):
        return "time"
    strings = [v if isinstance(v, str) else text(v) for v in present]
    id_name = lowered in _ID_NAMES or lowered.endswith((*(f"_{n}" for n in _ID_NAMES), "hash"))
    if id_name and all(" " not in s for s in strings):
        return "id"
    if strings and all(isinstance(v, UUID) or _HEXLIKE.match(s) for v, s in zip(present, strings, strict=True)):
        return "id"
    if any(" " in s for s in strings):
        return "text"
    if any("/" in s or "\\" in s for s in strings):
        return "path"
    if all(len(s) <= 24 for s in strings):
        return "word"
    return "text"


def _infer(columns: Sequence[ColumnSpec], rows: Sequence[Sequence[object]]) -> list[Column]:
    out: list[Column] = []
    for i, c in enumerate(columns):
        col = c if isinstance(c, Column) else Column(c)
        if col.kind is None:
            col = replace(col, kind=infer_kind(col.name, [r[i] for r in rows]))
        out.append(col)
    return out


def cut_words(value: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word with an ellipsis (a lone long word is cut)."""
    if len(value) <= limit:
        return value
    if limit <= 1:
        return ELLIPSIS[:limit]
    head = value[: limit - 1]
    boundary = head.rstrip().rfind(" ")
    if boundary > 0 and value[limit - 1] != " ":
        head = head[:boundary]
    return head.rstrip() + ELLIPSIS


def cut_path(value: str, limit: int) -> str:
    """At most `limit` characters, keeping the end (the file name) from a `/` on, after an ellipsis."""
    if len(value) <= limit:
        return value
    if limit <= 1:
        return ELLIPSIS[:limit]
    tail = value[-(limit - 1) :]
    slash = tail.find("/")
    if 0 <= slash < len(tail) - 1:
        tail = tail[slash:]
    return ELLIPSIS + tail


def _shrink(kind: Kind | None, value: str, limit: int) -> str:
    if kind == "path":
        return cut_path(value, limit)
    if kind == "text":
        return cut_words(value, limit)
    return value  # words, numbers, times and ids are never cut


def _min_width(col: Column, natural: int) -> int:
    if col.kind == "text":
        return min(natural, max(len(col.name), MIN_TEXT))
    if col.kind == "path":
        return min(natural, max(len(col.name), MIN_PATH))
    return natural


def _fit(natural: list[int], minimum: list[int], budget: int) -> list[int]:
    """Column widths: the shrinkable ones (natural > minimum) capped at the largest common width that fits."""
    if sum(natural) <= budget:
        return natural
    lo, hi = 0, max(natural)
    while lo < hi:  # the largest cap whose total fits
        mid = (lo + hi + 1) // 2
        total = sum(min(n, max(m, mid)) for n, m in zip(natural, minimum, strict=True))
        if total <= budget:
            lo = mid
        else:
            hi = mid - 1
    return [min(n, max(m, lo)) for n, m in zip(natural, minimum, strict=True)]


def render_table(
    columns: Sequence[ColumnSpec],
    rows: Sequence[Sequence[object]],
    width: int,
    *,
    wide: bool = False,
    shorten: bool = False,
    title: str | None = None,
) -> str:
    """A plain-text table at most `width` characters wide where it can be (see the module docstring).

    `shorten` shortens ids even when the table would fit (output that is not a terminal).
    """
    specs = _infer(columns, rows)
    cells = [[_cell(v, wide) for v in r] for r in rows]
    if not wide and (shorten or _total(specs, cells, range(len(specs))) > width):
        cells = [[short_id(v) if c.kind == "id" else v for c, v in zip(specs, r, strict=True)] for r in cells]
    keep = list(range(len(specs)))
    hidden: list[str] = []
    if not wide:
        # Optional columns go first (the last one first), then columns from the right; the first stays.
        droppable = [i for i, c in enumerate(specs) if c.optional]
        droppable = [i for i in range(len(specs)) if i not in droppable and i > 0] + droppable
        while droppable and _total(specs, cells, keep, minimal=True) > width:
            drop = droppable.pop()
            keep.remove(drop)
            hidden.append(specs[drop].name)
    shown = [specs[i] for i in keep]
    grid = [[r[i] for i in keep] for r in cells]
    natural = [max([len(c.name), *(len(r[j]) for r in grid)]) for j, c in enumerate(shown)]
    widths = natural
    if not wide:
        minimum = [_min_width(c, n) for c, n in zip(shown, natural, strict=True)]
        widths = _fit(natural, minimum, width - len(GAP) * (len(shown) - 1))
        grid = [[_shrink(c.kind, v, w) for c, v, w in zip(shown, r, widths, strict=True)] for r in grid]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if c.kind == "number" else v.ljust(w) for c, v, w in zip(shown, values, widths, strict=True)
        ]
        return GAP.join(parts).rstrip()

    out = [title] if title else []
    out.append(line([c.name for c in shown]))
    out.append(GAP.join("-" * w for w in widths))
    out.extend(line(r) for r in grid)
    if hidden:
        plural = "s" if len(hidden) > 1 else ""
        out.append(
            wrap(f"({len(hidden)} more column{plural}: {', '.join(reversed(hidden))}; --wide shows them)", width)
        )
    return "\n".join(out) + "\n"


def _total(specs: Sequence[Column], cells: Sequence[Sequence[str]], keep: Sequence[int], minimal: bool = False) -> int:
    """Width of the table over the columns `keep`, at natural widths (or the narrowest allowed)."""
    total = len(GAP) * (len(keep) - 1)
    for i in keep:
        natural = max([len(specs[i].name), *(len(r[i]) for r in cells)])
        total += _min_width(specs[i], natural) if minimal else natural
    return total


def wrap(prose: str, width: int, indent: str = "") -> str:
    """A sentence wrapped at spaces only (a long token stays whole) to `width`."""
    return textwrap.fill(
        prose,
        width=max(width, 20),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


# ------------------------------------------------------------------------------------------ durations

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def parse_duration(value: str) -> timedelta:
    """`90s`, `30m`, `2h`, `1d` (one number and one unit) -> a timedelta; ValueError otherwise."""
    m = _DURATION.match(value.lower())
    if not m:
        raise ValueError(f"{value!r} is not a duration like 90s, 30m, 2h or 1d")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


def human_duration(seconds: float) -> str:
    """`18300` -> `5h 5m`, `42.5` -> `42.5s`: two units at most, for people."""
    if seconds < 60:
        return f"{seconds:.1f}s" if seconds < 10 and seconds != int(seconds) else f"{seconds:.0f}s"
    minutes, sec = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (sec, "s")]
    first = next(i for i, (n, _) in enumerate(parts) if n)
    return " ".join(f"{n}{u}" for n, u in parts[first : first + 2] if n)
