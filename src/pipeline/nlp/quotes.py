"""Quotes: direct, reported and mixed speech with resolved speakers and titles.

Three passes over one parsed Doc, all driven by tokens and the dependency parse:

1. quotation marks are paired into quoted spans (paragraph-aware, nested marks of the other
   family ignored, an unclosed quote never runs past its paragraph);
2. reporting cues are found: a reporting verb with its content (ccomp, a to-infinitive after
   `urge`, the object of `highlight`, or the clause before `..., X said`), and `according to X`;
3. cues and spans are merged: content inside a quoted span is a direct quote, content holding a
   quoted fragment is mixed, the rest indirect; spans left over look for a cue beside them or
   continue the previous speaker.

Speakers are then resolved in reading order (pronouns need earlier speakers), surnames are mapped
to full names and titles carry over to the same person's later quotes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.ids import make_id
from pipeline.nlp.constants import (
    CLOSE_CONTEXT,
    CLOSING_QUOTES,
    DOUBLE_QUOTES,
    GROUP_PRONOUNS,
    HONORIFICS,
    LEADING_CONNECTIVES,
    NON_SPEAKER_SUBJECTS,
    OPEN_CONTEXT,
    OPENING_QUOTES,
    PERSON_PRONOUNS,
    SINGLE_QUOTES,
    SPEAKER_ENTITY_TYPES,
    THING_PRONOUNS,
    TITLE_CUES,
)
from pipeline.nlp.cues import (
    AS_CONTENT_VERBS,
    EVALUATION_REASON_PREPS,
    EVALUATION_VERBS,
    HEARER_OBJECT_VERBS,
    INVERTED_VERBS,
    OBJECT_ONLY_VERBS,
    OBJECT_REPORTING_VERBS,
    OPRD_CONTENT_VERBS,
    PARTICLE_REQUIRED,
    PREP_CONTENT,
    REPORTING_VERBS,
    SOURCE_NOUNS,
    SPEECH_NOUN_SOURCE_PREPS,
    SPEECH_NOUNS,
    WEAK_REPORTING_VERBS,
    XCOMP_NEEDS_PREP,
    XCOMP_REPORTING_VERBS,
)
from pipeline.nlp.entities import ArticleEntities
from pipeline.records import Entity, Quote

_QUOTE_CHARS = DOUBLE_QUOTES | SINGLE_QUOTES
_SENTENCE_END = frozenset({".", "?", "!"})
_MIN_CONTENT_WORDS = 3
_SPEECH_MIN_WORDS = 4  # a quoted span this long, or with a verb, reads as speech on its own
_PRONOUN_WINDOW = 5  # sentences a pronoun may look back for its antecedent
_TITLE_STOPWORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"})


# --------------------------------------------------------------------------- quotation marks


@dataclass
class _Span:
    """One quoted stretch: token indices of its marks and of its inner text (inclusive)."""

    open_i: int
    close_i: int | None  # None: never closed, cut at the end of its paragraph or sentence
    start: int
    end: int
    reopen: list[int] = field(default_factory=list)  # marks reopening it in a new paragraph
    kind: str = "speech"  # speech, fragment (short: needs a cue or a content clause), title
    used: bool = False

    @property
    def outer_end(self) -> int:
        return self.close_i if self.close_i is not None else self.end


def _mark_role(text: str, tok: Token) -> tuple[str, str] | None:
    """(family, open|close) of a quotation-mark token, from the characters beside it."""
    ch = tok.text
    if len(ch) != 1 or ch not in _QUOTE_CHARS:
        return None
    family = "double" if ch in DOUBLE_QUOTES else "single"
    # look past adjacent marks, so `'"` and `"'` at nested boundaries read right
    i = tok.idx - 1
    while i >= 0 and text[i] in _QUOTE_CHARS:
        i -= 1
    j = tok.idx + 1
    while j < len(text) and text[j] in _QUOTE_CHARS:
        j += 1
    before = text[i] if i >= 0 else " "
    after = text[j] if j < len(text) else " "
    left_bound = before.isspace() or before in OPEN_CONTEXT
    right_bound = after.isspace() or after in CLOSE_CONTEXT
    if left_bound and not right_bound:
        return family, "open"
    if right_bound and not left_bound:
        return family, "close"
    if ch in OPENING_QUOTES:
        return family, "open"
    if ch in CLOSING_QUOTES:
        return family, "close"
    return None


def _is_break(tok: Token) -> bool:
    return tok.is_space and "\n" in tok.text


def _last_real(doc: Doc, start: int, end: int) -> int:
    """Index of the last non-space token in doc[start:end+1], or start - 1 when none."""
    while end >= start and doc[end].is_space:
        end -= 1
    return end


def _pair_quotes(doc: Doc, text: str) -> list[_Span]:
    """Quoted spans in order. Odd marks are cut at their paragraph, never left to run on."""
    spans: list[_Span] = []
    open_i: int | None = None
    family = ""
    reopen: list[int] = []
    break_i: int | None = None  # paragraph break crossed while a quote is open

    def cut(end: int) -> None:
        # an unclosed single mark is more likely an apostrophe than a quote: drop it
        if open_i is not None and family == "double":
            last = _last_real(doc, open_i + 1, end)
            if last > open_i:
                spans.append(_Span(open_i, None, open_i + 1, last, list(reopen)))

    for tok in doc:
        if _is_break(tok):
            if open_i is not None and break_i is None:
                break_i = tok.i
            continue
        if tok.is_space:
            continue
        role = _mark_role(text, tok)
        if break_i is not None:
            # the first token of a new paragraph: a reopening mark continues the quote
            if family == "double" and role == ("double", "open"):
                reopen.append(tok.i)
                break_i = None
                continue
            cut(break_i - 1)
            open_i, break_i = None, None
        if role is None:
            continue
        fam, what = role
        if open_i is None:
            if what == "open":
                open_i, family, reopen = tok.i, fam, []
            continue  # a stray closing mark or an apostrophe
        if fam != family:
            continue  # nested quote of the other family
        if what == "close":
            if tok.i > open_i + 1:
                spans.append(_Span(open_i, tok.i, open_i + 1, tok.i - 1, list(reopen)))
            open_i = None
        elif family == "double" and tok.i > 0 and doc[tok.i - 1].text in _SENTENCE_END:
            # `... win-win. "Death and ...`: a quote running on into a new (flattened) paragraph
            reopen.append(tok.i)
        else:
            # a second opening mark: the first quote was never closed; end it with its last sentence
            last_open = reopen[-1] if reopen else open_i
            cut(min(doc[last_open].sent.end - 1, tok.i - 1))
            open_i, family, reopen = tok.i, fam, []
    if open_i is not None:
        cut(len(doc) - 1)
    return [s for s in spans if s.start <= s.end]


def _classify_span(doc: Doc, span: _Span) -> str:
    """speech, fragment or title: film titles, names and scare quotes are not quotes."""
    prev = [t for t in doc[max(0, span.open_i - 3) : span.open_i] if not t.is_space]
    if prev:
        last = prev[-1].lower_
        if last in TITLE_CUES or (last == "as" and len(prev) > 1 and prev[-2].lower_ == "known"):
            return "title"
    inner = doc[span.start : span.end + 1]
    words = [t for t in inner if t.is_alpha]
    if not words:
        return "title"
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in inner)
    has_clause = any(t.dep_ in ("nsubj", "nsubjpass") for t in inner)
    if len(words) <= 6 and not has_verb:
        # Title Case phrases are names of works, events and things
        caps = [w for w in words if w.lower_ not in _TITLE_STOPWORDS]
        if caps and all(w.text[0].isupper() for w in caps):
            return "title"
    if len(words) >= _SPEECH_MIN_WORDS or has_clause:
        return "speech"
    return "fragment"


# --------------------------------------------------------------------------- reporting cues


@dataclass
class _Cue:
    tok: Token
    lemma: str  # reporting verb lemma, or `according to`
    subject: Token | None
    content: tuple[int, int] | None  # inclusive token range
    own_subject: bool = True
    reasons: list[str] = field(default_factory=list)


def _trim(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Content range without edge punctuation, a leading `that` or a leading connective."""
    while a <= b and _droppable_lead(doc, a, b):
        a += 1
    while b >= a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    if a > b or sum(1 for t in doc[a : b + 1] if t.is_alpha) < _MIN_CONTENT_WORDS:
        return None
    return a, b


