"""`news-pipeline serve` registers a cron deployment; a triggered run of it fills the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")

CRON = "0 3 1 1 *"  # once a year: nothing fires on its own during the test
NAME = "serve-test"


def _wait_for_deployment(name: str, proc: subprocess.Popen[bytes], log: Path, deadline: float) -> object:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"serve exited with {proc.returncode}:\n{log.read_text()}")
            try:
                return client.read_deployment_by_name(name)
            except ObjectNotFound:
                time.sleep(0.5)
    pytest.fail(f"the deployment {name} never appeared:\n{log.read_text()}")


def test_serve_then_run_the_deployment(tmp_path: Path) -> None:
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    src, wh, log = tmp_path / "in", tmp_path / "wh", tmp_path / "serve.log"
    src.mkdir()
    (src / "port.txt").write_text(
        "Port volumes rise\n\nRotterdam handled 13.8 million containers last year, officials said.\n"
    )
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
    }
    cmd = [sys.executable, "-m", "pipeline.cli", "serve", str(src), "--cron", CRON]
    cmd += ["--warehouse", str(wh), "--name", NAME]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deployment = _wait_for_deployment(f"news_etl/{NAME}", proc, log, time.monotonic() + 120)
        schedules = deployment.schedules  # type: ignore[attr-defined]
        assert [s.schedule.cron for s in schedules] == [CRON]
        assert deployment.parameters["sources"] == [str(src)]  # type: ignore[attr-defined]

        run = run_deployment(f"news_etl/{NAME}", timeout=240, poll_interval=1)
        assert run.state is not None and run.state.is_completed(), f"{run.state}\n{log.read_text()}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    with duckdb.connect(str(wh / "news.duckdb"), read_only=True) as con:
        assert con.execute("select title from articles").fetchall() == [("Port volumes rise",)]
        assert con.execute("select count(*) from metrics").fetchone() == (1,)
        runs = con.execute("select status, flow_run_id from pipeline_runs").fetchall()
    assert runs == [("success", str(run.id))]


def test_a_failed_run_records_its_step_and_error(tmp_path: Path) -> None:
    """What an unattended (scheduled) run leaves behind when it fails: a `pipeline_runs` row that says
    which step failed and why, and data tables as they were."""
    import shutil

    from flows.news_etl import news_etl
    from tests.conftest import ROOT

    sql = tmp_path / "sql"
    shutil.copytree(ROOT / "sql", sql)
    (sql / "marts" / "zz_broken.sql").write_text("select * from no_such_table\n")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Port volumes rise\n\nRotterdam handled 13.8 million containers last year.\n")
    wh = tmp_path / "wh"
    with pytest.raises(Exception, match="zz_broken"):
        news_etl(sources=[str(src)], warehouse_dir=str(wh), settings_overrides={"sql_dir": str(sql)})
    with duckdb.connect(str(wh / "news.duckdb"), read_only=True) as con:
        runs = con.execute("select status, failed_step, error, articles_new from pipeline_runs").fetchall()
        articles = con.execute("select count(*) from articles").fetchone()
    assert len(runs) == 1
    status, step, error, new = runs[0]
    assert (status, step, new) == ("failed", "load", 1)
    assert "zz_broken" in error and "no_such_table" in error
    assert articles == (0,)


def test_prefect_yaml_deploys_to_a_process_work_pool(tmp_path: Path) -> None:
    """`prefect deploy --all` with the project's prefect.yaml registers the scheduled deployment."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL

    from tests.conftest import ROOT

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="news-pool", type="process"), overwrite=True)
    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "NEWS_PROJECT_DIR": str(ROOT)}
    prefect = Path(sys.executable).with_name("prefect")
    done = subprocess.run(
        [str(prefect), "--no-prompt", "deploy", "--all"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with get_client(sync_client=True) as client:
        d = client.read_deployment_by_name("news_etl/scheduled")
    assert d.work_pool_name == "news-pool"
    assert d.entrypoint == "flows/news_etl.py:news_etl"
    assert d.parameters == {"sources": ["examples"], "warehouse_dir": "warehouse"}
    assert [s.schedule.cron for s in d.schedules] == ["*/30 * * * *"]  # type: ignore[union-attr]
    assert d.pull_steps == [{"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}]
