"""Deployments of `news_etl`: served on a cron schedule by this process (`news-pipeline serve`).

For a work pool instead (`prefect deploy`), see `prefect.yaml` at the project root.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import serve
from prefect.deployments.runner import EntrypointType, RunnerDeployment

from flows.news_etl import news_etl

DEFAULT_NAME = "scheduled"


def _absolute(source: str) -> str:
    """Flow runs start in a fresh process: local paths are made absolute, URLs are left alone."""
    return source if "://" in source else os.path.abspath(source)


def deployment(
    sources: list[str],
    cron: str,
    warehouse_dir: str | None = None,
    name: str = DEFAULT_NAME,
    settings_overrides: dict[str, Any] | None = None,
) -> RunnerDeployment:
    """The `news_etl/<name>` deployment: these sources into this warehouse on `cron`."""
    parameters: dict[str, Any] = {"sources": [_absolute(s) for s in sources]}
    if warehouse_dir:
        parameters["warehouse_dir"] = str(Path(warehouse_dir).resolve())
    if settings_overrides:
        parameters["settings_overrides"] = settings_overrides
    return news_etl.to_deployment(
        name=name,
        cron=cron,
        parameters=parameters,
        description=f"news_etl over {len(sources)} source(s) on '{cron}'",
        tags=["news-pipeline"],
        # `flows.news_etl.news_etl` is importable wherever the project is installed, whatever the cwd.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_forever(
    sources: list[str],
    cron: str,
    warehouse_dir: str | None = None,
    name: str = DEFAULT_NAME,
    settings_overrides: dict[str, Any] | None = None,
) -> None:
    """Register the deployment and run its scheduled (and manually triggered) runs until stopped.

    One run at a time (`limit=1`): a run that outlasts the interval delays the next one instead of
    queueing behind the warehouse lock.
    """
    serve(deployment(sources, cron, warehouse_dir, name, settings_overrides), limit=1)
