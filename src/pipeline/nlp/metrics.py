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
- Units come from pint (`units.py`), currencies from CLDR (`currencies.py`): `base_value`/`base_unit` hold
  the SI value where pint converts (`5 miles` = 8046.72 m; a price per unit, `$80 a barrel`, per m³).
- Durations (`three days`) and ages (`aged 45`, `a 30-year-old`, `Smith, 45,`) are metrics of their own type;
  a hyphenated time modifier (`a 10-year bond`, `a 12-month high`, `Five-Year Plan`) names a kind, not a span,
  and `the three months to December` is a period.
- Not metrics: bare numbers without unit, currency or counted noun (years, scores, list numbers),
  ordinals, labels (`Article 5`, `Boeing 737`, `3G`), times, odds (`8/13`),
  digit sequences such as phone numbers, and referential counts (`the two companies`).
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime

from spacy.tokens import Doc, Span, Token

from pipeline.ids import make_id
from pipeline.nlp import currencies as C
from pipeline.nlp import metric_words as W
from pipeline.nlp.entities import ArticleEntities
from pipeline.nlp.units import UnitRead, named_unit, read_glued, read_unit, temperature_scale
from pipeline.records import Metric

# One token holding a number, with an optional glued currency prefix and suffix: `$1.13bn`, `RMB5`, `12.5p`,
# `-10C`, `120km/h`, `2½`. Digits may be full-width (`\d` is Unicode); signs include the Unicode minus.
_NUMBER_TOKEN = re.compile(
    r"^(?P<sign>[-+−])?"
    r"(?P<cur>[A-Za-z]{0,3}[$£€¥₹₩₦₪₫₱₾]|RMB|Rs\.?|Rp|RM)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<frac>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])?"
    r"(?:±(?P<pm>\d+(?:\.\d+)?))?"
    r"(?P<suf>[A-Za-z%°º/µμ²³·⋅]+)?$",
)
_FRACTION_TOKEN = re.compile(r"^(?P<whole>\d+)?(?P<frac>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])$|^(?P<n>\d{1,2})/(?P<d>\d{1,3})$")
_SYMBOL_STARTS = frozenset("$£€¥₹₩₦₪₫₱₾+-−½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞")
_MAX_INT_DIGITS = 15  # more digits before the point than any reported amount has (a quadrillion)
# Full-width digits and signs as CJK-encoded copy writes them; read as their ASCII forms.
_FULL_WIDTH = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)} | {"％": "%", "，": ",", "．": "."})
_GROUP_SPACES = frozenset({"\u2009", "\u202f", "\u00a0"})  # thin, narrow and non-breaking spaces in `5 000`
_START_WORDS = (
    frozenset(W.UNIT_WORDS)
    | frozenset(W.TENS_WORDS)
    | frozenset(W.VAGUE_PLURALS)
    | {"a", "an", "half", "us", "hk", "nz", "c", "s", "rmb", "rs", "rs.", "aged", "age"}
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
_CHANGE_VERBS = (
    W.FALL_VERBS
    | W.FALL_BY_VERBS
    | frozenset(
        {"rise", "increase", "grow", "climb", "jump", "soar", "surge", "raise", "lift", "boost", "go", "move", "double"}
    )
)
_NOT_CODE_POS = frozenset({"VERB", "ADP", "DET", "PRON", "AUX", "CCONJ", "SCONJ", "ADV", "PART"})


@dataclass(frozen=True)
class _Context:
    """What an article tells about its figures: the countries it names and its date (for bare `dollars`)."""

    countries: tuple[str, ...] = ()
    when: date | None = None


_NO_CONTEXT = _Context()


@dataclass(frozen=True)
class _Number:
    """One number as written: `1.13bn`, `five`, `a dozen`, `dozens`, `a third`, `2½`."""

    value: float
    start: int
    end: int
    kind: str  # digits, words, vague, fraction
    scale: float = 1.0  # scale glued to the token (`600m`); already applied to value
    currency: str | None = None
    percent: bool = False
    unit: UnitRead | None = None  # a unit glued to the digits: `12mg`, `-10C`
    negative: bool = False
    text: str = ""
    basis: bool = False  # `52bp`: basis points glued to the digits
    glued: str = ""  # the letters glued after the digits, as written
    plus_minus: float = 0.0  # `2,000.45±0.01`: the stated uncertainty, scaled like the value


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
    factor: float | None = None  # SI value = value * factor + offset, for units pint converts
    offset: float = 0.0
    base_unit: str | None = None

    def core(self, doc: Doc) -> Span:
        """The figure without its qualifier words: `1.8 trillion yuan` in `exceeding 1.8 trillion yuan`."""
        return doc[self.core_start if self.core_start >= 0 else self.start : self.end]


# --- Public entry point -----------------------------------------------------------------------------


def extract_metrics(
    doc: Doc, article_id: str, entities: ArticleEntities, published_at: datetime | None = None
) -> list[Metric]:
    """Every reported figure in `doc` as a Metric, in text order; restatements point to their original."""
    sent_index, sent_end, sents = _sentence_maps(doc)
    ctx = _context(doc, published_at)
    out: list[Metric] = []
    last_currency: tuple[int, str] | None = None  # (sentence, currency) of the latest money figure
    i = 0
    n = len(doc)
    while i < n:
        if not _may_start(doc[i]):
            i += 1
            continue
        limit = sent_end[i]
        fig = _read_figure(doc, i, limit, ctx)
        if fig is None:
            fig = _listed(doc, i, limit, ctx)  # `45 and 50 cases`: the first count takes the last's noun
        if fig is None or not _is_reported(doc, fig):
            i += 1
            continue
        fig = _merge_range(doc, fig, limit, ctx)
        fig = _merge_parts(doc, fig, limit, ctx)
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
            i = _restatements(doc, fig, metric, i, limit, out, ctx)
    return out


def _context(doc: Doc, published_at: datetime | None) -> _Context:
    """The countries the article names (GPE entities CLDR knows), in order of first mention."""
    seen: dict[str, None] = {}
    for ent in doc.ents:
        if ent.label_ == "GPE":
            cc = C.country_code(ent.text)
            if cc is not None:
                seen.setdefault(cc, None)
    return _Context(tuple(seen), published_at.date() if published_at is not None else None)


def _restatements(doc: Doc, fig: _Figure, metric: Metric, i: int, limit: int, out: list[Metric], ctx: _Context) -> int:
    """`1.8 trillion yuan ($253.3 billion)`, `77m euros (£53m; $100m)`: bracketed restatements.

    Appends them to `out` and returns the token index after the bracket; nothing when the bracket
    holds anything but figures of the same kind.
    """
    found: list[_Figure] = []
    j = i + 1
    while j < limit:
        eq = _read_figure(doc, j, limit, ctx)
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


def _merge_range(doc: Doc, fig: _Figure, limit: int, ctx: _Context = _NO_CONTEXT) -> _Figure:
    """`between 20% and 30%`, `a 3% to 3.5% rise`, `between 40 mg and 50 mg`: two figures, one unit, a range.

    `from $5m to $7m` is a range too, unless a verb of change governs it (`rose from $5m to $7m`: two levels).
    """
    if fig.is_range:
        return fig
    before, conn = _low(doc, fig.start - 1, limit), _low(doc, fig.end, limit)
    ok = (conn == "and" and before == "between") or (conn in ("to", "-", "–") and before in ("a", "an"))
    ok = ok or (conn == "to" and before == "from" and not _change_governs(doc[fig.start - 1]))
    if not ok:
        return fig
    nxt = _read_figure(doc, fig.end + 1, limit, ctx)
    if nxt is None or nxt.is_range or (nxt.metric_type, nxt.unit) != (fig.metric_type, fig.unit):
        return fig
    lo, hi = fig.value, nxt.value
    if lo >= hi:
        return fig
    return replace(fig, end=nxt.end, value=(lo + hi) / 2, low=lo, high=hi, qualifier="~", is_range=True)


def _change_governs(prep: Token) -> bool:
    head = prep.head
    return head.lemma_.lower() in _CHANGE_VERBS or head.lemma_.lower() in W.CHANGE_NOUNS


def _merge_parts(doc: Doc, fig: _Figure, limit: int, ctx: _Context) -> _Figure:
    """`5 feet 2 inches`, `1 hour 20 minutes`, `2 hours and 30 minutes`: one figure in its first unit."""
    if fig.factor is None or fig.is_range or fig.metric_type not in ("quantity", "duration", "age"):
        return fig
    j = fig.end + (1 if _low(doc, fig.end, limit) == "and" else 0)
    nxt = _read_figure(doc, j, limit, ctx) if j < limit and doc[j].like_num else None
    if nxt is None or nxt.factor is None or nxt.base_unit != fig.base_unit or nxt.is_range:
        return fig
    if not nxt.factor < fig.factor or nxt.offset or fig.offset:
        return fig
    value = fig.value + nxt.value * nxt.factor / fig.factor
    mtype = "age" if "age" in (fig.metric_type, nxt.metric_type) else fig.metric_type
    return replace(fig, end=nxt.end, value=value, metric_type=mtype)


def _listed(doc: Doc, i: int, limit: int, ctx: _Context) -> _Figure | None:
    """`45 and 50 cases`, `3, 4 or 5 tonnes`: a bare number listed before a figure shares its unit."""
    first = _read_number(doc, i, limit)
    if first is None or first.kind != "digits" or first.unit is not None or first.currency or first.percent:
        return None
    j = first.end
    if _low(doc, j, limit) not in (",", "and", "or"):
        return None
    while j < limit and doc[j].lower_ in (",", "and", "or"):
        j += 1
        nxt = _read_figure(doc, j, limit, ctx)
        if nxt is not None:
            if nxt.metric_type not in ("count", "quantity") or nxt.unit is None or nxt.is_range:
                return None
            value = first.value * (nxt.value / nxt.number.value if nxt.number.value else 1.0)
            if nxt.scaled:
                return None  # `5 and 6 million`: the scale may or may not cover the first
            return replace(nxt, start=i, end=first.end, value=value, low=None, high=None, number=first, noun=nxt.noun)
        num = _read_number(doc, j, limit)
        if num is None or num.kind != "digits":
            return None
        j = num.end
    return None


# --- Sentences ------------------------------------------------------------------------------------


def _sentence_maps(doc: Doc) -> tuple[list[int], list[int], list[Span]]:
    """Per token: sentence number and sentence end; plus the sentences."""
    sents = list(doc.sents)
    index = [0] * len(doc)
    ends = [0] * len(doc)
    sents = _rejoin_split_decimals(doc, sents)
    for k, s in enumerate(sents):
        for t in range(s.start, s.end):
            index[t] = k
            ends[t] = s.end
    return index, ends, sents


def _rejoin_split_decimals(doc: Doc, sents: list[Span]) -> list[Span]:
    """`rose 46 . 8 percent`: tokenised copy splits a decimal, and the parser ends a sentence at its point."""
    out: list[Span] = []
    for s in sents:
        if out and _split_decimal_at(doc, out[-1].end - 1):
            out[-1] = doc[out[-1].start : s.end]
        else:
            out.append(s)
    return out


def _split_decimal_at(doc: Doc, p: int) -> bool:
    return (
        0 < p < len(doc) - 1
        and doc[p].text == "."
        and bool(doc[p].whitespace_)
        and doc[p - 1].text.isdigit()
        and bool(doc[p - 1].whitespace_)
        and doc[p + 1].text.isdigit()
    )


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
        or (len(text) <= 3 and (text in C.prefix_forms() or tok.lower_ in C.prefix_forms()))
        or text[:3].lower() in ("us$", "hk$", "rmb")
        or (len(text) > 2 and any(ch.isdigit() for ch in text[2:5]))  # `NZ$300m`, `HK$5`
    )


