"""Landing and exports on object storage: a run round-trips through an S3 server on 127.0.0.1."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline import steps
from pipeline.ingest import iter_local
from pipeline.land import LandingWriter, run_files
from pipeline.settings import Settings

BUCKET = "news-test"


@pytest.fixture()
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto S3 server on a free local port, with dummy credentials; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(var, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "FSSPEC_S3_ENDPOINT_URL"):
        monkeypatch.delenv(var, raising=False)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        import s3fs

        # moto keeps its buckets per process, across servers: start from an empty store.
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).close()
        s3fs.S3FileSystem(endpoint_url=endpoint, skip_instance_cache=True).mkdir(BUCKET)
        yield endpoint
    finally:
        server.stop()


def _fs(endpoint: str) -> object:
    import s3fs

    return s3fs.S3FileSystem(endpoint_url=endpoint, skip_instance_cache=True)


def test_settings_read_urls_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWS_LANDING_URL", "s3://b/landing")
    monkeypatch.setenv("NEWS_EXPORTS_URL", f"file://{tmp_path}/exports")
    monkeypatch.setenv("NEWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    s = Settings(warehouse_dir=tmp_path)
    assert s.landing_dir == "s3://b/landing"
    assert s.exports_dir == tmp_path / "exports"
    assert s.storage_options(s.landing_dir) == {"endpoint_url": "http://127.0.0.1:9000"}
    assert s.storage_options(s.exports_dir) == {}
    monkeypatch.delenv("NEWS_LANDING_URL")
    assert Settings(warehouse_dir=tmp_path).landing_dir == tmp_path / "landing"


def test_landing_writer_on_s3(s3: str) -> None:
    opts = {"endpoint_url": s3}
    root = f"s3://{BUCKET}/landing"
    row = {"reject_id": "r1", "source": "s1", "reason": "empty", "run_id": "run", "rejected_at": datetime(2025, 1, 1)}
    with LandingWriter(root, "run", date(2025, 1, 2), opts) as w:
        w.write("rejects", [row, {**row, "reject_id": "r2"}])
        assert run_files(root, "run", opts) == {}  # nothing visible before close
        files = w.close()
    assert files == {"rejects": f"{root}/rejects/run_date=2025-01-02/run.parquet"}
    assert run_files(root, "run", opts) == files

    with pytest.raises(RuntimeError), LandingWriter(root, "aborted", date(2025, 1, 2), opts) as w:
        w.write("rejects", [row])
        raise RuntimeError("boom")
    assert run_files(root, "aborted", opts) == {}
    assert [p.rsplit("/", 1)[-1] for p in _fs(s3).find(f"{BUCKET}/landing")] == ["run.parquet"]  # type: ignore[attr-defined]


def test_run_lands_loads_and_exports_through_s3(s3: str, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "steel.txt").write_text(
        "Date: 2025-02-03\nSteel merger agreed\n\nKarin Lindqvist, chief executive of Nordstahl, said the "
        "deal would save about 300 million euros a year.\n"
    )
    (src / "port.txt").write_text("Port volumes rise\n\nRotterdam handled 13.8 million containers last year.\n")
    settings = Settings(
        warehouse_dir=tmp_path / "wh",
        landing_url=f"s3://{BUCKET}/landing",
        exports_url=f"s3://{BUCKET}/exports",
        s3_endpoint_url=s3,
    )
    assert not steps.exports_exist(settings)

    ctx = steps.new_run(settings)
    stats = steps.ingest(ctx, iter_local([str(src)], settings))
    extracted = steps.extract(ctx)
    inserted = steps.load(ctx, stats, after_load=steps.build_and_test_models(settings))
    exported = steps.export(settings)

    assert stats.new == 2 and extracted.articles == 2
    # Nothing landed locally: every landing file is in the bucket, and the load read them from there.
    assert not (tmp_path / "wh" / "landing").exists()
    fs = _fs(s3)
    landed = fs.find(f"{BUCKET}/landing")  # type: ignore[attr-defined]
    assert {p.split("/")[2] for p in landed} >= {"articles", "entity_mentions", "metrics", "article_sources"}
    assert all(p.endswith(f"{ctx.run_id}.parquet") for p in landed)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "metrics")}  # type: ignore[index]
        metric_values = sorted(r[0] for r in con.execute("select value from metrics").fetchall())
    assert counts == {"articles": 2, "metrics": 2}
    assert inserted["articles"] == 2
    assert metric_values == [13.8e6, 300e6]

    # The exports are in the bucket, readable by any Parquet reader with the same credentials.
    assert steps.exports_exist(settings)
    assert not (tmp_path / "wh" / "exports").exists()
    articles = ds.dataset(f"{BUCKET}/exports/articles", filesystem=fs, partitioning="hive").to_table()
    assert sorted(articles.column("title").to_pylist()) == ["Port volumes rise", "Steel merger agreed"]
    assert sorted(articles.column("pub_month").to_pylist()) == ["2025-02", "unknown"]
    with fs.open(f"{BUCKET}/exports/entities.parquet", "rb") as f:  # type: ignore[attr-defined]
        assert pq.read_table(f).num_rows == exported["entities"] > 0
    assert steps.export(settings) == exported  # a second export replaces the first
    assert not [p for p in fs.find(f"{BUCKET}/exports") if "/." in p]  # type: ignore[attr-defined]  # no temp leftovers
