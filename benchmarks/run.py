"""The benchmark harness (`make bench`): the pipeline's full run against bare spaCy, side by side.

For each corpus it measures, in one run:

- bare spaCy: `nlp.pipe` over the article bodies the pipeline would extract (one per distinct article,
  built by the pipeline's own readers), with the same model (`load_nlp`), batch size and n_process;
- the full `news-pipeline run` end to end into an empty warehouse, as a subprocess, and each step's share
  (from the step log lines the flow prints), with and without the Prefect temporary server's start-up;
- a no-op rerun (the same command on the filled warehouse) against an empty flow (an empty folder of
  sources into a fresh warehouse);
- the peak RSS of each run's process tree (polled every 0.2 s with psutil, summed over all processes);
- DuckDB load speed (rows loaded / load step time) and the SQL models' build time on a copy of the
  warehouse, inside a transaction that is rolled back.

Results go to `benchmarks/results/<date>-<corpus>.json`, and the table between the marker comments in
`benchmarks/README.md` is rewritten from the latest result per corpus.

usage: .venv/bin/python benchmarks/run.py [--corpus bbc|synth20k|synth100k ...] [--with-100k]
                                          [--n-process 2] [--limit N] [--note TEXT] [--keep]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.synth import BBC_DIR, CACHE_DIR, DEFAULT_SEED, build_corpus

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
BEGIN_MARK = "<!-- bench:results:begin -->"
END_MARK = "<!-- bench:results:end -->"
CORPORA = ("bbc", "synth20k", "synth100k")
SYNTH_SIZES = {"synth20k": 20_000, "synth100k": 100_000}
POLL_S = 0.2
MODEL_BUILD_REPEATS = 3
GB = 1024**3

# Targets of issue 9.
FULL_VS_BARE_MAX = 1.15
NOOP_VS_EMPTY_MAX = 1.3
PEAK_RSS_MAX_BYTES = int(1.5 * GB)
RSS_GROWTH_MAX = 0.10
MODELS_MAX_S = 2.0

# The flow's step log lines (flows/news_etl.py), e.g. "load + models: rows {...} in 2.4s".
STEP_LINES = {
    "ingest": re.compile(r"\bingest: .* in (?P<s>\d+(?:\.\d+)?)s\s*$"),
    "extract": re.compile(r"\bextract \(.*?\): .* in (?P<s>\d+(?:\.\d+)?)s\s*$"),
    "load": re.compile(r"\bload \+ models: rows (?P<rows>\{.*\}) in (?P<s>\d+(?:\.\d+)?)s\s*$"),
    "export": re.compile(r"\bexport: .* in (?P<s>\d+(?:\.\d+)?)s\s*$"),
    "publish": re.compile(r"\bpublish: .* in (?P<s>\d+(?:\.\d+)?)s\b"),
}
SERVER_START = re.compile(r"Starting temporary server")
FLOW_BEGIN = re.compile(r"Beginning flow run")
FLOW_END = re.compile(r"Flow run '[^']*' - Finished in state")
SERVER_STOP = re.compile(r"Stopping temporary server")


class BenchError(RuntimeError):
    """A measured command failed; the message carries the tail of its output."""


# --------------------------------------------------------------------------- process-tree RSS


@dataclass(frozen=True)
class RssPeak:
    """Peaks over the polled samples of one process tree (bytes).

    `tree` is the largest sum of RSS over the parent and all its descendants at one instant (shared
    pages are counted once per process, so this overstates what the tree really holds); the others are
    the largest single values of the parent, of any one descendant, and of the Prefect server process.
    """

    tree: int = 0
    tree_without_server: int = 0
    parent: int = 0
    largest_child: int = 0
    server: int = 0
    max_processes: int = 0
    samples: int = 0


@dataclass(frozen=True)
class ProcSample:
    pid: int
    rss: int
    is_parent: bool
    is_server: bool


def peak_of(samples: Iterable[Sequence[ProcSample]]) -> RssPeak:
    """Fold polled snapshots of a process tree into its peaks."""
    tree = without_server = parent = child = server = nproc = count = 0
    for snap in samples:
        count += 1
        total = sum(p.rss for p in snap)
        tree = max(tree, total)
        without_server = max(without_server, total - sum(p.rss for p in snap if p.is_server))
        nproc = max(nproc, len(snap))
        for p in snap:
            if p.is_parent:
                parent = max(parent, p.rss)
            else:
                child = max(child, p.rss)
            if p.is_server:
                server = max(server, p.rss)
    return RssPeak(tree, without_server, parent, child, server, nproc, count)


def _is_server(cmdline: Sequence[str]) -> bool:
    """The Prefect temporary server runs as a `uvicorn` subprocess of the flow's process."""
    return any("uvicorn" in part for part in cmdline)