def _read_number(doc: Doc, j: int, limit: int) -> _Number | None:
    """The number written at token j, in digits or words."""
    if j >= limit:
        return None
    tok = doc[j]
    text = tok.text.translate(_FULL_WIDTH)
    frac = _FRACTION_TOKEN.match(text)
    if frac:
        return _fraction_number(doc, frac, j, limit)
    m = _NUMBER_TOKEN.match(text)
    if m:
        num = _digits_number(m, j)
        return _joined_digits(doc, num, limit) if num is not None else None
    return _word_number(doc, j, limit)


def _fraction_number(doc: Doc, m: re.Match[str], j: int, limit: int) -> _Number | None:
    """`½`, `2½`, `1/4`, and `2 1/2` (a whole number before a fraction token)."""
    if m["frac"]:
        value = unicodedata.numeric(m["frac"]) + (float(m["whole"]) if m["whole"] else 0.0)
    else:
        n, d = int(m["n"]), int(m["d"])
        if d == 0 or n >= d:
            return None  # `24/7`, `9/11`: not a fraction of a whole
        value = n / d
    kind = "fraction" if _low(doc, j + 1, limit) == "of" else "digits"  # `1/4 of` is a share, `1/4 mile` not
    return _Number(value, j, j + 1, kind, text=doc[j].text)


