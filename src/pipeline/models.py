"""Build the SQL models in `sql/` and run the data tests declared beside them.

Every `sql/staging/*.sql` and `sql/marts/*.sql` file is one model named after its file.
Dependencies are read from the SQL with sqlglot, so a new file needs no registration;
models build in dependency order (staging first). Staging models are views; marts are
views unless `sql/models.toml` or a `-- materialized: table` header line says otherwise.

Data tests live in `<model>.tests.toml` beside `<model>.sql` (see `docs/bi.md` and
`sql/README.md` for the format). Neither function opens, commits or rolls back a
transaction: the caller owns it.
"""

from __future__ import annotations

import re
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any, Literal

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.optimizer.scope import traverse_scope

from pipeline.schemas import TABLES

Layer = Literal["staging", "marts"]
Materialized = Literal["view", "table"]
# error: a broken invariant (a bug): fails the run. quarantine: the articles whose rows fail are kept out
# of the warehouse (`rejects` reason data_test) and the rest loads. warn: reported only.
Severity = Literal["error", "quarantine", "warn"]
SEVERITIES: tuple[Severity, ...] = ("error", "quarantine", "warn")
# Keys and relationships are what the loader guarantees; values and expectations are about the data.
DEFAULT_SEVERITY: dict[str, Severity] = {
    "unique": "error",
    "relationships": "error",
    "not_null": "quarantine",
    "accepted_values": "quarantine",
    "expect": "quarantine",
}

LAYERS: tuple[Layer, ...] = ("staging", "marts")
CONFIG_FILE = "models.toml"
TESTS_SUFFIX = ".tests.toml"
SAMPLE_ROWS = 5

_HEADER = re.compile(r"^\s*--\s*materiali[sz]ed\s*:\s*(\w+)\s*$", re.IGNORECASE | re.MULTILINE)
_DUCKDB_LINE = re.compile(r"\bLINE (\d+):")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ModelError(Exception):
    """A model could not be read, ordered or built; the message names its file (and line)."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        super().__init__(where + message)
        self.path = path
        self.line = line


class DataTestConfigError(ModelError):
    """A `*.tests.toml` file is malformed or names an unknown model or column."""


@dataclass(frozen=True)
class Model:
    """One SQL file: its name, layer, body and the models it reads."""

    name: str
    layer: Layer
    path: Path
    sql: str
    materialized: Materialized
    depends_on: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BuiltModel:
    """What `build_models` made: one view or table per model, in build order."""

    name: str
    layer: Layer
    path: Path
    materialized: Materialized
    depends_on: tuple[str, ...]
    rows: int | None  # counted for tables only: counting a view would evaluate it
    seconds: float


@dataclass(frozen=True)
class DataTest:
    """One declared check: `sql` selects the offending rows of `model`."""

    model: str
    name: str
    sql: str
    path: Path
    kind: str = "expect"  # unique, not_null, accepted_values, relationships, expect
    key: str = ""  # the column(s) or the expectation's name: `[severity]` entries name `kind.key`
    severity: Severity = "error"


@dataclass(frozen=True)
class DataTestResult:
    """Outcome of one data test; `sample` holds up to five offending rows."""

    model: str
    test: str
    failures: int
    sample: tuple[dict[str, Any], ...] = field(default=())
    path: Path | None = None
    severity: Severity = "error"

    @property
    def passed(self) -> bool:
        return self.failures == 0

    def describe(self) -> str:
        head = f"{self.model}: {self.test}: {self.failures} offending row(s)"
        if self.path is not None:
            head += f" (declared in {self.path})"
        rows = "".join(f"\n    {_format_row(row)}" for row in self.sample)
        more = f"\n    ... and {self.failures - len(self.sample)} more" if self.failures > len(self.sample) else ""
        return head + rows + more


class DataTestError(Exception):
    """One or more data tests failed; `failures` lists them with sample rows."""

    def __init__(self, failures: Sequence[DataTestResult]) -> None:
        self.failures = tuple(failures)
        lines = "\n".join(f"  - {f.describe()}" for f in self.failures)
        super().__init__(f"{len(self.failures)} data test(s) failed:\n{lines}")


# --- discovery ---------------------------------------------------------------------------


def _folder_defaults(sql_dir: Path) -> dict[Layer, Materialized]:
    defaults: dict[Layer, Materialized] = {"staging": "view", "marts": "view"}
    config_path = sql_dir / CONFIG_FILE
    if not config_path.exists():
        return defaults
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ModelError(f"cannot parse: {e}", config_path) from e
    for key, section in config.items():
        if key not in LAYERS or not isinstance(section, dict) or set(section) - {"materialized"}:
            raise ModelError(
                f"unexpected entry [{key}]; expected [staging] or [marts] with `materialized`", config_path
            )
        if "materialized" in section:
            defaults[key] = _materialization(str(section["materialized"]), config_path)
    if defaults["staging"] != "view":
        raise ModelError("staging models are always views", config_path)
    return defaults


def _materialization(value: str, path: Path) -> Materialized:
    value = value.lower()
    if value == "view":
        return "view"
    if value == "table":
        return "table"
    raise ModelError(f"materialized must be 'view' or 'table', not {value!r}", path)


def _body(text: str) -> str:
    """The model's SELECT without a trailing semicolon; line numbers stay those of the file."""
    body = text.rstrip()
    while body.endswith(";"):
        body = body[:-1].rstrip()
    return body