class TreePoller(threading.Thread):
    """Samples the RSS of a process and all its descendants every `POLL_S` seconds."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        import psutil

        self._psutil = psutil
        self.root = psutil.Process(pid)
        self.snapshots: list[list[ProcSample]] = []
        self._halt = threading.Event()
        self._server: dict[int, bool] = {}

    def _snapshot(self) -> list[ProcSample]:
        ps = self._psutil
        out: list[ProcSample] = []
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except ps.Error:
            return out
        for p in procs:
            try:
                rss = p.memory_info().rss
                if p.pid not in self._server:
                    self._server[p.pid] = _is_server(p.cmdline())
            except ps.Error:
                continue
            out.append(ProcSample(p.pid, rss, p.pid == self.root.pid, self._server[p.pid]))
        return out

    def run(self) -> None:
        while not self._halt.is_set():
            snap = self._snapshot()
            if snap:
                self.snapshots.append(snap)
            self._halt.wait(POLL_S)

    def stop(self) -> RssPeak:
        self._halt.set()
        self.join()
        return peak_of(self.snapshots)


# --------------------------------------------------------------------------- the CLI's log


@dataclass(frozen=True)
class RunLog:
    """What the flow's log says about one run; times are seconds since the command was launched."""

    server_start_at: float | None
    flow_begin_at: float | None
    flow_end_at: float | None
    server_stop_at: float | None
    steps: dict[str, float]
    rows_loaded: dict[str, int]
    completed: bool
    nothing_new: bool


def parse_run_log(lines: Iterable[tuple[float, str]]) -> RunLog:
    """Step durations, loaded rows and flow start/end out of timestamped CLI output lines."""
    server = begin = end = stop = None
    steps: dict[str, float] = {}
    rows: dict[str, int] = {}
    completed = nothing_new = False
    for at, line in lines:
        if server is None and SERVER_START.search(line):
            server = at
        if begin is None and FLOW_BEGIN.search(line):
            begin = at
        if FLOW_END.search(line):
            end = at
            completed = "Completed" in line
        if SERVER_STOP.search(line):
            stop = at
        if re.search(r"\brun \S+: nothing new\b", line):
            nothing_new = True
        for step, pattern in STEP_LINES.items():
            m = pattern.search(line)
            if m:
                steps[step] = float(m.group("s"))
                if step == "load":
                    parsed = ast.literal_eval(m.group("rows"))
                    rows = {str(k): int(v) for k, v in parsed.items()}
    return RunLog(server, begin, end, stop, steps, rows, completed, nothing_new)


@dataclass(frozen=True)
class RunMeasure:
    """One `news-pipeline run`: wall times (s), its steps, its rows and its process tree's peak RSS.

    `total_s` runs from launch to exit. `startup_s`: launch until the flow logs `Beginning flow run`
    (interpreter, imports, `imports_s` of it, then the temporary Prefect server's start). `shutdown_s`:
    from `Stopping temporary server` to exit. `flow_s`: `Beginning flow run` to `Finished in state`.
    """

    command: list[str]
    total_s: float
    startup_s: float
    imports_s: float | None
    flow_s: float
    shutdown_s: float
    steps: dict[str, float]
    rows_loaded: dict[str, int]
    nothing_new: bool
    peak_rss: RssPeak

    @property
    def without_startup_s(self) -> float:
        return self.total_s - self.startup_s

    @property
    def run_s(self) -> float:
        """What a deployment on a running server pays: no temporary server start-up nor shutdown."""
        return self.total_s - self.startup_s - self.shutdown_s


def _bench_env(prefect_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PYTHONUNBUFFERED="1",
        COLUMNS="200",
    )
    return env


