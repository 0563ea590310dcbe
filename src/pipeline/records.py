"""Frozen records passed between steps. Column names follow ../shared/DESIGN.md exactly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Article:
    """One ingested article, before extraction."""

    article_id: str
    source: str
    source_type: str  # text, html, rss, atom, jsonl, url
    url: str | None
    title: str
    subtitle: str | None
    byline: str | None
    published_at: datetime | None  # naive UTC
    body: str
    content_hash: str
    site_name: str | None = None  # the publisher, from a `Source:` header or the page's metadata
    language: str | None = None
    source_encoding: str = "utf-8"  # `cp1252` when the UTF-8 decode failed and the fallback was used
    word_count: int = 0


@dataclass(frozen=True)
class Reject:
    """An input that could not be read; its bytes are kept under warehouse/rejects/."""

    source: str
    reason: str  # short machine-readable reason: empty, binary, too_large, bad_json, ...
    detail: str  # what went wrong and what to do
    data: bytes | None = field(default=None, repr=False)  # original bytes when available
    # A quarantined article (extract_error, data_test, too_long): where it failed, and which version of
    # which article, so that the same version is passed over until the extractor changes or a retry.
    stage: str | None = None
    article_id: str | None = None
    content_hash: str | None = None
    extractor_version: str | None = None


@dataclass(frozen=True)
class SourceFile:
    """A local file the run read (its articles came before this marker), or passed over unopened.

    `unchanged` files had the same size and modification time as when they were last read under this
    extractor version; `articles` is how many articles (and rejects) that file gave then.
    """

    source: str
    size: int
    mtime_ns: int
    articles: int
    unchanged: bool = False


@dataclass(frozen=True)
class Entity:
    """One real thing; `entity_id` derives from its GeoNames id (a resolved place) or its canonical name
    and type class (`pipeline.ids.entity_id`)."""

    entity_id: str
    canonical_name: str
    entity_type: str
    aliases: tuple[str, ...] = ()
    # Places (GPE, LOC, FAC) resolved against the gazetteer, and a demonym's country (nlp/places.py).
    geonames_id: int | None = None
    place_kind: str | None = None  # country, region, city, continent
    country_code: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # first-level region's name (`Scotland`, `Texas`), where known
    latitude: float | None = None
    longitude: float | None = None
    geo_confidence: float | None = None  # 0..1: how surely the name is this place
    geo_evidence: str | None = None  # what decided it: `only candidate`, `US in the article (Texas)`, ...


@dataclass(frozen=True)
class EntityMention:
    mention_id: str
    article_id: str
    entity_id: str
    text: str
    entity_type: str
    sentence_index: int
    start_char: int
    end_char: int
    canonical_name: str = ""
    tone: float | None = None  # -1..1: the tone of the mention's sentence (nlp/tone.py)


@dataclass(frozen=True)
class Quote:
    quote_id: str
    article_id: str
    quote_type: str  # direct, indirect, mixed
    quote_text: str
    cue: str | None
    speaker_text: str | None
    speaker_entity_id: str | None
    speaker_name: str | None
    speaker_title: str | None
    speaker_org_entity_id: str | None
    sentence_index: int
    start_char: int
    end_char: int
    confidence: float
    confidence_reason: str | None = None
    tone: float | None = None  # -1..1: the tone of the sentences the quote spans (nlp/tone.py)


@dataclass(frozen=True)
class Metric:
    metric_id: str
    article_id: str
    metric_type: str  # money, count, percent, quantity, duration, age
    raw_text: str
    value: float
    unit: str | None
    qualifier: str  # =, >, >=, <, <=, ~
    lower_bound: float | None
    upper_bound: float | None
    period: str | None
    period_start: date | None
    period_end: date | None
    subject: str | None
    subject_entity_id: str | None
    equivalent_of: str | None
    sentence_index: int
    start_char: int
    end_char: int
    base_value: float | None = None  # the SI value of a quantity (5 miles = 8046.72), None without a conversion
    base_unit: str | None = None  # its SI unit, pint's short form: `m`, `kg`, `K`, `m/s`, `s`


@dataclass(frozen=True)
class ArticleTheme:
    """One theme of the taxonomy found in an article (nlp/themes.py): score 0..1, the terms that matched."""

    article_id: str
    theme: str
    score: float
    matched_terms: str  # distinct terms, most frequent first, joined by ", "


@dataclass(frozen=True)
class QuoteTheme:
    """A theme whose terms match inside one quote (nlp/themes.py): score 0..1 is their density there."""

    quote_id: str
    article_id: str
    theme: str
    score: float
    matched_terms: str


@dataclass(frozen=True)
class ArticleExtraction:
    """Everything extracted from one article."""

    article_id: str
    entities: tuple[Entity, ...]
    mentions: tuple[EntityMention, ...]
    quotes: tuple[Quote, ...]
    metrics: tuple[Metric, ...]
    # Tone (-1..1) and the shares of words in positive / negative sentences (nlp/tone.py); None without words.
    tone: float | None = None
    tone_positive: float | None = None
    tone_negative: float | None = None
    themes: tuple[ArticleTheme, ...] = ()
    quote_themes: tuple[QuoteTheme, ...] = ()


@dataclass(frozen=True)
class ExtractFailure:
    """One article whose parse or extraction raised: it is quarantined (a `rejects` row), never loaded."""

    article_id: str
    stage: str  # parse, entities, quotes, metrics, tone, themes, worker
    error_type: str
    message: str


ExtractResult = ArticleExtraction | ExtractFailure
