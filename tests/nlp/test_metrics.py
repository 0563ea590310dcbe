"""Metric extraction: tables of news sentences -> expected figures, plus the seed article's gold."""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from pipeline.ids import make_id
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.metrics import extract_metrics
from pipeline.records import Metric
from tests.conftest import seed_body

PUBLISHED = datetime(2025, 3, 1, 9, 0)


def metrics_of(nlp: Language, text: str, published_at: datetime | None = PUBLISHED) -> list[Metric]:
    doc = nlp(text)
    return extract_metrics(doc, "a1", extract_entities(doc, "a1"), published_at)


def only(metrics: list[Metric], raw: str) -> Metric:
    hits = [m for m in metrics if raw in m.raw_text]
    assert len(hits) == 1, f"expected one metric containing {raw!r}, got {[m.raw_text for m in metrics]}"
    return hits[0]


# sentence, raw_text contains, metric_type, value, unit, qualifier, period contains, subject contains
POSITIVE = [
    (
        "Quarterly revenue at the chipmaker rose to $4.2bn in the third quarter of 2024.",
        "$4.2bn",
        "money",
        4.2e9,
        "USD",
        "=",
        "third quarter of 2024",
        "Quarterly revenue",
    ),
    (
        "The expo has attracted more than 600 enterprises from 30 countries.",
        "600 enterprises",
        "count",
        600,
        "enterprises",
        ">",
        None,
        "expo",
    ),
    (
        "Exports fell 3.5% in January, the customs office said.",
        "3.5%",
        "percent",
        -3.5,
        "%",
        "=",
        "January",
        "Exports",
    ),
    (
        "Retail sales were down 2 per cent last year.",
        "2 per cent",
        "percent",
        -2,
        "%",
        "=",
        "last year",
        "Retail sales",
    ),
    (
        "Net profit dropped by 2.1 billion yuan in the first half of 2025.",
        "2.1 billion yuan",
        "money",
        -2.1e9,
        "CNY",
        "=",
        "first half of 2025",
        "Net profit",
    ),
    (
        "The lender expects growth of between 5 and 7 percent this year.",
        "between 5 and 7 percent",
        "percent",
        6,
        "%",
        "~",
        "this year",
        "growth",
    ),
    (
        "The mine will produce 2-3 million tonnes of copper a year.",
        "2-3 million tonnes",
        "quantity",
        2.5e6,
        "tonnes",
        "~",
        None,
        "mine",
    ),
    (
        "The refinery processes about 400,000 barrels per day.",
        "400,000 barrels",
        "quantity",
        4e5,
        "bbl/d",
        "~",
        None,
        "refinery",
    ),
    (
        "The new fab will turn out 50,000 wafers per month.",
        "50,000 wafers per month",
        "count",
        5e4,
        "wafers per month",
        "=",
        None,
        "new fab",
    ),
    (
        "The company employs nearly 12,000 people worldwide.",
        "12,000 people",
        "count",
        12000,
        "people",
        "~",
        None,
        "company",
    ),
    (
        "The fund raised at least HK$3.2bn from investors.",
        "HK$3.2bn",
        "money",
        3.2e9,
        "HKD",
        ">=",
        None,
        "fund",
    ),
    (
        "Its shares closed up four pence at 274.5p.",
        "274.5p",
        "money",
        2.745,
        "GBP",
        "=",
        None,
        "shares",
    ),
    (
        "The central bank cut its key rate by 25 basis points.",
        "25 basis points",
        "percent",
        -0.25,
        "pp",
        "=",
        None,
        "central bank",
    ),
    (
        "Unemployment rose 0.3 percentage points to 4.4% in the fourth quarter.",
        "0.3 percentage points",
        "percent",
        0.3,
        "pp",
        "=",
        "fourth quarter",
        "Unemployment",
    ),
    (
        "The carmaker will invest up to €5m in the plant.",
        "€5m",
        "money",
        5e6,
        "EUR",
        "<=",
        None,
        "carmaker",
    ),
    (
        "Dozens of suppliers have signed up to the scheme.",
        "Dozens of suppliers",
        "count",
        24,
        "suppliers",
        ">=",
        None,
        None,
    ),
    (
        "A third of the workforce will be laid off in 2026.",
        "A third",
        "percent",
        100 / 3,
        "%",
        "=",
        "2026",
        "workforce",
    ),
    (
        "The group sold five factories to a rival last year.",
        "five factories",
        "count",
        5,
        "factories",
        "=",
        "last year",
        "group",
    ),
    (
        "The state budget will spend Rs 500 crore on roads in fiscal 2025.",
        "500 crore",
        "money",
        5e9,
        "INR",
        "=",
        "fiscal 2025",
        "state budget",
    ),
    (
        "Sales of electric cars jumped by more than a million in 2024.",
        "a million",
        "count",
        1e6,
        None,
        ">",
        "2024",
        "Sales of electric cars",
    ),
    (
        "The turbines will add 1.5 GW of capacity to the grid.",
        "1.5 GW",
        "quantity",
        1.5,
        "GW",
        "=",
        None,
        "turbines",
    ),
    (
        "Shares in the miner lost 4% on Tuesday.",
        "4%",
        "percent",
        -4,
        "%",
        "=",
        None,
        "Shares in the miner",
    ),
]


