"""Metrics: reported figures with value, unit, qualifier, period and subject.

How a figure is read (conventions the warehouse relies on):

- `value` is fully scaled (`1.8 trillion` = 1.8e12). Minor currency units are converted (`12.5p` = 0.125 GBP).
- Sign: a figure that is the size of a fall (`down 3%`, `fell 3%`, `dropped by $2bn`, `a 3% fall in`) is
  negative; a level reached (`fell to 3%`) is positive. A bracketed restatement in another currency or
  unit (`1.8 trillion yuan ($253.3 billion)`) is its own metric whose `equivalent_of` is the first
  figure's id; it is never negative and takes the first figure's qualifier, period and subject.
- Qualifier and bounds are on the signed value: `=` sets both bounds to the value, `>`/`>=` the lower
  bound, `<`/`<=` the upper bound. `~` (about, nearly, ...) leaves both bounds null: an approximate figure
  has no known bound. A range (`2-3 million`, `between 5 and 7 percent`) is `~` with value = midpoint
  and both bounds set. Vague plurals (`dozens of`) are `>=` their floor (24).
  A qualifier on a fall flips: `fell more than 3%` is value -3 with qualifier `<`.
- Fractions of a whole (`a third of staff`) are percentages (33.33 %).
- `unit`: ISO 4217 code for money; `%` for percent, `pp` for percentage points (basis points are converted:
  `52bp` = 0.52 pp, raw_text as written);
  the normalised unit for quantities (`tonnes`, `GW`); the counted noun as written for counts.
- `period` is the date expression attached to the figure's clause, without a leading `the`;
  period_start/end resolve it (relative ones against `published_at`). Fiscal years stay unresolved
  because fiscal calendars differ by company.
- Not metrics: bare numbers without unit, currency or counted noun (years, ages, scores, list numbers),
  ordinals, durations (`five years`, `Five-Year Plan`), labels (`Article 5`, `Boeing 737`), times,
  digit sequences such as phone numbers, and referential counts (`the two companies`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from spacy.tokens import Doc, Span, Token

from pipeline.ids import make_id
from pipeline.nlp import metric_words as W
from pipeline.nlp.entities import ArticleEntities
from pipeline.records import Metric

# One token holding a number, with an optional glued currency prefix and suffix: `$1.13bn`, `RMB5`, `12.5p`.
_NUMBER_TOKEN = re.compile(
    r"^(?P<sign>[-+−])?"
    r"(?P<cur>US\$|HK\$|AU?\$|CA?\$|S\$|NZ\$|NT\$|R\$|RMB|Rs\.?|\$|£|€|¥|₹|₩)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suf>[A-Za-z%]+)?$",
    re.IGNORECASE,
)
_SYMBOL_STARTS = frozenset("$£€¥₹₩+-−")
_MAX_INT_DIGITS = 15  # more digits before the point than any reported amount has (a quadrillion)
_START_WORDS = (
    frozenset(W.CURRENCY_PREFIXES)
    | frozenset(W.UNIT_WORDS)
    | frozenset(W.TENS_WORDS)
    | frozenset(W.VAGUE_PLURALS)
    | {"a", "an", "half", "us", "hk", "nz", "c", "s"}
)
_HALF_PERIOD_WORDS = frozenset({"first", "second", "the", "latter", "final", "last", "1st", "2nd"})
_RANGE_DASHES = frozenset({"-", "–", "—"})
_NOUNS = frozenset({"NOUN"})
_NAME_LABELS = frozenset(
    {"ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "FAC", "PERSON", "GPE", "NORP", "LOC", "LANGUAGE"}
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_LINK_POS = frozenset({"ADJ", "ADV", "ADP", "PART"})
_LINK_DEPS = frozenset({"acomp", "advmod", "prep", "npadvmod", "prt"})
_SUBJECT_PREPS = frozenset({"of", "in", "at"})
_RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whose"})


@dataclass(frozen=True)
class _Number:
    """One number as written: `1.13bn`, `five`, `a dozen`, `dozens`, `a third`."""

    value: float
    start: int
    end: int
    kind: str  # digits, words, vague, fraction
    scale: float = 1.0  # scale glued to the token (`600m`); already applied to value
    currency: str | None = None
    percent: bool = False
    unit: str | None = None
    negative: bool = False
    text: str = ""
    basis: bool = False  # `52bp`: basis points glued to the digits


@dataclass(frozen=True)
class _Figure:
    """A figure found in the text, before qualifier, sign, period and subject are settled."""

    start: int  # first token of the figure (currency or number)
    end: int  # one past the last token (unit or counted noun)
    value: float
    low: float | None
    high: float | None
    metric_type: str
    unit: str | None
    qualifier: str
    number: _Number
    is_range: bool = False
    scaled: bool = False
    noun: int | None = None  # counted noun or `of` object, token index
    negative: bool = False
    core_start: int = -1  # start before qualifier words were added: the parse is read from here

    def core(self, doc: Doc) -> Span:
        """The figure without its qualifier words: `1.8 trillion yuan` in `exceeding 1.8 trillion yuan`."""
        return doc[self.core_start if self.core_start >= 0 else self.start : self.end]


# --- Public entry point -----------------------------------------------------------------------------


def extract_metrics(
    doc: Doc, article_id: str, entities: ArticleEntities, published_at: datetime | None = None
) -> list[Metric]:
    """Every reported figure in `doc` as a Metric, in text order; restatements point to their original."""
    sent_index, sent_end, sents = _sentence_maps(doc)
    out: list[Metric] = []
    last_currency: tuple[int, str] | None = None  # (sentence, currency) of the latest money figure
    i = 0
    n = len(doc)
    while i < n:
        if not _may_start(doc[i]):
            i += 1
            continue
        limit = sent_end[i]
        fig = _read_figure(doc, i, limit)
        if fig is None or not _is_reported(doc, fig):
            i += 1
            continue
        fig = _merge_range(doc, fig, limit)
        s_no = sent_index[i]
        if fig.metric_type == "count" and fig.unit is None and last_currency and last_currency[0] == s_no:
            # `77m euros ..., up from 38m`: a bare amount after money in the same sentence is money
            fig = replace(fig, metric_type="money", unit=last_currency[1])
        if fig.metric_type == "money" and fig.unit is not None:
            last_currency = (s_no, fig.unit)
        sent = sents[s_no]
        fig = _settle_qualifier_and_sign(doc, fig, sent.start)
        metric = _to_metric(doc, fig, article_id, entities, published_at, sent, s_no, None)
        out.append(metric)
        i = fig.end
        if i < limit and doc[i].text == "(":
            i = _restatements(doc, fig, metric, i, limit, out)
    return out


def _restatements(doc: Doc, fig: _Figure, metric: Metric, i: int, limit: int, out: list[Metric]) -> int:
    """`1.8 trillion yuan ($253.3 billion)`, `77m euros (£53m; $100m)`: bracketed restatements.

    Appends them to `out` and returns the token index after the bracket; nothing when the bracket
    holds anything but figures of the same kind.
    """
    found: list[_Figure] = []
    j = i + 1
    while j < limit:
        eq = _read_figure(doc, j, limit)
        if eq is None or not _same_kind(fig, eq):
            return i
        found.append(_settle_qualifier_and_sign(doc, eq, j))
        j = eq.end
        if j < limit and doc[j].text in (";", ","):
            j += 1
            continue
        if j < limit and doc[j].text == ")":
            out.extend(_restatement(doc, eq, fig, metric) for eq in found)
            return j + 1
        return i
    return i


def _merge_range(doc: Doc, fig: _Figure, limit: int) -> _Figure:
    """`between 20% and 30%`, `a 3% to 3.5% rise`: two figures with one unit make a range."""
    if fig.is_range:
        return fig
    before, conn = _low(doc, fig.start - 1, limit), _low(doc, fig.end, limit)
    if not ((conn == "and" and before == "between") or (conn in ("to", "-", "–") and before in ("a", "an"))):
        return fig
    nxt = _read_figure(doc, fig.end + 1, limit)
    if nxt is None or nxt.is_range or (nxt.metric_type, nxt.unit) != (fig.metric_type, fig.unit):
        return fig
    lo, hi = fig.value, nxt.value
    if lo >= hi:
        return fig
    return replace(fig, end=nxt.end, value=(lo + hi) / 2, low=lo, high=hi, qualifier="~", is_range=True)


# --- Sentences ------------------------------------------------------------------------------------


def _sentence_maps(doc: Doc) -> tuple[list[int], list[int], list[Span]]:
    """Per token: sentence number and sentence end; plus the sentences."""
    sents = list(doc.sents)
    index = [0] * len(doc)
    ends = [0] * len(doc)
    for k, s in enumerate(sents):
        for t in range(s.start, s.end):
            index[t] = k
            ends[t] = s.end
    return index, ends, sents


def _low(doc: Doc, k: int, limit: int) -> str:
    """Lower-cased token text, or '' outside [0, limit): keeps look-ahead code free of bounds checks."""
    return doc[k].lower_ if 0 <= k < limit else ""


# --- Reading numbers --------------------------------------------------------------------------------


def _may_start(tok: Token) -> bool:
    """Cheap test run on every token: could a figure start here?"""
    text = tok.text
    return (
        tok.like_num
        or text[:1].isdigit()
        or text[:1] in _SYMBOL_STARTS
        or tok.lower_ in _START_WORDS
        or (len(text) > 1 and text[1:2].isdigit())  # `£5`, `€5m` glued
        or text[:3].lower() in ("us$", "hk$", "rmb")
    )


def _read_number(doc: Doc, j: int, limit: int) -> _Number | None:
    """The number written at token j, in digits or words."""
    if j >= limit:
        return None
    tok = doc[j]
    m = _NUMBER_TOKEN.match(tok.text)
    if m:
        return _digits_number(m, j)
    return _word_number(doc, j, limit)


def _digits_number(m: re.Match[str], j: int) -> _Number | None:
    raw = m["num"]
    if len(raw) > 1 and raw[0] == "0" and raw[1] != ".":
        return None  # `0800`: a code or phone number, not an amount
    digits = raw.replace(",", "")
    if len(digits.split(".")[0]) > _MAX_INT_DIGITS:
        return None  # a serial or account number; as a float it would overflow to inf once scaled
    value = float(digits)
    cur = W.CURRENCY_PREFIXES.get(m["cur"].lower()) if m["cur"] else None
    suf = (m["suf"] or "").lower()
    scale = 1.0
    percent = basis = False
    unit: str | None = None
    if suf:
        if suf in W.SCALE_SUFFIXES:
            scale = W.SCALES[suf]
        elif suf in ("%", "pc", "pct"):
            percent = True
        elif suf == "p" and cur is None:
            cur, value = "GBP", value / 100  # `12.5p`: pence
        elif suf in W.BASIS_POINT_WORDS and cur is None:
            basis = True
        elif suf in W.UNITS:
            unit = W.UNITS[suf]
        else:
            return None  # ordinals (`22nd`), times (`3pm`), decades (`1990s`), codes (`4G`)
    return _Number(
        value * scale,
        j,
        j + 1,
        "digits",
        scale=scale,
        currency=cur,
        percent=percent,
        unit=unit,
        negative=m["sign"] in ("-", "−"),
        text=raw,
        basis=basis,
    )


def _word_number(doc: Doc, j: int, limit: int) -> _Number | None:
    """`five`, `twenty-five`, `two hundred`, `a dozen`, `a million`, `half a million`, `dozens`, `a third`."""
    low = doc[j].lower_
    nxt = _low(doc, j + 1, limit)
    if low in W.VAGUE_PLURALS:
        return _Number(W.VAGUE_PLURALS[low], j, j + 1, "vague")
    if low in ("a", "an"):
        if nxt in W.SCALES and len(nxt) > 2:  # `a million`, never `a m`
            return _Number(1.0, j, j + 1, "words")
        if nxt == W.DOZEN:
            return _Number(12.0, j, j + 2, "words")
        if nxt in W.FRACTIONS and nxt != "half" and _low(doc, j + 2, limit) == "of":
            return _Number(W.FRACTIONS[nxt], j, j + 2, "fraction")
        return None
    if low == "half":
        if _low(doc, j - 1, limit) in _HALF_PERIOD_WORDS or doc[j].ent_type_ == "DATE":
            return None  # `the first half of 2025` is a period
        if nxt in ("a", "an") and _low(doc, j + 2, limit) in W.SCALES:
            return _Number(0.5, j, j + 2, "words")
        if nxt == "of":
            return _Number(0.5, j, j + 1, "fraction")
        return None
    if low in W.UNIT_WORDS:
        value = float(W.UNIT_WORDS[low])
    elif low in W.TENS_WORDS:
        value = float(W.TENS_WORDS[low])
    else:
        return None
    k = j + 1
    if low in W.TENS_WORDS and _low(doc, k, limit) in _RANGE_DASHES and _low(doc, k + 1, limit) in W.UNIT_WORDS:
        value += W.UNIT_WORDS[_low(doc, k + 1, limit)]
        k += 2
    if _low(doc, k, limit) == W.HUNDRED:
        value *= 100
        k += 1
    elif _low(doc, k, limit) == W.DOZEN:
        value *= 12
        k += 1
    # `two-thirds of`, `three quarters of`
    f = k + 1 if _low(doc, k, limit) in _RANGE_DASHES else k
    if _low(doc, f, limit) in W.FRACTIONS and _low(doc, f + 1, limit) == "of":
        return _Number(value * W.FRACTIONS[_low(doc, f, limit)], j, f + 1, "fraction")
    return _Number(value, j, k, "words")


def _currency_prefix(doc: Doc, i: int, limit: int) -> tuple[str | None, int]:
    """A currency written before the number as its own token(s): `$`, `US$`, `US` `$`, `RMB`, `EUR`."""
    if i >= limit:
        return None, i  # `rose from two to`: the text or sentence ends where a second number would be
    low = doc[i].lower_
    pair = (low, _low(doc, i + 1, limit))
    if pair in W.CURRENCY_PREFIX_PAIRS and not doc[i].whitespace_:
        return W.CURRENCY_PREFIX_PAIRS[pair], i + 2
    if low in W.CURRENCY_PREFIXES and not low.isdigit():
        return W.CURRENCY_PREFIXES[low], i + 1
    return None, i


def _read_figure(doc: Doc, i: int, limit: int) -> _Figure | None:
    """The figure starting at token i: currency, number or range, scale, then unit or counted noun."""
    currency, j = _currency_prefix(doc, i, limit)
    first = _read_number(doc, j, limit)
    if first is None:
        return None
    if currency is not None and first.kind not in ("digits", "words"):
        return None
    k = first.end
    second = _read_range_end(doc, i, first, k, limit)
    if second is not None:
        k = second.end
        first = _shared_hundred(doc, first, second)
    scale, k = _read_scale(doc, first, second, k, limit)
    low_value = first.value * (scale if first.scale == 1.0 else 1.0)
    if second is not None and first.scale == 1.0 and second.scale != 1.0:
        low_value = first.value * second.scale  # `2-3m`: the scale on the second applies to both
    high_value = second.value * (scale if second.scale == 1.0 else 1.0) if second is not None else None
    scaled = scale != 1.0 or first.scale != 1.0 or (second is not None and second.scale != 1.0)
    currency = currency or first.currency or (second.currency if second else None)
    percent = first.percent or (second.percent if second else False)
    unit = first.unit or (second.unit if second else None)
    if currency is None and (first.basis or (second is not None and second.basis)):
        high = high_value / 100 if high_value is not None else None  # `10-15bp`: the unit covers both
        return _make_figure(i, k, first, low_value / 100, high, "percent", W.PERCENTAGE_POINT_UNIT, scaled, None)
    if currency is None and not percent and unit is None:
        return _figure_with_unit(doc, i, first, low_value, high_value, scaled, k, limit)
    mtype = "money" if currency else "percent" if percent else "quantity"
    return _make_figure(i, k, first, low_value, high_value, mtype, currency or ("%" if percent else unit), scaled, None)


def _read_range_end(doc: Doc, i: int, first: _Number, k: int, limit: int) -> _Number | None:
    """The second number of `2-3`, `5 to 7` (bare numbers only) or `between 5 and 7`."""
    if first.kind not in ("digits", "words"):
        return None
    sep = _low(doc, k, limit)
    before = _low(doc, i - 1, limit)
    ok = sep in _RANGE_DASHES
    ok = ok or (sep == "to" and before != "from" and not (first.percent or first.currency or first.unit))
    ok = ok or (sep == "and" and before == "between")
    if not ok:
        return None
    _, j = _currency_prefix(doc, k + 1, limit)  # `$5m-$7m`
    second = _read_number(doc, j, limit)
    if second is None or second.kind not in ("digits", "words"):
        return None
    if first.value / first.scale >= second.value / second.scale:
        return None  # `won 3-1`, `a 2-1 decision`: ranges ascend, scores and votes need not
    return second


def _shared_hundred(doc: Doc, first: _Number, second: _Number) -> _Number:
    """`two to three hundred` is 200-300: a `hundred` ending the range covers a bare first number too."""
    if first.kind != "words" or second.kind != "words" or doc[second.end - 1].lower_ != W.HUNDRED:
        return first
    if any(t.lower_ == W.HUNDRED for t in doc[first.start : first.end]) or first.value * 100 >= second.value:
        return first  # `two hundred to three hundred`; `five to two hundred` stays 5-200
    return replace(first, value=first.value * 100)


def _read_scale(doc: Doc, first: _Number, second: _Number | None, k: int, limit: int) -> tuple[float, int]:
    """A scale word after the number(s): `million`, `bn`, or `m` glued in spelling but split by spaCy."""
    low = _low(doc, k, limit)
    if low.endswith(".") and low[:-1] in W.SCALE_SUFFIXES:
        low = low[:-1]  # `$500m.`: spaCy's tokenizer keeps `m.` as an abbreviation
    if low not in W.SCALES:
        return 1.0, k
    last = second or first
    if last.scale != 1.0:
        return 1.0, k
    if len(low) <= 3 and (last.kind != "digits" or doc[k - 1].whitespace_):
        return 1.0, k  # `m`/`bn` only right after digits: `600m`, not `five m`
    return W.SCALES[low], k + 1


def _figure_with_unit(
    doc: Doc,
    i: int,
    first: _Number,
    low_value: float,
    high_value: float | None,
    scaled: bool,
    k: int,
    limit: int,
) -> _Figure | None:
    """Unit written after the number: percent words, currency names, physical units or a counted noun."""
    a, b, c = _low(doc, k, limit), _low(doc, k + 1, limit), _low(doc, k + 2, limit)
    found: tuple[str, str, int] | None = None  # metric_type, unit, end
    if a in W.PERCENT_TOKENS:
        found = ("percent", "%", k + 1)
    elif (a, b) == ("per", "cent"):
        found = ("percent", "%", k + 2)
    elif a == "percentage" and b in ("point", "points"):
        found = ("percent", W.PERCENTAGE_POINT_UNIT, k + 2)
    elif (bp_end := _basis_point_end(doc, k, limit, scaled)) is not None:
        low_value /= 100  # a basis point is a hundredth of a percentage point
        high_value = high_value / 100 if high_value is not None else None
        found = ("percent", W.PERCENTAGE_POINT_UNIT, bp_end)
    elif (b, c) in W.CURRENCY_QUALIFIED and a in ("hong", "new", "south"):
        found = ("money", W.CURRENCY_QUALIFIED[(b, c)], k + 3)
    elif (a, b) in W.CURRENCY_QUALIFIED:
        found = ("money", W.CURRENCY_QUALIFIED[(a, b)], k + 2)
    elif a in W.CURRENCY_NAMES and doc[k].pos_ != "VERB":
        found = ("money", W.CURRENCY_NAMES[a], k + 1)
    elif a in W.MINOR_CURRENCY:
        low_value /= 100
        high_value = high_value / 100 if high_value is not None else None
        found = ("money", W.MINOR_CURRENCY[a], k + 1)
    elif (a, b) in W.UNIT_PAIRS:
        found = ("quantity", W.UNIT_PAIRS[(a, b)], k + 2)
    elif a in W.UNITS and a != "points":
        found = ("quantity", W.UNITS[a], k + 1)
    if found is not None:
        mtype, unit, end = found
        if mtype == "quantity":
            unit, end = _with_rate(doc, unit, end, limit)
        return _make_figure(i, end, first, low_value, high_value, mtype, unit, scaled, None)
    return _counted(doc, i, first, low_value, high_value, scaled, k, limit)


def _basis_point_end(doc: Doc, k: int, limit: int, scaled: bool) -> int | None:
    """One past `basis points`, `bp`, `bps` written after the number at k - 1; None when absent.

    Lower-case `bp` is also the oil company: never after a scale (`2 million bp shares`), nor when it
    modifies a noun other than a change (`300 bp shares`; but `a 25 bp rate cut`).
    """
    a, b = _low(doc, k, limit), _low(doc, k + 1, limit)
    if a == "basis" and b in W.POINT_WORDS:
        return k + 2
    if a not in W.BASIS_POINT_WORDS or scaled:
        return None
    nxt = doc[k + 1] if k + 1 < limit else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.lemma_.lower() not in W.BASIS_POINT_NOUNS:
        return None
    return k + 1


def _counted(
    doc: Doc,
    i: int,
    first: _Number,
    low_value: float,
    high_value: float | None,
    scaled: bool,
    k: int,
    limit: int,
) -> _Figure | None:
    """A count (`600 enterprises`, `dozens of firms`) or a fraction (`a third of staff`)."""
    if first.kind in ("vague", "fraction"):
        if _low(doc, k, limit) != "of":
            return None
        noun = _of_object(doc, k, limit)
        if noun is None or noun.pos_ == "PRON" or noun.lemma_ == "point":
            return None  # `half of it`; `a quarter of a point` is 0.25 pp, not 25 %
        if first.kind == "fraction":
            return _make_figure(i, k, first, low_value * 100, None, "percent", "%", False, noun.i)
        fig = _make_figure(i, noun.i + 1, first, low_value, None, "count", _counted_unit(noun), False, noun.i)
        return replace(fig, qualifier=">=", low=low_value)
    if _low(doc, k, limit) in _RANGE_DASHES:
        return None  # `five-year plan`, `a 300-page report`: a compound adjective
    noun = _counted_noun(doc, k, limit)
    if noun is None:
        if scaled:  # `rose to 5 million`: clearly a figure, even without its noun
            return _make_figure(i, k, first, low_value, high_value, "count", None, True, None)
        return None
    if noun.lower_ in W.UNITS and noun.lower_ != "points":
        unit = W.UNITS[noun.lower_]
        mtype = "quantity"
    else:
        unit, mtype = _counted_unit(noun), "count"
    unit, end = _with_rate(doc, unit, noun.i + 1, limit)
    return _make_figure(i, end, first, low_value, high_value, mtype, unit, scaled, noun.i)


def _counted_noun(doc: Doc, k: int, limit: int) -> Token | None:
    """The noun a number counts: its head when close after it (`600 new enterprises`), else the next noun."""
    if k >= limit:
        return None
    num = doc[k - 1]
    head = num.head
    if head.pos_ in _NOUNS and k <= head.i <= k + 3 and head.i < limit:
        while head.dep_ == "compound" and head.head.pos_ in _NOUNS and head.i < head.head.i < limit:
            head = head.head  # `90 journalist jobs` counts jobs
        return head if _countable(head) else None
    nxt = doc[k]
    if nxt.pos_ not in _NOUNS:
        return None
    if nxt.dep_ == "compound" and nxt.head.pos_ in _NOUNS and k < nxt.head.i <= k + 2:
        nxt = nxt.head
    return nxt if _countable(nxt) else None


def _counted_unit(noun: Token) -> str:
    """The counted noun as a unit: lower-case, except names (`Ethiopians`)."""
    return noun.text if noun.pos_ == "PROPN" or noun.ent_type_ == "NORP" else noun.lower_


def _countable(noun: Token) -> bool:
    low = noun.lower_
    return low not in W.TIME_NOUNS and low not in W.SCORE_NOUNS and noun.ent_type_ not in ("DATE", "TIME")


def _of_object(doc: Doc, k: int, limit: int) -> Token | None:
    """The noun after `of` in `dozens of firms`, `a third of its staff`."""
    for child in doc[k].children:
        if child.dep_ == "pobj" and child.i < limit:
            return child
    for t in range(k + 1, min(k + 5, limit)):
        if doc[t].pos_ in ("NOUN", "PROPN"):
            return doc[t]
    return None


def _with_rate(doc: Doc, unit: str, end: int, limit: int) -> tuple[str, int]:
    """`wafers per month`, `barrels a day`: the rate belongs to the unit."""
    if _low(doc, end, limit) in ("per", "a", "an") and _low(doc, end + 1, limit) in W.RATE_NOUNS:
        return f"{unit} per {_low(doc, end + 1, limit)}", end + 2
    return unit, end


def _make_figure(
    start: int,
    end: int,
    first: _Number,
    low_value: float,
    high_value: float | None,
    mtype: str,
    unit: str | None,
    scaled: bool,
    noun: int | None,
) -> _Figure:
    if high_value is not None:
        lo, hi = min(low_value, high_value), max(low_value, high_value)
        return _Figure(start, end, (lo + hi) / 2, lo, hi, mtype, unit, "~", first, True, scaled, noun)
    return _Figure(start, end, low_value, None, None, mtype, unit, "=", first, False, scaled, noun)


def _same_kind(a: _Figure, b: _Figure) -> bool:
    """A bracketed figure restates the first when both are money, or both physical/percent figures."""
    return a.metric_type == b.metric_type and b.metric_type in ("money", "quantity", "percent")


# --- Is it a reported figure? ----------------------------------------------------------------------


def _is_reported(doc: Doc, fig: _Figure) -> bool:
    """Filter out labels, years, ordinals, phone numbers, scores and referential counts."""
    num = fig.number
    tok = doc[num.start]
    prev = doc[fig.start - 1] if fig.start > 0 else None
    if fig.metric_type != "money" and prev is not None and prev.text in _RANGE_DASHES and not prev.whitespace_:
        return False  # `Covid-19`, `F-35`
    if _in_sequence(doc, fig):
        return False
    if fig.metric_type in ("count", "quantity"):
        if tok.ent_type_ in _NAME_LABELS:
            return False  # `Formula 1 cars`, a number inside a name
        if tok.ent_type_ in ("DATE", "TIME", "ORDINAL") and not fig.scaled:
            return False
        if num.kind == "digits" and not fig.scaled and _year_like(num.text):
            return False
        if prev is not None and (prev.lower_ in W.LABEL_NOUNS or prev.pos_ == "PROPN"):
            return False  # `Article 5`, `Boeing 737`
        if fig.metric_type == "count" and prev is not None and prev.lower_ in W.REFERENTIAL_DETERMINERS:
            return False  # `the two companies`: a reference, not a reported figure
        if num.kind == "words" and num.value == 1 and not fig.scaled:
            return False  # `one analyst`
        if fig.is_range and fig.noun is not None and doc[fig.noun].lower_ in W.SCORE_NOUNS:
            return False
    return True


def _in_sequence(doc: Doc, fig: _Figure) -> bool:
    """Digit groups side by side (`0800 123 4567`) are a phone or reference number."""
    after = doc[fig.number.end] if fig.number.end < len(doc) else None
    before = doc[fig.start - 1] if fig.start > 0 else None
    bare = fig.metric_type == "count" and fig.number.kind == "digits"
    if not bare:
        return False
    return any(t is not None and t.text[:1].isdigit() and t.like_num for t in (after, before))


def _year_like(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and 1800 <= int(raw) <= 2100


# --- Qualifier and sign -----------------------------------------------------------------------------


def _settle_qualifier_and_sign(doc: Doc, fig: _Figure, floor: int) -> _Figure:
    """Widen the figure over its qualifier words and fix the sign of falls."""
    start, end = fig.start, fig.end
    qualifier = fig.qualifier
    toks = [t for t in doc[max(floor, start - 5) : start] if not t.is_quote]  # about "27%
    lows = [t.lower_ for t in toks]
    if lows and lows[-1] == "between" and fig.is_range:
        start = toks[-1].i
    else:
        for phrase, q in W.QUALIFIER_PREFIXES:
            if len(lows) >= len(phrase) and tuple(lows[-len(phrase) :]) == phrase:
                qualifier, start = q, toks[-len(phrase)].i
                break
    tail = [t.lower_ for t in doc[end : min(end + 2, len(doc))]]
    for phrase, q in W.QUALIFIER_SUFFIXES:
        if tuple(tail[: len(phrase)]) == phrase:
            qualifier, end = q, end + len(phrase)
            break
    negative = fig.number.negative or _is_fall(doc, fig, start)
    value, low, high = fig.value, fig.low, fig.high
    if negative and value > 0:
        value = -value
        low, high = (-high if high is not None else None), (-low if low is not None else None)
        qualifier = W.FLIPPED_QUALIFIER[qualifier]
    if not fig.is_range:
        low, high = _bounds(qualifier, value)
    return replace(
        fig,
        start=start,
        end=end,
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        negative=negative,
        core_start=fig.start,
    )


def _bounds(qualifier: str, value: float) -> tuple[float | None, float | None]:
    if qualifier == "=":
        return value, value
    if qualifier in (">", ">="):
        return value, None
    if qualifier in ("<", "<="):
        return None, value
    return None, None


def _is_fall(doc: Doc, fig: _Figure, start: int) -> bool:
    """Is the figure the size of a fall (`down 3%`, `fell 3%`, `dropped by $2bn`, `a 3% fall`)?"""
    prev = doc[start - 1].lower_ if start > 0 else ""
    if prev == "down" or (prev == "by" and start > 1 and doc[start - 2].lower_ == "down"):
        return True
    root = fig.core(doc).root
    head, dep = root.head, root.dep_
    pct = fig.metric_type == "percent"
    falls = W.FALL_VERBS | W.FALL_VERBS_PERCENT if pct else W.FALL_VERBS
    if dep in ("dobj", "npadvmod", "advmod", "attr") and head.lemma_ in falls:
        return True
    if dep == "pobj" and head.lower_ == "by":
        return head.head.lemma_ in falls | W.FALL_BY_VERBS | W.FALL_NOUNS
    if dep == "pobj" and head.lower_ == "of":
        return head.head.lemma_ in W.FALL_NOUNS
    if dep not in ("nummod", "compound", "amod", "nmod") or head.i < fig.end:
        return False
    while head.dep_ == "compound" and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # `a 25 bp rate cut`, `a 3% price cut`: the change is the compound's head
    return head.lemma_ in W.FALL_NOUNS


# --- Building records -------------------------------------------------------------------------------


def _to_metric(
    doc: Doc,
    fig: _Figure,
    article_id: str,
    entities: ArticleEntities,
    published_at: datetime | None,
    sent: Span,
    sentence_index: int,
    equivalent_of: str | None,
) -> Metric:
    start_char, end_char = _char_range(doc, fig)
    subject = _subject(doc, fig)
    period = _period(doc, fig, sent)
    period_text = _period_text(period) if period is not None else None
    start_d, end_d = _period_dates(period_text, published_at) if period_text else (None, None)
    return Metric(
        metric_id=make_id(article_id, "metric", start_char, end_char),
        article_id=article_id,
        metric_type=fig.metric_type,
        raw_text=_raw_text(doc, fig, start_char, end_char),
        value=fig.value,
        unit=fig.unit,
        qualifier=fig.qualifier,
        lower_bound=fig.low,
        upper_bound=fig.high,
        period=period_text,
        period_start=start_d,
        period_end=end_d,
        subject=subject.text if subject is not None else None,
        subject_entity_id=_subject_entity(entities, subject),
        equivalent_of=equivalent_of,
        sentence_index=sentence_index,
        start_char=start_char,
        end_char=end_char,
    )


def _char_range(doc: Doc, fig: _Figure) -> tuple[int, int]:
    """Character offsets of the figure; a scale's abbreviation dot (`$500m.`) ends the sentence, not it."""
    last = doc[fig.end - 1]
    end = last.idx + len(last.text)
    if last.text.endswith(".") and (last.lower_[:-1] in W.SCALE_SUFFIXES or last.lower_[:-1] in W.BASIS_POINT_WORDS):
        end -= 1
    return doc[fig.start].idx, end


