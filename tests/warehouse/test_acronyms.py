"""An acronym that articles define for one entity (`Securities and Exchange Commission (SEC)`) is that
entity wherever the warehouse names it alone, in whichever order the articles load; an acronym defined
for two entities, or a longer name that only starts with it, is left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.nlp.entity_words import spells_acronym
from pipeline.warehouse.db import ensure_tables
from tests.warehouse.test_entity_identity import T0, _article, _load, _mention

SEC_LONG = "Securities and Exchange Commission"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_tables(con)
    return con


def _entity(eid: str, name: str, etype: str = "ORG") -> dict[str, Any]:
    return {"entity_id": eid, "canonical_name": name, "entity_type": etype, "first_seen_at": T0}


def _defines(aid: str, eid: str, long_form: str, acronym: str) -> dict[str, list[dict[str, Any]]]:
    """An article that writes `long form (ACRONYM)`: one entity, both names its aliases."""
    return {
        "articles": [_article(aid, aid)],
        "entity_mentions": [_mention(aid, 0, "ORG", eid), _mention(aid, 1, "ORG", eid)],
        "entities": [_entity(eid, long_form)],
        "entity_aliases": [{"entity_id": eid, "alias": long_form}, {"entity_id": eid, "alias": acronym}],
    }


def _bare(aid: str, eid: str, acronym: str, mentions: int = 3) -> dict[str, list[dict[str, Any]]]:
    """An article that only writes the acronym, with a quote by the organisation."""
    quote = {
        "quote_id": f"{aid}-q", "article_id": aid, "quote_type": "direct", "quote_text": "We act.",
        "speaker_text": acronym, "speaker_entity_id": eid, "sentence_index": 0, "start_char": 100,
        "end_char": 107, "confidence": 1.0,
    }  # fmt: skip
    return {
        "articles": [_article(aid, aid)],
        "entity_mentions": [_mention(aid, k, "ORG", eid) for k in range(mentions)],
        "entities": [_entity(eid, acronym)],
        "entity_aliases": [{"entity_id": eid, "alias": acronym}],
        "quotes": [quote],
    }


def _entities(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("select entity_id, canonical_name from entities").fetchall())


@pytest.mark.parametrize("defining_first", [True, False])
def test_a_defined_acronym_joins_its_long_form(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, defining_first: bool
) -> None:
    runs = [("a1", _defines("a1", "LONG", SEC_LONG, "SEC")), ("a2", _bare("a2", "SHORT", "SEC"))]
    for run, rows in runs if defining_first else runs[::-1]:
        _load(con, tmp_path, run, rows)
    assert _entities(con) == {"LONG": SEC_LONG}
    assert con.execute("select count(*) from entity_mentions where entity_id = 'LONG'").fetchone() == (5,)
    assert con.execute("select speaker_entity_id from quotes").fetchall() == [("LONG",)]
    assert con.execute("select old_entity_id, entity_id, mentions from entity_redirects").fetchall() == [
        ("SHORT", "LONG", 3)
    ]
    assert {r[0] for r in con.execute("select alias from entity_aliases").fetchall()} == {SEC_LONG, "SEC"}
    # a rerun of the bare article changes nothing
    _load(con, tmp_path, "a2-again", _bare("a2", "SHORT", "SEC"))
    assert _entities(con) == {"LONG": SEC_LONG}


def test_an_acronym_defined_twice_stays_apart(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    _load(con, tmp_path, "a1", _defines("a1", "ABC1", "American Broadcasting Company", "ABC"))
    _load(con, tmp_path, "a2", _defines("a2", "ABC2", "Australian Broadcasting Corporation", "ABC"))
    _load(con, tmp_path, "a3", _bare("a3", "ABC", "ABC"))
    assert set(_entities(con)) == {"ABC1", "ABC2", "ABC"}
    assert con.execute("select count(*) from entity_redirects").fetchone() == (0,)


def test_a_longer_name_that_starts_with_the_acronym_is_not_a_definition(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # an article that wrote `BBC Sport` and `BBC` for one entity does not make every `BBC` BBC Sport
    _load(con, tmp_path, "a1", _defines("a1", "SPORT", "BBC Sport", "BBC"))
    _load(con, tmp_path, "a2", _bare("a2", "BBC", "BBC"))
    assert set(_entities(con)) == {"SPORT", "BBC"}


@pytest.mark.parametrize(
    ("acronym", "name", "spells"),
    [
        ("SEC", SEC_LONG, True),
        ("OECD", "Organisation for Economic Co-operation and Development", True),
        ("CBI", "Confederation of British Industry", True),
        ("U.N.", "United Nations", True),
        ("BBC", "BBC Sport", False),
        ("ABC", "Bank of China", False),
        ("EU", "Europe", False),
    ],
)
def test_spells_acronym(acronym: str, name: str, spells: bool) -> None:
    assert spells_acronym(acronym, name) is spells