@pytest.mark.parametrize(("text", "raw", "mtype", "value", "unit", "qualifier", "period", "subject"), POSITIVE)
def test_figures(
    nlp: Language,
    text: str,
    raw: str,
    mtype: str,
    value: float,
    unit: str | None,
    qualifier: str,
    period: str | None,
    subject: str | None,
) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert m.metric_type == mtype
    assert math.isclose(m.value, value, rel_tol=1e-9)
    assert m.unit == unit
    assert m.qualifier == qualifier
    if period is None:
        assert m.period is None
    else:
        assert m.period is not None and period in m.period
    if subject is None:
        assert m.subject is None
    else:
        assert m.subject is not None and subject in m.subject
    assert text[m.start_char : m.end_char] == m.raw_text
    assert m.metric_id == make_id("a1", "metric", m.start_char, m.end_char)


# sentence, text that must not be (part of) any metric's raw_text
NEGATIVE = [
    ("The plan runs until 2030, officials said.", "2030"),
    ("It was the 22nd edition of the fair, held for the 14th time.", "22nd"),
    ("The goals are set out in the 14th Five-Year Plan.", "Five"),
    ("The 14th Five-Year Plan period (2021-25) ended.", "2021"),
    ("Trading opened at 9:30am and the results come out at 3pm.", "9"),
    ("Call the helpline on 0800 123 4567 for details.", "0800"),
    ("Call the helpline on 0800 123 4567 for details.", "4567"),
    ("Chelsea won 3-1 on Saturday to go top.", "3-1"),
    ("The court rejected the claim in a 2-1 decision.", "2-1"),
    ("Article 5 of the treaty covers mutual defence.", "5"),
    ("The airline ordered more Boeing 737 jets.", "737"),
    ("The first results arrived on Tuesday.", "first"),
    ("The two companies have agreed to merge.", "two"),
    ("One analyst said demand had peaked.", "One"),
    ("A 10-year bond yield rose.", "10"),
    ("Shares fell in the first half of 2025.", "half"),
    ("Covid-19 hit sales hard.", "19"),
]


@pytest.mark.parametrize(("text", "forbidden"), NEGATIVE)
def test_not_metrics(nlp: Language, text: str, forbidden: str) -> None:
    raws = [m.raw_text for m in metrics_of(nlp, text)]
    assert not [r for r in raws if forbidden in r], raws