def _joined_digits(doc: Doc, num: _Number, limit: int) -> _Number:
    """Figures split by tokenisation: `46 . 8`, `5 000` (thin space), `2 1/2`: one number."""
    k = num.end
    if num.scale != 1.0 or num.unit is not None or (num.currency is not None and num.percent):
        return num
    nxt = doc[k].text if k < limit else ""
    after = doc[k + 1].text if k + 1 < limit else ""
    if nxt == "." and doc[k - 1].whitespace_ and doc[k].whitespace_ and after.isdigit() and "." not in num.text:
        return replace(num, value=float(f"{num.text.replace(',', '')}.{after}"), end=k + 2)
    if nxt in _GROUP_SPACES and len(after) == 3 and after.isdigit() and "." not in num.text:
        return replace(num, value=num.value * 1000 + float(after), end=k + 2)
    frac = _FRACTION_TOKEN.match(nxt)
    if frac and frac["n"] and doc[k - 1].whitespace_ and "." not in num.text and num.kind == "digits":
        part = _fraction_number(doc, frac, k, limit)
        if part is not None:
            return replace(num, value=num.value + part.value, end=k + 1)
    return num


def _digits_number(m: re.Match[str], j: int) -> _Number | None:
    raw = m["num"]
    if len(raw) > 1 and raw[0] == "0" and raw[1] != ".":
        return None  # `0800`: a code or phone number, not an amount
    digits = raw.replace(",", "")
    if len(digits.split(".")[0]) > _MAX_INT_DIGITS:
        return None  # a serial or account number; as a float it would overflow to inf once scaled
    value = float(digits)
    if m["frac"]:
        value += unicodedata.numeric(m["frac"])
    cur = _glued_currency(m["cur"]) if m["cur"] else None
    if m["cur"] and cur is None:
        return None
    glued = m["suf"] or ""
    suf = glued.lower()
    scale = 1.0
    percent = basis = False
    unit: UnitRead | None = None
    if suf:
        if suf in W.SCALE_SUFFIXES:
            scale = W.SCALES[suf]
        elif suf in ("%", "pc", "pct"):
            percent = True
        elif suf == "p" and cur is None:
            cur, value = "GBP", value / 100  # `12.5p`: pence
        elif suf in W.BASIS_POINT_WORDS and cur is None:
            basis = True
        elif suf == "t" and cur is not None:
            scale = 1e12  # `$5t`: trillion after a currency, tonnes otherwise
        elif cur is None and suf not in ("c", "f") and (read := read_unit_glued(glued, j + 1)) is not None:
            unit = read
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
        glued=glued,
        plus_minus=float(m["pm"]) * scale if m["pm"] else 0.0,
    )