def _references(path: Path, sql: str) -> set[tuple[str, str]]:
    """(schema, name) of every table the query reads, CTEs and table functions excluded."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except ParseError as e:
        line = e.errors[0].get("line") if e.errors else None
        raise ModelError(f"sqlglot cannot parse the model: {e}", path, line) from e
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise ModelError("a model file holds exactly one SELECT (one model per file)", path)
    refs: set[tuple[str, str]] = set()
    for scope in traverse_scope(statements[0]):
        for source in scope.sources.values():
            if isinstance(source, exp.Table) and isinstance(source.this, exp.Identifier):
                if source.catalog:
                    continue  # another attached database: not ours to order
                refs.add((source.db.lower(), source.name.lower()))
    return refs


def _existing_relations(con: duckdb.DuckDBPyConnection | None) -> set[str]:
    if con is None:
        return set()
    rows = con.execute("select lower(table_name) from information_schema.tables where table_schema = 'main'").fetchall()
    return {r[0] for r in rows}


def discover_models(sql_dir: Path, con: duckdb.DuckDBPyConnection | None = None) -> list[Model]:
    """Read every model under `sql_dir/staging` and `sql_dir/marts`, with its dependencies.

    A reference must be another model, a core table (`pipeline.schemas.TABLES`) or, when
    `con` is given, a relation that already exists in schema `main`; anything else fails.
    """
    sql_dir = Path(sql_dir)
    defaults = _folder_defaults(sql_dir)
    files: dict[str, tuple[Layer, Path]] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            name = path.stem.lower()
            if not _IDENTIFIER.match(name):
                raise ModelError("a model's file name must be a plain SQL identifier", path)
            if name in TABLES:
                raise ModelError(f"a model cannot be named like the core table {name!r}", path)
            if name in files:
                raise ModelError(f"model {name!r} is also defined in {files[name][1]}", path)
            files[name] = (layer, path)
    if not files:
        raise ModelError(f"no models found under {sql_dir}/staging or {sql_dir}/marts")

    known_sources = set(TABLES) | (_existing_relations(con) - set(files))
    models: list[Model] = []
    for name, (layer, path) in files.items():
        text = path.read_text(encoding="utf-8")
        sql = _body(text)
        header = _HEADER.search(text)
        materialized = _materialization(header.group(1), path) if header else defaults[layer]
        if layer == "staging" and materialized != "view":
            raise ModelError("staging models are always views", path)
        depends: set[str] = set()
        sources: set[str] = set()
        for schema, ref in sorted(_references(path, sql)):
            if schema not in ("", "main"):
                continue  # another schema: not a model, DuckDB resolves it
            if ref in files and ref != name:
                if layer == "staging" and files[ref][0] == "marts":
                    raise ModelError(f"staging model reads the mart {ref!r}; staging reads core tables", path)
                depends.add(ref)
            elif ref in known_sources:
                if layer == "marts" and ref in TABLES:
                    raise ModelError(f"mart reads the core table {ref!r}; read stg_{ref} instead", path)
                sources.add(ref)
            else:
                raise ModelError(
                    f"model {name!r} reads {ref!r}, which is neither a model in {sql_dir} nor a core table",
                    path,
                )
        models.append(Model(name, layer, path, sql, materialized, tuple(sorted(depends)), tuple(sorted(sources))))
    return models


def order_models(models: Iterable[Model]) -> list[Model]:
    """Dependencies first; among models ready together, staging first, then by name."""
    by_name = {m.name: m for m in models}
    sorter: TopologicalSorter[str] = TopologicalSorter({m.name: m.depends_on for m in by_name.values()})
    try:
        sorter.prepare()
    except CycleError as e:
        cycle = " -> ".join(e.args[1])
        files = ", ".join(str(by_name[n].path) for n in dict.fromkeys(e.args[1]))
        raise ModelError(f"dependency cycle between models: {cycle} ({files})") from e
    ordered: list[Model] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=lambda n: (LAYERS.index(by_name[n].layer), n))
        for name in ready:
            ordered.append(by_name[name])
            sorter.done(name)
    return ordered


# --- build -------------------------------------------------------------------------------


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _existing_kind(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    rows = con.execute(
        "select table_type from information_schema.tables where table_schema = 'main' and table_name = ?",
        [name],
    ).fetchall()
    return str(rows[0][0]) if rows else None


def _count(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open and blocks the connection.
    return int(con.execute(f"select count(*) from {relation}").fetchall()[0][0])


def _line_of(error: duckdb.Error) -> int | None:
    match = _DUCKDB_LINE.search(str(error))
    return int(match.group(1)) if match else None


def build_model(con: duckdb.DuckDBPyConnection, model: Model) -> BuiltModel:
    """Create or replace one model's view or table; a failure names the file and line."""
    started = time.perf_counter()
    kind = _existing_kind(con, model.name)
    if kind == "VIEW" and model.materialized == "table":
        con.execute(f"drop view {_quote(model.name)}")
    elif kind == "BASE TABLE" and model.materialized == "view":
        con.execute(f"drop table {_quote(model.name)}")
    # No newline after "as": DuckDB's LINE numbers then match the file's.
    statement = f"create or replace {model.materialized} {_quote(model.name)} as {model.sql}"
    try:
        con.execute(statement)
        # A view is not evaluated to count it: building stays instant however large the tables.
        rows = _count(con, _quote(model.name)) if model.materialized == "table" else None
    except duckdb.Error as e:
        raise ModelError(f"model {model.name!r} failed to build: {e}", model.path, _line_of(e)) from e
    return BuiltModel(
        model.name,
        model.layer,
        model.path,
        model.materialized,
        model.depends_on,
        rows,
        time.perf_counter() - started,
    )


