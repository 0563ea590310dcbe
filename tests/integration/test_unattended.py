"""The failures that used to stop a scheduled run, run as a new user would: `news-pipeline run` exits 0.

A long one-line article, a body cut off after a currency sign or a range word, an article with
"52 basis points", and an analyst's read-only connection held open in another process across the run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.usefixtures("prefect_harness")

# A reader in its own process, as the DuckDB CLI or a BI driver would be: it opens the warehouse
# read-only, answers a count, then waits (holding the file) until told to count again and exit.
READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
"""


def count(db: Path, sql: str = "select count(*) from articles") -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return int(con.execute(sql).fetchall()[0][0])


def good_articles(folder: Path) -> int:
    folder.mkdir(parents=True)
    texts = sorted(EXAMPLES.glob("*.txt"))
    for p in texts:
        shutil.copy(p, folder / p.name)
    return len(texts)


def test_bad_articles_and_an_open_reader_do_not_stop_the_run(tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    first = tmp_path / "first"
    n_good = good_articles(first)
    assert main(["run", str(first), "--warehouse", str(wh), "--no-progress"]) == 0
    db = wh / "news.duckdb"
    assert count(db) == n_good

    corpus = tmp_path / "corpus"
    shutil.copytree(first, corpus)
    # One line of 250,000 characters: parsed in chunks (the 1.16M-character case is in tests/nlp).
    sentence = "The regulator said the merger of the two utilities would cut costs by 4% over five years. "
    (corpus / "long.txt").write_text("Utility merger cleared\n\n" + sentence * (250_000 // len(sentence)))
    (corpus / "cut-currency.txt").write_text("Profits slide\n\nQuarterly profit at the retailer has fallen from $")
    (corpus / "cut-range.txt").write_text("Jobs outlook\n\nThe agency expects unemployment to rise by two to")
    (corpus / "rates.txt").write_text(
        "Rates rise again\n\nThe central bank raised rates 52 basis points on Wednesday, the governor said.\n"
    )

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert int(reader.stdout.readline()) == n_good  # holding the file open from here on
        code = main(["run", str(corpus), "--warehouse", str(wh), "--no-progress", "--no-wait"])
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert int(reader.stdout.readline()) == n_good  # its snapshot: the last run completed before it opened
    finally:
        reader.kill()
        reader.wait()
    assert code == 0
    assert count(db) == n_good + 4  # a new connection sees the new run: every article loaded
    assert count(db, "select count(*) from metrics where unit = 'pp' and value = 0.52") == 1
    assert count(db, "select count(*) from rejects where reason in ('extract_error', 'data_test')") == 0
    assert count(db, "select count(*) from pipeline_runs where status = 'success'") == 2

    # The schedule's next run reads nothing again and changes nothing.
    assert main(["run", str(corpus), "--warehouse", str(wh), "--no-progress"]) == 0
    assert count(db) == n_good + 4
    assert count(db, "select files_unchanged from pipeline_runs order by started_at desc limit 1") == n_good + 4


def test_rejects_retry_runs_the_quarantined_articles_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wh = tmp_path / "wh"
    corpus = tmp_path / "corpus"
    n_good = good_articles(corpus)
    (corpus / "report.txt").write_text("Annual report published\n\n" + "Revenue grew in every region. " * 300)
    monkeypatch.setenv("NEWS_MAX_ARTICLE_CHARS", "5000")
    assert main(["run", str(corpus), "--warehouse", str(wh), "--no-progress"]) == 0
    db = wh / "news.duckdb"
    assert count(db) == n_good
    assert count(db, "select count(*) from rejects where reason = 'too_long'") == 1
    assert count(db, "select articles_quarantined from pipeline_runs") == 1

    assert main(["rejects", "--retry", "--reason", "bad_json", "--warehouse", str(wh)]) == 2  # not retryable
    monkeypatch.setenv("NEWS_MAX_ARTICLE_CHARS", "5000000")
    assert main(["rejects", "--retry", "--reason", "too_long", "--warehouse", str(wh), "--no-progress"]) == 0
    assert count(db) == n_good + 1
    assert count(db, "select count(*) from rejects") == 0