def read_unit_glued(glued: str, end: int) -> UnitRead | None:
    """A unit glued to digits (`12mg`, `-10C`); `pm`/`am` after digits are times, never picometres."""
    if glued.lower() in ("pm", "am", "st", "nd", "rd", "th", "s", "g"):
        return None  # `3pm`, `22nd`, `1990s`, `4G`
    return read_glued(glued, end)


def _glued_currency(sym: str) -> str | None:
    """A currency sign or code glued before digits: `$`, `US$`, `HK$`, `₦`, `Rp`, `RMB`, `Rs.`."""
    low = sym.lower()
    if low in W.CURRENCY_ABBREVIATIONS:
        return W.CURRENCY_ABBREVIATIONS[low]
    codes = C.symbol_codes(sym)
    if codes:
        return C.resolve(codes, sym, (), None)
    if sym.endswith("$") and sym[:-1].lower() in W.DOLLAR_PREFIX_LETTERS:
        return _dollar_with_letters(sym[:-1])
    return None


def _dollar_with_letters(letters: str) -> str | None:
    """`C$`, `S$`, `US$`: a dollar whose code begins with the letters (CLDR's symbols first: `A$`, `HK$`)."""
    codes = C.symbol_codes(letters + "$")
    if codes:
        return C.resolve(codes, "$", (), None)
    dollars = C.name_codes(("dollar",))
    fits = frozenset(c for c in dollars if c.startswith(letters.upper()))
    return C.resolve(fits, "dollar", (), None) if fits else None


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
        frac = _fraction_word(nxt) if nxt != "half" else None
        if frac is not None and _low(doc, j + 2, limit) == "of":
            return _Number(frac, j, j + 2, "fraction")
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
    elif low in W.TENS_WORDS and 0 < W.UNIT_WORDS.get(_low(doc, k, limit), 0) < 10:
        value += W.UNIT_WORDS[_low(doc, k, limit)]  # `ninety five`, without its hyphen
        k += 1
    if _low(doc, k, limit) == W.HUNDRED:
        value *= 100
        k += 1
    elif _low(doc, k, limit) == W.DOZEN:
        value *= 12
        k += 1
    # `two-thirds of`, `three quarters of`
    f = k + 1 if _low(doc, k, limit) in _RANGE_DASHES else k
    frac = _fraction_word(_low(doc, f, limit))
    if frac is not None and _low(doc, f + 1, limit) == "of":
        return _Number(value * frac, j, f + 1, "fraction")
    return _Number(value, j, k, "words")


def _fraction_word(word: str) -> float | None:
    """`half`, `third`, `quarters`, `fifths`, `tenth`, `hundredths`: a fraction word, from the ordinals."""
    if word in W.FRACTIONS:
        return W.FRACTIONS[word]
    d = W.ORDINAL_DENOMINATORS.get(word) or W.ORDINAL_DENOMINATORS.get(word[:-1] if word.endswith("s") else "")
    return 1 / d if d else None


def _currency_prefix(doc: Doc, i: int, limit: int, ctx: _Context = _NO_CONTEXT) -> tuple[str | None, int]:
    """A currency written before the number as its own token(s): `$`, `US$`, `US` `$`, `RMB`, `EUR`, `₦`."""
    if i >= limit:
        return None, i  # `rose from two to`: the text or sentence ends where a second number would be
    tok = doc[i]
    low = tok.lower_
    if i + 1 < limit and doc[i + 1].text == "$" and not tok.whitespace_ and low in W.DOLLAR_PREFIX_LETTERS:
        code = _dollar_with_letters(tok.text)
        if code is not None:
            return code, i + 2
    if low.isdigit() or tok.like_num:
        return None, i
    if low in W.CURRENCY_ABBREVIATIONS:
        return W.CURRENCY_ABBREVIATIONS[low], i + 1
    codes = C.symbol_codes(tok.text)
    if codes and (not tok.text.isalpha() or not tok.whitespace_):
        return C.resolve(codes, tok.text, (), None), i + 1  # `$`, `HK$`; a letter symbol only glued: `Rp`
    if (
        len(tok.text) == 3
        and C.is_code(tok.text.upper())
        and not tok.is_stop
        and (tok.text.isupper() or (_lower_cased_copy(doc, i) and tok.pos_ not in _NOT_CODE_POS))
    ):
        return tok.text.upper(), i + 1
    return None, i


