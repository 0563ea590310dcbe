"""Entity mentions from spaCy NER, resolved to one canonical entity per real thing in an article.

Within one article:

1. every NER span with a naming label is trimmed to the name it holds (leading determiners, edition
   ordinals, honorifics, possessive `'s`, edge punctuation), and dropped when it is a fragment: no
   capital letter, no letter at all, a number with a time unit (`Five-Year`), a common-noun acronym
   (`IC` in "China's IC sector");
2. names are grouped by `entity_key`, and groups are joined when one is a short form of another: a
   person's surname or given name (`Gao` -> `Gao Dongsheng`, whatever label the model gave `Gao`), an
   alternative name in parentheses or after "also known as" (`IC China`), an acronym spelling another
   name's initials (`SEC`), a well-known short name (`US` -> `United States`);
3. untagged proper-noun tokens equal to a known person's surname become mentions too (`Zhang`);
4. each group takes its longest name as canonical name, and one type: the majority label of the
   mentions of that name (first one wins ties), EVENT for names ending in `Expo`, `Summit`, `Cup`...,
   ORG for a club (`Manchester United`) or a one-word "person" the article calls a company (`oil giant
   Yukos`);
5. places (GPE, LOC, FAC) are resolved together in the gazetteer (`pipeline.nlp.places`): a resolved
   group takes the gazetteer's name (`Britain`, `UK` -> `United Kingdom`) and geography; a demonym
   (NORP `British`) carries its country.

Across articles, identity is content-derived and never depends on one article's label: a resolved place
is `place_entity_id(geonames_id)` (`Paris` in France and in Texas are two), any other name is
`entity_id(canonical_name, type)`, which hashes the normalised name and only a coarse class (place or
not), so `Yukos` read as PERSON here and ORG there is one entity; the load decides its type over all its
mentions in the warehouse. A bare surname is resolved in its own article only, so `Gao` in an article
without a full name stays the entity `Gao`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from nameparser.config.particles import PARTICLES
from spacy.tokens import Doc, Token

from pipeline.ids import entity_id, entity_key, make_id, name_entity_id, place_entity_id
from pipeline.nlp.entity_words import (
    ACRONYM_STOPWORDS,
    ALIAS_CUES,
    CANONICAL_ALIASES,
    CLUB_HEADS,
    ENTITY_LABELS,
    EVENT_HEADS,
    GENERIC_ACRONYMS,
    HONORIFICS,
    LEADING_DETERMINERS,
    LEGAL_SUFFIXES,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    ORG_AFTER,
    ORG_BEFORE,
    PLACE_SURNAMES,
    SPORTS_POSITIONS,
)
from pipeline.nlp.places import demonym_country, is_place_name, resolve_places
from pipeline.records import Entity, EntityMention

__all__ = ["ENTITY_LABELS", "ArticleEntities", "extract_entities", "strip_determiners"]


@dataclass(frozen=True)
class ArticleEntities:
    """The resolved entities of one article and every mention of them."""

    entities: tuple[Entity, ...]
    mentions: tuple[EntityMention, ...]
    _by_key: dict[str, Entity] = field(default_factory=dict, repr=False, compare=False)

    def lookup(self, name: str) -> Entity | None:
        """The entity a surface form (full name, surname, alias, acronym) refers to in this article."""
        stripped = strip_determiners(name)
        for candidate in (stripped, _clean_name_text(stripped)):
            key = entity_key(candidate)
            found = self._by_key.get(key)
            if found is None and key in CANONICAL_ALIASES:
                found = self._by_key.get(entity_key(CANONICAL_ALIASES[key][0]))
            if found is not None:
                return found
        return None

    def mention_at(self, start_char: int, end_char: int) -> EntityMention | None:
        """The mention overlapping the character range, if any (the longest one, the first of equals)."""
        # Only mentions starting within `longest` characters before the range can overlap it: a bisect
        # instead of a scan of every mention, which made long articles quadratic (callers ask per token).
        starts, order, longest = self._mention_index
        best: EntityMention | None = None
        best_k = -1
        for k in order[bisect_left(starts, start_char - longest + 1) : bisect_left(starts, end_char)]:
            m = self.mentions[k]
            if start_char < m.end_char and (
                best is None or (m.end_char - m.start_char, -k) > (best.end_char - best.start_char, -best_k)
            ):
                best, best_k = m, k
        return best

    @cached_property
    def _mention_index(self) -> tuple[list[int], list[int], int]:
        """Mention start offsets in order, the mention index of each, and the longest mention's length."""
        order = sorted(range(len(self.mentions)), key=lambda k: self.mentions[k].start_char)
        longest = max((m.end_char - m.start_char for m in self.mentions), default=0)
        return [self.mentions[k].start_char for k in order], order, longest

    def entity(self, eid: str) -> Entity | None:
        return self._by_id.get(eid)

    @cached_property
    def _by_id(self) -> dict[str, Entity]:
        by_id: dict[str, Entity] = {}
        for e in self.entities:
            by_id.setdefault(e.entity_id, e)
        return by_id


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


