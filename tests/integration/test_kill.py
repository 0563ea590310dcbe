"""kill -9 at several points of a run leaves news.duckdb as it was; the next run completes (or publishes) the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipeline.schemas import TABLES

# A run driven step by step, pausing (to be killed) at the point named in argv[3].
DRIVER = textwrap.dedent(
    """
    import sys, time
    from pipeline import steps
    from pipeline.ingest import iter_local
    from pipeline.settings import Settings

    wh, src, point = sys.argv[1], sys.argv[2], sys.argv[3]
    settings = Settings(warehouse_dir=wh)

    def pause(name):
        if name == point:
            print("PAUSED", flush=True)
            time.sleep(120)

    ctx = steps.new_run(settings)
    stats = steps.ingest(ctx, iter_local([src], settings), progress=lambda n: pause("ingest"))
    steps.extract(ctx, progress=lambda n: pause("extract"))
    models = steps.build_and_test_models(settings)

    def after_load(con):
        pause("load")
        models(con)
        pause("models")

    steps.load(ctx, stats, after_load=after_load, publish=False)
    pause("publish")  # committed in the writer's database, not yet published to readers
    steps.publish_warehouse(settings)
    print("DONE", flush=True)
    """
)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}


def drive(wh: Path, src: Path, point: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", DRIVER, str(wh), str(src), point], stdout=subprocess.PIPE, text=True)


def write_corpus(d: Path, names: list[str]) -> None:
    d.mkdir(exist_ok=True)
    for n in names:
        (d / f"{n}.txt").write_text(
            f"Report {n}\n\nOfficials in Berlin said exports from plant {n} rose 5% to 2 million euros last year.\n"
        )


@pytest.mark.parametrize("point", ["ingest", "extract", "load", "models", "publish"])
def test_kill_9_leaves_the_warehouse_unchanged(tmp_path: Path, point: str) -> None:
    src, wh = tmp_path / "src", tmp_path / "wh"
    write_corpus(src, ["a", "b"])
    first = drive(wh, src, "none")
    assert first.communicate(timeout=300)[0].strip().endswith("DONE")
    before = snapshot(wh / "news.duckdb")

    write_corpus(src, ["c", "d"])
    victim = drive(wh, src, point)
    assert victim.stdout is not None
    assert victim.stdout.readline().strip() == "PAUSED"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert snapshot(wh / "news.duckdb") == before

    again = drive(wh, src, "none")
    assert again.communicate(timeout=300)[0].strip().endswith("DONE")
    with duckdb.connect(str(wh / "news.duckdb"), read_only=True) as con:
        titles = sorted(r[0] for r in con.execute("select title from articles").fetchall())
        runs = con.execute("select count(*) from pipeline_runs").fetchone()
    assert titles == ["Report a", "Report b", "Report c", "Report d"]
    # Killed after its commit, the run had loaded c and d (and logged itself): the next one publishes that.
    assert runs == ((3,) if point == "publish" else (2,))