def timed_command(
    command: Sequence[str], env: Mapping[str, str], log_path: Path
) -> tuple[float, list[tuple[float, str]], RssPeak]:
    """Run a command to its end: (wall seconds, timestamped output lines, peak RSS of its tree)."""
    lines: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=dict(env),
        cwd=ROOT,
    )
    poller = TreePoller(proc.pid)
    poller.start()
    assert proc.stdout is not None
    with log_path.open("w", encoding="utf-8") as log:
        for line in proc.stdout:
            at = time.perf_counter() - t0
            lines.append((at, line.rstrip("\n")))
            log.write(f"{at:9.3f} {line}")
    code = proc.wait()
    total = time.perf_counter() - t0
    peak = poller.stop()
    if code != 0:
        tail = "\n".join(text for _, text in lines[-25:])
        raise BenchError(f"`{' '.join(command)}` exited with {code} (log: {log_path}):\n{tail}")
    return total, lines, peak


def pipeline_run(sources: Path, warehouse: Path, n_process: int, prefect_home: Path, log_path: Path) -> RunMeasure:
    """`news-pipeline run` as a subprocess, timed from launch to exit."""
    cli = Path(sys.executable).parent / "news-pipeline"
    command = [str(cli), "run", str(sources), "--warehouse", str(warehouse), "--n-process", str(n_process)]
    total, lines, peak = timed_command(command, _bench_env(prefect_home), log_path)
    parsed = parse_run_log(lines)
    if parsed.flow_begin_at is None or parsed.flow_end_at is None or not parsed.completed:
        raise BenchError(f"the flow did not report its start and completion (log: {log_path})")
    return RunMeasure(
        command=command,
        total_s=total,
        startup_s=parsed.flow_begin_at,
        imports_s=parsed.server_start_at,
        flow_s=parsed.flow_end_at - parsed.flow_begin_at,
        shutdown_s=total - parsed.server_stop_at if parsed.server_stop_at is not None else 0.0,
        steps=parsed.steps,
        rows_loaded=parsed.rows_loaded,
        nothing_new=parsed.nothing_new,
        peak_rss=peak,
    )


# --------------------------------------------------------------------------- bare spaCy


@dataclass(frozen=True)
class CorpusTexts:
    """The bodies the pipeline would send to spaCy: one per distinct article, in reading order."""

    files: int
    articles: int
    duplicates: int
    rejected: int
    characters: int


def write_texts(sources: Path, out: Path) -> CorpusTexts:
    """Read `sources` with the pipeline's own readers; write each distinct article's body as a JSON line."""
    from pipeline.ingest import iter_local
    from pipeline.records import Reject
    from pipeline.settings import Settings

    settings = Settings()
    seen: set[str] = set()
    files = duplicates = rejected = chars = 0
    with out.open("w", encoding="utf-8") as f:
        for item in iter_local([str(sources)], settings):
            files += 1
            if isinstance(item, Reject):
                rejected += 1
                continue
            if item.article_id in seen:
                duplicates += 1
                continue
            seen.add(item.article_id)
            chars += len(item.body)
            f.write(json.dumps(item.body) + "\n")
    return CorpusTexts(files, len(seen), duplicates, rejected, chars)


@dataclass(frozen=True)
class BareMeasure:
    """`nlp.pipe` alone: model load (with the spaCy import), the pipe, and the whole process."""

    docs: int
    tokens: int
    load_s: float
    pipe_s: float
    process_s: float
    peak_rss: RssPeak

    @property
    def spacy_s(self) -> float:
        """Model load + pipe: what bare spaCy takes to parse the texts."""
        return self.load_s + self.pipe_s


def _iter_texts(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            text: str = json.loads(line)
            yield text


def bare_worker(texts: Path, model: str, batch_size: int, n_process: int, out: Path) -> None:
    """In its own process: load the model as the product does and pipe every text through it."""
    t0 = time.perf_counter()
    from pipeline.nlp.loader import load_nlp

    nlp = load_nlp(model)
    t1 = time.perf_counter()
    docs = tokens = 0
    for doc in nlp.pipe(_iter_texts(texts), batch_size=batch_size, n_process=n_process):
        docs += 1
        tokens += len(doc)
    t2 = time.perf_counter()
    result = {"docs": docs, "tokens": tokens, "load_s": t1 - t0, "pipe_s": t2 - t1}
    out.write_text(json.dumps(result), encoding="utf-8")


def bare_spacy(texts: Path, model: str, batch_size: int, n_process: int, work: Path) -> BareMeasure:
    out = work / "bare.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_bare",
        str(texts),
        model,
        str(batch_size),
        str(n_process),
        str(out),
    ]
    total, _, peak = timed_command(command, _bench_env(work / "prefect-bare"), work / "bare.log")
    r = json.loads(out.read_text(encoding="utf-8"))
    return BareMeasure(r["docs"], r["tokens"], r["load_s"], r["pipe_s"], total, peak)