def _raw_text(doc: Doc, fig: _Figure, start_char: int, end_char: int) -> str:
    """`doc.text[start_char:end_char]` from the figure's own tokens: spaCy rebuilds `doc.text` from every
    token on each access, which made a long article's metrics quadratic."""
    return doc[fig.start : fig.end].text[: end_char - start_char]


def _restatement(doc: Doc, eq: _Figure, original: _Figure, first: Metric) -> Metric:
    """The bracketed figure: same qualifier, period and subject as the original, never negative."""
    value = abs(eq.value)
    qualifier = W.FLIPPED_QUALIFIER[original.qualifier] if original.negative else original.qualifier
    if eq.qualifier != "=" and not eq.is_range:
        qualifier = eq.qualifier if not eq.negative else W.FLIPPED_QUALIFIER[eq.qualifier]
    low: float | None
    high: float | None
    if eq.is_range and eq.low is not None and eq.high is not None:
        low, high = sorted((abs(eq.low), abs(eq.high)))
    else:
        low, high = _bounds(qualifier, value)
    start_char, end_char = _char_range(doc, eq)
    return replace(
        first,
        metric_id=make_id(first.article_id, "metric", start_char, end_char),
        metric_type=eq.metric_type,
        raw_text=_raw_text(doc, eq, start_char, end_char),
        value=value,
        unit=eq.unit,
        qualifier=qualifier,
        lower_bound=low,
        upper_bound=high,
        equivalent_of=first.metric_id,
        start_char=start_char,
        end_char=end_char,
    )