_NUMERIC_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d\d$")
_POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})
_PERSON = "PERSON"
_GPE = "GPE"
_EVENT = "EVENT"
_ORG = "ORG"
# Labels a lone surname may carry and still be read as the person introduced earlier.
# Not WORK_OF_ART or PRODUCT: the film `Kinsey` is not the `Alfred Kinsey` of the same article.
_SURNAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})


def _clean_name_text(text: str) -> str:
    """The span trimming on a plain string, for `lookup`: `Mr Gao` -> `Gao`, `22nd X Expo` -> `X Expo`."""
    words = text.split()
    while len(words) > 1:
        low = words[0].lower()
        if (
            low in LEADING_DETERMINERS
            or low in HONORIFICS
            or _NUMERIC_ORDINAL.match(low)
            or ((low in ORDINAL_WORDS or _YEAR.match(low)) and _is_event_name(words[1:]))
        ):
            words = words[1:]
        else:
            break
    return " ".join(words)


def _is_event_name(words: list[str]) -> bool:
    if len(words) < 2:
        return False
    last = words[-1].lower()
    return last in EVENT_HEADS or f"{words[-2].lower()} {last}" in EVENT_HEADS


@dataclass(slots=True)
class _Mention:
    """A mention being resolved: token span, surface text, the name it contributes, its label."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    name: str
    key: str
    label: str
    node: str  # the group this mention starts in: its key, or `<key>|person` for `Jordan` the person


class _Groups:
    """Union-find over name keys; the root is the key seen first."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.order: dict[str, int] = {}

    def add(self, key: str) -> None:
        if key not in self.parent:
            self.parent[key] = key
            self.order[key] = len(self.order)

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if self.order[rb] < self.order[ra]:
                ra, rb = rb, ra
            self.parent[rb] = ra


def extract_entities(doc: Doc, article_id: str) -> ArticleEntities:
    """Mentions of PERSON/ORG/GPE/... in `doc`, each linked to its article-level canonical entity."""
    mentions: list[_Mention] = []
    inner_alternatives: list[tuple[_Mention, _Mention]] = []
    for span in doc.ents:
        start, end, label = span.start, span.end, span.label_
        if label not in ENTITY_LABELS:
            continue
        opening = next((i for i in range(start + 1, end - 1) if doc[i].text == "("), None)
        if opening is None:
            if m := _mention_from_span(doc, start, end, label):
                mentions.append(m)
            continue
        # `World Health Organization (WHO` as one span: the name, and its alternative inside the brackets.
        closing = next((i for i in range(opening + 1, end) if doc[i].text == ")"), end)
        outer = _mention_from_span(doc, start, opening, label)
        inner = _mention_from_span(doc, opening + 1, closing, label)
        if inner is not None and not _is_acronym(inner.text):
            inner = None
        mentions.extend(m for m in (outer, inner) if m is not None)
        if outer is not None and inner is not None:
            inner_alternatives.append((outer, inner))
    by_start = {m.start: m for m in mentions}
    groups = _Groups()
    for m in mentions:
        groups.add(m.node)
    for outer, inner in inner_alternatives:
        groups.union(outer.node, inner.node)
    alternatives = [inner for _, inner in inner_alternatives]

    mentions.extend(_join_alternative_names(doc, mentions, by_start, groups, alternatives))
    _join_short_person_names(mentions, groups)
    _join_acronyms(mentions, groups)

    clusters: dict[str, list[_Mention]] = {}
    for m in mentions:
        clusters.setdefault(groups.find(m.node), []).append(m)
    resolved = {root: _retyped(doc, ms, _canonical(ms)) for root, ms in clusters.items()}

    short_forms = {a.text: groups.find(a.node) for a in alternatives if _is_acronym(a.text)}
    for m in _untagged_short_forms(doc, resolved, by_start, short_forms):
        clusters[m.node].append(m)  # the node of a bare-surname mention is its person's root

    return _assemble(doc, article_id, clusters, resolved)


