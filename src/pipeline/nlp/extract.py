"""Run spaCy over batches of articles and apply every extractor to each Doc.

One article never fails its batch: a parse or an extractor that raises gives that article an
`ExtractFailure` (the caller quarantines it as a `rejects` row) and the others are extracted as usual.
Bodies longer than the chunk size are parsed in paragraph-aligned chunks merged into one Doc
(`pipeline.nlp.chunking`), so no length stops extraction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.chunking import parse_limit, parse_long
from pipeline.nlp.entities import ArticleEntities, extract_entities
from pipeline.nlp.loader import load_nlp
from pipeline.nlp.metrics import extract_metrics
from pipeline.nlp.quotes import extract_quotes
from pipeline.nlp.themes import ThemeMatcher, matcher_for, theme_matcher
from pipeline.nlp.tone import ArticleTone, article_tone
from pipeline.records import (
    Article,
    ArticleExtraction,
    ArticleTheme,
    EntityMention,
    ExtractFailure,
    ExtractResult,
    Metric,
    Quote,
    QuoteTheme,
)

# Bump when extraction output changes: articles extracted by an older version are reprocessed.
EXTRACTOR_VERSION = "1.2.0"

FoundThemes = tuple[tuple[ArticleTheme, ...], tuple[QuoteTheme, ...]]
NO_THEMES: FoundThemes = ((), ())

DEFAULT_CHUNK_CHARS = 20_000  # peak memory of a chunk's parse ~ a normal batch's; benchmarks/README.md, "Long articles"
_MESSAGE_CHARS = 1000

log = logging.getLogger(__name__)

_T = TypeVar("_T")


class StageError(Exception):
    """An extractor stage raised; carries the failure record for the article."""

    def __init__(self, failure: ExtractFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def extract_doc(doc: Doc, article: Article, themes: ThemeMatcher | None = None) -> ArticleExtraction:
    """All extractors over one parsed article. Pure: Doc in, records out; an extractor's error propagates.

    Themes need a matcher (`theme_matcher(nlp)`, as `extract_batch` passes); without one, the configured
    pipeline's is used when it parsed `doc` (`matcher_for`), else there are none."""
    ents = extract_entities(doc, article.article_id)
    quotes = extract_quotes(doc, article.article_id, ents)
    metrics = extract_metrics(doc, article.article_id, ents, article.published_at)
    tone = article_tone(doc)
    themes = themes or matcher_for(doc)
    found = themes.match_with_quotes(doc, article.title, article.article_id, quotes) if themes else NO_THEMES
    return _with_tone(
        ArticleExtraction(article.article_id, ents.entities, ents.mentions, tuple(quotes), tuple(metrics)), tone, found
    )


def _with_tone(x: ArticleExtraction, tone: ArticleTone, themes: FoundThemes) -> ArticleExtraction:
    """The extraction with its article tone, its quotes' and mentions' tones (from the sentence scores
    computed once) and its article and quote themes."""
    mentions: tuple[EntityMention, ...] = tuple(replace(m, tone=tone.at(m.start_char)) for m in x.mentions)
    quotes = tuple(replace(q, tone=tone.span_tone(q.start_char, q.end_char)) for q in x.quotes)
    return replace(
        x,
        mentions=mentions,
        quotes=quotes,
        tone=tone.tone,
        tone_positive=tone.tone_positive,
        tone_negative=tone.tone_negative,
        themes=themes[0],
        quote_themes=themes[1],
    )


def failure(article_id: str, stage: str, error: Exception) -> ExtractFailure:
    """The failure record of one article, logged at WARNING (never silent)."""
    f = ExtractFailure(article_id, stage, type(error).__name__, str(error)[:_MESSAGE_CHARS])
    log.warning("extract failed: article %s, stage %s: %s: %s", article_id, stage, f.error_type, f.message)
    return f