# --------------------------------------------------------------------------- SQL models


@dataclass(frozen=True)
class ModelsMeasure:
    """`build_models` (and the data tests) on a copy of the loaded warehouse, rolled back each time."""

    models: int
    build_s: float
    build_runs_s: list[float]
    data_tests_s: float


def time_models(db_path: Path, work: Path, repeats: int = MODEL_BUILD_REPEATS) -> ModelsMeasure:
    from pipeline.models import build_models, run_data_tests
    from pipeline.settings import Settings
    from pipeline.warehouse.db import connect

    sql_dir = Settings().sql_dir
    copy = work / "models-copy.duckdb"
    shutil.copy2(db_path, copy)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    runs: list[float] = []
    tests: list[float] = []
    built = 0
    with connect(copy) as con:
        for _ in range(repeats):
            con.begin()
            try:
                t0 = time.perf_counter()
                built = len(build_models(con, sql_dir))
                t1 = time.perf_counter()
                run_data_tests(con, sql_dir)
                t2 = time.perf_counter()
            finally:
                con.rollback()
            runs.append(t1 - t0)
            tests.append(t2 - t1)
    copy.unlink(missing_ok=True)
    return ModelsMeasure(built, statistics.median(runs), runs, statistics.median(tests))


# --------------------------------------------------------------------------- one corpus


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    ram_bytes: int
    python: str
    load_avg_before: tuple[float, float, float]


def cpu_model(cpuinfo: str) -> str:
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "Hardware") and value.strip():
            return value.strip()
    return platform.processor() or platform.machine()


def machine() -> Machine:
    import psutil

    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        cpuinfo = ""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return Machine(
        cpu=cpu_model(cpuinfo),
        cores=os.cpu_count() or 1,
        ram_bytes=psutil.virtual_memory().total,
        python=platform.python_version(),
        load_avg_before=(round(load[0], 2), round(load[1], 2), round(load[2], 2)),
    )


def git_commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}+dirty" if dirty else sha


@dataclass(frozen=True)
class CorpusResult:
    """Everything measured on one corpus; the JSON result file is this, as a dict."""

    corpus: str
    date: str
    started_at: str
    commit: str
    smoke: bool
    note: str
    machine: Machine
    n_process: int
    batch_size: int
    spacy_model: str
    texts: CorpusTexts
    bare: BareMeasure
    warmup: RunMeasure
    empty: RunMeasure
    full: RunMeasure
    noop: RunMeasure
    models: ModelsMeasure
    load_avg_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    derived: dict[str, float] = field(default_factory=dict)


def derive(
    full: RunMeasure, noop: RunMeasure, empty: RunMeasure, bare: BareMeasure, models: ModelsMeasure
) -> dict[str, float]:
    """The ratios and rates the targets and the README table are made of."""
    rows = sum(full.rows_loaded.values())
    load_s = full.steps.get("load", 0.0)
    load_only_s = load_s - models.build_s - models.data_tests_s
    e2e = full.run_s
    bare_s = bare.spacy_s or float("nan")
    out: dict[str, float] = {
        "full_vs_bare": e2e / bare_s,
        "full_without_startup_vs_bare": full.without_startup_s / bare_s,
        "full_with_startup_vs_bare": full.total_s / bare_s,
        "noop_vs_empty": noop.run_s / empty.run_s,
        "noop_vs_empty_without_startup": noop.without_startup_s / empty.without_startup_s,
        "noop_vs_empty_with_startup": noop.total_s / empty.total_s,
        "rows_loaded": float(rows),
        "load_rows_per_s": rows / load_s if load_s > 0 else float("nan"),
        "load_only_rows_per_s": rows / load_only_s if load_only_s > 0 else float("nan"),
        "articles_per_s": bare.docs / e2e if e2e else float("nan"),
        "bare_articles_per_s": bare.docs / bare_s,
    }
    for step, s in full.steps.items():
        out[f"share_{step}"] = s / e2e if e2e else float("nan")
    out["share_other"] = (e2e - sum(full.steps.values())) / e2e if e2e else float("nan")
    return out