# --- Subject ------------------------------------------------------------------------------------------


def _subject(doc: Doc, fig: _Figure) -> Span | None:
    """The noun phrase the figure measures, from the dependency parse."""
    if fig.noun is not None and fig.number.kind == "fraction":
        return _noun_phrase(doc, doc[fig.noun], fig)  # `a third of its staff` measures the staff
    tok = fig.core(doc).root
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
        tok = tok.head
    head = tok.head
    if tok.dep_ == "pobj":
        prep, head = head, head.head
        if head.pos_ in ("NOUN", "PROPN") and prep.lower_ in ("of", "at", "worth"):
            return _measured_noun(doc, head, fig, modifier=False)  # `revenue of $3bn`
        tok = prep
    if tok.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod") and head.pos_ == "NOUN" and head.i >= fig.end:
        return _measured_noun(doc, head, fig, modifier=True)  # `a 3% rise in sales`, `a $5bn deal`
    return _clause_subject(doc, head, fig)


def _measured_noun(doc: Doc, noun: Token, fig: _Figure, modifier: bool) -> Span | None:
    """`a 3% rise in sales` measures `sales`; `revenue of $3bn` measures `revenue`."""
    if noun.lemma_ in W.CHANGE_NOUNS:
        for child in noun.rights:
            if child.dep_ == "prep" and child.lower_ in ("in", "of"):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and not fig.start <= obj.i < fig.end:
                    return _noun_phrase(doc, obj, fig)
        if modifier and noun.dep_ in ("dobj", "attr"):
            return _clause_subject(doc, noun.head, fig)  # `TimeWarner posted a 3% rise`
    return _noun_phrase(doc, noun, fig)