def _droppable_lead(doc: Doc, a: int, b: int) -> bool:
    t = doc[a]
    if t.is_punct or t.is_space or (t.dep_ == "mark" and t.lower_ == "that"):
        return True
    return t.lower_ in LEADING_CONNECTIVES and a < b and (doc[a + 1].text == "," or t.dep_ == "cc")


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _subject(tok: Token) -> tuple[Token | None, bool]:
    """The cue's nsubj, else the one of the verb it continues (`said ..., adding that`)."""
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    if subjects:
        # a misparse can give two; the one nearest the verb is the speaker (`..., said the report`)
        return min(subjects, key=lambda c: abs(c.i - tok.i)), True
    head = tok
    for _ in range(3):
        # only participles (`adding that`) and coordination (`and warned that`) share a subject;
        # an infinitive (`anything to suggest`, `hard to believe`) does not
        if not (head.dep_ == "conj" or (head.dep_ == "advcl" and head.tag_ == "VBG")) or head.head is head:
            break
        head = head.head
        subj = _child(head, "nsubj")
        if subj is not None:
            return subj, False
    return None, False


def _content(doc: Doc, tok: Token, lemma: str, subj: Token | None) -> tuple[int, int] | None:
    """The token range the cue reports, from the parse."""
    attribution = min(tok.i, subj.left_edge.i) if subj is not None and subj.i < tok.i else tok.i
    restricted = lemma in PARTICLE_REQUIRED and not PARTICLE_REQUIRED[lemma]  # `call`: only `call for / on`
    clause = None if restricted or lemma in OBJECT_ONLY_VERBS else _clause(tok)
    if clause is not None:
        end = clause.right_edge.i
        if clause.i < tok.i and tok.sent.start <= end < attribution:
            # `<content>, Gao added.`: the parse may hang the tail on the cue; the content runs to it,
            # or to the closing quotation mark before it (`...," a crestfallen Mr Lim grumbled`)
            marks = [t.i for t in doc[end + 1 : attribution] if t.text in _QUOTE_CHARS]
            end = marks[-1] if marks else attribution - 1
        if clause.i > tok.i:
            end = _run_on(tok, clause, end)
        return _trim(doc, clause.left_edge.i, end)
    if tok.dep_ == "advcl" and subj is not None and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        # `As many economists have pointed out, the bank is free to ...`: the main clause is the content
        return _as_content(doc, tok) if _child(tok, "dobj") is None else None
    if lemma in XCOMP_REPORTING_VERBS:
        rng = _xcomp_content(doc, tok, lemma)
        if rng is not None:
            return rng
    if lemma in OPRD_CONTENT_VERBS:
        rng = _oprd_content(doc, tok)
        if rng is not None:
            return rng
    if lemma in EVALUATION_VERBS:
        rng = _reason_content(doc, tok)
        if rng is not None:
            return rng
    if lemma in PREP_CONTENT:
        rng = _prep_content(doc, tok, PREP_CONTENT[lemma])
        if rng is not None or restricted:
            return rng
    if restricted:
        return None
    obj = _child(tok, "dobj")
    if obj is not None and obj.i > tok.i:
        if lemma in AS_CONTENT_VERBS:
            # `criticised the plan as "a costly mistake"`: the object and what it is called
            as_prep = next((c for c in (*tok.children, *obj.children) if c.dep_ == "prep" and c.lower_ == "as"), None)
            # what it is called must say something: `as a costly mistake`, not `as lobbyists`
            if as_prep is not None and sum(1 for t in as_prep.subtree if t.is_alpha) > 2:
                return _trim(doc, obj.left_edge.i, as_prep.right_edge.i)
        if lemma in OBJECT_REPORTING_VERBS:
            # `highlighted the need to ...`: only an object with its own complement is content
            if any(c.dep_ in ("acl", "prep", "relcl") for c in obj.children) and obj.pos_ in ("NOUN", "PROPN"):
                return _trim(doc, obj.left_edge.i, obj.right_edge.i)
            return None
    if (obj is not None and lemma not in HEARER_OBJECT_VERBS) or lemma not in INVERTED_VERBS:
        return None
    if tok.dep_ == "parataxis" and tok.head.i > tok.i and subj is not None:
        return _parenthetical(doc, tok, attribution)
    # inverted order: `<content>, said Roger Sheng, ...` or `<content>, he added.`
    if not (tok.dep_ in ("ROOT", "parataxis") or (tok.dep_ in ("ccomp", "conj") and tok.head.i < tok.i)):
        return None
    sent = tok.sent
    if attribution - 1 <= sent.start or doc[attribution - 1].text not in {",", *_QUOTE_CHARS}:
        return None
    rng = _trim(doc, sent.start, attribution - 1)
    if rng is None or not any(t.pos_ in ("VERB", "AUX") for t in doc[rng[0] : rng[1] + 1]):
        return None
    return rng