def first_distinct(source: Path, limit: int, dest: Path) -> Path:
    """A corpus of the first `limit` distinct articles of `source` (reading order), copied into `dest`."""
    from pipeline.ingest import walk
    from pipeline.ingest.common import InputError
    from pipeline.ingest.text import parse_text

    seen: set[str] = set()
    for entry in walk([str(source)]):
        if len(seen) >= limit:
            break
        if not isinstance(entry, Path) or entry.suffix.lower() != ".txt":
            continue
        try:
            article = parse_text(entry.read_bytes(), str(entry))
        except InputError:
            continue
        if article.article_id in seen:
            continue
        seen.add(article.article_id)
        target = dest / entry.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry, target)
    return dest


def resolve_corpus(name: str, seed: int, limit: int | None, work: Path) -> Path | None:
    """The folder for a corpus name, built if synthetic; None (with a message) when BBC is absent."""
    if not BBC_DIR.is_dir():
        print(f"skipping {name}: the BBC corpus ({BBC_DIR}) is absent", flush=True)
        return None
    src = BBC_DIR if name == "bbc" else build_corpus(SYNTH_SIZES[name], seed, BBC_DIR, CACHE_DIR)
    if limit is not None:
        src = first_distinct(src, limit, work / f"{name}-first{limit}")
    return src


def bench_corpus(name: str, sources: Path, n_process: int, work: Path, smoke: bool, note: str) -> CorpusResult:
    from pipeline.settings import Settings

    settings = Settings()
    started = datetime.now(UTC)
    mach = machine()
    commit = git_commit()
    prefect_home = work / "prefect"
    empty_dir = work / "empty-sources"
    empty_dir.mkdir(parents=True, exist_ok=True)

    def say(msg: str) -> None:
        print(f"[{name}] {msg}", flush=True)

    say(f"reading {sources} with the pipeline's readers ...")
    texts_path = work / "texts.jsonl"
    texts = write_texts(sources, texts_path)
    say(f"{texts.files} inputs, {texts.articles} distinct articles, {texts.duplicates} duplicates")

    say(f"bare spaCy: nlp.pipe over {texts.articles} bodies, n_process={n_process} ...")
    bare = bare_spacy(texts_path, settings.spacy_model, settings.batch_size, n_process, work)
    say(f"bare spaCy: load {bare.load_s:.1f}s + pipe {bare.pipe_s:.1f}s")

    say("warm-up run (creates the Prefect database; not a measured figure) ...")
    warmup = pipeline_run(empty_dir, work / "wh-warmup", n_process, prefect_home, work / "warmup.log")
    say("empty flow: no sources, fresh warehouse ...")
    empty = pipeline_run(empty_dir, work / "wh-empty", n_process, prefect_home, work / "empty.log")
    say(f"empty flow: {empty.total_s:.1f}s ({empty.startup_s:.1f}s Prefect start-up)")
    say("full run into an empty warehouse ...")
    full = pipeline_run(sources, work / "wh", n_process, prefect_home, work / "full.log")
    say(f"full run: {full.total_s:.1f}s ({full.startup_s:.1f}s Prefect start-up), steps {full.steps}")
    say("no-op rerun on the filled warehouse ...")
    noop = pipeline_run(sources, work / "wh", n_process, prefect_home, work / "noop.log")
    if not noop.nothing_new:
        say("warning: the rerun did not report `nothing new`")
    say(f"no-op rerun: {noop.total_s:.1f}s")
    say("SQL models on a copy of the warehouse (rolled back) ...")
    models = time_models(work / "wh" / "news.duckdb", work)
    say(f"models: {models.models} built in {models.build_s:.2f}s (median of {len(models.build_runs_s)})")

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return CorpusResult(
        corpus=name,
        date=started.date().isoformat(),
        started_at=started.isoformat(timespec="seconds"),
        commit=commit,
        smoke=smoke,
        note=note,
        machine=mach,
        n_process=n_process,
        batch_size=settings.batch_size,
        spacy_model=settings.spacy_model,
        texts=texts,
        bare=bare,
        warmup=warmup,
        empty=empty,
        full=full,
        noop=noop,
        models=models,
        load_avg_after=(round(load[0], 2), round(load[1], 2), round(load[2], 2)),
        derived=derive(full, noop, empty, bare, models),
    )