def _clause_subject(doc: Doc, head: Token, fig: _Figure) -> Span | None:
    """Climb from the figure's head to its verb, then take the verb's subject."""
    v = head
    for _ in range(6):  # short climbs only: a long one means the parse went astray
        if v.pos_ in _LINK_POS and v.dep_ in _LINK_DEPS:  # `was worth $5bn`, `up 3%`
            v = v.head
            continue
        subj = next((c for c in v.children if c.dep_ in _SUBJECT_DEPS), None)
        if subj is not None:
            if fig.start <= subj.i < fig.end:
                return None  # `10,000 jobs were lost`: the figure is itself the subject
            if subj.lower_ in _RELATIVE_PRONOUNS and v.dep_ == "relcl":
                return _noun_phrase(doc, v.head, fig)
            if subj.pos_ == "PRON":
                return None
            return _noun_phrase(doc, subj, fig)
        if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase(doc, v.head, fig)  # `with total industry sales exceeding ...`
        if v.dep_ in ("xcomp", "conj", "advcl", "pcomp") and v.head is not v:
            v = v.head
            continue
        break
    return None


def _noun_phrase(doc: Doc, noun: Token, fig: _Figure) -> Span | None:
    """The noun with its left modifiers and a short `of` phrase, without leading determiners."""
    if noun.pos_ == "PRON" or noun.like_num:
        return None
    start, end = noun.left_edge.i, noun.i + 1
    if start < fig.end <= noun.i:
        start = fig.end  # `a $5bn deal`: the figure is not part of what it measures
    if doc[start].text == "(":
        close = next((t.i for t in doc[start : noun.i] if t.text == ")"), None)
        start = close + 1 if close is not None else start  # `a £1.5m ($2.8m) bid`
    while start < noun.i and (doc[start].dep_ in ("det", "predet", "punct", "cc") or doc[start].is_punct):
        start += 1
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in _SUBJECT_PREPS and child.right_edge.i - noun.i <= 6:
            phrase = doc[child.i : child.right_edge.i + 1]
            if not (child.i <= fig.start < phrase.end) and not any(t.ent_type_ == "DATE" for t in phrase):
                end = phrase.end  # `sales of electric cars`, `shares in the miner`
            break
    return doc[start:end]