def _read_figure(doc: Doc, i: int, limit: int, ctx: _Context = _NO_CONTEXT) -> _Figure | None:
    """The figure starting at token i: currency, number or range, scale, then unit or counted noun."""
    currency, j = _currency_prefix(doc, i, limit, ctx)
    first = _read_number(doc, j, limit)
    if first is None:
        return None
    if currency is not None and first.kind not in ("digits", "words"):
        return None
    first = _glued_by_context(doc, first, limit, currency)
    k = first.end
    second = _read_range_end(doc, i, first, k, limit)
    if second is not None:
        k = second.end
        first = _shared_hundred(doc, first, second)
        first = _shared_thousands(first, second)
    scale, k = _read_scale(doc, first, second, k, limit, money=currency is not None or first.currency is not None)
    low_value = first.value * (scale if first.scale == 1.0 else 1.0)
    if second is not None and first.scale == 1.0 and second.scale != 1.0:
        low_value = first.value * second.scale  # `2-3m`: the scale on the second applies to both
    high_value = second.value * (scale if second.scale == 1.0 else 1.0) if second is not None else None
    if second is None and first.plus_minus:
        pm = first.plus_minus * (scale if first.scale == 1.0 else 1.0)
        low_value, high_value = low_value - pm, low_value + pm  # a range around the value: `5±0.1 kg`
    scaled = scale != 1.0 or first.scale != 1.0 or (second is not None and second.scale != 1.0)
    currency = currency or first.currency or (second.currency if second else None)
    percent = first.percent or (second.percent if second else False)
    unit = first.unit or (second.unit if second else None)
    if currency is None and (first.basis or (second is not None and second.basis)):
        high = high_value / 100 if high_value is not None else None  # `10-15bp`: the unit covers both
        return _make_figure(i, k, first, low_value / 100, high, "percent", W.PERCENTAGE_POINT_UNIT, scaled, None)
    if currency is None and not percent and unit is None:
        if second is None and not scaled and (ratio := _ratio(doc, i, first, k, limit)) is not None:
            return ratio
        return _figure_with_unit(doc, i, first, low_value, high_value, scaled, k, limit, ctx)
    if unit is not None and currency is None and not percent:
        return _unit_figure(doc, i, first, low_value, high_value, scaled, unit, limit)
    if currency is not None:
        fig = _make_figure(i, k, first, low_value, high_value, "money", currency, scaled, None)
        return _price_per_unit(doc, fig, limit)
    return _make_figure(i, k, first, low_value, high_value, "percent", "%", scaled, None)


def _price_per_unit(doc: Doc, fig: _Figure, limit: int) -> _Figure:
    """`$80 a barrel`, `£3 per kg`, `$5/gallon`: a price per unit, its base the price per SI unit (USD/m³).

    Rates in time (`$5bn a year`) stay plain amounts: the period is what they carry, not a unit.
    """
    k = fig.end
    if _low(doc, k, limit) not in ("a", "an", "per", "/") or fig.unit is None:
        return fig
    read = read_unit(doc, k + 1, limit)
    if read is None or read.kind != "quantity" or read.factor is None or read.base_unit is None:
        return fig
    return replace(fig, end=read.end, factor=1 / read.factor, offset=0.0, base_unit=f"{fig.unit}/{read.base_unit}")


def _glued_by_context(doc: Doc, num: _Number, limit: int, currency: str | None) -> _Number:
    """`300m tall` is metres, `5m people` million; `573K` in a sentence on heat is kelvin, else thousand."""
    if currency is not None or num.currency is not None or not num.glued:
        return num
    glued = num.glued.lower()
    nxt = _low(doc, num.end, limit)
    after = _low(doc, num.end + 1, limit)
    want: str | None = None
    if glued == "m" and (_metres_follow(nxt) or (nxt in _RANGE_DASHES and after in W.DIMENSION_ADJECTIVES)):
        want = "m"
    elif glued == "k" and num.glued == "K" and _temperature_talk(doc, num.start, limit):
        want = "K"
    if want is None:
        return num
    read = read_glued(want, num.end)
    if read is None:
        return num
    return replace(num, value=num.value / num.scale, scale=1.0, unit=read)


def _metres_follow(word: str) -> bool:
    """`300m tall`, `the 800m final`: after these an `m` is metres, after anything else a million."""
    return word in W.DIMENSION_ADJECTIVES or word in W.DISTANCE_EVENT_NOUNS


def _temperature_talk(doc: Doc, i: int, limit: int) -> bool:
    """Does the text around token i talk about temperature (for a bare `degrees` or `K`)?"""
    lo, hi = max(0, i - 12), min(len(doc), max(limit, i + 1) + 4)
    return any(doc[t].lower_ in W.TEMPERATURE_CONTEXT for t in range(lo, hi) if t != i)


def _ratio(doc: Doc, i: int, first: _Number, k: int, limit: int) -> _Figure | None:
    """`one in five adults`, `one out of three`: a share, reported as a percentage."""
    if first.kind not in ("digits", "words") or first.value <= 0:
        return None
    j = k + 2 if (_low(doc, k, limit), _low(doc, k + 1, limit)) == ("out", "of") else k + 1
    if j == k + 1 and _low(doc, k, limit) != "in":
        return None
    den = _read_number(doc, j, limit)
    if den is None or den.kind not in ("digits", "words") or den.scale != 1.0 or den.unit is not None:
        return None
    if not first.value < den.value <= 1000 or _year_like(den.text) or doc[j].ent_type_ in ("DATE", "TIME"):
        return None
    return _make_figure(i, den.end, first, first.value / den.value * 100, None, "percent", "%", False, None)


