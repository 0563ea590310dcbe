"""Load one run's landing Parquet into DuckDB in a single transaction.

Replace-by-article: every table row of an article in this run is deleted and re-inserted, so a
re-processed article never doubles and a crash (even kill -9) rolls back to the previous state.
An entity_id that a re-read article no longer yields is recorded in `entity_redirects`, pointing at the id
its mentions now carry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.nlp.entity_words import spells_acronym
from pipeline.rejects import QUARANTINE_REASONS
from pipeline.schemas import ARTICLE_TABLES, PIPELINE_RUNS, PRIMARY_KEYS, to_table

# A local landing file, or its URL on a filesystem registered with the connection
# (`con.register_filesystem(fsspec_fs)`: DuckDB then reads s3:// and gs:// through fsspec).
LandedFile = Path | str
READ = "read_parquet(?, hive_partitioning = false)"

# Sources that carry exactly one article: when such a file changes, its old article goes.
SINGLE_ARTICLE_SOURCE_TYPES = ("text", "html")


def load_run(
    con: duckdb.DuckDBPyConnection,
    files: Mapping[str, LandedFile],
    run_row: dict[str, object],
    after_load: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> dict[str, int]:
    """Apply the run's files and its `pipeline_runs` row atomically; returns rows inserted per table.

    `after_load` (the SQL models and data tests) runs inside the same transaction, so a failing
    data test leaves the warehouse as it was.
    """
    inserted: dict[str, int] = {}
    con.begin()
    try:
        _quarantined(con, files.get("extract_rejects"))
        _run_articles(con, files.get("articles"))
        _snapshot_mentions(con)
        if "articles" in files:
            _replace_articles(con)
        if "article_sources" in files:
            _apply_sources(con, files["article_sources"])
        for table in ARTICLE_TABLES:
            if table in files:
                inserted[table] = _insert(con, table, files[table])
        if "article_tone" in files:
            _apply_tone(con, files["article_tone"])
        if "entities" in files:
            inserted["entities"] = _merge_entities(con, files["entities"])
        if "entity_aliases" in files:
            inserted["entity_aliases"] = _insert_new(con, "entity_aliases", files["entity_aliases"])
        if "entity_aliases" in files:
            _join_defined_acronyms(con, files["entity_aliases"], run_row)
        for reject_file in ("rejects", "extract_rejects"):
            if reject_file in files:
                n = _insert_new(con, "rejects", files[reject_file])
                inserted["rejects"] = inserted.get("rejects", 0) + n
        if "source_files" in files:
            con.execute(
                f"insert or replace into source_files by name select distinct on (source) * from {READ}",
                [str(files["source_files"])],
            )
        # A quarantined article that has no loaded version is carried by no source (its reject row says where).
        con.execute(
            "delete from article_sources where article_id in (select article_id from _quarantined) "
            "and article_id not in (select article_id from articles)"
        )
        if "articles" in files or "article_sources" in files:
            _prune_orphans(con)
        _update_redirects(con, run_row)
        con.register("_run_row", to_table([run_row], PIPELINE_RUNS))
        con.execute("insert into pipeline_runs by name select * from _run_row")
        con.unregister("_run_row")
        if after_load is not None:
            after_load(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return inserted


def _quarantined(con: duckdb.DuckDBPyConnection, path: LandedFile | None) -> None:
    """`_quarantined`: the run's articles whose extraction failed; none of their rows load."""
    if path is None:
        con.execute("create or replace temp table _quarantined (article_id varchar)")
        return
    con.execute(
        f"create or replace temp table _quarantined as select distinct article_id from {READ} "
        "where article_id is not null",
        [str(path)],
    )


def _run_articles(con: duckdb.DuckDBPyConnection, path: LandedFile | None) -> None:
    """`_run_articles`: the run's articles that load (not quarantined); they replace their old rows."""
    if path is None:
        con.execute("create or replace temp table _run_articles (article_id varchar)")
        return
    con.execute(
        f"create or replace temp table _run_articles as select article_id from {READ} "
        "where article_id not in (select article_id from _quarantined)",
        [str(path)],
    )