def _mention_from_span(doc: Doc, start: int, end: int, label: str) -> _Mention | None:
    """The trimmed name a span holds, or None when it is not a name."""
    if label not in ENTITY_LABELS:
        return None
    for i in range(start, end):  # a span never runs over a paragraph break
        if "\n" in doc[i].text:
            end = i
            break
    while start < end and _is_edge_junk(doc[start]):
        start += 1
    while end > start and (_is_edge_junk(doc[end - 1]) or doc[end - 1].text in _POSSESSIVES):
        end -= 1
    while end - start > 1:
        low = doc[start].lower_
        if (
            low in LEADING_DETERMINERS
            or (label == _PERSON and (low in HONORIFICS or (low in SPORTS_POSITIONS and doc[start].is_title)))
            or _NUMERIC_ORDINAL.match(low)
            or (
                (low in ORDINAL_WORDS or _YEAR.match(low))
                and (label == _EVENT or _is_event_name([t.text for t in doc[start + 1 : end]]))
            )
        ):
            start += 1
        else:
            break
    while start < end and _is_edge_junk(doc[start]):
        start += 1
    if start >= end:
        return None
    text = doc[start:end].text  # not doc.text, which spaCy rebuilds from every token on each access
    if _is_fragment(doc, start, end, text):
        return None
    return _make_mention(doc, start, end, text, label)


def _make_mention(doc: Doc, start: int, end: int, text: str, label: str) -> _Mention:
    words = text.split("(")[0].split() or text.split()  # `British National Party(BNP` is one token
    while len(words) > 1 and words[-1].lower() in LEGAL_SUFFIXES:
        words = words[:-1]
    name = " ".join(words).rstrip(",")
    key = entity_key(name)
    if key in CANONICAL_ALIASES:
        name, label = CANONICAL_ALIASES[key]
        key = entity_key(name)
    start_char = doc[start].idx
    node = f"{key}|person" if label == _PERSON and name in PLACE_SURNAMES else key
    return _Mention(start, end, start_char, start_char + len(text), text, name, key, label, node)


def _is_edge_junk(tok: Token) -> bool:
    return bool(tok.is_space or (tok.is_punct and not any(c.isalnum() for c in tok.text)))


def _is_fragment(doc: Doc, start: int, end: int, text: str) -> bool:
    """Not a name: too short, no capital, no letter, `Five-Year`, a common-noun acronym."""
    if len(text) < 2 or not any(c.isupper() for c in text) or not any(c.isalpha() for c in text):
        return True
    if text.upper() in GENERIC_ACRONYMS and not any(c.islower() for c in text):
        return True
    # `Anthony became Lopez`: a verb inside the span joins two names, it is not one; a name particle the
    # tagger reads as a verb (`Nick Van den Brul`, `David dal Maso`) is part of the name
    if end - start > 2 and any(
        t.pos_ in ("VERB", "AUX") and not t.is_title and t.lower_ not in PARTICLES for t in doc[start + 1 : end - 1]
    ):
        return True
    parts = [p for p in re.split(r"[\s\-]+", text.lower()) if p]
    return all(p in NUMBER_WORDS or p.isdigit() for p in parts)