def _unit_figure(
    doc: Doc,
    i: int,
    first: _Number,
    low_value: float,
    high_value: float | None,
    scaled: bool,
    read: UnitRead,
    limit: int,
) -> _Figure:
    """A figure whose unit was read (glued or after it): quantity, temperature, duration or age."""
    end = read.end
    mtype = "duration" if read.kind == "duration" else "quantity"
    if read.kind == "duration":
        if _low(doc, end, limit) == "old":
            mtype, end = "age", end + 1  # `five years old`, `90 day old`
        elif (_low(doc, end, limit), _low(doc, end + 1, limit)) == ("of", "age"):
            mtype, end = "age", end + 2  # `18 months of age`
        elif _low(doc, i - 1, limit) == "aged" or _low(doc, i - 1, limit) == "age":
            mtype = "age"
    return _unit_made(_make_figure(i, end, first, low_value, high_value, mtype, read.unit, scaled, None), read)


def _read_range_end(doc: Doc, i: int, first: _Number, k: int, limit: int) -> _Number | None:
    """The second number of `2-3`, `5 to 7` (bare numbers only) or `between 5 and 7`."""
    if first.kind not in ("digits", "words"):
        return None
    sep = _low(doc, k, limit)
    before = _low(doc, i - 1, limit)
    ok = sep in _RANGE_DASHES
    bare = not (first.percent or first.currency or first.unit)
    ok = ok or (sep == "to" and bare and (before != "from" or not _change_governs(doc[i - 1])))
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


def _shared_thousands(first: _Number, second: _Number) -> _Number:
    """`$50-100,000` is 50,000-100,000: a small bare first number shares the second's thousands."""
    if first.kind != "digits" or second.kind != "digits" or "," in first.text or "." in first.text:
        return first
    if not second.text.endswith(",000") or first.value * 1000 > second.value or first.value >= 1000:
        return first
    return replace(first, value=first.value * 1000)


def _read_scale(
    doc: Doc, first: _Number, second: _Number | None, k: int, limit: int, money: bool = False
) -> tuple[float, int]:
    """A scale word after the number(s): `million`, `bn`, or `m` glued in spelling but split by spaCy."""
    low = _low(doc, k, limit)
    if low.endswith(".") and low[:-1] in W.SCALE_SUFFIXES:
        low = low[:-1]  # `$500m.`: spaCy's tokenizer keeps `m.` as an abbreviation
    if low == "t" and money and not doc[k - 1].whitespace_:
        return 1e12, k + 1  # `$5t`: after a currency `t` is a trillion, elsewhere a tonne
    if low not in W.SCALES:
        return 1.0, k
    if low == "m" and not money and _metres_follow(_low(doc, k + 1, limit)):
        return 1.0, k  # `300 m tall`: metres
    if doc[k].text == "K" and _temperature_talk(doc, k, limit):
        return 1.0, k  # `573.15 K` among temperatures: kelvin
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
    ctx: _Context = _NO_CONTEXT,
) -> _Figure | None:
    """Unit written after the number: percent words, currency names, physical units or a counted noun."""
    if k < limit and doc[k].is_space and doc[k].text in _GROUP_SPACES:
        k += 1  # `5 km` with a non-breaking space
    a, b = _low(doc, k, limit), _low(doc, k + 1, limit)
    found: tuple[str, str, int] | None = None  # metric_type, unit, end
    if a in W.PERCENT_TOKENS or a == "％":
        found = ("percent", "%", k + 1)
    elif (a, b) == ("per", "cent"):
        found = ("percent", "%", k + 2)
    elif a == "percentage" and b in ("point", "points"):
        found = ("percent", W.PERCENTAGE_POINT_UNIT, k + 2)
    elif (bp_end := _basis_point_end(doc, k, limit, scaled)) is not None:
        low_value /= 100  # a basis point is a hundredth of a percentage point
        high_value = high_value / 100 if high_value is not None else None
        found = ("percent", W.PERCENTAGE_POINT_UNIT, bp_end)
    elif (money := _currency_after(doc, first, k, limit, scaled, ctx)) is not None:
        found = ("money", *money)
    elif a in W.MINOR_CURRENCY:
        low_value /= 100
        high_value = high_value / 100 if high_value is not None else None
        found = ("money", W.MINOR_CURRENCY[a], k + 1)
    if found is not None:
        mtype, unit, end = found
        return _make_figure(i, end, first, low_value, high_value, mtype, unit, scaled, None)
    if (age := _age(doc, i, first, k, limit)) is not None:
        return age
    if a in _RANGE_DASHES and k + 1 < limit and not doc[k - 1].whitespace_:
        return _hyphenated(doc, i, first, low_value, high_value, scaled, k, limit)
    read = _unit_after(doc, first, k, limit)
    if read is not None:
        return _unit_figure(doc, i, first, low_value, high_value, scaled, read, limit)
    return _counted(doc, i, first, low_value, high_value, scaled, k, limit)


