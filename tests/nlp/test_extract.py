"""Batch extraction: one article never fails its batch, and bodies of any length parse in chunks."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.ingest.text import parse_text
from pipeline.nlp import extract
from pipeline.nlp.chunking import parse_long, split_chunks
from pipeline.nlp.extract import extract_batch, extract_doc
from pipeline.records import Article, ArticleExtraction, ExtractFailure, ExtractResult
from tests.conftest import DEFAULT_MODEL, EXAMPLES

pytestmark = pytest.mark.slow

FILLER = [
    "The plant sits on the edge of the industrial zone, beside the river port that ships its components.",
    "Local officials expect the site to employ several hundred people once all of its lines are running.",
    "Analysts said demand for power chips had grown quickly as carmakers moved to electric models.",
]


def article(aid: str, body: str) -> Article:
    return Article(aid, "test", "text", None, aid, None, None, None, body, f"hash-{aid}")


def example_bodies() -> list[str]:
    return [parse_text(p.read_bytes(), str(p)).body for p in sorted((EXAMPLES / "text").glob("*.txt"))]


def ok(result: ExtractResult) -> ArticleExtraction:
    assert isinstance(result, ArticleExtraction), result
    return result


# --------------------------------------------------------------------------- fault isolation


def test_a_failing_stage_fails_only_its_article(
    nlp: Language, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bodies = example_bodies()
    articles = [article(f"a{k}", b) for k, b in enumerate(bodies)]
    expected = [extract_doc(nlp(a.body), a) for a in articles]
    real = extract.extract_quotes

    def flaky(doc: Doc, article_id: str, ents: Any) -> Any:
        if article_id == "a1":
            raise ValueError("boom " + "x" * 2000)
        return real(doc, article_id, ents)

    monkeypatch.setattr(extract, "extract_quotes", flaky)
    with caplog.at_level(logging.WARNING, logger="pipeline.nlp.extract"):
        results = extract_batch(articles, DEFAULT_MODEL, 2)
    assert len(results) == len(articles)
    failure = results[1]
    assert isinstance(failure, ExtractFailure)
    assert (failure.article_id, failure.stage, failure.error_type) == ("a1", "quotes", "ValueError")
    assert failure.message.startswith("boom") and len(failure.message) == 1000
    assert [r for k, r in enumerate(results) if k != 1] == [e for k, e in enumerate(expected) if k != 1]
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1 and "a1" in warned[0].getMessage() and "quotes" in warned[0].getMessage()


@pytest.mark.parametrize("stage", ["extract_entities", "extract_metrics"])
def test_each_stage_is_named(nlp: Language, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("missing")

    monkeypatch.setattr(extract, stage, broken)
    (result,) = extract_batch([article("a", example_bodies()[0])], DEFAULT_MODEL, 16)
    assert result == ExtractFailure("a", stage.removeprefix("extract_"), "KeyError", "'missing'")


@pytest.mark.parametrize(("target", "stage"), [("article_tone", "tone"), ("ThemeMatcher.match_with_quotes", "themes")])
def test_tone_and_themes_are_stages(nlp: Language, monkeypatch: pytest.MonkeyPatch, target: str, stage: str) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("missing")

    owner, _, name = target.rpartition(".")
    monkeypatch.setattr(getattr(extract, owner) if owner else extract, name, broken)
    (result,) = extract_batch([article("a", example_bodies()[0])], DEFAULT_MODEL, 16)
    assert result == ExtractFailure("a", stage, "KeyError", "'missing'")


def test_interrupts_are_not_caught(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(extract, "extract_metrics", interrupted)
    with pytest.raises(KeyboardInterrupt):
        extract_batch([article("a", "Sales rose 5% to $3m in 2024.")], DEFAULT_MODEL, 16)


class _Poisoned:
    """The real pipeline, except that any batch or text holding POISON raises, as a broken parse would."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.max_length = nlp.max_length
        self.pipes: list[int] = []  # size of every batch piped

    def pipe(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
        texts = list(texts)
        for k in range(0, len(texts), batch_size):
            batch = texts[k : k + batch_size]
            self.pipes.append(len(batch))
            if any("POISON" in t for t in batch):
                raise RuntimeError("cannot parse POISON")
            yield from self.nlp.pipe(batch)

    def __call__(self, text: str) -> Doc:
        if "POISON" in text:
            raise RuntimeError("cannot parse POISON")
        return self.nlp(text)


def test_a_parse_failure_falls_back_to_one_article_at_a_time(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Sales rose 5% to $3m.", "Helen Marsh runs Volta Cells.", "POISON pill.", "Prices fell 2%.", "Tom Okafor."]
    texts += ["Exports grew 7%.", "Gao Dongsheng spoke."]
    articles = [article(f"a{k}", t) for k, t in enumerate(texts)]
    poisoned = _Poisoned(nlp)
    monkeypatch.setattr(extract, "load_nlp", lambda name: poisoned)
    results = extract_batch(articles, DEFAULT_MODEL, 2)
    assert [r.article_id for r in results] == [a.article_id for a in articles]
    assert results[2] == ExtractFailure("a2", "parse", "RuntimeError", "cannot parse POISON")
    for k, a in enumerate(articles):
        if k != 2:
            assert results[k] == extract_doc(nlp(a.body), a)
    # the batch holding the poison is retried text by text; the batches after it are piped again
    assert poisoned.pipes == [2, 2, 2, 1]


# --------------------------------------------------------------------------- chunk splitting

_PARAS = "\n\n".join(f"Paragraph {k} says something about plant number {k}." for k in range(60))
_LINES = "\n".join(f"Line {k} says something about plant number {k}." for k in range(60))
_SENTENCES = " ".join(f"Sentence {k} says something about plant {k}." for k in range(60))
_WORDS = " ".join(f"word{k}" for k in range(400))
CHUNK_CASES: list[tuple[str, str, int, str | None]] = [
    # id, text, max chars, what every chunk but the last ends with (None: no constraint)
    ("paragraphs", _PARAS, 300, "\n\n"),
    ("paragraphs, odd spacing", _PARAS.replace("\n\n", "\n \n\n", 7), 300, "\n"),
    ("lines only", _LINES, 300, "\n"),
    ("sentences only", _SENTENCES, 300, ". "),
    ("words only", _WORDS, 100, " "),
    ("no whitespace", "x" * 1234, 100, None),
    ("one huge line", _SENTENCES * 40, 1000, ". "),
    ("leading break", "\n\n" + _PARAS, 300, "\n\n"),
    ("short", "Short text.", 300, None),
    ("exactly the size", "y" * 300, 300, None),
    ("empty", "", 300, None),
]


@pytest.mark.parametrize(
    ("text", "max_chars", "ends_with"), [c[1:] for c in CHUNK_CASES], ids=[c[0] for c in CHUNK_CASES]
)
def test_chunks_are_exact_bounded_and_aligned(text: str, max_chars: int, ends_with: str | None) -> None:
    chunks = split_chunks(text, max_chars)
    assert "".join(chunks) == text
    assert all(0 < len(c) <= max_chars for c in chunks) or chunks == [""]
    if len(text) <= max_chars:
        assert chunks == [text]
    if ends_with is not None:
        assert all(c.endswith(ends_with) for c in chunks[:-1])
        assert all(not c[:1].isspace() for c in chunks[1:])  # the next one starts a paragraph (line, sentence)
    if ends_with is None and len(text) > max_chars and not any(ch.isspace() for ch in text):
        assert [len(c) for c in chunks[:-1]] == [max_chars] * (len(chunks) - 1)  # a hard cut


def test_a_paragraph_break_is_preferred_to_a_nearer_line_break() -> None:
    text = "A first paragraph.\n\nA second one, with\na line break in it and more words."
    assert split_chunks(text, 60) == [
        "A first paragraph.\n\n",
        "A second one, with\na line break in it and more words.",
    ]


# --------------------------------------------------------------------------- chunked parses


def test_a_chunked_parse_keeps_the_body_and_its_offsets(nlp: Language) -> None:
    body = "\n\n".join(example_bodies())
    a = article("long", body)
    assert len(split_chunks(body, 1200)) >= 4
    doc = parse_long(nlp, body, 1200)
    assert doc.text == body and doc.tensor.size == 0
    assert doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB") and doc.has_annotation("LEMMA")
    chunked = extract_doc(doc, a)
    whole = extract_doc(nlp(body), a)

    for m in chunked.mentions:
        assert body[m.start_char : m.end_char] == m.text
    for metric in chunked.metrics:
        assert body[metric.start_char : metric.end_char] == metric.raw_text
    for q in chunked.quotes:
        assert " ".join(body[q.start_char : q.end_char].replace('"', "").split()) == q.quote_text.replace('"', "")

    def spans(records: Iterable[Any], field: str) -> set[tuple[int, int, str]]:
        return {(r.start_char, r.end_char, getattr(r, field)) for r in records}

    for field, got, want in [
        ("text", chunked.mentions, whole.mentions),
        ("raw_text", chunked.metrics, whole.metrics),
        ("quote_text", chunked.quotes, whole.quotes),
    ]:
        g, w = spans(got, field), spans(want, field)
        assert len(g & w) >= 0.85 * max(len(g), len(w)), (field, g ^ w)


def test_names_resolve_across_chunks(nlp: Language) -> None:
    paras = ["Gao Dongsheng, chairman of Zhongsheng Electronics, opened the company's new factory in Shenzhen."]
    paras += [*FILLER * 3, '"We will double our output of power chips within two years," Gao said.']
    paras += [*FILLER, "Gao said the company would spend $300m on the second phase of the site."]
    body = "\n\n".join(paras)
    chunks = split_chunks(body, 600)
    assert len(chunks) == 3 and "Gao Dongsheng" in chunks[0] and "Gao Dongsheng" not in body[len(chunks[0]) :]

    result = ok(extract_batch([article("gao", body)], DEFAULT_MODEL, 16, 600)[0])
    later = [m for m in result.mentions if m.start_char >= len(chunks[0])]
    assert [(m.text, m.canonical_name) for m in later] == [("Gao", "Gao Dongsheng")] * 2
    by_gao = [q for q in result.quotes if q.speaker_text == "Gao"]
    assert {q.quote_type for q in by_gao} == {"direct", "indirect"}
    for q in by_gao:
        assert (q.speaker_name, q.speaker_title) == ("Gao Dongsheng", "chairman of Zhongsheng Electronics")
    assert [(m.raw_text, m.metric_type) for m in result.metrics] == [("two years", "duration"), ("$300m", "money")]


def test_a_batch_mixes_long_and_short_articles_in_order(nlp: Language) -> None:
    bodies = example_bodies()
    articles = [article("s0", bodies[0]), article("long", "\n\n".join(bodies)), article("s1", bodies[1])]
    results = extract_batch(articles, DEFAULT_MODEL, 16, 1500)
    assert [ok(r).article_id for r in results] == ["s0", "long", "s1"]
    assert results[0] == extract_doc(nlp(bodies[0]), articles[0])
    assert results[2] == extract_doc(nlp(bodies[1]), articles[2])


def test_a_line_over_spacys_max_length_extracts(nlp: Language) -> None:
    """One 1.16M-character line without a paragraph break (spaCy alone: E088): a pasted data blob between
    two real sentences, so that the parse stays fast."""
    head = "Helen Marsh, chief executive of Volta Cells, said sales rose 12% to $5m last year. "
    tail = " Tom Okafor said exports fell 3% in 2024."
    # 1 KB "words" (a hex dump): few tokens, so the test takes seconds; prose this long takes minutes
    blob = " ".join(hashlib.sha256(str(k).encode()).hexdigest() * 16 for k in range(1_160_000 // 1025))
    body = head + blob + tail
    assert len(body) > nlp.max_length and "\n" not in body
    with pytest.raises(ValueError, match="E088"):
        nlp(body)
    result = ok(extract_batch([article("huge", body)], DEFAULT_MODEL, 16)[0])
    names = {m.canonical_name for m in result.mentions}
    assert {"Helen Marsh", "Tom Okafor", "Volta Cells"} <= names
    assert {m.raw_text for m in result.metrics} >= {"12%", "$5m", "3%"}
    tail_start = len(body) - len(tail)
    okafor = next(m for m in result.mentions if m.canonical_name == "Tom Okafor")
    assert okafor.start_char == tail_start + 1 and body[okafor.start_char : okafor.end_char] == "Tom Okafor"