def _join_alternative_names(
    doc: Doc,
    mentions: list[_Mention],
    by_start: dict[int, _Mention],
    groups: _Groups,
    alternatives: list[_Mention],
) -> list[_Mention]:
    """`X (XYZ)` and `X, also known as Y`: the alternative names one with X.

    Returns the mentions it added; appends the alternative names to `alternatives`.
    """
    added: list[_Mention] = []
    n = len(doc)
    for m in list(mentions):
        if m.label == _PERSON:
            continue
        alt: _Mention | None = None
        i = m.end
        if i < n and doc[i].text == "(":
            close = next((j for j in range(i + 1, min(i + 5, n)) if doc[j].text == ")"), None)
            if close is not None and close > i + 1:
                alt = _alternative_at(doc, i + 1, close, m.label, by_start, added, acronym_only=True)
        else:
            if i < n and doc[i].text == ",":
                i += 1
            cue = next((c for c in ALIAS_CUES if all(_lower_at(doc, i + k) == w for k, w in enumerate(c))), None)
            if cue is not None:
                j = end = i + len(cue)
                while end < n and end - j < 6 and (doc[end].is_title or doc[end].is_upper):
                    end += 1
                if end > j:
                    alt = _alternative_at(doc, j, end, m.label, by_start, added, acronym_only=False)
        if alt is not None and alt.node != m.node:
            groups.add(alt.node)
            groups.union(m.node, alt.node)
            alternatives.append(alt)
    return added


def _lower_at(doc: Doc, i: int) -> str:
    return doc[i].lower_ if i < len(doc) else ""


def _alternative_at(
    doc: Doc,
    start: int,
    end: int,
    label: str,
    by_start: dict[int, _Mention],
    added: list[_Mention],
    *,
    acronym_only: bool,
) -> _Mention | None:
    """The mention starting at `start` (the model's own, or a new one over tokens start..end).

    In brackets only an acronym counts: `China (Beijing)` is not an alternative name.
    """
    if start in by_start:
        found = by_start[start]
        return found if not acronym_only or _is_acronym(found.text) else None
    if any(t.ent_iob_ != "O" for t in doc[start:end]):
        return None  # the model read these tokens as something else (a date, a number...)
    text = doc[start:end].text
    if not doc[start].text[:1].isupper() or _is_fragment(doc, start, end, text):
        return None
    if acronym_only and not _is_acronym(text):
        return None
    m = _make_mention(doc, start, end, text, label)
    by_start[start] = m
    added.append(m)
    return m


def _join_short_person_names(mentions: list[_Mention], groups: _Groups) -> None:
    """A lone surname or given name joins the person introduced with it.

    `George Bush` joins `George W. Bush` too.
    """
    last_names: dict[str, str] = {}
    first_names: dict[str, str] = {}
    full: dict[str, list[str]] = {}
    full_nodes: dict[str, str] = {}
    by_ends: dict[tuple[str, str], list[str]] = {}  # (first, last word) -> full names, in order seen
    for m in mentions:
        if m.label != _PERSON:
            continue
        words = m.key.split()
        if len(words) < 2 or m.key in full:
            continue
        # only names with the same first and last word can hold this one: not a scan of every name
        for other in by_ends.get((words[0], words[-1]), []):
            other_words = full[other]
            if len(other_words) > len(words) and set(words) <= set(other_words):
                groups.union(full_nodes[other], m.node)
                break
        full[m.key] = words
        by_ends.setdefault((words[0], words[-1]), []).append(m.key)
        full_nodes[m.key] = m.node
        last_names.setdefault(words[-1], m.node)
        first_names.setdefault(words[0], m.node)
    if not full:
        return
    for m in mentions:
        if " " in m.key or m.label not in _SURNAME_LABELS:
            continue
        if m.label != _PERSON and m.text in PLACE_SURNAMES:
            continue
        person = last_names.get(m.key) or first_names.get(m.key)
        if person is not None:
            groups.union(person, m.node)


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ACRONYM_STOPWORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _join_acronyms(mentions: list[_Mention], groups: _Groups) -> None:
    """`SEC` joins `Securities and Exchange Commission` when both are in the article."""
    by_initials: dict[str, str] = {}
    for m in mentions:
        if m.label != _PERSON and " " in m.name:
            ini = _initials(m.name)
            if len(ini) >= 2:
                by_initials.setdefault(ini, m.node)
    if not by_initials:
        return
    for m in mentions:
        letters = m.name.replace(".", "")
        if m.label != _PERSON and letters.isalpha() and letters.isupper() and len(letters) >= 2:
            long_form = by_initials.get(letters)
            if long_form is not None:
                groups.union(long_form, m.node)


@dataclass(frozen=True, slots=True)
class _Canonical:
    name: str
    entity_type: str