def _currency_after(
    doc: Doc, first: _Number, k: int, limit: int, scaled: bool, ctx: _Context
) -> tuple[str, int] | None:
    """A currency named after the number: `yuan`, `Swiss francs`, `Finnish markka`, `EUR`; (code, end)."""
    if k >= limit or doc[k].pos_ == "VERB":
        return None
    tok = doc[k]
    if len(tok.text) == 3 and C.is_code(tok.text.upper()) and (tok.text.isupper() or _lower_cased_copy(doc, k)):
        return tok.text.upper(), k + 1
    if tok.lower_ in W.CURRENCY_ABBREVIATIONS:
        return W.CURRENCY_ABBREVIATIONS[tok.lower_], k + 1
    most = C.tables().max_words
    for n in range(min(most, limit - k), 0, -1):
        words = tuple(doc[t].lower_ for t in range(k, k + n))
        codes = C.name_codes(words)
        if not codes:
            continue
        if words[-1].startswith("pound") and _pounds_are_weight(doc, first, k + n - 1, limit, scaled):
            return None
        code = C.resolve(codes, words[-1], ctx.countries, ctx.when)
        return (code, k + n) if code is not None else None
    return None


def _lower_cased_copy(doc: Doc, k: int) -> bool:
    """Is the text around token k all lower-case (`usd`, `eur` there are codes; `cup` elsewhere a cup)?"""
    lo, hi = max(0, k - 8), min(len(doc), k + 8)
    return not any(ch.isupper() for t in range(lo, hi) for ch in doc[t].text)


def _pounds_are_weight(doc: Doc, first: _Number, p: int, limit: int, scaled: bool) -> bool:
    """`20 pounds of rice`, `a twenty pound bag`, `weighs 200 pounds`: weight; `5 million pounds`: money."""
    if scaled:
        return False
    lo, hi = max(0, first.start - 10), min(limit, p + 6)
    window = {doc[t].lower_ for t in range(lo, hi)}
    if window & W.MONEY_CONTEXT:
        return False
    if window & W.WEIGHT_CONTEXT:
        return True
    if _low(doc, p + 1, limit) == "of":
        return True  # `a pound of coal`: money is not measured out of something
    tok = doc[p]
    return tok.dep_ in ("compound", "amod", "nmod", "nummod") and tok.head.i > p and tok.head.pos_ == "NOUN"


def _unit_after(doc: Doc, first: _Number, k: int, limit: int) -> UnitRead | None:
    """A unit written after the number, as pint reads it; ambiguous words decided by their context."""
    if k >= limit:
        return None
    tok = doc[k]
    low = tok.lower_
    if low in ("in", "in.") and not _inch(doc, k, limit):
        return None  # `5 in March`: the preposition
    if low in ("pm", "am", "p.m.", "a.m."):
        return None  # `3 pm`: a time; a picometre is no news unit
    if low in ("m", "t") and tok.pos_ in ("VERB", "AUX") and not _metres_follow(_low(doc, k + 1, limit)):
        return None
    if low in ("c", "f") and not _temperature_talk(doc, k, limit):
        return None  # `11c` a share is cents, `13F` a filing: a scale letter alone needs talk of temperature
    read = read_unit(doc, k, limit)
    if read is None:
        return None
    if read.kind == "quantity" and read.unit in ("°", "deg") and _temperature_talk(doc, k, limit):
        return _degrees_of(doc, read, k, limit)
    if read.kind == "duration" and _low(doc, read.end, limit) in ("ago", "earlier"):
        return None  # `five years ago`: a date
    return read


def _degrees_of(doc: Doc, read: UnitRead, k: int, limit: int) -> UnitRead:
    """Bare `degrees` in talk of temperature: the scale named nearby (`on the Celsius scale`), else unknown."""
    lo, hi = max(0, k - 15), min(len(doc), k + 15)
    for t in range(lo, hi):
        scale = temperature_scale(doc[t].lower_)
        if scale is not None:
            return named_unit(scale, read.end)
    return replace(read, unit="degrees", kind="temperature", factor=None, offset=0.0, base_unit=None)


def _inch(doc: Doc, k: int, limit: int) -> bool:
    """`in` after a number is inches only before a break or in `5 ft 2 in`: elsewhere a preposition."""
    nxt = doc[k + 1] if k + 1 < limit else None
    if nxt is None or nxt.is_punct:
        return k >= 2 and (doc[k - 2].lower_ in ("ft", "feet", "foot", "'") or doc[k].text == "in." or nxt is None)
    return False


def _hyphenated(
    doc: Doc,
    i: int,
    first: _Number,
    low_value: float,
    high_value: float | None,
    scaled: bool,
    k: int,
    limit: int,
) -> _Figure | None:
    """`a 45-acre site`, `a 30-year-old`, `a 10-year bond`, `a 300-page report`: a number-unit modifier.

    A unit modifier is a quantity; `N-year-old` an age; a time modifier names a kind of thing (a bond's
    tenor, a 12-month high), not a reported figure; a counted noun (`300-page`) neither.
    """
    read = read_unit(doc, k + 1, limit)
    if read is None or read.end < k + 2:
        return None
    if read.kind == "duration":
        if _low(doc, read.end, limit) in _RANGE_DASHES and _low(doc, read.end + 1, limit) == "old":
            fig = _make_figure(i, read.end + 2, first, low_value, high_value, "age", read.unit, scaled, None)
            return _unit_made(fig, read)
        return None
    if doc[k + 1].lower_ in ("in", "m", "t", "pm", "am"):
        return None
    return _unit_figure(doc, i, first, low_value, high_value, scaled, read, limit)


