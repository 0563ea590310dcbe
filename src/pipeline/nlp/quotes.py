"""Quotes: direct, reported and mixed speech with resolved speakers. (Being built.)"""

from __future__ import annotations

from spacy.tokens import Doc

from pipeline.nlp.entities import ArticleEntities
from pipeline.records import Quote


def extract_quotes(doc: Doc, article_id: str, entities: ArticleEntities) -> list[Quote]:
    return []
