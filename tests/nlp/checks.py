"""Invariants every extraction holds, whatever the text: shared by the fuzz and property tests."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime

from spacy.tokens import Doc

from pipeline.nlp.constants import DOUBLE_QUOTES, SINGLE_QUOTES
from pipeline.nlp.extract import extract_doc
from pipeline.records import Article

_QUOTE_MARKS = DOUBLE_QUOTES | SINGLE_QUOTES


def problems(doc: Doc, article: Article) -> list[str]:
    """Everything wrong with the extraction of one Doc: an exception, or a record outside its text."""
    text = doc.text
    try:
        out = extract_doc(doc, replace(article, body=text))
    except Exception as e:  # the guard reports every failure, it does not stop at the first
        return [f"{type(e).__name__}: {e}"]
    n_sents = sum(1 for _ in doc.sents) if len(doc) else 0
    bad: list[str] = []

    def span(kind: str, start: int, end: int, sentence: int | None = None) -> bool:
        if not 0 <= start < end <= len(text):
            bad.append(f"{kind} span {start}:{end} outside 0:{len(text)}")
            return False
        if sentence is not None and not 0 <= sentence < n_sents:
            bad.append(f"{kind} sentence_index {sentence} not in 0:{n_sents}")
        return True

    for m in out.mentions:
        if span("mention", m.start_char, m.end_char, m.sentence_index) and text[m.start_char : m.end_char] != m.text:
            bad.append(f"mention {m.text!r} != text {text[m.start_char : m.end_char]!r}")
    for q in out.quotes:
        # quote_text is the slice with whitespace collapsed and paragraph-reopening marks dropped
        if span("quote", q.start_char, q.end_char, q.sentence_index) and _bare(q.quote_text) != _bare(
            text[q.start_char : q.end_char]
        ):
            bad.append(f"quote {q.quote_text!r} != text {text[q.start_char : q.end_char]!r}")
    for mt in out.metrics:
        if span("metric", mt.start_char, mt.end_char, mt.sentence_index) and text[mt.start_char : mt.end_char] != (
            mt.raw_text
        ):
            bad.append(f"metric {mt.raw_text!r} != text {text[mt.start_char : mt.end_char]!r}")
        for v in (mt.value, mt.lower_bound, mt.upper_bound):
            if v is not None and not math.isfinite(v):
                bad.append(f"metric {mt.raw_text[:40]!r} has value {v}")
    return bad


def _bare(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace() and ch not in _QUOTE_MARKS)


def article(body: str = "", article_id: str = "fuzz") -> Article:
    """A plain article around a body, for extractor tests that do not read files."""
    return Article(
        article_id=article_id,
        source="test",
        source_type="text",
        url=None,
        title="Test",
        subtitle=None,
        byline=None,
        published_at=datetime(2025, 3, 1),
        body=body,
        content_hash="0",
    )