def _subject_entity(entities: ArticleEntities, subject: Span | None) -> str | None:
    """The entity the subject belongs to: `China's IC sector` -> China."""
    if subject is None:
        return None
    mention = entities.mention_at(subject.start_char, subject.end_char)
    return mention.entity_id if mention is not None else None


# --- Period -------------------------------------------------------------------------------------------

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_YEAR_RANGE = re.compile(r"\b(1[89]\d\d|20\d\d)\s*(?:-|–|to)\s*(\d{2}|\d{4})\b")
_FISCAL = re.compile(r"\b(fiscal|financial year|fy\s*\d|fy)\b")
_QUARTER = re.compile(r"\b(first|second|third|fourth|final|1st|2nd|3rd|4th)\s+quarter\b|\bq([1-4])\b")
_HALF = re.compile(r"\b(first|second)\s+half\b|\bh([12])\b")
_RELATIVE = re.compile(r"\b(last|previous|past|this|current|next|coming)\s+(year|quarter|month)\b")
_MONTH = re.compile(r"\b(" + "|".join(sorted(W.MONTHS, key=len, reverse=True)) + r")\b")
_DAY = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_DURATION = re.compile(
    r"^(?:the\s+)?(?:\d+|" + "|".join(W.UNIT_WORDS) + r"|a|several|few)[\s-]+"
    r"(?:years?|months?|weeks?|days?|decades?|quarters?|hours?)\b"
)
# Comparison bases (`a year earlier`), frequencies (`every year`) and vague spans are not the period.
_NOT_PERIOD = re.compile(
    r"\b(earlier|ago|every|each|since|recent)\b|^(more|less|over|about|nearly|almost|up to|at least|for)\b"
)
_NOT_PERIOD_PREPS = frozenset({"since", "until", "till", "before", "after", "on", "than", "with"})
# A date reached only through another clause (`..., which joined in 1935, owns 41 factories`) is not ours.
_CLAUSE_DEPS = frozenset({"relcl", "advcl", "ccomp", "parataxis"})
_PERIOD_HINT = re.compile(
    r"\d{4}|\b(quarter|half|q[1-4]|h[12]|fiscal|fy|year|month)\b|" + _MONTH.pattern, re.IGNORECASE
)