# A text (or sentence) ending where a range's second number or a currency would follow; digit strings too
# long to be an amount. Found by tests/nlp/test_fuzz.py: the range reader looked past the end of the Doc.
CUT_SHORT = [
    ("Shares have fallen from $", []),
    ("Revenue rose to $4.2bn, up from $", ["$4.2bn"]),
    ("The lender will cut 300 jobs, or two to", ["300 jobs"]),
    ("The firm hired 40 engineers this year and plans a 900-", ["40 engineers"]),
    ("Exports grew 3.5% and imports between five and", ["3.5%"]),
    ("Output rose 5% to", ["5%"]),
    ("Order 1234567890123456789012 was worth $5m.", ["$5m"]),
    ("The fund is worth 99999999999999999999 trillion dollars.", []),
]


@pytest.mark.parametrize(("text", "raws"), CUT_SHORT)
def test_text_cut_short(nlp: Language, text: str, raws: list[str]) -> None:
    assert [m.raw_text for m in metrics_of(nlp, text)] == raws


# Basis points are hundredths of a percentage point: value in pp, raw_text as written.
# sentence, raw_text, value, lower bound, upper bound
BASIS_POINTS = [
    ("Two-year gilt yields rose 52 basis points on Tuesday.", "52 basis points", 0.52, 0.52, 0.52),
    ("The yield on the 10-year note rose 52bp to 4.1%.", "52bp", 0.52, 0.52, 0.52),
    ("Spreads on junk bonds widened 52 bps in a week.", "52 bps", 0.52, 0.52, 0.52),
    ("Italian yields jumped 12 bp. Bunds were steady.", "12 bp", 0.12, 0.12, 0.12),
    ("The Fed lowered its policy rate by 25bp on Wednesday.", "25bp", -0.25, -0.25, -0.25),
    ("Markets expect a 25 bp rate cut in June.", "25 bp", -0.25, -0.25, -0.25),
    ("The spread is 120bps over Treasuries.", "120bps", 1.2, 1.2, 1.2),
    ("Yields rose by just 1 basis point.", "1 basis point", 0.01, 0.01, 0.01),
    ("Spreads widened by between 20 and 30 basis points.", "between 20 and 30 basis points", 0.25, 0.2, 0.3),
    ("Analysts see the bank lifting rates by 10-15bp.", "10-15bp", 0.125, 0.1, 0.15),
]


@pytest.mark.parametrize(("text", "raw", "value", "low", "high"), BASIS_POINTS)
def test_basis_points_are_percentage_points(
    nlp: Language, text: str, raw: str, value: float, low: float, high: float
) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.raw_text, m.metric_type, m.unit) == (raw, "percent", "pp")
    assert m.lower_bound is not None and m.upper_bound is not None
    assert [round(v, 9) for v in (m.value, m.lower_bound, m.upper_bound)] == [value, low, high]
    assert text[m.start_char : m.end_char] == raw


# `BP`/`bp` the oil company is never a basis point.
BP_THE_COMPANY = [
    "BP shares rose 5% in London.",
    "Investors bought 2 million bp shares last year.",
    "He sold 300 bp shares last week.",
    "The bp said profit rose 5%.",
    "Shares of the bp fell 3% in London.",
    "Its pension fund holds a 2% stake in bp.",
]


@pytest.mark.parametrize("text", BP_THE_COMPANY)
def test_bp_the_company_is_not_basis_points(nlp: Language, text: str) -> None:
    assert [m for m in metrics_of(nlp, text) if m.unit == "pp"] == []


def test_restatement_in_another_currency(nlp: Language) -> None:
    ms = metrics_of(nlp, "Pre-tax profit fell to £600m ($1.13bn) in 2024.")
    gbp, usd = only(ms, "£600m"), only(ms, "$1.13bn")
    assert (gbp.unit, usd.unit) == ("GBP", "USD")
    assert usd.equivalent_of == gbp.metric_id and gbp.equivalent_of is None
    assert usd.period == "2024" and usd.subject == gbp.subject == "Pre-tax profit"


def test_several_restatements_share_the_original(nlp: Language) -> None:
    ms = metrics_of(nlp, "Its earnings were 77m euros (£53m; $100m) in the quarter.")
    eur = only(ms, "77m euros")
    assert [m.unit for m in ms if m.equivalent_of == eur.metric_id] == ["GBP", "USD"]


