"""Entity mentions from spaCy NER, resolved to one canonical entity per real thing in an article."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from pipeline.ids import entity_id, entity_key, make_id
from pipeline.records import Entity, EntityMention

ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "LAW", "WORK_OF_ART", "LANGUAGE"}
)


@dataclass(frozen=True)
class ArticleEntities:
    """The resolved entities of one article and every mention of them."""

    entities: tuple[Entity, ...]
    mentions: tuple[EntityMention, ...]
    _by_key: dict[str, Entity] = field(default_factory=dict, repr=False, compare=False)

    def lookup(self, name: str) -> Entity | None:
        """The entity a surface form (full name, surname, alias, acronym) refers to in this article."""
        return self._by_key.get(entity_key(strip_determiners(name)))

    def mention_at(self, start_char: int, end_char: int) -> EntityMention | None:
        """The mention overlapping the character range, if any (the longest one)."""
        best: EntityMention | None = None
        for m in self.mentions:
            if (
                m.start_char < end_char
                and start_char < m.end_char
                and (best is None or (m.end_char - m.start_char) > (best.end_char - best.start_char))
            ):
                best = m
        return best

    def entity(self, eid: str) -> Entity | None:
        return next((e for e in self.entities if e.entity_id == eid), None)


_DETERMINERS = ("the ", "The ", "a ", "A ", "an ", "An ")


def strip_determiners(text: str) -> str:
    """`the Ministry of ...` -> `Ministry of ...`; possessive `'s` dropped."""
    text = text.strip()
    for d in _DETERMINERS:
        if text.startswith(d):
            text = text[len(d) :]
            break
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    return text.strip()


def _sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token."""
    out = [0] * len(doc)
    for i, sent in enumerate(doc.sents):
        for t in range(sent.start, sent.end):
            out[t] = i
    return out


def extract_entities(doc: Doc, article_id: str) -> ArticleEntities:
    """Mentions of PERSON/ORG/GPE/... in `doc`, each linked to its article-level canonical entity."""
    sent_of = _sentence_index(doc)
    by_key: dict[str, Entity] = {}
    mentions: list[EntityMention] = []
    aliases: dict[str, set[str]] = {}
    for span in doc.ents:
        if span.label_ not in ENTITY_LABELS:
            continue
        name = strip_determiners(span.text)
        if not name:
            continue
        key = entity_key(name)
        ent = by_key.get(key)
        if ent is None:
            ent = Entity(entity_id(name, span.label_), name, span.label_)
            by_key[key] = ent
        aliases.setdefault(ent.entity_id, set()).add(name)
        mentions.append(_mention(article_id, ent, span, sent_of))
    entities = tuple(
        Entity(e.entity_id, e.canonical_name, e.entity_type, tuple(sorted(aliases[e.entity_id])))
        for e in {e.entity_id: e for e in by_key.values()}.values()
    )
    return ArticleEntities(entities, tuple(mentions), by_key)


def _mention(article_id: str, ent: Entity, span: Span, sent_of: list[int]) -> EntityMention:
    return EntityMention(
        mention_id=make_id(article_id, "mention", span.start_char, span.end_char),
        article_id=article_id,
        entity_id=ent.entity_id,
        text=span.text,
        entity_type=ent.entity_type,
        sentence_index=sent_of[span.start],
        start_char=span.start_char,
        end_char=span.end_char,
        canonical_name=ent.canonical_name,
    )