def _stage(article_id: str, stage: str, run: Callable[[], _T]) -> _T:
    """`run()`, with any Exception (not BaseException: Ctrl-C and exit still stop the run) turned into
    a StageError naming the article and the stage."""
    try:
        return run()
    except Exception as e:
        raise StageError(failure(article_id, stage, e)) from e


def extract_article(doc: Doc, article: Article, themes: ThemeMatcher | None = None) -> ExtractResult:
    """`extract_doc`, with each extractor guarded: the first stage that raises is the article's result."""
    aid = article.article_id
    themes = themes or matcher_for(doc)
    try:
        ents: ArticleEntities = _stage(aid, "entities", lambda: extract_entities(doc, aid))
        quotes: list[Quote] = _stage(aid, "quotes", lambda: extract_quotes(doc, aid, ents))
        metrics: list[Metric] = _stage(aid, "metrics", lambda: extract_metrics(doc, aid, ents, article.published_at))
        tone: ArticleTone = _stage(aid, "tone", lambda: article_tone(doc))
        found: FoundThemes = (
            _stage(aid, "themes", lambda: themes.match_with_quotes(doc, article.title, aid, quotes))
            if themes
            else NO_THEMES
        )
    except StageError as e:
        return e.failure
    return _with_tone(ArticleExtraction(aid, ents.entities, ents.mentions, tuple(quotes), tuple(metrics)), tone, found)


def parse(
    nlp: Language, articles: Sequence[Article], batch_size: int, chunk_chars: int = DEFAULT_CHUNK_CHARS
) -> Iterator[tuple[Article, Doc | ExtractFailure]]:
    """Each article with its Doc, or with its parse failure, in input order.

    Bodies up to the chunk size go through `nlp.pipe` in batches; a longer one is parsed in chunks.
    """
    limit = parse_limit(nlp, chunk_chars)
    short = [a.body for a in articles if len(a.body) <= limit]
    docs = _pipe_isolated(nlp, short, batch_size)
    for a in articles:
        if len(a.body) <= limit:
            doc = next(docs)
            yield a, (failure(a.article_id, "parse", doc) if isinstance(doc, Exception) else doc)
            continue
        try:
            yield a, parse_long(nlp, a.body, limit)
        except Exception as e:
            yield a, failure(a.article_id, "parse", e)


def _pipe_isolated(nlp: Language, texts: list[str], batch_size: int) -> Iterator[Doc | Exception]:
    """`nlp.pipe` over `texts`, one result each: when a batch raises, its texts are parsed one by one,
    so only the text that fails gets its exception; piping resumes after that batch."""
    done = 0
    while done < len(texts):
        try:
            for doc in nlp.pipe(texts[done:], batch_size=batch_size):
                done += 1
                yield doc
        except Exception:
            # The pipe pulls whole batches in step, so the failing text is in the next `batch_size`
            # (were it not, the next pipe raises again and this repeats: it always moves on).
            for text in texts[done : done + batch_size]:
                try:
                    yield nlp(text)
                except Exception as e:
                    yield e
            done += batch_size


def extract_batch(
    articles: Sequence[Article], model: str, batch_size: int, chunk_chars: int = DEFAULT_CHUNK_CHARS
) -> list[ExtractResult]:
    """Parse and extract one batch in this process; only small records leave it, never Docs.

    One result per article, in input order: its extraction, or the `ExtractFailure` of the stage that
    raised (parse, entities, quotes, metrics, tone or themes).
    """
    nlp = load_nlp(model)
    # built once per process and taxonomy file (a malformed file fails the run); a stand-in pipeline
    # without a vocabulary (tests) leaves it to `matcher_for` per Doc
    themes = theme_matcher(nlp) if isinstance(nlp, Language) else None
    return [
        doc if isinstance(doc, ExtractFailure) else extract_article(doc, article, themes)
        for article, doc in parse(nlp, articles, batch_size, chunk_chars)
    ]