def test_restatement_of_a_fall_is_never_negative(nlp: Language) -> None:
    ms = metrics_of(nlp, "Profit dropped by 2 billion yuan ($280m) last year.")
    cny, usd = only(ms, "yuan"), only(ms, "$280m")
    assert cny.value == -2e9
    assert usd.value == 2.8e8 and usd.equivalent_of == cny.metric_id


def test_bounds_follow_the_qualifier(nlp: Language) -> None:
    ms = metrics_of(nlp, "The firm hired more than 500 engineers, about 40 managers and at most 10 directors.")
    assert (only(ms, "500").lower_bound, only(ms, "500").upper_bound) == (500, None)
    assert (only(ms, "40").lower_bound, only(ms, "40").upper_bound) == (None, None)
    assert (only(ms, "10").lower_bound, only(ms, "10").upper_bound) == (None, 10)


def test_fall_with_qualifier_flips(nlp: Language) -> None:
    m = only(metrics_of(nlp, "Exports fell more than 3% in March."), "3%")
    assert (m.value, m.qualifier, m.lower_bound, m.upper_bound) == (-3, "<", None, -3)


def test_subject_skips_bracketed_restatement(nlp: Language) -> None:
    ms = metrics_of(nlp, "The chairman has launched a £1.5m ($2.8m) bid for the club.")
    assert [m.subject for m in ms] == ["bid", "bid"]


def test_narrowing_is_a_fall(nlp: Language) -> None:
    m = only(metrics_of(nlp, "The trade gap narrowed by 4.9% in December."), "4.9%")
    assert m.value == -4.9 and m.period == "December"


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("The firm, which was listed in 1935, operates more than 41 factories.", "41 factories"),
        ("Loans fell 25% to 85,000, the lowest total seen since February 2003.", "25%"),
        ("Sales rose 4% on the previous year.", "4%"),
    ],
)
def test_dates_that_are_not_the_period(nlp: Language, text: str, raw: str) -> None:
    assert only(metrics_of(nlp, text), raw).period is None


def test_range_sets_both_bounds(nlp: Language) -> None:
    m = only(metrics_of(nlp, "Prices could rise between 20% and 30% this year."), "20%")
    assert (m.value, m.qualifier, m.lower_bound, m.upper_bound) == (25, "~", 20, 30)


# A `hundred` ending a range of number words covers a bare first number (found by test_properties.py).
# sentence, raw_text starts with, lower bound, upper bound
HUNDRED_RANGES = [
    ("The carmaker plans to hire two to three hundred workers next year.", "two to three hundred", 200, 300),
    ("The strike could cost two to three hundred thousand jobs.", "two to three hundred thousand", 2e5, 3e5),
    ("The carmaker plans to hire five to two hundred workers next year.", "five to two hundred", 5, 200),
    ("The firm will hire two hundred to three hundred engineers.", "two hundred to three hundred", 200, 300),
]


