"""Rich progress bars for a run started from a terminal (`news-pipeline run` on a TTY).

The flow takes a plain `show_progress: bool` parameter (flow parameters stay serializable) and
builds the bars itself; the steps only see `progress(n)` callbacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline.steps import Progress as Callback


class RunProgress:
    """One bar per long step; `None` callbacks when the bars are off."""

    def __init__(self, bars: Progress | None) -> None:
        self.bars = bars

    def finish(self) -> None:
        """Steps whose size was unknown (ingest streams its sources) end as full bars."""
        if self.bars is None:
            return
        for t in self.bars.tasks:
            if t.total is None:
                self.bars.update(t.id, total=t.completed)

    def step(self, description: str, total: int | None = None) -> Callback | None:
        if self.bars is None:
            return None
        self.finish()
        bars = self.bars
        task_id = bars.add_task(description, total=total)

        def advance(n: int) -> None:
            bars.advance(task_id, n)

        return advance


@contextmanager
def run_progress(enabled: bool) -> Iterator[RunProgress]:
    if not enabled:
        yield RunProgress(None)
        return
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    progress = RunProgress(bars)
    with bars:
        try:
            yield progress
        finally:
            progress.finish()