def build_models(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> list[BuiltModel]:
    """Build every model under `sql_dir` in dependency order, inside the caller's transaction."""
    return [build_model(con, m) for m in order_models(discover_models(Path(sql_dir), con))]


# --- data tests --------------------------------------------------------------------------


def _ident(value: Any, path: Path, what: str) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise DataTestConfigError(f"{what} must be a column or model name, not {value!r}", path)
    return value


def _columns_of(value: Any, path: Path, what: str) -> list[str]:
    if isinstance(value, str):
        return [_ident(value, path, what)]
    if isinstance(value, list) and value:
        return [_ident(v, path, what) for v in value]
    raise DataTestConfigError(f"{what} must be a column name or a list of column names", path)


def _parse_tests(model: str, path: Path, spec: Mapping[str, Any], models: set[str]) -> list[DataTest]:
    m = _quote(model)
    tests: list[DataTest] = []
    for key, value in spec.items():
        if key == "severity":
            continue  # applied by `_with_severity`
        if key == "unique":
            for entry in value if isinstance(value, list) else [value]:
                cols = _columns_of(entry, path, "unique")
                keys = ", ".join(_quote(c) for c in cols)
                any_set = " or ".join(f"{_quote(c)} is not null" for c in cols)
                sql = (
                    f"select *, count(*) over (partition by {keys}) as duplicate_count from {m} "
                    f"where {any_set} qualify duplicate_count > 1 order by {keys}"
                )
                tests.append(DataTest(model, f"unique({', '.join(cols)})", sql, path, "unique", ",".join(cols)))
        elif key == "not_null":
            for col in _columns_of(value, path, "not_null"):
                sql = f"select * from {m} where {_quote(col)} is null"
                tests.append(DataTest(model, f"not_null({col})", sql, path, "not_null", col))
        elif key == "accepted_values":
            if not isinstance(value, dict):
                raise DataTestConfigError("[accepted_values] maps a column to a list of values", path)
            for col, values in value.items():
                _ident(col, path, "accepted_values")
                if not isinstance(values, list) or not values:
                    raise DataTestConfigError(f"accepted_values.{col} must be a non-empty list", path)
                literals = ", ".join(_literal(v, path) for v in values)
                sql = f"select * from {m} where {_quote(col)} is not null and {_quote(col)} not in ({literals})"
                name = f"accepted_values({col} in [{literals}])"
                tests.append(DataTest(model, name, sql, path, "accepted_values", col))
        elif key == "relationships":
            if not isinstance(value, dict):
                raise DataTestConfigError('[relationships] maps a column to "model.column"', path)
            for col, target in value.items():
                _ident(col, path, "relationships")
                parent, _, parent_col = str(target).partition(".")
                _ident(parent, path, "relationships target model")
                _ident(parent_col, path, "relationships target column")
                if parent not in models:
                    raise DataTestConfigError(f"relationships.{col} points to unknown model {parent!r}", path)
                sql = (
                    f"select child.* from {m} as child where child.{_quote(col)} is not null "
                    f"and not exists (select 1 from {_quote(parent)} as parent "
                    f"where parent.{_quote(parent_col)} = child.{_quote(col)})"
                )
                name = f"relationships({col} -> {parent}.{parent_col})"
                tests.append(DataTest(model, name, sql, path, "relationships", col))
        elif key == "expect":
            if not isinstance(value, dict):
                raise DataTestConfigError('[expect] maps a name to a SQL condition, e.g. ok = "a < b"', path)
            for name, condition in value.items():
                if not isinstance(condition, str) or not condition.strip():
                    raise DataTestConfigError(f"expect.{name} must be a SQL condition", path)
                sql = f"select * from {m} where not ({condition})"
                tests.append(DataTest(model, f"expect({name}: {condition})", sql, path, "expect", name))
        else:
            raise DataTestConfigError(
                f"unknown test {key!r}; use unique, not_null, accepted_values, relationships or expect", path
            )
    return tests


def _literal(value: Any, path: Path) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise DataTestConfigError(f"accepted value {value!r} must be a string or a number", path)


def discover_data_tests(sql_dir: Path) -> list[DataTest]:
    """Every test declared in `<model>.tests.toml` files beside the models."""
    sql_dir = Path(sql_dir)
    model_files = {p.stem.lower(): p for layer in LAYERS for p in (sql_dir / layer).glob("*.sql")}
    tests: list[DataTest] = []
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob(f"*{TESTS_SUFFIX}")):
            model = path.name[: -len(TESTS_SUFFIX)].lower()
            if model not in model_files:
                raise DataTestConfigError(f"tests for {model!r}, but there is no {model}.sql", path)
            try:
                spec = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as e:
                raise DataTestConfigError(f"cannot parse: {e}", path) from e
            tests.extend(_with_severity(_parse_tests(model, path, spec, set(model_files)), spec.get("severity"), path))
    return tests


