"""The models runner: order from the SQL, discovery, clear failures, data tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.models import (
    BuiltModel,
    DataTestConfigError,
    DataTestError,
    ModelError,
    build_models,
    discover_models,
    order_models,
    run_data_tests,
)
from tests.marts.sample import SQL_DIR, create_tables, insert, sample_warehouse


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    """A copy of the project's sql/ folder that a test may change."""
    return Path(shutil.copytree(SQL_DIR, tmp_path / "sql"))


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return sample_warehouse()


def _names(built: list[BuiltModel]) -> list[str]:
    return [b.name for b in built]


def test_every_model_builds_after_what_it_reads(con: duckdb.DuckDBPyConnection) -> None:
    built = build_models(con, SQL_DIR)
    names = _names(built)
    staging = {p.stem for p in (SQL_DIR / "staging").glob("*.sql")}
    marts = {p.stem for p in (SQL_DIR / "marts").glob("*.sql")}
    assert set(names) == staging | marts
    assert names[: len(staging)] == sorted(staging)  # staging first
    position = {n: i for i, n in enumerate(names)}
    for b in built:
        for dep in b.depends_on:
            assert position[dep] < position[b.name], f"{b.name} built before {dep}"
    assert position["entity_mentions_daily"] < position["entity_trends_weekly"]
    assert {"organisation_quotes", "metric_facts"} <= set(
        next(b for b in built if b.name == "organisation_activity").depends_on
    )


def test_dependencies_come_from_the_sql_not_from_names(sql_dir: Path) -> None:
    # `a_first` sorts first by name yet reads `z_last`; a CTE named like a model is no dependency.
    (sql_dir / "marts" / "z_last.sql").write_text("select article_id from stg_articles\n")
    (sql_dir / "marts" / "a_first.sql").write_text(
        "with metric_facts as (select 1 as x)\nselect z_last.article_id from z_last, metric_facts\n"
    )
    models = {m.name: m for m in discover_models(sql_dir)}
    assert models["a_first"].depends_on == ("z_last",)
    order = [m.name for m in order_models(models.values())]
    assert order.index("z_last") < order.index("a_first")