# --------------------------------------------------------------------------- results and README


def to_json(result: CorpusResult) -> dict[str, Any]:
    data = asdict(result)
    for run in ("warmup", "empty", "full", "noop"):
        data[run]["without_startup_s"] = getattr(result, run).without_startup_s
        data[run]["run_s"] = getattr(result, run).run_s
    data["bare"]["spacy_s"] = result.bare.spacy_s
    return data


def write_result(result: CorpusResult, results_dir: Path = RESULTS_DIR) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / f"{result.date}-{result.corpus}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(to_json(result), indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def latest_results(results_dir: Path = RESULTS_DIR) -> dict[str, dict[str, Any]]:
    """The newest result per corpus; smoke results only when there is no full result at all."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict) or "corpus" not in data or "derived" not in data:
            continue
        prev = found.get(data["corpus"])
        if prev is None or str(data.get("started_at", "")) >= str(prev.get("started_at", "")):
            found[data["corpus"]] = data
    if any(not d.get("smoke") for d in found.values()):
        found = {k: d for k, d in found.items() if not d.get("smoke")}
    return found


def _order(results: Mapping[str, Any]) -> list[str]:
    """Corpora in the order of `CORPORA` (a smoke slice `bbc-first150` sorts with `bbc`)."""

    def key(c: str) -> tuple[int, str]:
        base = c.split("-")[0]
        return (CORPORA.index(base) if base in CORPORA else len(CORPORA), c)

    return sorted(results, key=key)


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def _gb(n: float) -> str:
    return f"{n / GB:.2f} GB"


@dataclass(frozen=True)
class TargetRow:
    target: str
    corpus: str
    measured: str
    ok: bool | None


def evaluate_targets(results: Mapping[str, Mapping[str, Any]]) -> list[TargetRow]:
    """Each target of issue 9 against the given results (JSON dicts, keyed by corpus)."""
    rows: list[TargetRow] = []
    order = _order(results)
    for c in order:
        r = results[c]
        d = r["derived"]
        bare_s = r["bare"]["spacy_s"]
        e2e = r["full"]["run_s"]
        rows.append(
            TargetRow(
                f"full run ≤ {FULL_VS_BARE_MAX} × bare spaCy (n_process={r['n_process']})",
                c,
                f"{e2e:.1f} s vs {bare_s:.1f} s = {d['full_vs_bare']:.2f}×",
                d["full_vs_bare"] <= FULL_VS_BARE_MAX,
            )
        )
    for c in order:
        r = results[c]
        rows.append(
            TargetRow(
                f"no-op rerun ≤ {NOOP_VS_EMPTY_MAX} × empty flow",
                c,
                f"{r['noop']['run_s']:.1f} s vs {r['empty']['run_s']:.1f} s = {r['derived']['noop_vs_empty']:.2f}×",
                r["derived"]["noop_vs_empty"] <= NOOP_VS_EMPTY_MAX,
            )
        )
    for c in order:
        peak = results[c]["full"]["peak_rss"]["tree"]
        rows.append(TargetRow("peak RSS ≤ 1.5 GB", c, _gb(peak), peak <= PEAK_RSS_MAX_BYTES))
    if "synth20k" in results and "synth100k" in results:
        a = results["synth20k"]["full"]["peak_rss"]["tree"]
        b = results["synth100k"]["full"]["peak_rss"]["tree"]
        growth = (b - a) / a
        rows.append(
            TargetRow(
                "peak RSS within 10% from 20k to 100k articles",
                "synth20k → synth100k",
                f"{_gb(a)} → {_gb(b)} ({growth:+.1%})",
                abs(growth) <= RSS_GROWTH_MAX,
            )
        )
    else:
        rows.append(TargetRow("peak RSS within 10% from 20k to 100k articles", "synth20k → synth100k", "—", None))
    if "synth100k" in results:
        s = results["synth100k"]["models"]["build_s"]
        rows.append(
            TargetRow(f"SQL models build ≤ {MODELS_MAX_S:g} s at 100k", "synth100k", f"{s:.2f} s", s <= MODELS_MAX_S)
        )
    else:
        biggest = max(order, key=lambda c: results[c]["texts"]["articles"], default=None)
        seen = f"{results[biggest]['models']['build_s']:.2f} s on {biggest}" if biggest else "—"
        rows.append(TargetRow(f"SQL models build ≤ {MODELS_MAX_S:g} s at 100k", "synth100k", seen, None))
    return rows


def render_section(results: Mapping[str, Mapping[str, Any]]) -> str:
    """The README's results section (between the markers) for the given results."""
    if not results:
        return "_No results yet: run `make bench`._"
    order = _order(results)
    out: list[str] = []
    if any(results[c].get("smoke") for c in order):
        out += [
            "> **Smoke run, not the published figures.** These numbers come from a small slice of the corpus",
            "> on a busy shared machine; they show the harness works, not how fast the pipeline is.",
            "",
        ]
    out += [
        "| corpus | date | commit | machine | load avg before | n_process | inputs | articles | note |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in order:
        r = results[c]
        m = r["machine"]
        cpu = f"{m['cpu']}, {m['cores']} cores, {m['ram_bytes'] / GB:.0f} GB RAM"
        load = " / ".join(f"{x:g}" for x in m["load_avg_before"])
        out.append(
            f"| {c} | {r['date']} | `{r['commit']}` | {cpu} | {load} | {r['n_process']} | "
            f"{r['texts']['files']} | {r['texts']['articles']} | {r.get('note') or ''} |"
        )
    out += ["", "**Targets**", "", "| target | corpus | measured | verdict |", "| --- | --- | --- | --- |"]
    for t in evaluate_targets(results):
        out.append(f"| {t.target} | {t.corpus} | {t.measured} | {_verdict(t.ok)} |")
    out += ["", "**Figures** (seconds unless noted)", ""]
    header = ["", *order]
    out += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]

    def row(label: str, fmt: Any) -> None:
        cells = []
        for c in order:
            try:
                cells.append(fmt(results[c]))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("—")
        out.append(f"| {label} | " + " | ".join(cells) + " |")

    def step(name: str) -> Any:
        return lambda r: f"{r['full']['steps'][name]:.1f} ({r['derived']['share_' + name]:.0%})"

    row(
        "bare spaCy: model load + `nlp.pipe`",
        lambda r: f"{r['bare']['load_s']:.1f} + {r['bare']['pipe_s']:.1f} = {r['bare']['spacy_s']:.1f}",
    )
    row("full run, end to end", lambda r: f"{r['full']['total_s']:.1f}")
    row(
        "— start-up: launch to `Beginning flow run` (of which imports)",
        lambda r: f"{r['full']['startup_s']:.1f} ({r['full']['imports_s']:.1f})",
    )
    row("— without the start-up", lambda r: f"{r['full']['without_startup_s']:.1f}")
    row("— temporary server shutdown: `Stopping temporary server` to exit", lambda r: f"{r['full']['shutdown_s']:.1f}")
    row("— **run** (without start-up and shutdown)", lambda r: f"{r['full']['run_s']:.1f}")
    row("— ingest (share)", step("ingest"))
    row("— extract (share)", step("extract"))
    row("— load + models (share)", step("load"))
    row("— export (share)", step("export"))
    row("— other: Prefect tasks, lock, summary (share)", lambda r: f"{r['derived']['share_other']:.0%}")
    row(
        "full run ÷ bare spaCy: run / without start-up / end to end",
        lambda r: (
            f"{r['derived']['full_vs_bare']:.2f}× / {r['derived']['full_without_startup_vs_bare']:.2f}× / "
            f"{r['derived']['full_with_startup_vs_bare']:.2f}×"
        ),
    )
    row(
        "articles per second: full / bare",
        lambda r: f"{r['derived']['articles_per_s']:.1f} / {r['derived']['bare_articles_per_s']:.1f}",
    )
    row("no-op rerun: run (end to end)", lambda r: f"{r['noop']['run_s']:.1f} ({r['noop']['total_s']:.1f})")
    row("empty flow: run (end to end)", lambda r: f"{r['empty']['run_s']:.1f} ({r['empty']['total_s']:.1f})")
    row(
        "no-op ÷ empty: run / without start-up / end to end",
        lambda r: (
            f"{r['derived']['noop_vs_empty']:.2f}× / {r['derived']['noop_vs_empty_without_startup']:.2f}× / "
            f"{r['derived']['noop_vs_empty_with_startup']:.2f}×"
        ),
    )
    row(
        "peak RSS, whole tree (without the Prefect server)",
        lambda r: f"{_gb(r['full']['peak_rss']['tree'])} ({_gb(r['full']['peak_rss']['tree_without_server'])})",
    )
    row(
        "peak RSS, parent / largest child",
        lambda r: f"{_gb(r['full']['peak_rss']['parent'])} / {_gb(r['full']['peak_rss']['largest_child'])}",
    )
    row("peak RSS, bare spaCy tree", lambda r: _gb(r["bare"]["peak_rss"]["tree"]))
    row("rows loaded", lambda r: f"{int(r['derived']['rows_loaded']):,}")
    row(
        "DuckDB load, rows/s (load + models step / load alone)",
        lambda r: f"{r['derived']['load_rows_per_s']:,.0f} / {r['derived']['load_only_rows_per_s']:,.0f}",
    )
    row("SQL models build (data tests)", lambda r: f"{r['models']['build_s']:.2f} ({r['models']['data_tests_s']:.2f})")
    return "\n".join(out)