def _age(doc: Doc, i: int, first: _Number, k: int, limit: int) -> _Figure | None:
    """`aged 45`, `age 87`, `87 yo`, `Smith, 45,`: an age in years without a written unit."""
    if first.kind not in ("digits", "words") or not 0 < first.value < 130 or first.value != int(first.value):
        return None
    prev = _low(doc, i - 1, limit)
    end = first.end
    if _low(doc, k, limit) in ("yo", "y.o.", "y/o"):
        end = k + 1
    elif prev in ("aged", "age"):
        pass
    elif prev == "," and i >= 2 and _person_apposition(doc, i) and _low(doc, k, limit) in (",", ")", ""):
        pass  # `Smith, 45, has run the bank`: news gives a person's age in apposition
    else:
        return None
    read = named_unit("year", end)
    return _unit_made(_make_figure(i, end, first, first.value, None, "age", read.unit, False, None), read)


def _person_apposition(doc: Doc, i: int) -> bool:
    """`Smith, 45,`: the number stands in apposition to a name (the small parser often calls it an ORG)."""
    name = doc[i - 2]
    return name.ent_type_ == "PERSON" or (
        name.pos_ == "PROPN" and name.ent_type_ not in ("GPE", "LOC", "NORP") and doc[i].dep_ == "appos"
    )


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
        if noun is None and first.kind == "fraction" and k + 1 >= limit:
            return _make_figure(i, k + 1, first, low_value * 100, None, "percent", "%", False, None)  # `a third of`
        if noun is None or noun.pos_ == "PRON" or noun.lemma_ == "point":
            return None  # `half of it`; `a quarter of a point` is 0.25 pp, not 25 %
        if first.kind == "fraction":
            return _make_figure(i, k, first, low_value * 100, None, "percent", "%", False, noun.i)
        fig = _make_figure(i, noun.i + 1, first, low_value, None, "count", _counted_unit(noun), False, noun.i)
        return replace(fig, qualifier=">=", low=low_value)
    if _low(doc, k, limit) in _RANGE_DASHES:
        return None  # `five-year plan`, `a 300-page report`: a compound adjective
    if "/" in first.text:
        return None  # `8/13 odds`, `4/9`: a slash fraction counts nothing; `1/4 mile` was read as a unit
    if k < limit and not doc[k - 1].whitespace_ and len(doc[k].text) == 1 and doc[k].text.isupper():
        return None  # `3G`, `4K`: a label glued to its digit
    noun = _counted_noun(doc, k, limit)
    if noun is None:
        if scaled:  # `rose to 5 million`: clearly a figure, even without its noun
            return _make_figure(i, k, first, low_value, high_value, "count", None, True, None)
        return None
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
        if any(doc[t].like_num for t in range(k, head.i)):
            return None  # `45 and 50 cases`: the noun is the last number's; `_listed` shares it
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


def _unit_made(fig: _Figure, read: UnitRead) -> _Figure:
    """The figure with its unit's conversion to SI (factor, offset, base unit)."""
    return replace(fig, factor=read.factor, offset=read.offset, base_unit=read.base_unit)


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
        bare = fig.metric_type == "count"  # a unit pint read makes `40 mg` a quantity, whatever the tagger says
        dated = tok.ent_type_ in ("DATE", "TIME", "ORDINAL") and (fig.noun is None or fig.noun < fig.end - 1)
        if bare and dated and not fig.scaled:
            return False
        if bare and num.kind == "digits" and not fig.scaled and _year_like(num.text):
            return False
        if prev is not None and (prev.lower_ in W.LABEL_NOUNS or prev.pos_ == "PROPN"):
            return False  # `Article 5`, `Boeing 737`
        if fig.metric_type == "count" and prev is not None and prev.lower_ in W.REFERENTIAL_DETERMINERS:
            return False  # `the two companies`: a reference, not a reported figure
        if num.kind == "words" and num.value == 1 and not fig.scaled and fig.metric_type == "count":
            return False  # `one analyst`; but `one mile` is a distance
        if fig.is_range and fig.noun is not None and doc[fig.noun].lower_ in W.SCORE_NOUNS:
            return False
    # `in the three months to December`, `the past five years`: a period, not a reported span
    return not (fig.metric_type == "duration" and prev is not None and prev.lower_ in W.REFERENTIAL_DETERMINERS)


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
        base_value=_base_value(fig.value, fig),
        base_unit=fig.base_unit if fig.factor is not None else None,
    )


def _base_value(value: float, fig: _Figure) -> float | None:
    """The SI value (5 miles = 8046.72 m), None where no conversion exists."""
    if fig.factor is None:
        return None
    base = value * fig.factor + fig.offset
    return base if math.isfinite(base) else None


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
        base_value=_base_value(value, eq),
        base_unit=eq.base_unit if eq.factor is not None else None,
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