def _run_on(tok: Token, clause: Token, end: int) -> int:
    """`confirmed troops are on standby in case they need ...`: a misparse hangs the rest of the
    content on the cue as a nominal conjunct or a second clause; it still belongs to the content.
    A coordinated verb (`... and warned that`) or a participle (`adding that`) stops it."""
    for c in tok.rights:
        if c.i <= clause.i or c.is_punct or c.dep_ == "prep":
            continue  # a preposition between two pieces is bridged, one at the end (`in a statement`) is not
        if c.dep_ == "ccomp" or (c.dep_ == "conj" and c.pos_ not in ("VERB", "AUX")):
            end = max(end, c.right_edge.i)
            continue
        break
    return end


def _clause(tok: Token) -> Token | None:
    """The cue's content clause: the one after it when it has two (`...: Republicans said they ...`)."""
    clauses = [c for c in tok.children if c.dep_ == "ccomp"]
    after = [c for c in clauses if c.i > tok.i]
    return after[0] if after else (clauses[-1] if clauses else None)


def _xcomp_content(doc: Doc, tok: Token, lemma: str) -> tuple[int, int] | None:
    """`urged ... to eliminate` -> `eliminate ...`; `called on X to act` needs its `on`."""
    needs = XCOMP_NEEDS_PREP.get(lemma)
    if needs is not None and not any(c.dep_ == "prep" and c.lower_ in needs for c in tok.children):
        return None
    xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i), None)
    if xcomp is None and lemma in HEARER_OBJECT_VERBS and _child(tok, "dobj") is not None:
        # `tells his supporters at a rally to "go and vote"`: the parse may make the infinitive an advcl
        xcomp = next((c for c in tok.rights if c.dep_ == "advcl" and doc[c.left_edge.i].lower_ == "to"), None)
    if xcomp is None:
        return None
    a = xcomp.left_edge.i
    if doc[a].lower_ == "to":
        a += 1
    return _trim(doc, a, xcomp.right_edge.i)


