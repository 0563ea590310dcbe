"""Property tests: the number, currency and quotation-mark readers on generated text.

Generated well-formed figures must read back as the value they were written from; any mix of number words,
digits, currency signs, quote marks and words must extract without raising, with every span in its text.
Derandomized and database-less, so a run is the same everywhere and leaves no `.hypothesis/` behind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from pipeline.nlp import metric_words as W
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.metrics import _currency_prefix, _read_figure, _read_number, extract_metrics
from pipeline.nlp.quotes import _mark_role, _pair_quotes, extract_quotes
from pipeline.records import Metric
from tests.nlp.checks import article, problems

pytestmark = pytest.mark.slow

FEW = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_UNITS = {v: k for k, v in W.UNIT_WORDS.items()}
_TENS = {v: k for k, v in W.TENS_WORDS.items()}


@dataclass(frozen=True)
class Written:
    """A number as written and the value it stands for."""

    text: str
    value: float


# --------------------------------------------------------------------------- strategies


def _words_for(n: int) -> str:
    """2..999 in words as news writes them: `seven`, `forty-two`, `three hundred`."""
    if n >= 100 and n % 100 == 0:
        return f"{_UNITS[n // 100]} hundred"
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens * 10] + (f"-{_UNITS[unit]}" if unit else "")


word_numbers = st.one_of(st.integers(2, 99), st.integers(1, 9).map(lambda h: h * 100)).map(
    lambda n: Written(_words_for(n), float(n))
)


@st.composite
def digit_numbers(draw: st.DrawFn) -> Written:
    """`7`, `1,234,567`, `3.25`, `12500`: with or without thousands separators and decimals."""
    whole = draw(st.integers(1, 999_999_999))
    cents = draw(st.one_of(st.none(), st.integers(1, 99)))
    text = f"{whole:,}" if draw(st.booleans()) else str(whole)
    if cents is not None:
        text += f".{cents:02d}"
        return Written(text, whole + cents / 100)
    return Written(text, float(whole))


_SCALES = [("", 1.0), (" thousand", 1e3), (" million", 1e6), (" billion", 1e9), (" trillion", 1e12)]
_GLUED_SCALES = [("m", 1e6), ("bn", 1e9), ("k", 1e3)]
_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "US$": "USD", "HK$": "HKD", "¥": "JPY"}
_NAMES = {"yuan": "CNY", "euros": "EUR", "dollars": "USD", "pounds": "GBP", "yen": "JPY"}


@st.composite
def amounts(draw: st.DrawFn) -> tuple[Written, str]:
    """A money amount and its currency: `$1.8 trillion`, `£600m`, `2.5 billion yuan`."""
    num = draw(digit_numbers())
    scale, factor = draw(st.sampled_from(_SCALES + _GLUED_SCALES))
    if draw(st.booleans()):
        sym = draw(st.sampled_from(sorted(_SYMBOLS)))
        return Written(f"{sym}{num.text}{scale}", num.value * factor), _SYMBOLS[sym]
    name = draw(st.sampled_from(sorted(_NAMES)))
    return Written(f"{num.text}{scale} {name}", num.value * factor), _NAMES[name]


_WORDS = ["the", "rose", "fell", "shares", "said", "profit", "to", "from", "between", "and", "by", "of", "a", "up"]
_MARKS = ['"', "'", "“", "”", "‘", "’", "«", "»"]
_ODD = ["$", "£", "€", "¥", "US$", "%", "bp", "bps", "basis", "points", "-", "–", "(", ")", ".", ",", "\n", "\n\n"]
pieces = st.one_of(
    st.sampled_from(_WORDS + _MARKS + _ODD),
    word_numbers.map(lambda w: w.text),
    digit_numbers().map(lambda w: w.text),
    amounts().map(lambda a: a[0].text),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=4),
)
texts = st.lists(pieces, max_size=14).flatmap(
    lambda ps: st.lists(st.sampled_from(["", " ", " ", "\n"]), min_size=len(ps), max_size=len(ps)).map(
        lambda seps: "".join(p + s for p, s in zip(ps, seps, strict=True))
    )
)


def _metrics(nlp: Language, text: str) -> list[Metric]:
    doc = nlp(text)
    return extract_metrics(doc, "p1", extract_entities(doc, "p1"))


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


# --------------------------------------------------------------------------- number and currency readers


@FEW
@given(num=st.one_of(word_numbers, digit_numbers()))
def test_number_reader_reads_the_value_written(nlp: Language, num: Written) -> None:
    doc = nlp(num.text)
    got = _read_number(doc, 0, len(doc))
    assert got is not None and math.isclose(got.value, num.value, rel_tol=1e-9)
    assert 0 <= got.start < got.end <= len(doc)


@FEW
@given(amount=amounts())
def test_currency_reader_reads_amount_and_code(nlp: Language, amount: tuple[Written, str]) -> None:
    written, code = amount
    doc = nlp(written.text)
    fig = _read_figure(doc, 0, len(doc))
    assert fig is not None, [t.text for t in doc]
    assert (fig.metric_type, fig.unit) == ("money", code)
    assert math.isclose(fig.value, written.value, rel_tol=1e-9)
    assert fig.end == len(doc)


@FEW
@given(amount=amounts())
def test_amount_in_a_sentence_is_one_money_metric(nlp: Language, amount: tuple[Written, str]) -> None:
    written, code = amount
    text = f"Group revenue reached {written.text} last year."
    [m] = [m for m in _metrics(nlp, text) if m.raw_text == written.text]
    assert (m.metric_type, m.unit, m.qualifier) == ("money", code, "=")
    assert _close(m.value, written.value) and _close(m.lower_bound, written.value)
    assert text[m.start_char : m.end_char] == written.text


@FEW
@given(low=word_numbers, high=word_numbers, scale=st.sampled_from(_SCALES[1:4]))
def test_word_range_is_ordered_with_its_midpoint(
    nlp: Language, low: Written, high: Written, scale: tuple[str, float]
) -> None:
    """`two to three million workers`: a range with both bounds, scaled alike, value the midpoint."""
    if low.value >= high.value:
        low, high = high, low
    if low.value == high.value:
        return
    word, factor = scale
    lo = low.value
    if high.text.endswith(" hundred") and "hundred" not in low.text and lo * 100 < high.value:
        lo *= 100  # `two to three hundred` is 200-300
    raw = f"{low.text} to {high.text}{word}"
    text = f"The carmaker plans to hire {raw} workers next year."
    [m] = [m for m in _metrics(nlp, text) if m.raw_text.startswith(raw)]  # the counted noun is the parser's
    assert m.qualifier == "~" and m.lower_bound is not None and m.upper_bound is not None
    assert m.lower_bound < m.upper_bound
    assert _close(m.lower_bound, lo * factor) and _close(m.upper_bound, high.value * factor)
    assert _close(m.value, (lo + high.value) * factor / 2)


@FEW
@given(a=st.integers(1, 400), b=st.integers(1, 400), unit=st.sampled_from(["percent", "%", "basis points"]))
def test_between_range_of_percent_and_basis_points(nlp: Language, a: int, b: int, unit: str) -> None:
    lo, hi = sorted((a, b))
    if lo == hi:
        return
    sep = "" if unit == "%" else " "
    raw = f"between {lo} and {hi}{sep}{unit}"
    [m] = [m for m in _metrics(nlp, f"Analysts expect the yield to rise by {raw} this year.") if m.raw_text == raw]
    factor = 0.01 if unit == "basis points" else 1.0
    assert m.unit == ("pp" if unit == "basis points" else "%")
    assert _close(m.lower_bound, lo * factor) and _close(m.upper_bound, hi * factor)


@FEW
@given(text=texts)
def test_currency_prefix_stays_in_bounds(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for limit in {len(doc), len(doc) // 2}:
        for i in range(len(doc) + 1):
            code, j = _currency_prefix(doc, i, limit)
            assert i <= j <= max(i, limit)
            assert code is None or (len(code) == 3 and code.isupper())


# --------------------------------------------------------------------------- quotation marks


@FEW
@given(text=texts)
def test_quote_marks_pair_into_spans_inside_the_doc(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for tok in doc:
        role = _mark_role(doc.text, tok)
        assert role is None or (role[0] in ("double", "single") and role[1] in ("open", "close"))
    spans = _pair_quotes(doc, doc.text)
    for s in spans:
        assert 0 <= s.open_i < s.start <= s.end < len(doc)
        assert s.close_i is None or s.end < s.close_i < len(doc)
    for a, b in pairwise(spans):
        assert a.outer_end < b.open_i  # in order, never overlapping


_LOWER = ["prices", "will", "rise", "fast", "and", "wages", "fell", "we", "expect", "growth", "next", "year", "again"]


@FEW
@given(words=st.lists(st.sampled_from(_LOWER), min_size=4, max_size=10), curly=st.booleans())
def test_quoted_speech_with_a_cue_is_one_direct_quote(nlp: Language, words: list[str], curly: bool) -> None:
    content = " ".join(words).capitalize()
    left, right = ("“", "”") if curly else ('"', '"')
    text = f"{left}{content},{right} said Maria Lopez, an economist at the bank."
    doc = nlp(text)
    quotes = extract_quotes(doc, "p1", extract_entities(doc, "p1"))
    [q] = [q for q in quotes if q.quote_type == "direct"]
    assert q.quote_text == content
    assert text[q.start_char : q.end_char] == content


# --------------------------------------------------------------------------- everything, any text


@settings(FEW, max_examples=80)
@given(text=texts)
def test_any_text_extracts_without_raising(nlp: Language, text: str) -> None:
    assert problems(nlp(text), article(text)) == []
