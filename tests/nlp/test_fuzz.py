"""Fuzz guard: no article text makes an extractor raise, and every record points inside its text.

Three sources of awkward input, all deterministic:

1. every prefix and every suffix of the example articles (`examples/`, read by the project's own readers),
   cut at each token boundary of the parsed Doc: exactly the Doc an extractor sees at the end of a text;
2. the same texts cut right after a currency sign, a quote mark, a dash, `%`, a bracket or a range word,
   re-parsed, so the parser's own reading of a truncated text is covered too;
3. seeded random splices of awkward fragments (currency signs, lone quote marks, dashes, brackets, number
   words, `bp`, empty sentences, lone newlines) with pieces of the examples.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.ingest import iter_local
from pipeline.records import Article
from pipeline.settings import Settings
from tests.conftest import EXAMPLES
from tests.nlp.checks import problems

pytestmark = pytest.mark.slow

# Cut right after these characters, and after these words: where a truncated text hurts most.
_CUT_CHARS = frozenset("$£€¥\"'“”‘’-–—%(")
_CUT_WORDS = re.compile(r"\b(?:to|from|between|and|by|of)\b", re.IGNORECASE)
_MAX_REPARSED = 400  # re-parsing costs ~2 ms a text: keep the sample bounded
_SPLICES = 300
_WINDOW = 300  # a cut of a longer example keeps this many tokens beside it: the cost stays linear in its length

_AWKWARD = [
    "$", "£", "€", "¥", "US$", "HK$", "RMB", "EUR", "$5", "£1.5bn", "€", "¥3", "12.5p", "$ 5",
    '"', "'", "“", "”", "‘", "’", '" "', "''", '"\n', "«", "»",
    "-", "–", "—", "-5", "5-", "(", ")", "[", "]", "()", "($", "(£3m;",
    "two to", "between five and", "from", "to", "up from", "fell to", "rose by", "down", "a third of",
    "half a", "half of", "dozens of", "twenty-", "five hundred", "a dozen", "1.8 trillion", "2-3 million",
    "%", "per cent", "percentage points", "bp", "bps", "bp.", "52bp", "basis", "basis points", "52 basis",
    ".", ". .", "!", "?", ";", ",", ":", "", " ", "\n", "\n\n", "\t",
    "said", "he said.", "according to", "according", "said:", ", she added.", "Mr", "Dr.",
    "0", "0800", "1,000,000", "3.", ".5", "99999999999999999999999999", "9" * 400, "1e9",
    # places, demonyms as their context, names the gazetteer does not know, name particles, acronyms
    "Britain", "British", "New York", "Paris, Texas", "Westminster", "County Durham", "Hull", "Oporto",
    "Gazprom shares", "Nick Van den Brul", "dal", "Securities and Exchange Commission (SEC)", "SEC",
]  # fmt: skip
_WORDS = ["the", "rose", "fell", "shares", "Apple", "revenue", "said", "Ms Lee", "in 2024", "million", "of"]


def _report(failures: list[tuple[str, list[str]]]) -> str:
    lines = [f"{len(failures)} failing texts; first ones:"]
    for text, probs in failures[:8]:
        lines.append(f"  {text[-60:]!r} (len {len(text)}): {probs[0]}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- inputs


@pytest.fixture(scope="module")
def examples(nlp: Language) -> list[tuple[Article, Doc]]:
    """The example articles as the ingesters read them, each parsed once."""
    articles = [a for a in iter_local([str(EXAMPLES)], Settings()) if isinstance(a, Article)]
    assert len(articles) >= 5, "the examples folder should hold several articles"
    return list(zip(articles, nlp.pipe(a.body for a in articles), strict=True))


def _text_cuts(body: str) -> Iterator[str]:
    """Texts ending right after an awkward character or range word, and texts starting there.

    Each is cut within its paragraph (the text from the paragraph's start, or to its end): the cut is what
    matters, and a paragraph parses far faster than the whole article.
    """
    points = {i + 1 for i, ch in enumerate(body) if ch in _CUT_CHARS}
    points |= {m.end() for m in _CUT_WORDS.finditer(body)}
    for p in sorted(points):
        start = body.rfind("\n", 0, p - 1) + 1
        end = body.find("\n", p)
        yield body[start:p]
        yield body[start:p] + " "
        yield body[p : end if end >= 0 else len(body)]


def _splice(rng: random.Random, pieces: list[str]) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 8)):
        pick = rng.random()
        if pick < 0.55:
            parts.append(rng.choice(_AWKWARD))
        elif pick < 0.8:
            parts.append(rng.choice(_WORDS))
        else:
            parts.append(rng.choice(pieces))
        parts.append(rng.choice(["", " ", " ", " ", "\n", "\n\n", ". "]))
    return "".join(parts).rstrip(" ") if rng.random() < 0.5 else "".join(parts)


# --------------------------------------------------------------------------- tests


def test_every_token_cut_of_the_examples(examples: list[tuple[Article, Doc]]) -> None:
    """Every prefix and suffix of every example, cut at each token boundary of its parse (the last or first
    `_WINDOW` tokens of it, for a long example)."""
    failures: list[tuple[str, list[str]]] = []
    fragments = 0
    for article, doc in examples:
        for i in range(len(doc) + 1):
            for part in (doc[max(0, i - _WINDOW) : i].as_doc(), doc[i : i + _WINDOW].as_doc()):
                fragments += 1
                if probs := problems(part, article):
                    failures.append((part.text, probs))
    assert fragments > 2000
    assert not failures, _report(failures)


def test_reparsed_text_cuts(nlp: Language, examples: list[tuple[Article, Doc]]) -> None:
    """Texts cut right after `$ £ " ' - % (` or a range word, parsed as the pipeline would parse them."""
    cuts = [(article, t) for article, doc in examples for t in _text_cuts(doc.text)]
    random.Random(7).shuffle(cuts)
    cuts = cuts[:_MAX_REPARSED]
    failures: list[tuple[str, list[str]]] = []
    for (article, text), doc in zip(cuts, nlp.pipe((t for _, t in cuts), batch_size=64), strict=True):
        if probs := problems(doc, article):
            failures.append((text, probs))
    assert len(cuts) >= 200
    assert not failures, _report(failures)


def test_random_splices(nlp: Language, examples: list[tuple[Article, Doc]]) -> None:
    """Seeded splices of awkward fragments and pieces of real sentences."""
    rng = random.Random(20251201)
    article = examples[0][0]
    pieces = [s.text for _, doc in examples for s in doc.sents]
    pieces += [doc.text[a : a + rng.randint(1, 40)] for _, doc in examples for a in range(0, len(doc.text), 97)]
    texts = [_splice(rng, pieces) for _ in range(_SPLICES)]
    failures: list[tuple[str, list[str]]] = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
        if probs := problems(doc, article):
            failures.append((text, probs))
    assert not failures, _report(failures)


@pytest.mark.parametrize("text", ["", " ", "\n", "\n\n\n", '"', "“", "$", "£", "(", "-", "%", "bp", ". . .", "to"])
def test_tiny_texts(nlp: Language, examples: list[tuple[Article, Doc]], text: str) -> None:
    assert problems(nlp(text), examples[0][0]) == []
