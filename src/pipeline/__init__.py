"""news-pipeline: news articles -> entities, quotes and metrics in DuckDB via Parquet."""

__version__ = "0.1.0"