def _canonical(ms: list[_Mention]) -> _Canonical:
    """The longest name (the first of equals) and the majority label of its own mentions."""
    best = ms[0]
    for m in ms[1:]:
        if len(m.name.split()) > len(best.name.split()):
            best = m
    votes = Counter(m.label for m in ms if m.key == best.key)
    first_label = best.label
    top = max(votes.values())
    label = first_label if votes[first_label] == top else next(lab for lab, c in votes.items() if c == top)
    if label != _PERSON and _is_event_name(best.name.split()):
        label = _EVENT
    return _Canonical(best.name, label)


def _retyped(doc: Doc, ms: list[_Mention], c: _Canonical) -> _Canonical:
    """ORG for a club the model read as a person or a place (`Manchester United`), and for a one-word
    "person" that the article names as a company (`oil giant Yukos`, `Yukos shares`)."""
    words = c.name.split()
    if c.entity_type in (_PERSON, "GPE", "LOC") and len(words) > 1 and words[-1].lower() in CLUB_HEADS:
        town = " ".join(words[:-1])
        if resolve_places([town]) and not resolve_places([c.name]):
            return _Canonical(c.name, _ORG)
    if c.entity_type == _PERSON and all(" " not in m.name for m in ms) and any(_org_context(doc, m) for m in ms):
        return _Canonical(c.name, _ORG)
    if _unknown_place(c, ms):
        # No gazetteer knows the name (`Gazprom`, `Fabregas`): the article's other labels for it, or a
        # company's context, say what it is; else the warehouse's vote over all its mentions will.
        others = Counter(m.label for m in ms if m.label not in _PLACE_LABELS)
        if others:
            return _Canonical(c.name, others.most_common(1)[0][0])
        if any(_org_context(doc, m) for m in ms):
            return _Canonical(c.name, _ORG)
    return c


def _unknown_place(c: _Canonical, ms: list[_Mention]) -> bool:
    """A GPE none of whose names is a place the gazetteer knows, by any name: it is not on the map."""
    return c.entity_type == _GPE and not any(is_place_name(m.name) for m in ms)


def _org_context(doc: Doc, m: _Mention) -> bool:
    before = doc[m.start - 1].lower_ if m.start > 0 else ""
    i = m.end
    if i < len(doc) and doc[i].text in _POSSESSIVES:
        i += 1
    after = doc[i].lower_ if i < len(doc) else ""
    return before in ORG_BEFORE or after in ORG_AFTER


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return len(letters) >= 2 and letters.isalnum() and letters.isupper()


def _untagged_short_forms(
    doc: Doc,
    resolved: dict[str, _Canonical],
    by_start: dict[int, _Mention],
    acronyms: dict[str, str],
) -> Iterable[_Mention]:
    """Untagged tokens equal to a known person's surname or given name (`Zhang said`), or to an acronym
    the article defined (`WHO officials`): mentions of that entity. Keyed by the entity's group root."""
    names: dict[str, str] = dict(acronyms)
    for root, c in resolved.items():
        words = c.name.split()
        if c.entity_type == _PERSON and len(words) > 1:
            names.setdefault(words[-1], root)
    for root, c in resolved.items():
        words = c.name.split()
        if c.entity_type == _PERSON and len(words) > 1:
            names.setdefault(words[0], root)
    names = {w: r for w, r in names.items() if len(w) > 1 and w[0].isupper() and w not in PLACE_SURNAMES}
    if not names:
        return
    n = len(doc)
    for tok in doc:
        found = names.get(tok.text)
        if found is None or tok.ent_iob_ != "O" or tok.i in by_start:
            continue
        if tok.pos_ not in ("PROPN", "NOUN") and tok.text not in acronyms:  # `WHO` may be tagged a pronoun
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < n else None
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title:
            continue  # `Zhang Wei`: another name that starts the same
        if prev is not None and prev.pos_ == "PROPN" and prev.is_title and prev.lower_ not in HONORIFICS:
            continue
        label = resolved[found].entity_type
        end_char = tok.idx + len(tok.text)
        yield _Mention(tok.i, tok.i + 1, tok.idx, end_char, tok.text, tok.text, entity_key(tok.text), label, found)


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NORP = "NORP"