def test_new_file_is_picked_up_without_registration(sql_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    (sql_dir / "marts" / "quotes_per_speaker_type.sql").write_text(
        "-- materialized: table\nselect quote_type, count(*) as quotes\nfrom stg_quotes\ngroup by quote_type\n"
    )
    built = {b.name: b for b in build_models(con, sql_dir)}
    assert built["quotes_per_speaker_type"].materialized == "table"
    assert built["quotes_per_speaker_type"].rows == 2
    kind = con.execute(
        "select table_type from information_schema.tables where table_name = 'quotes_per_speaker_type'"
    ).fetchall()
    assert kind == [("BASE TABLE",)]
    assert dict(con.execute("select * from quotes_per_speaker_type").fetchall()) == {
        "direct": 3,
        "indirect": 1,
    }


def test_materialization_can_switch_between_runs(sql_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    build_models(con, sql_dir)
    (sql_dir / "models.toml").write_text('[marts]\nmaterialized = "table"\n')
    built = {b.name: b for b in build_models(con, sql_dir)}
    assert built["top_speakers"].materialized == "table"
    assert built["stg_quotes"].materialized == "view"
    kinds = dict(con.execute("select table_name, table_type from information_schema.tables").fetchall())
    assert kinds["top_speakers"] == "BASE TABLE"
    assert kinds["stg_quotes"] == "VIEW"


def test_failing_model_names_its_file_and_line(sql_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    bad = sql_dir / "marts" / "broken_mart.sql"
    bad.write_text("-- a model with a typo\nselect\n    article_id,\n    no_such_column\nfrom stg_articles\n")
    with pytest.raises(ModelError) as info:
        build_models(con, sql_dir)
    message = str(info.value)
    assert f"{bad}:4:" in message
    assert "broken_mart" in message and "no_such_column" in message
    assert info.value.path == bad and info.value.line == 4


def test_unknown_reference_fails_before_building(sql_dir: Path) -> None:
    bad = sql_dir / "marts" / "orphan.sql"
    bad.write_text("select * from stg_nothing_here\n")
    with pytest.raises(ModelError, match=r"orphan\.sql.*'stg_nothing_here'.*neither a model"):
        discover_models(sql_dir)


def test_cycle_fails_naming_the_models(sql_dir: Path) -> None:
    (sql_dir / "marts" / "cycle_a.sql").write_text("select * from cycle_b\n")
    (sql_dir / "marts" / "cycle_b.sql").write_text("select * from cycle_a\n")
    with pytest.raises(ModelError, match=r"dependency cycle.*cycle_a.*cycle_b|dependency cycle.*cycle_b.*cycle_a"):
        order_models(discover_models(sql_dir))


def test_mart_may_not_read_core_tables(sql_dir: Path) -> None:
    (sql_dir / "marts" / "raw_reader.sql").write_text("select * from main.quotes\n")
    with pytest.raises(ModelError, match="read stg_quotes instead"):
        discover_models(sql_dir)


def test_one_statement_per_file(sql_dir: Path) -> None:
    (sql_dir / "marts" / "two.sql").write_text("select 1;\nselect 2;\n")
    with pytest.raises(ModelError, match="exactly one SELECT"):
        discover_models(sql_dir)


def test_data_tests_pass_on_the_sample(con: duckdb.DuckDBPyConnection) -> None:
    build_models(con, SQL_DIR)
    results = run_data_tests(con, SQL_DIR)
    assert results and all(r.passed for r in results)
    tests = {(r.model, r.test) for r in results}
    assert ("stg_quotes", "accepted_values(quote_type in ['direct', 'indirect', 'mixed'])") in tests
    assert ("stg_metrics", "relationships(equivalent_of -> stg_metrics.metric_id)") in tests
    assert ("stg_entity_aliases", "unique(entity_id, alias)") in tests
    assert ("stg_entity_redirects", "relationships(entity_id -> stg_entities.entity_id)") in tests


def test_broken_data_fails_naming_model_test_and_rows() -> None:
    con = duckdb.connect()
    create_tables(con)
    from tests.marts.sample import ROWS

    for table, rows in ROWS.items():
        if table == "quotes":
            rows = [*rows, dict(rows[0], quote_id="q_bad", quote_type="rumour", article_id="nope")]
        insert(con, table, rows)
    build_models(con, SQL_DIR)
    with pytest.raises(DataTestError) as info:
        run_data_tests(con, SQL_DIR)
    failures = {(f.model, f.test): f for f in info.value.failures}
    bad_type = failures[("stg_quotes", "accepted_values(quote_type in ['direct', 'indirect', 'mixed'])")]
    assert bad_type.failures == 1
    assert bad_type.sample[0]["quote_id"] == "q_bad"
    assert ("stg_quotes", "relationships(article_id -> stg_articles.article_id)") in failures
    message = str(info.value)
    assert "stg_quotes: accepted_values(quote_type" in message
    assert "quote_id='q_bad'" in message and "quote_type='rumour'" in message


def test_row_expectation_and_sample_limit(sql_dir: Path, con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update quotes set confidence = 1.5")
    build_models(con, sql_dir)
    results = run_data_tests(con, sql_dir, raise_on_failure=False)
    failed = [r for r in results if not r.passed]
    assert [(r.model, r.test) for r in failed] == [
        ("stg_quotes", "expect(confidence_between_0_and_1: confidence between 0 and 1)")
    ]
    assert failed[0].failures == 4
    (sql_dir / "staging" / "stg_quotes.tests.toml").write_text('[expect]\nshort = "start_char > 1000"\n')
    with pytest.raises(DataTestError, match=r"(?s)4 offending row.*q1.*q4") as info:
        run_data_tests(con, sql_dir)
    assert len(info.value.failures[0].sample) == 4


def test_unique_sample_is_capped_at_five(sql_dir: Path) -> None:
    con = duckdb.connect()
    con.execute("create table articles_like as select 'x' as id from range(8)")
    (sql_dir / "staging" / "stg_dupes.sql").write_text("select id from main.articles_like\n")
    (sql_dir / "staging" / "stg_dupes.tests.toml").write_text('unique = ["id"]\n')
    for p in [*sql_dir.glob("*/*.sql"), *sql_dir.glob("*/*.tests.toml")]:
        if not p.name.startswith("stg_dupes"):
            p.unlink()
    build_models(con, sql_dir)
    with pytest.raises(DataTestError) as info:
        run_data_tests(con, sql_dir)
    (failure,) = info.value.failures
    assert failure.failures == 8 and len(failure.sample) == 5
    assert "... and 3 more" in str(info.value)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ('uniqe = ["quote_id"]\n', "unknown test 'uniqe'"),
        ('[relationships]\narticle_id = "stg_nowhere.article_id"\n', "unknown model 'stg_nowhere'"),
        ('not_null = ["quote id; drop table x"]\n', "must be a column"),
        ("not_null = [\n", "cannot parse"),
    ],
)
def test_malformed_test_file_names_the_file(sql_dir: Path, content: str, match: str) -> None:
    path = sql_dir / "staging" / "stg_quotes.tests.toml"
    path.write_text(content)
    with pytest.raises(DataTestConfigError, match=match) as info:
        run_data_tests(sample_warehouse(), sql_dir)
    assert str(path) in str(info.value)


def test_runner_leaves_transactions_to_the_caller(con: duckdb.DuckDBPyConnection) -> None:
    con.begin()
    build_models(con, SQL_DIR)
    run_data_tests(con, SQL_DIR)
    con.rollback()
    assert con.execute("select count(*) from information_schema.tables where table_type = 'VIEW'").fetchall() == [(0,)]
