"""Language of a text: a cheap English check first, a real detector only when that is unsure."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zA-Z']+")
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "it",
        "with",
        "as",
        "was",
        "said",
        "by",
        "at",
        "from",
        "be",
        "has",
        "have",
        "are",
        "this",
        "an",
        "he",
        "which",
        "not",
        "but",
        "its",
        "were",
        "they",
        "will",
        "been",
        "their",
        "his",
        "had",
    ]
)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None for text too short to tell.

    Most input is English news: a stop-word ratio settles those without the (slow, random)
    statistical detector, which then only sees the rest.
    """
    sample = text[:3000]
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) >= 20 and sum(w in _ENGLISH for w in words) / len(words) > 0.2:
        return "en"
    if len(sample.strip()) < 20:
        return None
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0  # langdetect is random unless seeded
    try:
        lang: str = detect(sample)
    except LangDetectException:
        return None
    return lang