def _replace_articles(con: duckdb.DuckDBPyConnection) -> None:
    for table in ARTICLE_TABLES:
        con.execute(f'delete from "{table}" where article_id in (select article_id from _run_articles)')
    # An article that loads now is no longer quarantined (a retry, or a new extractor that reads it).
    marks = ", ".join("?" for _ in QUARANTINE_REASONS)
    con.execute(
        f"delete from rejects where reason in ({marks}) and article_id in (select article_id from _run_articles)",
        list(QUARANTINE_REASONS),
    )


def _snapshot_mentions(con: duckdb.DuckDBPyConnection) -> None:
    """`_old_mentions`: the run's articles' mentions before they are replaced, to tell which ids the re-read
    changed (`_update_redirects`). Made on every load, so none is left over from an earlier one."""
    con.execute(
        "create or replace temp table _old_mentions as select article_id, start_char, end_char, entity_id "
        "from entity_mentions where article_id in (select article_id from _run_articles)"
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, path: LandedFile) -> int:
    row = con.execute(
        f'insert into "{table}" by name select distinct on ({_key(table)}) * from {READ} '
        "where article_id not in (select article_id from _quarantined)",
        [str(path)],
    ).fetchone()
    return int(row[0]) if row else 0


def _apply_tone(con: duckdb.DuckDBPyConnection, path: LandedFile) -> None:
    """Articles land at ingest, before extraction: their tone, found by extraction, is set here."""
    con.execute(
        f"""
        update articles set tone = t.tone, tone_positive = t.tone_positive, tone_negative = t.tone_negative
        from (select distinct on (article_id) * from {READ}) as t
        where articles.article_id = t.article_id
          and t.article_id not in (select article_id from _quarantined)
        """,
        [str(path)],
    )


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, path: LandedFile) -> int:
    row = con.execute(
        f'insert or ignore into "{table}" by name select distinct on ({_key(table)}) * from {READ}',
        [str(path)],
    ).fetchone()
    return int(row[0]) if row else 0


def _key(table: str) -> str:
    return ", ".join(f'"{c}"' for c in PRIMARY_KEYS[table])


_GEO_COLUMNS = (
    "geonames_id",
    "place_kind",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "geo_confidence",
    "geo_evidence",
)


def _merge_entities(con: duckdb.DuckDBPyConnection, path: LandedFile) -> int:
    """New entities are added; a known one keeps its name, gets the earliest first_seen_at and keeps its
    place (filled in where it had none). Then the type of every entity this run mentions is decided
    over all its mentions in the warehouse."""
    geo_first = ", ".join(
        f"first({c} order by first_seen_at nulls last) filter ({c} is not null) as {c}" for c in _GEO_COLUMNS
    )
    geo_keep = ", ".join(f"{c} = coalesce(entities.{c}, excluded.{c})" for c in _GEO_COLUMNS)
    row = con.execute(
        f"""
        insert into entities by name
        select entity_id, first(canonical_name order by first_seen_at nulls last) as canonical_name,
               first(entity_type) as entity_type, min(first_seen_at) as first_seen_at, {geo_first}
        from read_parquet(?, hive_partitioning = false) group by entity_id
        on conflict (entity_id) do update set
            first_seen_at = least(entities.first_seen_at, excluded.first_seen_at), {geo_keep}
        """,
        [str(path)],
    ).fetchone()
    _decide_entity_types(con, path)
    return int(row[0]) if row else 0


def _decide_entity_types(con: duckdb.DuckDBPyConnection, path: LandedFile) -> None:
    """`entities.entity_type` is the label most of an entity's mentions carry, over every article (ties: the
    alphabetically first label, so the result is the same whatever the load order): a company one article
    read as a person is ORG everywhere once most articles say so."""
    _vote_types(con, "select entity_id from read_parquet(?, hive_partitioning = false)", [str(path)])


def _vote_types(con: duckdb.DuckDBPyConnection, ids_sql: str, params: list[object]) -> None:
    """The majority vote of `_decide_entity_types` for the entities `ids_sql` selects."""
    con.execute(
        f"""
        update entities set entity_type = votes.entity_type
        from (
            select entity_id, first(entity_type order by n desc, entity_type) as entity_type
            from (
                select entity_id, entity_type, count(*) as n
                from entity_mentions
                where entity_id in ({ids_sql})
                group by entity_id, entity_type
            )
            group by entity_id
        ) as votes
        where entities.entity_id = votes.entity_id and entities.entity_type <> votes.entity_type
        """,
        params,
    )


