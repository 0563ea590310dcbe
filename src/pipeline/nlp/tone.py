"""Tone: VADER sentiment per sentence, scored once per article and reused for its quotes and mentions.

Scale (see README, "Tone"): every tone is in [-1, 1], VADER's `compound` score, where about -0.05..0.05
reads as neutral.

- A sentence's tone is VADER's compound score of its text (with the news-register updates below).
- `articles.tone`: the mean of its sentence tones, each weighted by the sentence's words (a long
  sentence counts more, as GDELT counts words); `tone_positive` / `tone_negative`: the share of the
  article's words in sentences whose tone is >= 0.05 / <= -0.05 (VADER's own thresholds), in [0, 1].
- `quotes.tone`: the same weighted mean over the sentences the quote's span overlaps.
- `entity_mentions.tone`: the tone of the sentence the mention starts in (the mention's window).

VADER handles negation ("not good"), intensifiers ("very", "sharply") and contrast (the clause after
"but" weighs 1.5x, the one before 0.5x). News register differs from the reviews VADER was tuned on,
so a small lexicon update applies on top of its lexicon: verbs of market moves and layoffs that it
lacks ("plunged", "slumped", "layoffs"), their inflections (its lexicon has few), a few
descriptive words that are not praise in news ("advanced" chips), and multi-word news phrases
("death toll", "profit warning", "job cuts") joined into one token before scoring. Sentence-initial
"However," / "Nevertheless," count as "but". Known limit: direction of change is not read
("unemployment fell" scores negative, as "unemployment" does).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

NEUTRAL = 0.05  # VADER's threshold: |compound| below it reads as neutral
MAX_WORDS = 120  # longer "sentences" (a list, a run-on line) are scored in pieces: VADER's `but` rule is quadratic

# Words VADER lacks or scores for reviews, with valences on its -4..4 scale. Inflections are listed
# because VADER looks words up as written.
NEWS_LEXICON: dict[str, float] = {
    **dict.fromkeys(("plunge", "plunged", "plunges", "plunging", "slump", "slumped", "slumps"), -1.8),
    **dict.fromkeys(("tumble", "tumbled", "tumbles", "slide", "slid", "sank", "slashed"), -1.3),
    **dict.fromkeys(("soar", "soared", "soars", "soaring", "surged", "rallied", "rebounded"), 1.5),
    **dict.fromkeys(("layoff", "layoffs", "redundancies", "bankruptcy", "insolvency", "bankruptcies"), -2.2),
    **dict.fromkeys(("slowdown", "downturn", "slowed", "stagnation", "contraction"), -1.9),
    **dict.fromkeys(("shortfall", "shortages", "deficits", "gap", "gaps", "lagging", "dependent"), -0.9),
    **dict.fromkeys(("inflation", "tariffs", "tariff", "sanctions", "casualties", "fatalities"), -0.8),
    **dict.fromkeys(("wrongdoing", "fraud", "bribery", "corruption", "scandal"), -2.0),
    **dict.fromkeys(("advanced", "cutting-edge", "high-end"), 0.0),  # descriptive in tech news, not praise
}
# Phrases: joined with `_` in the text and scored as one word (VADER splits on whitespace).
NEWS_PHRASES: dict[str, float] = {
    "death toll": -2.5,
    "profit warning": -2.0,
    "job cuts": -2.0,
    "cut jobs": -2.0,
    "cutting jobs": -2.0,
    "record profits": 2.5,
    "record profit": 2.5,
    "win-win": 2.0,
}
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in NEWS_PHRASES) + r")\b", re.IGNORECASE)
_CONTRAST_RE = re.compile(r"^\s*(however|nevertheless|nonetheless)\b,?", re.IGNORECASE)


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    """VADER with the news-register updates, once per process (its lexicon file is read on creation)."""
    vader = SentimentIntensityAnalyzer()
    vader.lexicon.update(NEWS_LEXICON)
    vader.lexicon.update({p.replace(" ", "_"): v for p, v in NEWS_PHRASES.items()})
    return vader


def _prepare(text: str) -> str:
    text = _CONTRAST_RE.sub("But", text)
    return _PHRASE_RE.sub(lambda m: m.group(0).lower().replace(" ", "_"), text)


def text_tone(text: str) -> float:
    """VADER's compound score of `text` in [-1, 1] (news-register lexicon, pieces of MAX_WORDS words)."""
    words = text.split()
    if len(words) <= MAX_WORDS:
        return float(analyzer().polarity_scores(_prepare(text))["compound"])
    pieces = [" ".join(words[i : i + MAX_WORDS]) for i in range(0, len(words), MAX_WORDS)]
    return _weighted([(text_tone(p), len(p.split())) for p in pieces]) or 0.0


def _weighted(pairs: Sequence[tuple[float, int]]) -> float | None:
    total = sum(w for _, w in pairs)
    return sum(t * w for t, w in pairs) / total if total else None


@dataclass(frozen=True)
class SentenceTone:
    start_char: int
    end_char: int
    words: int  # tokens that are not punctuation or space
    tone: float


@dataclass(frozen=True)
class ArticleTone:
    """An article's sentence tones (in order) and its summary."""

    sentences: tuple[SentenceTone, ...]
    tone: float | None
    tone_positive: float | None
    tone_negative: float | None
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(s.start_char for s in self.sentences))

    def span_tone(self, start_char: int, end_char: int) -> float | None:
        """Word-weighted mean tone of the sentences overlapping [start_char, end_char)."""
        i = max(bisect_right(self._starts, start_char) - 1, 0)
        pairs = []
        for s in self.sentences[i:]:
            if s.start_char >= max(end_char, start_char + 1):
                break
            if s.end_char > start_char:
                pairs.append((s.tone, max(s.words, 1)))
        return _round(_weighted(pairs))

    def at(self, char: int) -> float | None:
        """The tone of the sentence containing offset `char` (a mention's window)."""
        i = bisect_right(self._starts, char) - 1
        if i < 0 or char >= self.sentences[i].end_char:
            return None
        return round(self.sentences[i].tone, 4)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def article_tone(doc: Doc) -> ArticleTone:
    """Each sentence of `doc` scored once; the article's tone and shares from them (None without words)."""
    sentences = []
    for sent in doc.sents:
        words = sum(1 for t in sent if not (t.is_punct or t.is_space))
        if words:
            sentences.append(SentenceTone(sent.start_char, sent.end_char, words, text_tone(sent.text)))
    total = sum(s.words for s in sentences)
    if not total:
        return ArticleTone((), None, None, None)
    tone = _weighted([(s.tone, s.words) for s in sentences])
    positive = sum(s.words for s in sentences if s.tone >= NEUTRAL) / total
    negative = sum(s.words for s in sentences if s.tone <= -NEUTRAL) / total
    return ArticleTone(tuple(sentences), _round(tone), _round(positive), _round(negative))