@pytest.mark.parametrize(("text", "raw", "low", "high"), HUNDRED_RANGES)
def test_hundred_covers_the_whole_range(nlp: Language, text: str, raw: str, low: float, high: float) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.qualifier, m.lower_bound, m.upper_bound) == ("~", low, high)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Sales rose 5% last year.", date(2024, 1, 1), date(2024, 12, 31)),
        ("Sales rose 5% in the fourth quarter.", date(2024, 10, 1), date(2024, 12, 31)),
        ("Sales rose 5% in the first half of 2025.", date(2025, 1, 1), date(2025, 6, 30)),
        ("Sales rose 5% in February.", date(2025, 2, 1), date(2025, 2, 28)),
        ("Sales rose 5% in 2023.", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_period_dates(nlp: Language, text: str, start: date, end: date) -> None:
    m = only(metrics_of(nlp, text), "5%")
    assert (m.period_start, m.period_end) == (start, end)


def test_relative_period_without_publication_date_stays_open(nlp: Language) -> None:
    m = only(metrics_of(nlp, "Sales rose 5% last year.", published_at=None), "5%")
    assert m.period == "last year" and m.period_start is None and m.period_end is None


def test_subject_entity(nlp: Language) -> None:
    ms = metrics_of(nlp, "China's IC sector posted sales of 1.8 trillion yuan in 2024.")
    m = only(ms, "1.8 trillion yuan")
    doc = nlp("China's IC sector posted sales of 1.8 trillion yuan in 2024.")
    china = extract_entities(doc, "a1").lookup("China")
    assert china is not None
    assert m.subject is not None and "sales" in m.subject


def test_subject_entity_from_possessive(nlp: Language) -> None:
    text = "China's IC sector grew 12% in 2024."
    doc = nlp(text)
    ents = extract_entities(doc, "a1")
    m = only(extract_metrics(doc, "a1", ents, PUBLISHED), "12%")
    china = ents.lookup("China")
    assert m.subject == "China's IC sector"
    assert china is not None and m.subject_entity_id == china.entity_id


def test_sentence_index(nlp: Language) -> None:
    ms = metrics_of(nlp, "The firm was founded in 1990.\n\nIt now employs 3,000 staff.")
    assert [(m.raw_text, m.sentence_index) for m in ms] == [("3,000 staff", 1)]


# --- The sample article's gold (../shared/gold/seed.json), scored as seed_score.score_metrics does ---


def _norm(s: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", (s or "").lower().replace("\u2019", "'"))).strip()


def test_seed_gold_metrics(nlp: Language, shared_dir: Path) -> None:
    gold: dict[str, Any] = json.loads((shared_dir / "gold/seed.json").read_text(encoding="utf-8"))
    doc = nlp(seed_body(shared_dir))
    ms = extract_metrics(doc, "seed", extract_entities(doc, "seed"))
    by_id = {m.metric_id: m for m in ms}
    for g in gold["metrics"]:
        m = next((m for m in ms if g["raw_contains"] in m.raw_text), None)
        assert m is not None, f"missing {g['raw_contains']}"
        assert abs(m.value - g["value"]) <= 1e-6 * abs(g["value"])
        assert m.metric_type == g["metric_type"]
        if "currency" in g:
            assert m.unit == g["currency"]
        if "unit" in g:
            assert _norm(m.unit) == _norm(g["unit"])
        if "qualifier" in g:
            assert m.qualifier == g["qualifier"]
        if "period" in g:
            assert g["period"] in (m.period or "")
        if "subject_contains" in g:
            assert g["subject_contains"] in (m.subject or "")
        if "equivalent_of" in g:
            other = by_id.get(m.equivalent_of or "")
            assert other is not None and g["equivalent_of"] in other.raw_text
    false_positives = [m.raw_text for m in ms if not any(g["raw_contains"] in m.raw_text for g in gold["metrics"])]
    assert false_positives == []
    for text in gold["not_metrics"]:
        assert not [m for m in ms if m.raw_text == text or _norm(m.raw_text) == _norm(text)]


# --- BBC business sentences, read at test time (the text is not copied into the repo) ---

# file, raw_text contains, unit, value
BBC = [
    ("001.txt", "$1.13bn", "USD", 1.13e9),
    ("001.txt", "£600m", "GBP", 6e8),
    ("004.txt", "£75m", "GBP", 7.5e7),
    ("009.txt", "14.27 million tonnes", "tonnes", 1.427e7),
]


@pytest.mark.parametrize(("name", "raw", "unit", "value"), BBC)
def test_bbc_business_figures(nlp: Language, shared_dir: Path, name: str, raw: str, unit: str, value: float) -> None:
    path = shared_dir / "corpus/bbc/business" / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    body = "\n\n".join(ln.strip() for ln in lines if ln.strip())
    m = next(m for m in metrics_of(nlp, body, None) if raw in m.raw_text)
    assert m.unit == unit and math.isclose(m.value, value, rel_tol=1e-9)