# Columns that hold an entity_id, which a merge of two entities re-points.
_ENTITY_REFERENCES = (
    ("entity_mentions", "entity_id"),
    ("quotes", "speaker_entity_id"),
    ("quotes", "speaker_org_entity_id"),
    ("metrics", "subject_entity_id"),
)


def _join_defined_acronyms(
    con: duckdb.DuckDBPyConnection, run_aliases: LandedFile, run_row: Mapping[str, object]
) -> None:
    """An acronym that articles define for one entity only (`Securities and Exchange Commission (SEC)`
    makes `SEC` an alias of the long form) is that entity wherever the warehouse names it alone: the bare
    acronym's entity is merged into it, its mentions, quotes and figures re-pointed and its id redirected.
    An acronym defined for two entities (`ABC`) is left alone. Places are not merged this way. Only the
    acronyms this run's articles name are looked at: a bare acronym's entity has it as an alias too, so
    whichever side loads later brings the pair together."""
    _defined_acronyms(con, run_aliases)
    con.execute(
        """
        create or replace temp table _acronyms as
        select x.entity_id as old_entity_id, d.entity_id,
               (select count(*) from entity_mentions m where m.entity_id = x.entity_id) as mentions
        from entities x join _defined d on x.canonical_name = d.alias
        where x.entity_id <> d.entity_id and x.geonames_id is null and x.entity_type not in ('GPE', 'LOC', 'FAC')
        """
    )
    row = con.execute("select count(*) from _acronyms").fetchone()
    if not row or not row[0]:
        return
    for table, column in _ENTITY_REFERENCES:
        con.execute(
            f'update "{table}" set "{column}" = a.entity_id from _acronyms a '
            f'where "{table}"."{column}" = a.old_entity_id'
        )
    con.execute(
        "insert or ignore into entity_aliases by name select a.entity_id, x.alias "
        "from entity_aliases x join _acronyms a on x.entity_id = a.old_entity_id"
    )
    con.execute("delete from entity_aliases where entity_id in (select old_entity_id from _acronyms)")
    con.execute(
        """
        update entities set first_seen_at = least(entities.first_seen_at, m.first_seen_at)
        from (select a.entity_id, min(x.first_seen_at) as first_seen_at
              from _acronyms a join entities x on x.entity_id = a.old_entity_id group by a.entity_id) as m
        where entities.entity_id = m.entity_id
        """
    )
    con.execute("delete from entities where entity_id in (select old_entity_id from _acronyms)")
    _redirect(con, "_acronyms", run_row)
    _vote_types(con, "select entity_id from _acronyms", [])


def _defined_acronyms(con: duckdb.DuckDBPyConnection, run_aliases: LandedFile) -> None:
    """`_defined`: each all-capital alias the run names that spells the name of a name-class entity it
    belongs to, where only one entity of the warehouse is so defined (alias -> entity_id)."""
    rows = con.execute(
        f"""
        select a.alias, a.entity_id, e.canonical_name
        from entity_aliases a join entities e using (entity_id)
        where a.alias in (select alias from {READ} where regexp_full_match(alias, '[A-Z][A-Z.&]*[A-Z]'))
          and a.alias <> e.canonical_name
          and e.geonames_id is null and e.entity_type not in ('GPE', 'LOC', 'FAC')
        """,
        [str(run_aliases)],
    ).fetchall()
    defined: dict[str, set[str]] = {}
    for alias, eid, name in rows:
        if spells_acronym(str(alias), str(name)):
            defined.setdefault(str(alias), set()).add(str(eid))
    pairs = [(alias, next(iter(ids))) for alias, ids in sorted(defined.items()) if len(ids) == 1]
    table = pa.table({"alias": [a for a, _ in pairs], "entity_id": [e for _, e in pairs]}, schema=_DEFINED)
    con.register("_defined_rows", table)
    con.execute("create or replace temp table _defined as select * from _defined_rows")
    con.unregister("_defined_rows")


_DEFINED = pa.schema([pa.field("alias", pa.string()), pa.field("entity_id", pa.string())])


