"""The CLI's pure output functions: tables that fit, CSV, JSON Lines, Markdown, durations."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from pipeline.cli_output import (
    Column,
    cut_path,
    cut_words,
    human_duration,
    infer_kind,
    iso_duration,
    parse_duration,
    render,
    render_csv,
    render_json,
    render_markdown,
    render_table,
    short_id,
)

HASH = "5e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f"
RUN = "20261201T080000-9f8e7d6c"
AT = datetime(2026, 12, 1, 8, 0, 0, 123456)


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def test_short_ids_are_git_like_and_run_ids_keep_their_random_part() -> None:
    assert short_id(HASH) == "5e1f0a9b"
    assert short_id(RUN) == "9f8e7d6c"
    assert short_id("entity:" + HASH) == "entity:5e1f0a9b"
    assert short_id("abc") == "abc"


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("article_id", [HASH], "id"),
        ("content_hash", [HASH], "id"),
        ("whatever", ["0123456789abcdef0123"], "id"),
        ("n", [1, 2.5, None], "number"),
        ("at", [AT], "time"),
        ("status", ["success", "failed"], "word"),
        ("detail", ["the file is empty"], "text"),
        ("stored_path", ["/a/b/c.txt"], "path"),
    ],
)
def test_column_kinds_are_inferred(name: str, values: list[object], kind: str) -> None:
    assert infer_kind(name, values) == kind


def test_cut_words_never_splits_a_word() -> None:
    assert cut_words("the file is empty", 12) == "the file is…"
    assert cut_words("the file is empty", 11) == "the file…"
    assert cut_words("short", 12) == "short"
    assert len(cut_words("x" * 40, 10)) == 10  # a lone long token is cut: there is no boundary


def test_cut_path_keeps_the_file_name() -> None:
    assert cut_path("/work/main/warehouse/rejects/2026/bad-file.txt", 16) == "…/bad-file.txt"
    assert cut_path("/a/b.txt", 16) == "/a/b.txt"


def _runs_table(width: int, **kw: object) -> str:
    columns = ["run_id", "status", "started_at", "articles_new", "detail"]
    rows = [
        [RUN, "success", AT, 12, "everything loaded as expected with no surprises at all"],
        ["20261130T080000-0a1b2c3d", "failed", AT - timedelta(days=1), 0, "ValueError: boom"],
    ]
    return render_table(columns, rows, width, **kw)  # type: ignore[arg-type]


def test_a_narrow_table_fits_shortens_ids_and_keeps_whole_words() -> None:
    text = _runs_table(75)
    lines = _lines(text)
    assert all(len(line) <= 75 for line in lines), text
    assert "9f8e7d6c" in text and RUN not in text
    words = {w for line in lines for w in line.split()}
    assert {"success", "failed", "status"} <= words  # never `succe` / `ss`
    assert "everything loaded as…" in text  # free text is cut after a whole word


def test_a_column_that_cannot_fit_even_cut_is_hidden_and_named() -> None:
    text = _runs_table(60)
    assert all(len(line) <= 60 for line in _lines(text)), text
    assert "detail" not in _lines(text)[0] and "1 more column: detail" in text


def test_a_table_that_fits_is_left_whole() -> None:
    text = _runs_table(200)
    assert RUN in text and "no surprises at all" in text


def test_shorten_shortens_ids_even_when_they_fit() -> None:
    text = _runs_table(200, shorten=True)
    assert RUN not in text and "9f8e7d6c" in text


def test_wide_shows_everything_whatever_the_width() -> None:
    text = _runs_table(40, wide=True)
    assert RUN in text and "no surprises at all" in text and "2026-12-01 08:00:00.123456" in text


def test_optional_columns_go_first_and_are_named() -> None:
    columns = [Column("source", "path"), Column("reason", "word"), Column("stored_path", "path", optional=True)]
    rows = [["/in/a-rather-long-name.txt", "extract_error", "/warehouse/rejects/a-rather-long-name.txt"]]
    text = render_table(columns, rows, 40)
    assert "stored_path" not in _lines(text)[0]
    assert "1 more column: stored_path; --wide shows them" in " ".join(_lines(text))  # wrapped at spaces
    assert all(len(line) <= 40 for line in _lines(text))


def test_columns_that_cannot_fit_are_hidden_from_the_right() -> None:
    columns = [f"column_{i}" for i in range(12)]
    text = render_table(columns, [[i for i in range(12)]], 80)
    lines = _lines(text)
    assert lines[0].startswith("column_0") and all(len(line) <= 80 for line in lines)
    assert "more columns:" in text and "column_11" in text  # named in the footer


def test_numbers_are_right_aligned_and_null_is_blank() -> None:
    text = render_table(["name", "n"], [["a", 5], ["b", 1234], ["c", None]], 80)
    assert _lines(text)[2:] == ["a        5", "b     1234", "c"]


def test_title_and_newlines_in_cells() -> None:
    text = render_table(["detail"], [["two\nlines"]], 80, title="rejects")
    assert _lines(text) == ["rejects", "detail", "---------", "two lines"]


def test_csv_round_trips_through_the_csv_module() -> None:
    rows = [["a, b", 'say "hi"', None, AT], ["line\nbreak", "", 3, date(2026, 1, 2)]]
    parsed = list(csv.reader(io.StringIO(render_csv(["x", "y", "z", "at"], rows))))
    assert parsed == [
        ["x", "y", "z", "at"],
        ["a, b", 'say "hi"', "", "2026-12-01 08:00:00.123456"],
        ["line\nbreak", "", "3", "2026-01-02"],
    ]


def test_json_lines_one_object_per_row_iso_dates_null() -> None:
    rows = [[AT, None, Decimal("1.5"), float("nan"), timedelta(minutes=90), [1, 2], {"k": date(2026, 1, 2)}]]
    out = render_json(["at", "none", "dec", "nan", "dur", "list", "map"], rows)
    assert out.count("\n") == 1
    assert json.loads(out) == {
        "at": "2026-12-01T08:00:00.123456",
        "none": None,
        "dec": 1.5,
        "nan": None,
        "dur": "PT1H30M",
        "list": [1, 2],
        "map": {"k": "2026-01-02"},
    }
    aware = json.loads(render_json(["at"], [[AT.replace(tzinfo=UTC)]]))
    assert aware["at"] == "2026-12-01T08:00:00.123456+00:00"
    assert render_json(["a"], []) == ""


def test_markdown_escapes_pipes() -> None:
    out = render_markdown(["detail", "n"], [["a | b", 3], ["back\\slash", None]])
    assert _lines(out) == [
        "| detail | n |",
        "| --- | ---: |",
        "| a \\| b | 3 |",
        "| back\\\\slash |  |",
    ]


def test_render_dispatches_on_the_format() -> None:
    for fmt in ("csv", "json", "markdown", "table"):
        assert "42" in render(fmt, ["answer"], [[42]])  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1.5h", 5400)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "2", "h", "2 hours", "-1h", "1w"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_human_and_iso_durations() -> None:
    assert human_duration(4.25) == "4.2s"
    assert human_duration(1) == "1s"
    assert human_duration(42) == "42s"
    assert human_duration(18300) == "5h 5m"
    assert human_duration(90000) == "1d 1h"
    assert human_duration(3600) == "1h"
    assert iso_duration(timedelta(days=1, seconds=5)) == "P1DT5S"
    assert iso_duration(timedelta(0)) == "PT0S"
