"""Themes: an editable taxonomy (TOML) matched on lemmas with spaCy's PhraseMatcher.

The taxonomy (`themes.toml` beside this module, or the file named by `NEWS_THEMES_FILE`) has one
`[themes.<name>]` table per theme with a `field` and `terms` (words or phrases). Lowercase terms
match on lemmas (a LEMMA matcher, so "chips" finds "chip"), and on the lowercased words with a
plural `s`, for the capitalised words a tagger reads as proper nouns in titles ("Chip Sales
Climb"); a term with capitals ("AI", "NHS") matches as written. Matchers are built once per
process per taxonomy file (and pipeline).

Evidence and score (README, "Themes"): a theme needs two distinct terms, or one in the title. Each
match weighs 3 in the title, 2 in the lead (the body's first two sentences) and 1 elsewhere;
`d` is the weighted matches per 100 body words (plus one hundred, so a short text does not score
high on one word) times the theme's breadth, min(distinct terms, 3) / 3 (one term repeated is less
central than several); `score = d / (d + 1)`, in [0, 1).
"""

from __future__ import annotations

import tomllib
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.records import ArticleTheme, Quote, QuoteTheme

DEFAULT_TAXONOMY = Path(__file__).with_name("themes.toml")
TITLE_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
LEAD_SENTENCES = 2
MIN_TERMS = 2  # distinct terms a theme needs when the title does not carry it
BREADTH_TERMS = 3  # distinct terms at which a theme's breadth is full (fewer scale its density down)
_SEP = "\x1f"  # between theme and term in a match key
_LIGHT = ("parser", "ner")  # a title needs only tagger and lemmatizer


class TaxonomyError(ValueError):
    """The taxonomy file is malformed: the message names the file and the theme."""


@dataclass(frozen=True)
class Theme:
    name: str
    field: str
    terms: tuple[str, ...]