def _with_severity(tests: list[DataTest], spec: Any, path: Path) -> list[DataTest]:
    """Each test's severity: `[severity]` names a kind (`expect`) or one test (`expect.name`,
    `accepted_values.column`), else the kind's default (`DEFAULT_SEVERITY`)."""
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        raise DataTestConfigError('[severity] maps a test to "error", "quarantine" or "warn"', path)
    known = {t.kind for t in tests} | {f"{t.kind}.{t.key}" for t in tests}
    for k, v in spec.items():
        if k not in known:
            raise DataTestConfigError(f"[severity] names {k!r}, which is no test of this file", path)
        if v not in SEVERITIES:
            raise DataTestConfigError(f"severity.{k} must be one of {', '.join(SEVERITIES)}, not {v!r}", path)
    levels: dict[str, Severity] = {str(k): v for k, v in spec.items()}
    out = []
    for t in tests:
        level = levels.get(f"{t.kind}.{t.key}", levels.get(t.kind, DEFAULT_SEVERITY[t.kind]))
        out.append(replace(t, severity=level))
    return out


def _format_row(row: Mapping[str, Any]) -> str:
    parts = []
    for key, value in row.items():
        text = repr(value)
        parts.append(f"{key}={text[:57] + '...' if len(text) > 60 else text}")
    return "{" + ", ".join(parts) + "}"


