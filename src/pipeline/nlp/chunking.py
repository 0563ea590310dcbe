"""Parse a body of any length: paragraph-aligned chunks, parsed apart and merged back into one Doc.

spaCy refuses texts over `nlp.max_length` (E088) and a single huge parse costs memory in proportion to
its length, so a long body is cut into chunks whose concatenation is exactly the body, each chunk is
parsed alone, and `Doc.from_docs(..., ensure_whitespace=False)` joins them. The merged Doc has the
body as its text, so every token offset is an offset into the whole body, and it carries every token
annotation (`from_docs` copies the DocBin attributes: ORTH, NORM, LEMMA, TAG, POS, MORPH, HEAD, DEP,
ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID, SENT_START, SPACY): the extractors run on it as on any Doc, so
name resolution across chunks works within the article. What a chunk boundary changes: a sentence
always starts at a chunk's start and no dependency arc crosses it (chunks end at a paragraph break
when there is one, where neither happens anyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy
from spacy.language import Language
from spacy.tokens import Doc

# Cut points, best first: a paragraph break, a line break, a sentence end, any whitespace.
# Each pattern matches the text that stays at the end of the earlier chunk.
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_LINE = re.compile(r"\n\s*")
_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")
_CUTS = (_PARAGRAPH, _LINE, _SENTENCE, _SPACE)

# A fresh Doc's tensor: what a chunk keeps once its tok2vec output is dropped.
_NO_TENSOR = numpy.zeros((0,), dtype="float32")


def parse_limit(nlp: Language, chunk_chars: int) -> int:
    """Bodies longer than this are parsed in chunks."""
    return max(1, min(chunk_chars, nlp.max_length))


def split_chunks(text: str, max_chars: int) -> list[str]:
    """`text` cut into chunks of at most `max_chars` characters whose concatenation is exactly `text`.

    Each cut is the last paragraph break in the window, else the last line break, else the last
    sentence end, else the last whitespace, else a hard cut at `max_chars`. A break's whitespace
    stays with the earlier chunk, so the next one starts where a paragraph (line, sentence) does.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    chunks: list[str] = []
    pos, n = 0, len(text)
    while n - pos > max_chars:
        cut = _cut_point(text, pos, pos + max_chars)
        chunks.append(text[pos:cut])
        pos = cut
    if pos < n or not chunks:
        chunks.append(text[pos:])
    return chunks


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where the chunk starting at `start` ends: after the best break ending by `limit`."""
    window = text[start:limit]
    for pattern in _CUTS:
        cut = -1
        for m in pattern.finditer(window, 1):  # a break at the very start would give an empty chunk
            cut = m.end()
        if cut > 0:
            return start + cut
    return limit


def parse_long(nlp: Language, text: str, max_chars: int) -> Doc:
    """One Doc for `text`, parsed in chunks of at most `max_chars`; `doc.text == text`."""
    docs = list(_parse_chunks(nlp, split_chunks(text, max_chars)))
    # `exclude` is in spaCy's from_docs (3.3+) but not in its type stub
    merged: Doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
    return merged


def _parse_chunks(nlp: Language, chunks: list[str]) -> Iterator[Doc]:
    # One chunk per batch: a chunk is already the size of many articles, and a batch's parse is held
    # in memory at once. The tok2vec tensor (96 floats a token) is not used by any extractor: dropped
    # as each chunk arrives, so the merge neither copies nor keeps it.
    for doc in nlp.pipe(chunks, batch_size=1):
        doc.tensor = _NO_TENSOR
        yield doc