def _geo_entities(clusters: dict[str, list[_Mention]], resolved: dict[str, _Canonical]) -> dict[str, Entity]:
    """Place groups resolved in the gazetteer (their id and name from it: `Britain` is `United Kingdom`),
    and demonyms with their country (`British` -> GB). Root -> the entity without its aliases."""
    names: dict[str, list[str]] = {}
    for root, c in resolved.items():
        if c.entity_type in _PLACE_LABELS:
            # the canonical name first, then the group's other names, longest first
            others = sorted({m.name for m in clusters[root]} - {c.name}, key=lambda n: -len(n))
            names[root] = [c.name, *others]
    out: dict[str, Entity] = {}
    peoples: dict[str, str] = {}
    for c in resolved.values():
        if c.entity_type == _NORP and (country := demonym_country(c.name)) is not None and country.country_code:
            peoples.setdefault(country.country_code, c.name)
    if names:
        matches = resolve_places([n for ns in names.values() for n in ns], peoples=peoples)
        for root, ns in names.items():
            match = next((matches[n] for n in ns if n in matches), None)
            if match is None:
                continue
            p = match.place
            eid = place_entity_id(p.geonames_id) if p.geonames_id is not None else entity_id(p.name, "GPE")
            out[root] = Entity(
                eid, p.name, resolved[root].entity_type, (), p.geonames_id, p.kind, p.country_code, p.admin1,
                p.latitude, p.longitude, match.confidence, match.evidence,
            )  # fmt: skip
    for root, c in resolved.items():
        if c.entity_type == _NORP and (country := demonym_country(c.name)) is not None:
            out[root] = Entity(
                entity_id(c.name, c.entity_type), c.name, c.entity_type, (), country.geonames_id,
                country_code=country.country_code, geo_confidence=1.0, geo_evidence=f"demonym of {country.name}",
            )  # fmt: skip
    return out


def _assemble(
    doc: Doc, article_id: str, clusters: dict[str, list[_Mention]], resolved: dict[str, _Canonical]
) -> ArticleEntities:
    sent_starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    entities: list[tuple[int, Entity]] = []
    records: list[EntityMention] = []
    by_key: dict[str, Entity] = {}
    geo = _geo_entities(clusters, resolved)
    for root, ms in clusters.items():
        c = resolved[root]
        found = geo.get(root)
        if found is not None:
            c = _Canonical(found.canonical_name, c.entity_type)
        if found is not None:
            eid = found.entity_id
        elif _unknown_place(c, ms):
            eid = name_entity_id(c.name)  # one identity with the same name read as an ORG or PERSON elsewhere
        else:
            eid = entity_id(c.name, c.entity_type)
        aliases = tuple(sorted({c.name, *(m.text for m in ms)}))
        ent = replace(found, aliases=aliases) if found is not None else Entity(eid, c.name, c.entity_type, aliases)
        entities.append((min(m.start for m in ms), ent))
        for alias in (*aliases, *(m.name for m in ms)):
            by_key.setdefault(entity_key(alias), ent)
        for m in ms:
            records.append(
                EntityMention(
                    mention_id=make_id(article_id, "mention", m.start_char, m.end_char),
                    article_id=article_id,
                    entity_id=eid,
                    text=m.text,
                    entity_type=c.entity_type,
                    sentence_index=bisect_right(sent_starts, m.start) - 1,
                    start_char=m.start_char,
                    end_char=m.end_char,
                    canonical_name=c.name,
                )
            )
    # Entities sharing a name and type (joined only through their id) are one entity.
    unique: dict[str, Entity] = {}
    for _, ent in sorted(entities, key=lambda p: p[0]):
        prev = unique.get(ent.entity_id)
        if prev is not None:  # `Britain` and `UK` both resolved to the United Kingdom, too
            ent = replace(prev, aliases=tuple(sorted({*prev.aliases, *ent.aliases})))
        unique[ent.entity_id] = ent
    for key, ent in list(by_key.items()):
        by_key[key] = unique[ent.entity_id]
    for ent in unique.values():
        words = ent.canonical_name.split()
        if ent.entity_type == _PERSON and len(words) > 1:
            by_key.setdefault(entity_key(words[-1]), ent)
            by_key.setdefault(entity_key(words[0]), ent)
    records.sort(key=lambda r: r.start_char)
    return ArticleEntities(tuple(unique.values()), tuple(records), by_key)