def run_data_test(con: duckdb.DuckDBPyConnection, test: DataTest) -> DataTestResult:
    """Count the offending rows of one test and keep a sample of them."""
    try:
        failures = _count(con, f"({test.sql})")
        sample: list[dict[str, Any]] = []
        if failures:
            cursor = con.execute(f"select * from ({test.sql}) limit {SAMPLE_ROWS}")
            names = [d[0] for d in cursor.description or []]
            sample = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    except duckdb.Error as e:
        raise DataTestConfigError(f"data test {test.name} on {test.model!r} cannot run: {e}", test.path) from e
    return DataTestResult(test.model, test.name, failures, tuple(sample), test.path, test.severity)


def run_data_tests(
    con: duckdb.DuckDBPyConnection, sql_dir: Path, *, raise_on_failure: bool = True
) -> list[DataTestResult]:
    """Run every declared data test; raise `DataTestError` listing all failures (unless told not to)."""
    results = [run_data_test(con, t) for t in discover_data_tests(Path(sql_dir))]
    failed = [r for r in results if not r.passed]
    if failed and raise_on_failure:
        raise DataTestError(failed)
    return results


@dataclass(frozen=True)
class Quarantine:
    """A failed `quarantine` test and the articles whose rows failed it."""

    result: DataTestResult
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class DataCheck:
    """The data tests of one build, by what their failures mean for the run."""

    errors: tuple[DataTestResult, ...] = ()
    quarantine: tuple[Quarantine, ...] = ()
    warnings: tuple[DataTestResult, ...] = ()


def _has_article_id(con: duckdb.DuckDBPyConnection, model: str) -> bool:
    rows = con.execute(
        "select 1 from information_schema.columns where table_schema = 'main' and table_name = ? "
        "and column_name = 'article_id'",
        [model],
    ).fetchall()
    return bool(rows)


def check_data(con: duckdb.DuckDBPyConnection, tests: Sequence[DataTest]) -> DataCheck:
    """Run `tests` and sort the failures: errors, articles to quarantine, warnings.

    A `quarantine` test on a model without `article_id` cannot say which articles to keep out, so it
    is reported as a warning.
    """
    errors: list[DataTestResult] = []
    quarantine: list[Quarantine] = []
    warnings: list[DataTestResult] = []
    for t in tests:
        r = run_data_test(con, t)
        if r.passed:
            continue
        if t.severity == "error":
            errors.append(r)
        elif t.severity == "quarantine" and _has_article_id(con, t.model):
            ids = con.execute(f"select distinct article_id from ({t.sql}) where article_id is not null").fetchall()
            quarantine.append(Quarantine(r, tuple(sorted(str(i[0]) for i in ids))))
        else:
            warnings.append(r)
    return DataCheck(tuple(errors), tuple(quarantine), tuple(warnings))