def replace_section(text: str, section: str) -> str:
    """`text` with everything between the markers replaced by `section` (markers appended if absent)."""
    block = f"{BEGIN_MARK}\n{section}\n{END_MARK}"
    start, end = text.find(BEGIN_MARK), text.find(END_MARK)
    if start == -1 or end == -1 or end < start:
        return text.rstrip("\n") + "\n\n" + block + "\n"
    return text[:start] + block + text[end + len(END_MARK) :]


def update_readme(results_dir: Path = RESULTS_DIR, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    readme.write_text(replace_section(text, render_section(latest_results(results_dir))), encoding="utf-8")


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="news-pipeline benchmark: full run vs bare spaCy, and more")
    p.add_argument(
        "--corpus",
        action="append",
        choices=CORPORA,
        help="corpus to measure (repeatable); default: bbc",
    )
    p.add_argument("--with-100k", action="store_true", help="also the 100,000-article corpus (hours)")
    p.add_argument("--n-process", type=int, default=2, help="spaCy worker processes, both sides (default 2)")
    p.add_argument("--limit", type=int, help="only the first N distinct articles of each corpus (a smoke run)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the synthetic corpora")
    p.add_argument("--note", default="", help="a note stored with the results and shown in the table")
    p.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    p.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    p.add_argument("--keep", action="store_true", help="keep the temporary warehouses and logs")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpora = list(dict.fromkeys(args.corpus or ["bbc"]))
    if args.with_100k and "synth100k" not in corpora:
        corpora.append("synth100k")
    os.chdir(ROOT)
    measured = 0
    for name in corpora:
        work = Path(tempfile.mkdtemp(prefix=f"news-bench-{name}-"))
        try:
            sources = resolve_corpus(name, args.seed, args.limit, work)
            if sources is None:
                continue
            label = f"{name}-first{args.limit}" if args.limit is not None else name
            result = bench_corpus(label, sources, args.n_process, work, args.limit is not None, args.note)
            path = write_result(result, args.results_dir)
            measured += 1
            print(f"[{label}] results: {path}", flush=True)
        except BenchError as e:
            print(f"[{name}] failed: {e}", file=sys.stderr, flush=True)
            return 1
        finally:
            if args.keep:
                print(f"[{name}] kept {work}", flush=True)
            else:
                shutil.rmtree(work, ignore_errors=True)
    if measured and not args.no_readme:
        update_readme(args.results_dir)
        print(f"updated {README}", flush=True)
    if not measured:
        print("nothing was measured", flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_bare":
        _, _, texts, model, batch, nproc, out = sys.argv
        bare_worker(Path(texts), model, int(batch), int(nproc), Path(out))
    else:
        sys.exit(main())
