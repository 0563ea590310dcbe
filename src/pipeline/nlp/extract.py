"""Run spaCy over batches of articles and apply every extractor to each Doc."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.entities import extract_entities
from pipeline.nlp.loader import load_nlp
from pipeline.nlp.metrics import extract_metrics
from pipeline.nlp.quotes import extract_quotes
from pipeline.records import Article, ArticleExtraction

# Bump when extraction output changes: articles extracted by an older version are reprocessed.
EXTRACTOR_VERSION = "1.0.0"


def extract_doc(doc: Doc, article: Article) -> ArticleExtraction:
    """All extractors over one parsed article. Pure: Doc in, records out."""
    ents = extract_entities(doc, article.article_id)
    quotes = extract_quotes(doc, article.article_id, ents)
    metrics = extract_metrics(doc, article.article_id, ents, article.published_at)
    return ArticleExtraction(article.article_id, ents.entities, ents.mentions, tuple(quotes), tuple(metrics))


def parse(nlp: Language, articles: Sequence[Article], batch_size: int) -> Iterator[tuple[Doc, Article]]:
    """`nlp.pipe` over the bodies, in batches, paired back with their articles."""
    docs = nlp.pipe((a.body for a in articles), batch_size=batch_size)
    yield from zip(docs, articles, strict=True)


def extract_batch(articles: Sequence[Article], model: str, batch_size: int) -> list[ArticleExtraction]:
    """Parse and extract one batch in this process; only small records leave it, never Docs."""
    nlp = load_nlp(model)
    return [extract_doc(doc, article) for doc, article in parse(nlp, articles, batch_size)]