def _oprd_content(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """`called the decision "a betrayal of families"`: the object and what it is called, not a name."""
    objects = [c for c in tok.rights if c.dep_ == "dobj"]
    obj = objects[0] if objects else None
    # the parse gives `branded the delay a betrayal` two objects: the second is the predicate
    oprd = _child(tok, "oprd") or (objects[1] if len(objects) > 1 else None)
    if obj is None or oprd is None or not tok.i < obj.i < oprd.i or oprd.pos_ == "PROPN":
        return None
    return _trim(doc, obj.left_edge.i, oprd.right_edge.i)


def _reason_content(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """`praised the nurses for their courage`: whom and why, together."""
    obj = _child(tok, "dobj")
    if obj is None or obj.i < tok.i:
        return None
    owners = (tok, obj)
    prep = next(
        (c for o in owners for c in o.children if c.dep_ == "prep" and c.lower_ in EVALUATION_REASON_PREPS), None
    )
    if prep is None or prep.i < obj.i:
        return None
    return _trim(doc, obj.left_edge.i, prep.right_edge.i)


def _as_content(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """The main clause around `as X said`: after it when it leads, before it when it trails."""
    main = tok.head
    a, b = tok.left_edge.i, tok.right_edge.i
    if a <= main.left_edge.i:
        return _trim(doc, b + 1, main.right_edge.i)
    if b >= main.right_edge.i - 1:
        return _trim(doc, main.left_edge.i, a - 1)
    return None


def _prep_content(doc: Doc, tok: Token, preps: frozenset[str]) -> tuple[int, int] | None:
    """`called for a full inquiry into ...`, `accused the bank of hiding ...`: the preposition's object."""
    obj = _child(tok, "dobj")
    owners = (tok, obj) if obj is not None else (tok,)
    prep = next((c for o in owners for c in o.children if c.dep_ == "prep" and c.lower_ in preps and c.i > tok.i), None)
    if prep is None:
        return None
    body = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not body:
        return None
    end = prep.right_edge.i
    # `spoke of her anger at the decision to ...`: the verb's later prepositions belong to the content
    for c in tok.rights:
        if c.i > end and c.dep_ == "prep" and doc[c.left_edge.i - 1].i == end:
            end = c.right_edge.i
    return _trim(doc, body[0].left_edge.i, end)


def _parenthetical(doc: Doc, tok: Token, attribution: int) -> tuple[int, int] | None:
    """`The museum, Mr. Obama said, would ...`: the whole clause around the attribution is the content."""
    main = tok.head
    a, b = main.left_edge.i, main.right_edge.i
    before = doc[attribution - 1] if attribution > a else None
    after = tok.right_edge.i  # the closing comma hangs on the cue or follows it
    after += doc[after].text != ","
    if before is None or before.text != "," or after >= b or doc[after].text != ",":
        return None
    if main.pos_ not in ("VERB", "AUX") or sum(1 for t in doc[a:attribution] if t.is_alpha) == 0:
        return None
    return _trim(doc, a, b)


def _speech_noun(doc: Doc, tok: Token) -> _Cue | None:
    """`his claim that ...`, `the ministry's statement that ...`, `a warning from X that ...`."""
    clause = next(
        (c for c in tok.children if c.dep_ in ("acl", "ccomp") and c.i > tok.i and _has_that(c)),
        None,
    )
    if clause is None:
        return None
    source = _child(tok, "poss")
    if source is None:
        # `a Daily Post report that ...`: a named source written before the noun
        source = next((c for c in tok.lefts if c.dep_ == "compound" and c.ent_type_ in SPEAKER_ENTITY_TYPES), None)
    if source is None:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in SPEECH_NOUN_SOURCE_PREPS), None)
        source = _child(prep, "pobj") if prep is not None else None
    if source is None:
        return None
    return _Cue(tok, tok.lemma_.lower(), source, _trim(doc, clause.left_edge.i, clause.right_edge.i))


def _has_that(clause: Token) -> bool:
    first = clause.doc[clause.left_edge.i]
    return first.lower_ == "that" and first.dep_ == "mark"


def _according_to(doc: Doc, tok: Token) -> _Cue | None:
    """`According to X, ...` / `..., according to X.`: X is the speaker, the rest the content."""
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    pobj = _child(to, "pobj")
    if pobj is None or not _is_source(pobj):
        return None
    sent = tok.sent
    phrase_end = pobj.right_edge.i
    real = [t.i for t in sent if not (t.is_punct or t.is_space)]
    if not real:
        return None
    if tok.i <= real[0]:
        rng = _trim(doc, phrase_end + 1, sent.end - 1)
    elif phrase_end >= real[-1]:
        rng = _trim(doc, sent.start, tok.i - 1)
    else:
        rng = _trim(doc, sent.start, sent.end - 1)
    return _Cue(tok, "according to", pobj, rng)


def _clip(doc: Doc, rng: tuple[int, int] | None, lo: int, hi: int) -> tuple[int, int] | None:
    """Reported content stays in the cue's paragraph (the parser's sentences may straddle two)."""
    if rng is None or (rng[0] >= lo and rng[1] <= hi):
        return rng
    return _trim(doc, max(rng[0], lo), min(rng[1], hi))


def _is_source(tok: Token) -> bool:
    """`according to the WHO / police / figures from X`, not `according to the laws of physics`."""
    if tok.pos_ in ("PROPN", "PRON") or tok.ent_type_ in SPEAKER_ENTITY_TYPES:
        return True
    if tok.lemma_.lower() in SOURCE_NOUNS:
        return True
    return any(t.ent_type_ in SPEAKER_ENTITY_TYPES for t in tok.subtree)


def _find_cues(doc: Doc, quoted: list[int], para: list[tuple[int, int]]) -> list[_Cue]:
    """Reporting cues outside quoted speech, with nested cues folded into their parent."""
    cues: list[_Cue] = []
    for tok in doc:
        if quoted[tok.i] >= 0:
            continue  # speech inside a quotation is the speaker's, not the reporter's
        if tok.lower_ == "according":
            cue = _according_to(doc, tok)
            if cue is not None:
                cue.content = _clip(doc, cue.content, *para[tok.i])
                cues.append(cue)
            continue
        if tok.pos_ == "NOUN":
            if tok.lemma_.lower() in SPEECH_NOUNS:
                cue = _speech_noun(doc, tok)
                if cue is not None:
                    cue.content = _clip(doc, cue.content, *para[tok.i])
                    cues.append(cue)
            continue
        if tok.pos_ != "VERB":
            continue
        lemma = tok.lemma_.lower()
        if lemma not in REPORTING_VERBS:
            continue
        particles = PARTICLE_REQUIRED.get(lemma)
        if particles and not any(c.dep_ == "prt" and c.lower_ in particles for c in tok.children):
            continue
        subj, own = _subject(tok)
        content = _clip(doc, _content(doc, tok, lemma, subj), *para[tok.i])
        if content is not None and content[1] < tok.i:
            content = _two_sentences(doc, tok, content, para[tok.i])
        cues.append(_Cue(tok, lemma, subj, content, own))
    return _fold_nested(doc, cues)


def _two_sentences(doc: Doc, tok: Token, rng: tuple[int, int], para: tuple[int, int]) -> tuple[int, int]:
    """`S1. S2, the minister said.` as a whole paragraph: the attribution closing it covers both sentences.

    Only when the paragraph is exactly those two sentences and the first has no speech of its own
    (no quotation mark, no cue word, not a question), so a background sentence before a quote is rare.
    """
    sent = tok.sent
    if rng[0] != sent.start or sent.start <= para[0] or _last_real(doc, sent.start, para[1]) >= sent.end:
        return rng
    prev = doc[sent.start - 1].sent
    if prev.start != _first_real(doc, para[0], para[1]):
        return rng
    last = _last_real(doc, prev.start, prev.end - 1)
    if last < prev.start or doc[last].text != ".":
        return rng
    for t in prev:
        if (
            t.text in _QUOTE_CHARS
            or t.lower_ == "according"
            or (t.pos_ == "VERB" and t.lemma_.lower() in REPORTING_VERBS)
        ):
            return rng
    return prev.start, rng[1]


def _first_real(doc: Doc, start: int, end: int) -> int:
    while start < end and doc[start].is_space:
        start += 1
    return start


def _fold_nested(doc: Doc, cues: list[_Cue]) -> list[_Cue]:
    """`He said he believed X`: one quote. `He said X, adding that Y`: two, Y from `he`."""
    dropped: set[int] = set()
    at = [c.tok.i for c in cues]  # cues are in token order (_find_cues): the ones inside a content, by bisect
    for outer in cues:
        if outer.content is None or outer.tok.i in dropped:
            continue
        a, b = outer.content
        for inner in cues[bisect_left(at, a) : bisect_right(at, b)]:  # a..b only narrows below
            if inner is outer or not (a <= inner.tok.i <= b):
                continue
            if inner.own_subject or inner.subject is None:
                # its own speaker inside the content, or no speaker at all (`more than promised`)
                dropped.add(inner.tok.i)
                continue
            # a subjectless continuation: cut it out of the outer content, give it the outer speaker
            cut = _trim(doc, a, inner.tok.left_edge.i - 1)
            outer.content = cut
            inner.subject = outer.subject
            if cut is None:
                break
            a, b = cut
    return [c for c in cues if c.tok.i not in dropped]


# --------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
    quote_type: str
    start: int  # inclusive token range of the quote text
    end: int
    cue: _Cue | None
    spans: list[_Span]
    reasons: list[str] = field(default_factory=list)
    anchor: int = 0  # token index (the speaker's, else the quote's) ordering speaker resolution


def _merge(doc: Doc, cues: list[_Cue], spans: list[_Span]) -> list[_Candidate]:
    """Cues with their content, typed by how quoted spans overlap it."""
    out: list[_Candidate] = []
    live = [s for s in spans if s.kind != "title"]
    live_ends = [s.end for s in live]  # quoted spans never overlap: in order of start and of end alike
    for cue in cues:
        if cue.content is None:
            continue
        a, b = cue.content
        k = bisect_left(live_ends, a)
        hits = []
        while k < len(live) and live[k].start <= b:
            hits.append(live[k])
            k += 1
        if not hits:
            out.append(_Candidate("indirect", a, b, cue, []))
            continue
        for s in hits:
            s.used = True
        if len(hits) == 1 and hits[0].start <= a and b <= hits[0].end:
            out.append(_Candidate("direct", hits[0].start, hits[0].end, cue, hits))
            continue
        lo = min(a, *(s.open_i for s in hits))
        hi = max(b, *(s.outer_end for s in hits))
        marks = {i for s in hits for i in range(s.open_i, s.outer_end + 1)}
        outside = [t for t in doc[lo : hi + 1] if t.i not in marks and t.is_alpha and t.dep_ != "mark"]
        if len(hits) == 1 and not outside:
            # `adding that "some advanced ..."`: the quotation is the whole content
            out.append(_Candidate("direct", hits[0].start, hits[0].end, cue, hits))
        else:
            out.append(_Candidate("mixed", lo, hi, cue, hits))
    by_tok = {c.tok.i: c for c in cues if c.lemma != "according to"}
    for s in live:
        if s.used:
            continue
        near = _adjacent_cue(doc, s, by_tok)
        if near is not None:
            out.append(_Candidate("direct", s.start, s.end, near, [s]))
        elif s.kind == "speech" and _starts_sentence(doc, s):
            out.append(_Candidate("direct", s.start, s.end, None, [s], ["no reporting verb"]))
    return out


def _starts_sentence(doc: Doc, span: _Span) -> bool:
    """An uncued quotation counts only when it stands as its own sentence, not mid-sentence."""
    i = span.open_i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i < 0 or _is_break(doc[i + 1]) or doc[i].text in _SENTENCE_END or doc[i].text == ":"


def _adjacent_cue(doc: Doc, span: _Span, by_tok: dict[int, _Cue]) -> _Cue | None:
    """A cue right after the closing mark (`," he said`) or before the opening (`said: "`)."""
    end = span.outer_end
    # the attribution may follow in what the parser took for a new sentence (`...?" the MP asked.`)
    nxt = end + 1
    tail = doc[nxt : doc[nxt].sent.end] if nxt < len(doc) and not _is_break(doc[nxt]) else doc[nxt:nxt]
    after = next((by_tok[t.i] for t in tail if t.i in by_tok), None)
    if after is None and doc[span.end].text in (",", "?", "!"):
        # `...," a crestfallen Mr Lim confided`: the comma keeps the slot for any verb of saying
        verb = next((t for t in tail if t.pos_ == "VERB"), None)
        subj = _child(verb, "nsubj") if verb is not None else None
        if verb is not None and subj is not None:
            after = _Cue(verb, verb.lemma_.lower(), subj, None)
    if after is not None and all(_attribution_word(t, after) for t in doc[end + 1 : after.tok.i]):
        return after
    start = doc[span.open_i].sent.start
    before = [t for t in doc[start : span.open_i] if not t.is_space]
    if not before or before[-1].text not in (":", ","):
        return None
    cue = next((by_tok[t.i] for t in reversed(before) if t.i in by_tok), None)
    if cue is None:
        return None
    content = {t.i for c in cue.tok.children if c.dep_ == "ccomp" for t in c.subtree}
    between = doc[cue.tok.i + 1 : span.open_i]
    if all(t.is_punct or t.is_space or (t.i not in content and t.head.i >= cue.tok.i) for t in between):
        return cue
    return None


def _attribution_word(tok: Token, cue: _Cue) -> bool:
    """Between a closing mark and its cue only the speaker may stand: `," the chief executive said`."""
    if tok.is_punct or tok.is_space:
        return True
    # a dependent of the cue's own clause (its subject, an adverb, a misparsed adjective)
    for _ in range(6):
        if tok.dep_ in ("ccomp", "advcl", "conj", "parataxis", "relcl") or tok.head is tok:
            return False
        tok = tok.head
        if tok.i == cue.tok.i:
            return True
    return False


# --------------------------------------------------------------------------- speakers and titles


@dataclass(frozen=True)
class _Speaker:
    text: str | None
    entity: Entity | None
    title: str | None = None
    org_id: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass
class _Resolver:
    """Speaker resolution over one article, in reading order."""

    doc: Doc
    entities: ArticleEntities
    sent_of: list[int]
    quoted: list[int]
    # (token index, entity, is_group) of earlier speakers and PERSON/ORG subjects
    # (None: a speaker described, not named, such as `officials`, so `they` does not skip back past it)
    history: list[tuple[int, Entity | None, bool]] = field(default_factory=list)
    titles: list[tuple[int, str, str, str | None]] = field(default_factory=list)  # token, eid, title, org
    _by_token: dict[str, list[Entity]] = field(default_factory=dict)
    text: str = ""  # doc.text, which spaCy rebuilds from the tokens on every access
    _orgs: list[Span] = field(default_factory=list)  # ORG entities in order, and their first tokens
    _org_starts: list[int] = field(default_factory=list)
    # Indexes so that a long article's lookups stay local, not scans of the whole article:
    _history_by_sent: dict[int, list[tuple[int, Entity | None, bool]]] = field(default_factory=dict)  # history
    _roles: dict[str, set[str]] = field(default_factory=dict)  # role word of a person's title -> entity ids
    _titles_by_eid: dict[str, list[tuple[int, str, str, str | None]]] = field(default_factory=dict)  # titles
    _mention_starts: dict[str, list[int]] = field(default_factory=dict)  # entity id -> its mentions' offsets

    def __post_init__(self) -> None:
        # doc.ents is rebuilt over the whole Doc on every access: read once, searched by bisect
        self._orgs = [e for e in self.doc.ents if e.label_ == "ORG"]
        self._org_starts = [e.start for e in self._orgs]
        for m in sorted(self.entities.mentions, key=lambda m: m.start_char):
            self._mention_starts.setdefault(m.entity_id, []).append(m.start_char)
        # surname (or East Asian family name) -> multi-token PERSON entities carrying it
        for e in self.entities.entities:
            parts = e.canonical_name.split()
            if e.entity_type == "PERSON" and len(parts) > 1:
                self._by_token.setdefault(parts[-1], []).append(e)
                self._by_token.setdefault(parts[0], []).append(e)
        for ent in self.doc.ents:
            if ent.label_ not in SPEAKER_ENTITY_TYPES or self.quoted[ent.start] >= 0:
                continue
            resolved = self.entity_for(ent.root)
            if resolved is None:
                continue
            if ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.dep_ == "ROOT":
                # main-clause subjects only: `caused Santini to quit` does not make Santini the topic
                self._add_history(ent.start, resolved, ent.label_ != "PERSON")
            if ent.label_ == "PERSON":
                title = self.title_of(ent.root, ent.start)
                if title is not None:
                    self._add_title(ent.start, resolved.entity_id, title[0], title[1])
                    for word in title[0].lower().split():
                        self._roles.setdefault(word.strip(",.'’"), set()).add(resolved.entity_id)

    def entity_for(self, head: Token) -> Entity | None:
        """The article entity a name token belongs to; a bare surname maps to the full name."""
        m = self.entities.mention_at(head.idx, head.idx + len(head.text))
        ent = self.entities.entity(m.entity_id) if m is not None else None
        if ent is None and head.pos_ == "PROPN":
            ent = self.entities.lookup(head.text)
        if head.pos_ == "PROPN" and (ent is None or len(ent.canonical_name.split()) == 1):
            ent = self._full_name(head.text, head.idx) or ent
        return ent

    def _full_name(self, name: str, pos: int) -> Entity | None:
        cands = self._by_token.get(name, [])
        if len({e.entity_id for e in cands}) == 1:
            return cands[0]
        if cands:
            # several people share it: the one mentioned last before this point
            ids = {e.entity_id: e for e in cands}
            last = {eid: self._last_mention_before(eid, pos) for eid in ids}
            best = max((eid for eid in ids if last[eid] >= 0), key=lambda eid: last[eid], default=None)
            return ids[best] if best is not None else None
        return None

    def _last_mention_before(self, eid: str, pos: int) -> int:
        """Start offset of the entity's last mention before `pos`, or -1."""
        starts = self._mention_starts.get(eid, [])
        k = bisect_left(starts, pos)
        return starts[k - 1] if k > 0 else -1

    def title_of(self, head: Token, name_start: int) -> tuple[str, str | None] | None:
        """Role and affiliation as written: apposition, `who is ...`, or a title before the name."""
        doc = self.doc
        appos = [c for c in head.children if c.dep_ == "appos" and c.ent_type_ != "PERSON"]
        if appos:
            return self._title_span(min(c.left_edge.i for c in appos), max(c.right_edge.i for c in appos))
        for rel in head.children:
            if rel.dep_ == "relcl" and rel.lemma_ == "be":
                attr = _child(rel, "attr")
                who = _child(rel, "nsubj")
                if attr is not None and who is not None and who.lower_ in ("who", "that"):
                    return self._title_span(attr.left_edge.i, attr.right_edge.i)
        a = head.left_edge.i
        while a < name_start and (doc[a].dep_ in ("det", "poss", "case") or doc[a].lower_ in HONORIFICS):
            a += 1
        b = name_start - 1
        while b >= a and (doc[b].lower_ in HONORIFICS or doc[b].is_punct):
            b -= 1  # `MAB spokesman Dr Azzam Tamimi`: the honorific goes with the name
        # a title names a role: `Chief economist`, not `a crestfallen`
        if any(t.pos_ in ("NOUN", "PROPN") and t.ent_type_ != "PERSON" for t in doc[a : b + 1]):
            return self._title_span(a, b)
        return None

    def _title_span(self, a: int, b: int) -> tuple[str, str | None] | None:
        rng = _strip_punct(self.doc, a, b)
        if rng is None or not any(t.pos_ in ("NOUN", "PROPN") for t in self.doc[rng[0] : rng[1] + 1]):
            return None  # `Redknapp, 57, said`: an age is not a title
        start, end = self.doc[rng[0]].idx, _end_char(self.doc[rng[1]])
        org = self._org_within(rng[0], rng[1])
        org_id = None
        if org is not None:
            m = self.entities.mention_at(org.start_char, org.end_char)
            org_id = m.entity_id if m is not None else None
        return self.text[start:end], org_id

    def _org_within(self, a: int, b: int) -> Span | None:
        """The first ORG entity wholly inside tokens a..b (inclusive)."""
        k = bisect_left(self._org_starts, a)
        while k < len(self._orgs) and self._orgs[k].start <= b:
            if self._orgs[k].end - 1 <= b:
                return self._orgs[k]
            k += 1
        return None

    def carried_title(self, eid: str, pos: int) -> tuple[str, str | None] | None:
        titles = self._titles_by_eid.get(eid, [])
        best = max((t for t in titles if t[0] <= pos), key=lambda t: t[0], default=None)
        return (best[2], best[3]) if best is not None else None

    def resolve(self, subj: Token) -> _Speaker | None:
        """Speaker of a cue from its subject token; None when the subject cannot speak."""
        doc = self.doc
        if subj.lower_ in ("who", "that") and subj.head.dep_ == "relcl":
            subj = subj.head.head  # `Zhang, who said ...`
        low = subj.lower_
        if low in PERSON_PRONOUNS or low in GROUP_PRONOUNS or low in THING_PRONOUNS:
            return self._pronoun(subj)
        if low in NON_SPEAKER_SUBJECTS:
            return None
        # `the chancellor, Gordon Brown, said`: the name is the apposition
        named = next((c for c in subj.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
        if named is not None and subj.ent_type_ != "PERSON":
            rng = _strip_punct(doc, subj.left_edge.i, subj.i)
            title = self._title_span(rng[0], rng[1]) if rng is not None else None
            head = named
        else:
            title = None
            head = subj
        a, b = _noun_phrase(head)
        name_start = a
        if head.ent_type_:
            # the name proper starts where the entity does; words before it are a title
            name_start = next((t.i for t in doc[a : head.i + 1] if t.ent_type_ == head.ent_type_), a)
        ent = self.entity_for(head) if head.pos_ in ("PROPN", "NOUN") else None
        if ent is not None and ent.entity_type not in SPEAKER_ENTITY_TYPES:
            ent = None
        described = ent is None and named is None and self._described(head) is not None
        if described:
            ent = self._described(head)
        text_start = name_start if name_start > a and not _only_honorifics(doc, a, name_start) else a
        text = self.text[doc[text_start].idx : _end_char(doc[b])]
        if title is None and ent is not None and ent.entity_type == "PERSON":
            title = self.title_of(head, name_start)
        if title is None and described and ent is not None:
            # the person's title as the article writes it, even when the name comes later
            titles = self._titles_by_eid.get(ent.entity_id, [])
            near = min(titles, key=lambda t: abs(t[0] - head.i), default=None)
            title = (near[2], near[3]) if near is not None else None
        reasons: tuple[str, ...] = ("speaker from description",) if described else ()
        org_id: str | None = None
        if ent is None:
            reasons = ("speaker unresolved",)
            org = self._org_within(a, b)
            if org is not None:
                m = self.entities.mention_at(org.start_char, org.end_char)
                org_id = m.entity_id if m is not None else None
        elif ent.entity_type != "PERSON":
            org_id = ent.entity_id if ent.entity_type == "ORG" else None
        if title is not None:
            org_id = title[1] or org_id
        return _Speaker(text, ent, title[0] if title else None, org_id, reasons)

    def _described(self, head: Token) -> Entity | None:
        """`the chief executive` -> the one person the article gives that title, before or after."""
        if head.pos_ != "NOUN" or head.tag_ != "NN" or _child(head, "poss") is not None:
            return None
        det = _child(head, "det")
        if det is None or det.lower_ != "the":
            return None
        eids = self._roles.get(head.lower_, set())
        return self.entities.entity(next(iter(eids))) if len(eids) == 1 else None

    def _pronoun(self, subj: Token) -> _Speaker:
        group = subj.lower_ not in PERSON_PRONOUNS
        floor_sent = self.sent_of[subj.i] - _PRONOUN_WINDOW
        best: Entity | None = None
        best_pos = -1
        for sent in range(max(floor_sent, 0), self.sent_of[subj.i] + 1):  # the window's history only
            for pos, ent, is_group in self._history_by_sent.get(sent, []):
                if best_pos < pos < subj.i and is_group == group:
                    best, best_pos = ent, pos
        if best is None:
            return _Speaker(subj.text, None, reasons=("speaker unresolved",))
        org_id = best.entity_id if best.entity_type == "ORG" else None
        return _Speaker(subj.text, best, org_id=org_id, reasons=("speaker from pronoun",))

    def remember(self, pos: int, speaker: _Speaker) -> None:
        tok = self.doc[pos]
        if speaker.entity is None and tok.tag_ in ("NNS", "NNPS") and tok.lower_ not in GROUP_PRONOUNS:
            # `Officials said ... They said ...`: `they` is the officials, not an organisation named before
            self._add_history(pos, None, True)
        if speaker.entity is not None:
            self._add_history(pos, speaker.entity, speaker.entity.entity_type != "PERSON")
            if speaker.title is not None:
                self._add_title(pos, speaker.entity.entity_id, speaker.title, speaker.org_id)

    def _add_history(self, pos: int, ent: Entity | None, is_group: bool) -> None:
        self.history.append((pos, ent, is_group))
        self._history_by_sent.setdefault(self.sent_of[pos], []).append((pos, ent, is_group))

    def _add_title(self, pos: int, eid: str, title: str, org_id: str | None) -> None:
        self.titles.append((pos, eid, title, org_id))
        self._titles_by_eid.setdefault(eid, []).append((pos, eid, title, org_id))


def _noun_phrase(head: Token) -> tuple[int, int]:
    """The speaker as written: the head with its modifiers, without appositions or clauses."""
    a = head.left_edge.i
    while a < head.i and (head.doc[a].is_punct or head.doc[a].is_space):
        a += 1
    b = head.i
    keep = ("compound", "prep", "nmod", "amod", "nummod", "flat") + (() if head.dep_ == "poss" else ("case",))
    for c in head.rights:
        if c.dep_ in keep:  # a possessor is written without its `'s`: `Trump's claim` -> `Trump`
            b = c.right_edge.i
        else:
            break
    return a, b


def _only_honorifics(doc: Doc, a: int, b: int) -> bool:
    return all(t.lower_ in HONORIFICS or t.dep_ == "det" for t in doc[a:b])


def _strip_punct(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    while a <= b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    while b >= a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    return (a, b) if a <= b else None


def _end_char(tok: Token) -> int:
    return tok.idx + len(tok.text)


# --------------------------------------------------------------------------- records


def _quote_text(doc: Doc, body: str, cand: _Candidate) -> tuple[str, int, int]:
    """Text and offsets; a direct quote drops its trailing comma and paragraph reopening marks."""
    start, end = cand.start, cand.end
    if cand.quote_type == "direct":
        while end > start and (doc[end].text in (",", ":", ";") or doc[end].is_space):
            end -= 1
    start_char, end_char = doc[start].idx, _end_char(doc[end])
    skip = {doc[i].idx for s in cand.spans for i in s.reopen}
    text = "".join(ch for k, ch in enumerate(body[start_char:end_char], start_char) if k not in skip)
    return " ".join(text.split()), start_char, end_char


def _paragraphs(doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    """Paragraph number of every token, and the (first, last) token of its paragraph."""
    number = [0] * len(doc)
    bounds: list[tuple[int, int]] = []
    start = 0
    for tok in doc:
        number[tok.i] = len(bounds)
        if _is_break(tok) or tok.i == len(doc) - 1:
            bounds.append((start, tok.i))
            start = tok.i + 1
    return number, [bounds[n] for n in number]


def extract_quotes(doc: Doc, article_id: str, entities: ArticleEntities) -> list[Quote]:
    """Direct, indirect and mixed quotes in `doc`, each with its speaker, title and confidence."""
    if len(doc) == 0:
        return []
    sent_of = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = n
    text = doc.text  # spaCy rebuilds it from the tokens on every access: read it once
    para_of, para = _paragraphs(doc)
    spans = _pair_quotes(doc, text)
    quoted = [-1] * len(doc)  # index of the speech span a token lies in
    for k, s in enumerate(spans):
        s.kind = _classify_span(doc, s)
        if s.kind != "title":
            for i in range(s.open_i, s.outer_end + 1):
                quoted[i] = k
    cues = _find_cues(doc, quoted, para)
    cands = _merge(doc, cues, spans)
    resolver = _Resolver(doc, entities, sent_of, quoted, text=text)
    for c in cands:
        subj = c.cue.subject if c.cue is not None else None
        c.anchor = subj.i if subj is not None else c.start
    cands.sort(key=lambda c: c.anchor)

    quotes: dict[tuple[int, int], Quote] = {}
    last: tuple[_Speaker, int] | None = None  # previous speaker and the paragraph of their quote
    for c in cands:
        speaker = _speaker_for(c, resolver, last, para_of)
        if speaker is None:
            continue
        if speaker.text is not None and c.cue is not None:
            resolver.remember(c.anchor, speaker)
        if speaker.entity is not None or speaker.text is not None:
            last = (speaker, para_of[c.end])
        q = _record(doc, article_id, c, speaker, resolver, sent_of)
        quotes.setdefault((q.start_char, q.end_char), q)
    return sorted(quotes.values(), key=lambda q: q.start_char)


def _speaker_for(
    c: _Candidate, resolver: _Resolver, last: tuple[_Speaker, int] | None, para_of: list[int]
) -> _Speaker | None:
    """The candidate's speaker; None drops it (reported content nobody can be said to have said)."""
    if c.cue is None:
        # a quotation with no cue continues the previous speaker in the same or the next paragraph
        if last is not None and para_of[c.start] - last[1] <= 1:
            return last[0]
        return _Speaker(None, None, reasons=("speaker unresolved",))
    if c.cue.subject is None:
        return None if c.quote_type == "indirect" else _Speaker(None, None, reasons=("no speaker",))
    speaker = resolver.resolve(c.cue.subject)
    if speaker is None or (
        (speaker.text or "").lower() in THING_PRONOUNS and (speaker.entity is None or not c.cue.own_subject)
    ):
        return None if c.quote_type == "indirect" else _Speaker(None, None, reasons=("no speaker",))
    return speaker


def _record(
    doc: Doc, article_id: str, c: _Candidate, speaker: _Speaker, resolver: _Resolver, sent_of: list[int]
) -> Quote:
    text, start_char, end_char = _quote_text(doc, resolver.text, c)
    ent = speaker.entity
    title, org_id = speaker.title, speaker.org_id
    if title is None and ent is not None and ent.entity_type == "PERSON":
        carried = resolver.carried_title(ent.entity_id, c.anchor)
        if carried is not None:
            title, org_id = carried[0], carried[1] or org_id
    reasons = list(c.reasons) + list(speaker.reasons)
    if any(s.close_i is None for s in c.spans):
        reasons.append("unbalanced quotation marks")
    if c.cue is not None and c.cue.lemma in WEAK_REPORTING_VERBS:
        reasons.append("weak reporting verb")
    return Quote(
        quote_id=make_id(article_id, "quote", start_char, end_char),
        article_id=article_id,
        quote_type=c.quote_type,
        quote_text=text,
        cue=c.cue.lemma if c.cue is not None else None,
        speaker_text=speaker.text,
        speaker_entity_id=ent.entity_id if ent is not None else None,
        speaker_name=ent.canonical_name if ent is not None else None,
        speaker_title=title,
        speaker_org_entity_id=org_id,
        sentence_index=sent_of[c.start],
        start_char=start_char,
        end_char=end_char,
        confidence=_confidence(reasons),
        confidence_reason="; ".join(dict.fromkeys(reasons)) or None,
    )


_PENALTY = {
    "no reporting verb": 0.6,
    "no speaker": 0.5,
    "speaker unresolved": 0.7,
    "speaker from pronoun": 0.9,
    "speaker from description": 0.9,
    "unbalanced quotation marks": 0.5,
    "weak reporting verb": 0.85,
}


def _confidence(reasons: list[str]) -> float:
    score = 1.0
    for r in dict.fromkeys(reasons):
        score *= _PENALTY.get(r, 1.0)
    return round(score, 2)