def _period(doc: Doc, fig: _Figure, sent: Span) -> Span | None:
    """The DATE entity attached closest to the figure's clause in the dependency tree."""
    root = fig.core(doc).root
    ancestors = [root, *list(root.ancestors)]
    rank = {t.i: r for r, t in enumerate(ancestors)}
    best: tuple[int, Span] | None = None
    for ent in _sentence_ents(sent):
        if ent.label_ != "DATE" or (ent.start < fig.end and fig.start < ent.end):
            continue
        text = ent.text.lower()
        if _DURATION.match(text) or _NOT_PERIOD.search(text) or not _PERIOD_HINT.search(text):
            continue
        if ent.start > sent.start and doc[ent.start - 1].lower_ in _NOT_PERIOD_PREPS:
            continue  # `since February 2003`, `an increase on the previous year`: a comparison base
        t, hops = ent.root, 0
        while t.i not in rank and t.head is not t and hops < 8 and t.dep_ not in _CLAUSE_DEPS:
            t, hops = t.head, hops + 1
        if t.i not in rank:
            continue
        score = rank[t.i] * 10 + hops
        if best is None or score < best[0]:
            best = (score, ent)
    return best[1] if best is not None else None


def _sentence_ents(sent: Span) -> list[Span]:
    """`sent.ents` read from the sentence's own tokens: spaCy's builds every entity of the Doc on each
    call, which made a long article's metrics quadratic."""
    doc = sent.doc
    ents: list[Span] = []
    start: int | None = None
    for tok in sent:
        if start is not None and tok.ent_iob_ != "I":
            ents.append(Span(doc, start, tok.i, label=doc[start].ent_type_))
            start = None
        if tok.ent_iob_ == "B":
            start = tok.i
    if start is not None and (sent.end == len(doc) or doc[sent.end].ent_iob_ != "I"):
        ents.append(Span(doc, start, sent.end, label=doc[start].ent_type_))  # only entities inside it
    return ents


