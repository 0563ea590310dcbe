"""Fixture-row tests: each mart over the tiny warehouse in `sample.py`."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import duckdb
import pytest

from pipeline.models import build_models, run_data_tests
from tests.marts.sample import ROWS, SQL_DIR, sample_warehouse

NOV_25, DEC_2 = date(2025, 11, 25), date(2025, 12, 2)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = sample_warehouse()
    build_models(con, SQL_DIR)
    run_data_tests(con, SQL_DIR)
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def by(items: list[dict[str, Any]], *keys: str) -> dict[Any, dict[str, Any]]:
    return {(r[keys[0]] if len(keys) == 1 else tuple(r[k] for k in keys)): r for r in items}


def test_every_mart_has_a_fixture_test() -> None:
    module = sys.modules[__name__]
    marts = sorted(p.stem for p in (SQL_DIR / "marts").glob("*.sql"))
    missing = [m for m in marts if not hasattr(module, f"test_{m}")]
    assert not missing, f"add a fixture-row test for: {missing}"


def test_staging_cleans_without_dropping(con: duckdb.DuckDBPyConnection) -> None:
    articles = by(rows(con, "select * from stg_articles"), "article_id")
    assert articles["a2"]["title"] == "Expo opens"
    assert (articles["a2"]["article_date"], articles["a2"]["date_source"]) == (DEC_2, "ingested")
    assert articles["a1"]["source_domain"] == "example.com"
    assert articles["a2"]["source_domain"] is None
    assert rows(con, "select entity_type from stg_entities where entity_id = 'e_china'") == [{"entity_type": "GPE"}]
    assert rows(con, "select quote_type from stg_quotes where quote_id = 'q2'") == [{"quote_type": "indirect"}]
    for table in ROWS:
        assert con.execute(f"select count(*) from stg_{table}").fetchall() == [(len(ROWS[table]),)]


def test_article_overview(con: duckdb.DuckDBPyConnection) -> None:
    overview = by(rows(con, "select * from article_overview"), "article_id")
    assert set(overview) == {"a1", "a2"}
    a1, a2 = overview["a1"], overview["a2"]
    assert (a1["mention_count"], a1["entity_count"], a1["quote_count"], a1["metric_count"]) == (4, 3, 2, 2)
    assert a1["distinct_figure_count"] == 1  # the dollar figure restates the yuan one
    assert (a2["mention_count"], a2["entity_count"], a2["quote_count"], a2["metric_count"]) == (2, 2, 2, 1)
    assert a2["speaker_count"] == 2 and a2["date_source"] == "ingested"


def test_article_overview_keeps_articles_with_nothing_extracted() -> None:
    con = sample_warehouse({"articles": [dict(ROWS["articles"][0], article_id="lonely")]})
    build_models(con, SQL_DIR)
    assert rows(con, "select article_id, mention_count, quote_count, metric_count from article_overview") == [
        {"article_id": "lonely", "mention_count": 0, "quote_count": 0, "metric_count": 0}
    ]


def test_entity_mentions_daily(con: duckdb.DuckDBPyConnection) -> None:
    daily = by(rows(con, "select * from entity_mentions_daily"), "entity_id", "day")
    assert (daily[("e_china", NOV_25)]["mentions"], daily[("e_china", NOV_25)]["articles"]) == (2, 1)
    # the undated article is counted on its ingestion day, flagged, not dropped
    undated = daily[("e_gao", DEC_2)]
    assert (undated["date_source"], undated["mentions"], undated["articles"]) == ("ingested", 1, 1)
    assert sum(r["mentions"] for r in daily.values()) == len(ROWS["entity_mentions"])


def test_entity_trends_weekly(con: duckdb.DuckDBPyConnection) -> None:
    weekly = by(rows(con, "select * from entity_trends_weekly"), "entity_id", "week_start")
    china_now = weekly[("e_china", date(2025, 12, 1))]
    assert china_now["mentions"] == 1 and china_now["mentions_prev_week"] == 2
    assert china_now["mentions_change"] == -1 and china_now["undated_mentions"] == 1
    first_week = [r for (_, week), r in weekly.items() if week == date(2025, 11, 24)]
    assert sum(r["share_of_week"] for r in first_week) == pytest.approx(1.0)
    assert weekly[("e_china", date(2025, 11, 24))]["rank_in_week"] == 1


def test_top_speakers(con: duckdb.DuckDBPyConnection) -> None:
    speakers = by(rows(con, "select * from top_speakers"), "speaker")
    gao = speakers["Gao Dongsheng"]
    assert (gao["quote_count"], gao["article_count"], gao["direct_quote_count"]) == (2, 2, 1)
    assert gao["speaker_title"] == "chief economist at MIIT"
    assert gao["organisation"] == "MIIT" and gao["is_resolved"]
    assert (gao["first_quoted_on"], gao["last_quoted_on"]) == (NOV_25, DEC_2)
    analyst = speakers["an analyst"]
    assert not analyst["is_resolved"] and analyst["quote_count"] == 1
    assert set(speakers) == {"Gao Dongsheng", "MIIT", "an analyst"}


def test_top_speakers_never_merge_unresolved_pronouns_across_articles() -> None:
    quote = ROWS["quotes"][3]
    data = dict(ROWS) | {
        "quotes": [
            dict(quote, quote_id="x1", article_id="a1", speaker_text="he"),
            dict(quote, quote_id="x2", article_id="a2", speaker_text="he"),
        ]
    }
    con = sample_warehouse(data)
    build_models(con, SQL_DIR)
    assert rows(con, "select speaker, quote_count from top_speakers order by speaker_key") == [
        {"speaker": "he", "quote_count": 1},
        {"speaker": "he", "quote_count": 1},
    ]


def test_organisation_quotes(con: duckdb.DuckDBPyConnection) -> None:
    quotes = by(rows(con, "select * from organisation_quotes"), "quote_id")
    assert set(quotes) == {"q1", "q2", "q3"}  # q4 has no organisation
    assert {r["organisation"] for r in quotes.values()} == {"MIIT"}
    assert quotes["q1"]["via"] == "affiliation" and quotes["q1"]["speaker"] == "Gao Dongsheng"
    assert quotes["q3"]["via"] == "speaker"
    assert quotes["q2"]["article_url"] is None and quotes["q2"]["date_source"] == "ingested"


def test_metric_facts(con: duckdb.DuckDBPyConnection) -> None:
    facts = by(rows(con, "select * from metric_facts"), "metric_id")
    k1, k2, k3 = facts["k1"], facts["k2"], facts["k3"]
    assert (k1["value"], k1["unit"], k1["subject_entity"], k1["period"]) == (1.8e12, "CNY", "China", "2024")
    assert k1["article_date"] == NOV_25 and not k1["is_restatement"]
    assert k2["is_restatement"] and (k2["original_value"], k2["original_unit"]) == (1.8e12, "CNY")
    assert (k3["qualifier"], k3["lower_bound"], k3["date_source"]) == (">", 500.0, "ingested")
    assert k3["subject_entity_type"] == "ORG"


def test_entity_cooccurrence(con: duckdb.DuckDBPyConnection) -> None:
    pairs = by(rows(con, "select * from entity_cooccurrence"), "entity_a_id", "entity_b_id")
    assert set(pairs) == {("e_gao", "e_miit"), ("e_china", "e_miit"), ("e_china", "e_gao")}  # each pair once
    assert pairs[("e_china", "e_gao")]["article_count"] == 2
    assert pairs[("e_gao", "e_miit")]["sentence_count"] == 1  # both in sentence 0 of a1
    assert pairs[("e_china", "e_miit")]["sentence_count"] == 0
    assert pairs[("e_china", "e_gao")]["last_seen_on"] == DEC_2


def test_organisation_activity(con: duckdb.DuckDBPyConnection) -> None:
    (miit,) = rows(con, "select * from organisation_activity")
    assert miit["organisation"] == "MIIT"
    assert (miit["mention_count"], miit["quote_count"], miit["quotes_as_speaker"]) == (1, 3, 1)
    assert (miit["quotes_by_affiliates"], miit["affiliated_speakers"], miit["figure_count"]) == (2, 1, 1)
    assert (miit["first_seen_on"], miit["last_seen_on"]) == (NOV_25, DEC_2)


def test_entity_sources(con: duckdb.DuckDBPyConnection) -> None:
    sources = by(rows(con, "select * from entity_sources"), "entity_id", "source")
    assert sources[("e_china", "example.com")]["mention_count"] == 2
    assert sources[("e_gao", "examples/expo.txt")]["article_count"] == 1
    assert ("e_miit", "examples/expo.txt") not in sources


def test_entity_sources_counts_every_source_of_a_shared_article() -> None:
    data = dict(ROWS) | {
        "article_sources": [
            {"source": "examples/expo.txt", "article_id": "a2", "source_type": "text", "run_id": "r1"},
            {"source": "examples/copy/expo.txt", "article_id": "a2", "source_type": "text", "run_id": "r1"},
        ]
    }
    con = sample_warehouse(data)
    build_models(con, SQL_DIR)
    run_data_tests(con, SQL_DIR)
    gao = rows(con, "select source from entity_sources where entity_id = 'e_gao' order by source")
    assert [r["source"] for r in gao] == ["example.com", "examples/copy/expo.txt", "examples/expo.txt"]


def test_stg_article_themes(con: duckdb.DuckDBPyConnection) -> None:
    themes = by(rows(con, "select * from stg_article_themes"), "article_id", "theme")
    assert themes[("a2", "semiconductors")]["matched_term_count"] == 3
    assert themes[("a1", "semiconductors")]["score"] == 0.8


def test_tone_by_entity_weekly(con: duckdb.DuckDBPyConnection) -> None:
    weekly = by(rows(con, "select * from tone_by_entity_weekly"), "entity_id", "week_start")
    nov, dec = date(2025, 11, 24), date(2025, 12, 1)
    china = weekly[("e_china", nov)]  # m3 0.2 and m4 -0.4: the tone of each mention's sentence
    assert china["mean_tone"] == pytest.approx(-0.1)
    assert (china["positive_share"], china["negative_share"], china["mentions"]) == (0.5, 0.5, 2)
    gao = weekly[("e_gao", dec)]  # a2 is undated: its ingestion week
    assert gao["mean_tone"] == pytest.approx(-0.3) and gao["undated_mentions"] == 1
    assert gao["mean_tone_prev_week"] == pytest.approx(0.6) and gao["tone_change"] == pytest.approx(-0.9)
    untoned = weekly[("e_china", dec)]  # m6 has no tone: counted, never averaged as 0
    assert (untoned["mentions"], untoned["toned_mentions"], untoned["mean_tone"]) == (1, 0, None)
    assert untoned["positive_share"] is None


def test_speaker_tone(con: duckdb.DuckDBPyConnection) -> None:
    speakers = by(rows(con, "select * from speaker_tone"), "speaker")
    gao = speakers["Gao Dongsheng"]
    assert (gao["quotes"], gao["toned_quotes"], gao["organisation"]) == (2, 2, "MIIT")
    assert gao["mean_tone"] == pytest.approx(0.4)
    # 0.7 on 2025-11-25, 0.1 on 2025-12-02: -0.6 in 7 days
    assert gao["tone_trend_per_30d"] == pytest.approx(-0.6 / 7 * 30) and gao["trend"] == "falling"
    miit = speakers["MIIT"]
    assert miit["mean_tone"] == pytest.approx(-0.5) and miit["trend"] is None  # one day: no trend
    analyst = speakers["an analyst"]
    assert (analyst["quotes"], analyst["toned_quotes"], analyst["mean_tone"]) == (1, 0, None)
    assert set(speakers) == {r["speaker"] for r in rows(con, "select speaker from top_speakers")}


def test_theme_trends_weekly(con: duckdb.DuckDBPyConnection) -> None:
    weekly = by(rows(con, "select * from theme_trends_weekly"), "theme", "week_start")
    nov, dec = date(2025, 11, 24), date(2025, 12, 1)
    chips = weekly[("semiconductors", nov)]
    assert (chips["articles"], chips["share_of_week"], chips["rank_in_week"]) == (1, 1.0, 1)
    assert chips["mean_tone"] == pytest.approx(0.4)
    assert weekly[("international_trade", nov)]["rank_in_week"] == 2  # same count, lower score
    later = weekly[("semiconductors", dec)]
    assert (later["articles_prev_week"], later["articles_change"], later["undated_articles"]) == (1, 0, 1)
    assert later["mean_tone"] == pytest.approx(-0.2)
    assert ("international_trade", dec) not in weekly


def test_places(con: duckdb.DuckDBPyConnection) -> None:
    places = rows(con, "select * from places order by week_start")
    # only GPE/LOC/FAC entities; China: a1's two mentions in its week, a2's one in the week it was ingested
    assert [(p["place"], p["week_start"], p["mentions"], p["articles"]) for p in places] == [
        ("China", date(2025, 11, 24), 2, 1),
        ("China", date(2025, 12, 1), 1, 1),
    ]
    china = places[0]
    assert (china["country_code"], china["country"], china["place_kind"]) == ("CN", "China", "country")
    assert (china["latitude"], china["longitude"], china["geonames_id"]) == (35.0, 105.0, 1814991)


def test_speaker_theme_tone(con: duckdb.DuckDBPyConnection) -> None:
    rows_ = by(rows(con, "select * from speaker_theme_tone"), "speaker", "theme")
    gao = rows_[("Gao Dongsheng", "semiconductors")]  # q1 0.7 on 2025-11-25, q2 0.1 on 2025-12-02
    assert (gao["quotes"], gao["organisation"]) == (2, "MIIT")
    assert gao["mean_tone"] == pytest.approx(0.4) and gao["tone_trend_per_30d"] == pytest.approx(-0.6 / 7 * 30)
    miit = rows_[("MIIT", "international_trade")]
    assert miit["mean_tone"] == pytest.approx(-0.5) and miit["tone_trend_per_30d"] is None
    assert set(rows_) == {("Gao Dongsheng", "semiconductors"), ("MIIT", "international_trade")}


def test_surname_links() -> None:
    # `Blair` alone (articles without a full name); Tony Blair named in full 4 times, Euan Blair once: 0.8
    # `Smith` alone; John and Jane Smith twice each: no one dominates, no link
    people = [("e_blair", "Blair"), ("e_tony", "Tony Blair"), ("e_euan", "Euan Blair")]
    people += [("e_smith", "Smith"), ("e_john", "John Smith"), ("e_jane", "Jane Smith")]
    counts = {"e_blair": 2, "e_tony": 4, "e_euan": 1, "e_smith": 1, "e_john": 2, "e_jane": 2}
    mentions = [
        {
            **ROWS["entity_mentions"][0],
            "mention_id": f"{eid}-{k}",
            "entity_id": eid,
            "start_char": 100 + k * 10,
            "end_char": 105 + k * 10,
        }
        for eid, n in counts.items()
        for k in range(n)
    ]
    con = sample_warehouse(
        {
            **ROWS,
            "entities": [*ROWS["entities"], *({"entity_id": e, "canonical_name": n, "entity_type": "PERSON"}
                                              for e, n in people)],
            "entity_mentions": [*ROWS["entity_mentions"], *mentions],
        }
    )  # fmt: skip
    build_models(con, SQL_DIR)
    run_data_tests(con, SQL_DIR)
    links = by(rows(con, "select * from surname_links"), "surname")
    assert set(links) == {"Blair", "Smith"}
    blair, smith = links["Blair"], links["Smith"]
    assert (blair["person"], blair["confidence"], blair["linked"], blair["namesakes"]) == ("Tony Blair", 0.8, True, 2)
    assert (blair["surname_mentions"], blair["runner_up"]) == (2, "Euan Blair")
    assert (smith["confidence"], smith["linked"], smith["namesakes"]) == (0.5, False, 2)