def _apply_sources(con: duckdb.DuckDBPyConnection, path: LandedFile) -> None:
    """A single-article file that now yields another article drops its old one, unless still carried."""
    con.execute(f"create or replace temp table _run_sources as select * from {READ}", [str(path)])
    con.execute(
        """
        create or replace temp table _stale as
        select s.source, s.article_id from article_sources s
        join _run_sources n on n.source = s.source
        where s.source_type in ('text', 'html') and s.article_id <> n.article_id
        """
    )
    con.execute("delete from article_sources where (source, article_id) in (select source, article_id from _stale)")
    con.execute(
        "insert or ignore into article_sources by name select distinct on (source, article_id) * from _run_sources"
    )
    con.execute(
        """
        create or replace temp table _gone as
        select distinct article_id from _stale
        where article_id not in (select article_id from article_sources)
        """
    )
    for table in ARTICLE_TABLES:
        con.execute(f'delete from "{table}" where article_id in (select article_id from _gone)')


def _prune_orphans(con: duckdb.DuckDBPyConnection) -> None:
    """Entities no article mentions any more (their articles were replaced or removed)."""
    con.execute(
        """
        delete from entity_aliases where entity_id not in (select entity_id from entity_mentions)
        """
    )
    con.execute("delete from entities where entity_id not in (select entity_id from entity_mentions)")


def _update_redirects(con: duckdb.DuckDBPyConnection, run_row: Mapping[str, object]) -> None:
    """`entity_redirects` after the run's rows are in and orphans pruned: each id that is gone because its
    re-read mentions carry another one points at that one, kept one hop and never at a missing entity."""
    _moved_ids(con)
    _redirect(con, "_moved", run_row)
    # An id that exists again is its own entity (this also drops any A->A the re-pointing made).
    con.execute("delete from entity_redirects where old_entity_id in (select entity_id from entities)")
    _drop_dangling_redirects(con)


def _redirect(con: duckdb.DuckDBPyConnection, moves: str, run_row: Mapping[str, object]) -> None:
    """Record the temp table `moves` (old_entity_id, entity_id, mentions) in `entity_redirects`; an old id
    that pointed at one just gone now points where that one went (A->B, B->C: A->C)."""
    run = [run_row["started_at"], run_row["run_id"]]
    con.execute(
        "update entity_redirects set entity_id = m.entity_id, redirected_at = ?::timestamp, run_id = ? "
        f"from {moves} m where entity_redirects.entity_id = m.old_entity_id",
        run,
    )
    con.execute(
        "insert or replace into entity_redirects by name "
        f"select old_entity_id, entity_id, mentions, ?::timestamp as redirected_at, ? as run_id from {moves}",
        run,
    )


def _moved_ids(con: duckdb.DuckDBPyConnection) -> None:
    """`_moved`: each id the run's articles no longer yield, matched by span to the current id that took most
    of its mentions (ties: the smaller id, so the result does not depend on row order). Spans match where
    they overlap: a re-read may trim a name (`Centre Parker` is `Parker` now)."""
    con.execute(
        """
        create or replace temp table _moved as
        select old_entity_id, first(entity_id order by mentions desc, entity_id) as entity_id,
               max(mentions) as mentions
        from (
            select o.entity_id as old_entity_id, n.entity_id, count(*) as mentions
            from _old_mentions o
            join entity_mentions n
              on n.article_id = o.article_id and n.start_char < o.end_char and o.start_char < n.end_char
            where n.entity_id <> o.entity_id
              and o.entity_id not in (select entity_id from entities)
            group by o.entity_id, n.entity_id
        )
        group by old_entity_id
        """
    )


def _drop_dangling_redirects(con: duckdb.DuckDBPyConnection) -> None:
    """A redirect whose target was pruned with no successor (its articles removed or quarantined) leads
    nowhere: it goes, as the entity did."""
    con.execute("delete from entity_redirects where entity_id not in (select entity_id from entities)")


def record_failure(con: duckdb.DuckDBPyConnection, run_row: dict[str, object]) -> None:
    """A failed run still leaves its `pipeline_runs` row (status, failed step, error)."""
    con.register("_run_row", to_table([run_row], PIPELINE_RUNS))
    con.execute("insert or replace into pipeline_runs by name select * from _run_row")
    con.unregister("_run_row")


def quarantine_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> None:
    """Take articles out of every article table (inside the caller's transaction), then prune orphans."""
    con.execute("create or replace temp table _failed as select unnest(?::varchar[]) as article_id", [article_ids])
    for table in (*ARTICLE_TABLES, "article_sources"):
        con.execute(f'delete from "{table}" where article_id in (select article_id from _failed)')
    _prune_orphans(con)
    _drop_dangling_redirects(con)