def load_taxonomy(path: Path) -> tuple[Theme, ...]:
    """The themes of a taxonomy file, checked: every theme has a field and at least one term."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise TaxonomyError(f"theme taxonomy {path}: {e}") from e
    themes = []
    for name, spec in (data.get("themes") or {}).items():
        terms = spec.get("terms") if isinstance(spec, dict) else None
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            raise TaxonomyError(f"theme taxonomy {path}: theme {name!r} needs `terms`, a list of words or phrases")
        field = spec.get("field", "other")
        themes.append(Theme(name, str(field), tuple(dict.fromkeys(t.strip() for t in terms))))
    if not themes:
        raise TaxonomyError(f"theme taxonomy {path}: no [themes.<name>] tables")
    return tuple(themes)


def taxonomy_path() -> Path:
    """`NEWS_THEMES_FILE` (through the settings, so `.env` counts too), else the shipped taxonomy."""
    from pipeline.settings import Settings

    return Settings().themes_file or DEFAULT_TAXONOMY


def _plural(term: str) -> str:
    return term + ("es" if term.endswith(("s", "x", "ch", "sh")) else "s")


class ThemeMatcher:
    """PhraseMatchers for one taxonomy over one pipeline's vocabulary."""

    def __init__(self, nlp: Language, themes: tuple[Theme, ...]) -> None:
        self.nlp = nlp
        self.themes = {t.name: t for t in themes}
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        lowercase = []
        for theme in themes:
            for term in theme.terms:
                key = f"{theme.name}{_SEP}{term}"
                if term != term.lower():
                    self.orth.add(key, [nlp.make_doc(term), nlp.make_doc(_plural(term))])
                    continue
                lowercase.append((key, term))
                self.lower.add(key, [nlp.make_doc(term), nlp.make_doc(_plural(term))])
        # pattern lemmas come from the pipeline itself (tagger + lemmatizer), as in the text
        docs = nlp.pipe([term for _, term in lowercase], disable=list(_LIGHT))
        for (key, _), pattern in zip(lowercase, docs, strict=True):
            self.lemma.add(key, [pattern])

    def _terms(self, doc: Doc) -> list[tuple[str, str, int]]:
        """(theme, term, start_char) of every match; of a theme's overlapping matches only the longest
        counts ("international cooperation" is one term, not also "cooperation")."""
        found: dict[str, list[tuple[int, int, str]]] = {}
        for matcher in (self.lemma, self.lower, self.orth):
            for match_id, start, end in matcher(doc):
                theme, term = self.nlp.vocab.strings[match_id].split(_SEP, 1)
                found.setdefault(theme, []).append((start, end, term))
        out = []
        for theme, spans in found.items():
            taken: list[tuple[int, int]] = []
            for start, end, term in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], s[2])):
                if all(end <= a or start >= b for a, b in taken):
                    taken.append((start, end))
                    out.append((theme, term, doc[start].idx))
        return out

    def match(self, doc: Doc, title: str | None, article_id: str) -> tuple[ArticleTheme, ...]:
        """The article's themes, best first (see the module doc for evidence and score)."""
        return self.match_with_quotes(doc, title, article_id, ())[0]

    def match_with_quotes(
        self, doc: Doc, title: str | None, article_id: str, quotes: Sequence[Quote]
    ) -> tuple[tuple[ArticleTheme, ...], tuple[QuoteTheme, ...]]:
        """The article's themes and its quotes' themes, from one pass of the matchers over the body.

        A quote has a theme when the theme's terms match inside its span and either two distinct terms
        do or the article has the theme; its score is the density of those matches in the quote."""
        body_terms = self._terms(doc)
        themes = self._article_themes(doc, title, article_id, body_terms)
        carried = {t.theme for t in themes}
        starts = [char for _, _, char in body_terms]
        order = sorted(range(len(body_terms)), key=starts.__getitem__)
        sorted_starts = [starts[i] for i in order]
        out: list[QuoteTheme] = []
        for q in quotes:
            lo, hi = bisect_left(sorted_starts, q.start_char), bisect_left(sorted_starts, q.end_char)
            terms: dict[str, Counter[str]] = {}
            for i in order[lo:hi]:
                theme, term, _ = body_terms[i]
                terms.setdefault(theme, Counter())[term] += 1
            words = max(len(q.quote_text.split()), 1)
            for theme, counts in terms.items():
                if theme not in carried and len(counts) < MIN_TERMS:
                    continue
                breadth = min(len(counts), BREADTH_TERMS) / BREADTH_TERMS
                density = sum(counts.values()) / (words / 100 + 1) * breadth
                out.append(
                    QuoteTheme(q.quote_id, article_id, theme, round(density / (density + 1), 4), _joined(counts))
                )
        return themes, tuple(out)

    def _article_themes(
        self, doc: Doc, title: str | None, article_id: str, body_terms: list[tuple[str, str, int]]
    ) -> tuple[ArticleTheme, ...]:
        lead_end = _lead_end(doc)
        weights: dict[str, float] = {}
        terms: dict[str, Counter[str]] = {}
        in_title: set[str] = set()
        if title and title.strip():
            for theme, term, _ in self._terms(self.nlp(title, disable=list(_LIGHT))):
                weights[theme] = weights.get(theme, 0.0) + TITLE_WEIGHT
                terms.setdefault(theme, Counter())[term] += 1
                in_title.add(theme)
        for theme, term, char in body_terms:
            weights[theme] = weights.get(theme, 0.0) + (LEAD_WEIGHT if char < lead_end else BODY_WEIGHT)
            terms.setdefault(theme, Counter())[term] += 1
        words = sum(1 for t in doc if not (t.is_punct or t.is_space))
        out = []
        for theme, weight in weights.items():
            if theme not in in_title and len(terms[theme]) < MIN_TERMS:
                continue  # one passing word is no evidence
            # breadth: a theme carried by one repeated term is less central than one seen in several
            breadth = min(len(terms[theme]), BREADTH_TERMS) / BREADTH_TERMS
            density = weight / (words / 100 + 1) * breadth
            out.append(ArticleTheme(article_id, theme, round(density / (density + 1), 4), _joined(terms[theme])))
        return tuple(sorted(out, key=lambda t: (-t.score, t.theme)))


def _joined(terms: Counter[str]) -> str:
    """The distinct terms, most frequent first."""
    return ", ".join(t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0])))


def _lead_end(doc: Doc) -> int:
    """The character offset where the lead (the first LEAD_SENTENCES sentences) ends."""
    for i, sent in enumerate(doc.sents):
        if i == LEAD_SENTENCES - 1:
            return sent.end_char
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0  # a short text is all lead


@lru_cache(maxsize=4)
def _matcher(nlp: Language, path: Path, mtime_ns: int) -> ThemeMatcher:
    return ThemeMatcher(nlp, load_taxonomy(path))


def theme_matcher(nlp: Language, path: Path | None = None) -> ThemeMatcher:
    """The matcher of `path` (default: the configured taxonomy) for `nlp`, built once per process
    (rebuilt when the file changes)."""
    path = (path or taxonomy_path()).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as e:
        raise TaxonomyError(f"theme taxonomy {path}: {e}") from e
    return _matcher(nlp, path, mtime)


def matcher_for(doc: Doc) -> ThemeMatcher | None:
    """The configured taxonomy's matcher when `doc` was parsed by the configured pipeline (found by its
    vocabulary), else None: a caller with a Doc but no pipeline at hand still gets the same themes."""
    from pipeline.nlp.loader import load_nlp
    from pipeline.settings import Settings

    nlp = load_nlp(Settings().spacy_model)
    return theme_matcher(nlp) if nlp.vocab is doc.vocab else None


def field_of(theme: str, matcher: ThemeMatcher) -> str | None:
    t = matcher.themes.get(theme)
    return t.field if t else None
