"""Metrics: reported figures with value, unit, qualifier, period and subject. (Being built.)"""

from __future__ import annotations

from datetime import datetime

from spacy.tokens import Doc

from pipeline.nlp.entities import ArticleEntities
from pipeline.records import Metric


def extract_metrics(
    doc: Doc, article_id: str, entities: ArticleEntities, published_at: datetime | None = None
) -> list[Metric]:
    return []