def _period_text(ent: Span) -> str:
    """As written, without a leading `the`: `first half of 2025`."""
    text = ent.text
    for det in ("the ", "a ", "an "):
        if text.lower().startswith(det):
            return text[len(det) :]
    return text


def _period_dates(text: str, published_at: datetime | None) -> tuple[date | None, date | None]:
    """Resolve a period expression to its first and last day; relative ones need `published_at`."""
    t = text.lower()
    pub = published_at.date() if published_at is not None else None
    if _FISCAL.search(t):
        return None, None
    m = _YEAR_RANGE.search(t)
    if m:
        y1, y2s = int(m[1]), m[2]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 >= y1:
            return date(y1, 1, 1), date(y2, 12, 31)
    years = _YEAR.findall(t)
    year = int(years[-1]) if years else None
    rel = _RELATIVE.search(t)
    if rel:
        if pub is None:
            return None, None
        return _relative_dates(pub, W.RELATIVE_OFFSETS[rel[1]], rel[2])
    first_month, months = _months_of(t)
    if first_month is None:
        return (date(year, 1, 1), date(year, 12, 31)) if year is not None else (None, None)
    if year is None:
        if pub is None:
            return None, None
        # `the fourth quarter` with no year: the latest one that started by publication
        year = pub.year if date(pub.year, first_month, 1) <= pub else pub.year - 1
    if months == 1:
        day = _day_of(t)
        if day is not None and day <= calendar.monthrange(year, first_month)[1]:
            d = date(year, first_month, day)
            return d, d
    last_month = first_month + months - 1
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def _months_of(t: str) -> tuple[int | None, int]:
    """First month and length in months of a quarter, half or month named in `t`."""
    q = _QUARTER.search(t)
    if q:
        n = W.ORDINAL_WORDS[q[1]] if q[1] else int(q[2])
        return 3 * n - 2, 3
    h = _HALF.search(t)
    if h:
        n = W.ORDINAL_WORDS[h[1]] if h[1] else int(h[2])
        return 6 * n - 5, 6
    m = _MONTH.search(t)
    if m:
        return W.MONTHS[m[1]], 1
    return None, 0


def _day_of(t: str) -> int | None:
    without_years = _YEAR.sub(" ", t)
    m = _DAY.search(without_years)
    return int(m[1]) if m and 1 <= int(m[1]) <= 31 else None


def _relative_dates(pub: date, offset: int, unit: str) -> tuple[date, date]:
    if unit == "year":
        y = pub.year + offset
        return date(y, 1, 1), date(y, 12, 31)
    months = 3 if unit == "quarter" else 1
    first = ((pub.month - 1) // months) * months + 1 + offset * months
    y = pub.year + (first - 1) // 12
    first = (first - 1) % 12 + 1
    last = first + months - 1
    return date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1])
