"""`entity_redirects`: an entity_id that a re-extraction stopped yielding leads to the entity it became, so a
saved query on the old id keeps working. One hop, never to a missing entity, inside the load's transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.warehouse.db import ensure_tables
from pipeline.warehouse.load import quarantine_articles
from tests.warehouse.test_entity_identity import T0, _article, _load, _mention

# What a saved query on an id runs: the entity itself, or the one it became.
FOLLOW = (
    "select e.entity_id from entities e where e.entity_id = "
    "coalesce((select entity_id from entity_redirects where old_entity_id = $saved), $saved)"
)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_tables(con)
    return con


def _read(
    con: duckdb.DuckDBPyConnection,
    tmp: Path,
    run: str,
    aid: str,
    ids: list[str],
    after_load: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> None:
    """Load article `aid` (again) with mention k read as ids[k]; spans are the same on every read."""
    entities = [{"entity_id": e, "canonical_name": e, "entity_type": "ORG", "first_seen_at": T0} for e in set(ids)]
    rows: dict[str, list[dict[str, Any]]] = {
        "articles": [_article(aid, run)],
        "entity_mentions": [_mention(aid, k, "ORG", eid) for k, eid in enumerate(ids)],
        "entities": entities,
    }
    _load(con, tmp, run, rows, after_load)


def _redirects(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("select old_entity_id, entity_id from entity_redirects").fetchall())


def _entities(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select entity_id from entities").fetchall()}


def test_an_id_that_changed_is_redirected(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["A", "A"])
    assert con.execute(FOLLOW, {"saved": "A"}).fetchall() == [("A",)]  # no redirect: the id itself
    _read(con, tmp_path, "r2", "a1", ["B", "B"])
    assert _entities(con) == {"B"}
    row = con.execute("select old_entity_id, entity_id, mentions, redirected_at, run_id from entity_redirects")
    assert row.fetchall() == [("A", "B", 2, T0, "r2")]
    assert con.execute(FOLLOW, {"saved": "A"}).fetchall() == [("B",)]
    _read(con, tmp_path, "r3", "a1", ["B", "B"])  # a rerun changes nothing
    assert con.execute("select run_id from entity_redirects").fetchall() == [("r2",)]


def test_the_id_that_took_most_mentions_wins_and_a_tie_is_decided_by_id(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _read(con, tmp_path, "r1", "a1", ["A", "A", "A", "X", "X"])
    _read(con, tmp_path, "r2", "a1", ["C", "B", "B", "Z", "Y"])
    assert _redirects(con) == {"A": "B", "X": "Y"}
    assert con.execute("select mentions from entity_redirects where old_entity_id = 'A'").fetchall() == [(2,)]


def test_a_chain_stays_one_hop(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["A"])
    _read(con, tmp_path, "r2", "a1", ["B"])
    _read(con, tmp_path, "r3", "a1", ["C"])
    assert _redirects(con) == {"A": "C", "B": "C"}
    assert con.execute("select distinct run_id from entity_redirects").fetchall() == [("r3",)]
    assert con.execute(FOLLOW, {"saved": "A"}).fetchall() == [("C",)]


def test_an_id_that_comes_back_loses_its_redirect(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["A"])
    _read(con, tmp_path, "r2", "a1", ["B"])
    _read(con, tmp_path, "r3", "a1", ["A"])
    assert _redirects(con) == {"B": "A"}  # and no A -> A
    assert _entities(con) == {"A"}


def test_an_id_still_mentioned_elsewhere_is_not_redirected(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["X"])
    _read(con, tmp_path, "r2", "a1", ["A"])  # X -> A
    _read(con, tmp_path, "r3", "a2", ["A"])
    _read(con, tmp_path, "r4", "a1", ["B"])  # A is still in a2
    assert _redirects(con) == {"X": "A"}
    assert _entities(con) == {"A", "B"}


def test_a_crash_in_the_load_leaves_no_redirect(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["A"])

    def crash(c: duckdb.DuckDBPyConnection) -> None:
        assert _redirects(c) == {"A": "B"}  # made inside the transaction...
        raise RuntimeError("models failed")

    with pytest.raises(RuntimeError, match="models failed"):
        _read(con, tmp_path, "r2", "a1", ["B"], after_load=crash)
    assert _redirects(con) == {}  # ...and rolled back with it
    assert _entities(con) == {"A"}


def test_a_quarantined_article_takes_its_redirects_with_it(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["A"])
    _read(con, tmp_path, "r2", "a1", ["B"], after_load=lambda c: quarantine_articles(c, ["a1"]))
    # B went with the article: a redirect to it would lead nowhere
    assert _redirects(con) == {}
    assert _entities(con) == set()


def test_a_redirect_to_an_entity_that_is_gone_goes_too(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _read(con, tmp_path, "r1", "a1", ["A"])
    _read(con, tmp_path, "r2", "a1", ["B"])
    _read(con, tmp_path, "r3", "a1", [])  # B is no longer mentioned anywhere, and nothing took its place
    assert _redirects(con) == {}


def test_a_trimmed_span_is_followed(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # `Centre Parker` (0-13) re-read as `Parker` (7-13): the old id leads to the person
    def rows(run: str, eid: str, start: int) -> dict[str, list[dict[str, Any]]]:
        mention = {**_mention("a1", 0, "PERSON", eid), "start_char": start, "end_char": 13}
        entity = {"entity_id": eid, "canonical_name": eid, "entity_type": "PERSON", "first_seen_at": T0}
        return {"articles": [_article("a1", run)], "entity_mentions": [mention], "entities": [entity]}

    _load(con, tmp_path, "r1", rows("r1", "CENTRE_PARKER", 0))
    _load(con, tmp_path, "r2", rows("r2", "PARKER", 7))
    assert _redirects(con) == {"CENTRE_PARKER": "PARKER"}
