"""Metrics v2: units (pint), currencies (CLDR), numbers as written, ages, durations, temperatures, messy text.

Every sentence is written for this project. Each table row: sentence, raw_text contains, metric_type, value,
unit, and where it matters the SI base value.
"""

from __future__ import annotations

import math

import pytest
from spacy.language import Language

from pipeline.nlp import metric_words as W
from pipeline.nlp.currencies import name_codes, resolve
from pipeline.nlp.units import atom
from tests.nlp.test_metrics import metrics_of, only

# sentence, raw_text contains, metric_type, value, unit, base_value (None: not checked), base_unit
UNITS = [
    ("The tablets hold 500 mg of the drug.", "500 mg", "quantity", 500, "mg", 5e-4, "kg"),
    ("The battery stores 13.5 kWh of energy.", "13.5 kWh", "quantity", 13.5, "kWh", 4.86e7, "kg·m²/s²"),
    ("The flat has 1,200 sq ft of floor space.", "1,200 sq ft", "quantity", 1200, "ft²", 111.48364799999999, "m²"),
    ("The reserve covers 350 km² of forest.", "350 km²", "quantity", 350, "km²", 3.5e8, "m²"),
    ("The wall is 12 ft high.", "12 ft", "quantity", 12, "ft", 3.6576, "m"),
    ("The baby weighed 7 lb at birth.", "7 lb", "quantity", 7, "lb", None, "kg"),
    ("Each bar holds 3.5 oz of chocolate.", "3.5 oz", "quantity", 3.5, "oz", None, "kg"),
    ("Winds reached 90 mph on the coast.", "90 mph", "quantity", 90, "mph", 40.2336, "m/s"),
    ("The field produces 600,000 bpd of crude.", "600,000 bpd", "quantity", 6e5, "bbl/d", None, "m³/s"),
    ("Trains will run at 300 km/h on the new line.", "300 km/h", "quantity", 300, "km/h", 83.33333333333334, "m/s"),
    ("The smelter makes 2,000 tonnes per day of aluminium.", "2,000 tonnes per day", "quantity", 2000, "tonnes/d",
     None, "kg/s"),
    ("Farmers harvested 45 bushels an acre this year.", "45 bushels an acre", "quantity", 45, "bu/acre", None, "m"),
    ("The new model does 60 miles per gallon.", "60 miles per gallon", "quantity", 60, "mi/gal", None, "1/m²"),
    ("The plant generated 4.2 GW·h last month.", "4.2 GW·h", "quantity", 4.2, "GW·h", 1.512e13, "kg·m²/s²"),
    ("The turbines will add 1.5 GW of capacity.", "1.5 GW", "quantity", 1.5, "GW", 1.5e9, "kg·m²/s³"),
    ("Output hit 14.27 million tonnes in 2024.", "14.27 million tonnes", "quantity", 1.427e7, "tonnes", 1.427e10, "kg"),
    ("In lower-case copy the wind farm makes 500 mw.", "500 mw", "quantity", 500, "MW", 5e8, "kg·m²/s³"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "raw", "mtype", "value", "unit", "base", "base_unit"), UNITS)
def test_units_from_the_registry(
    nlp: Language, text: str, raw: str, mtype: str, value: float, unit: str, base: float | None, base_unit: str | None
) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == (mtype, unit)
    assert math.isclose(m.value, value, rel_tol=1e-9)
    if base is not None:
        assert m.base_value is not None and math.isclose(m.base_value, base, rel_tol=1e-6)
    if mtype == "quantity":
        assert m.base_unit == base_unit
    assert text[m.start_char : m.end_char] == m.raw_text


def test_price_per_unit_has_a_base_per_si_unit(nlp: Language) -> None:
    m = only(metrics_of(nlp, "Brent crude rose to $80 a barrel on Monday."), "$80 a barrel")
    assert (m.metric_type, m.unit, m.value, m.base_unit) == ("money", "USD", 80, "USD/m³")
    assert m.base_value is not None and math.isclose(m.base_value, 80 / 0.158987294928, rel_tol=1e-9)
    plain = only(metrics_of(nlp, "The deal is worth $5bn a year."), "$5bn")
    assert plain.raw_text == "$5bn" and plain.base_value is None


def test_miles_and_kilometres_compare_in_si(nlp: Language) -> None:
    miles = only(metrics_of(nlp, "The pipeline runs 5 miles under the city."), "5 miles")
    km = only(metrics_of(nlp, "The tunnel runs 8 km under the river."), "8 km")
    assert miles.base_unit == km.base_unit == "m"
    assert miles.base_value is not None and km.base_value is not None
    assert math.isclose(miles.base_value, 8046.72) and miles.base_value > km.base_value


def test_counted_nouns_have_no_base_value(nlp: Language) -> None:
    m = only(metrics_of(nlp, "The firm employs 12,000 people."), "12,000 people")
    assert (m.metric_type, m.base_value, m.base_unit) == ("count", None, None)


# Ambiguous abbreviations decided by context, both ways: sentence, raw_text, metric_type, unit, value
AMBIGUOUS = [
    ("The tower is 300m tall.", "300m", "quantity", "m", 300),
    ("She won the 800m final in Paris.", "800m", "quantity", "m", 800),
    ("Scotland's 400m man will carry British hopes.", "400m", "quantity", "m", 400),
    ("The firm sold 800m shares.", "800m shares", "count", "shares", 8e8),
    ("The project will cost 300m euros.", "300m euros", "money", "EUR", 3e8),
    ("The rebuilt stadium draws 5m fans a year.", "5m fans", "count", "fans per year", 5e6),
    ("He stands 6 ft 2 in.", "6 ft 2 in", "quantity", "ft", 6 + 2 / 12),
    ("It has a 40t lorry and a 3 t crane.", "3 t", "quantity", "tonnes", 3),
    ("The bill came to $5t over a decade.", "$5t", "money", "USD", 5e12),
    ("Temperatures hit 30 C in the shade.", "30 C", "quantity", "°C", 30),
    ("At temperatures near 573 K the metal glows.", "573 K", "quantity", "K", 573),
    ("Revenue grew to 573K users.", "573K users", "count", "users", 573e3),
]


@pytest.mark.parametrize(("text", "raw", "mtype", "unit", "value"), AMBIGUOUS)
def test_ambiguous_abbreviations(nlp: Language, text: str, raw: str, mtype: str, unit: str, value: float) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == (mtype, unit)
    assert math.isclose(m.value, value, rel_tol=1e-9)


# sentence, text that must not be in any metric: `in` the preposition, times, filings, cents, scores, dates
NOT_UNITS = [
    ("Sales rose to 5 in March.", "5 in"),
    ("The shop sold 40 in the first week.", "40 in"),
    ("The meeting starts at 3 pm on Friday.", "3 pm"),
    ("The meeting starts at 3pm on Friday.", "3pm"),
    ("The fund filed its 13F report late.", "13F"),
    ("Profit rose to 11c a share.", "°C"),
    ("The home side won 3-1 on Saturday.", "3-1"),
    ("The 10-year bond yield rose.", "10"),
    ("Shares hit a 12-month high.", "12"),
    ("Call 0800 123 4567 today.", "4567"),
    ("The plan runs to 2030.", "2030"),
    ("He finished 22nd in the race.", "22nd"),
    ("The rules came in five years ago.", "five"),
    ("GDP rose 0.7% in the three months to December.", "three months"),
    ("Bookmakers gave the film 4/9 and 8/13 odds of winning.", "8/13"),
    ("The handset runs on 3G networks.", "3G"),
]


@pytest.mark.parametrize(("text", "forbidden"), NOT_UNITS)
def test_not_units(nlp: Language, text: str, forbidden: str) -> None:
    ms = metrics_of(nlp, text)
    assert not [m for m in ms if forbidden in m.raw_text or forbidden == m.unit], [(m.raw_text, m.unit) for m in ms]


def test_registry_filters_words_pint_knows(nlp: Language) -> None:
    assert atom("barn") is None and atom("at") is None and atom("shot") is None
    assert atom("MILES") is not None and atom("kWh") is not None
    a = atom("tonnes")
    assert a is not None and a.symbol == "tonnes"


# --- Currencies ------------------------------------------------------------------------------------

# sentence, raw_text contains, ISO code, value
CURRENCIES = [
    ("The bank paid 500 Swiss francs in fees.", "500 Swiss francs", "CHF", 500),
    ("The bond raised 2 trillion rupiah last week.", "2 trillion rupiah", "IDR", 2e12),
    ("Tickets cost 5,000 naira each.", "5,000 naira", "NGN", 5000),
    ("In 1990 the house sold for 800,000 Finnish markka.", "800,000 Finnish markka", "FIM", 8e5),
    ("The museum bought it for 3m Dutch guilders in 1995.", "3m Dutch guilders", "NLG", 3e6),
    ("The deal is worth 40 billion South African rand.", "40 billion South African rand", "ZAR", 4e10),
    ("The lender raised ₦50bn from investors.", "₦50bn", "NGN", 5e10),
    ("It borrowed NZ$300m last year.", "NZ$300m", "NZD", 3e8),
    ("The state spent Rp10 trillion on roads.", "Rp10 trillion", "IDR", 1e13),
    ("Investors put in 20m USD.", "20m USD", "USD", 2e7),
    ("The club paid 50m Australian dollars.", "50m Australian dollars", "AUD", 5e7),
]


@pytest.mark.parametrize(("text", "raw", "code", "value"), CURRENCIES)
def test_currencies_from_cldr(nlp: Language, text: str, raw: str, code: str, value: float) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == ("money", code)
    assert math.isclose(m.value, value, rel_tol=1e-9)


def test_bare_dollars_take_the_country_the_article_names(nlp: Language) -> None:
    m = only(metrics_of(nlp, "Canberra said Australia would spend 5 billion dollars on defence."), "dollars")
    assert m.unit == "AUD"
    m = only(metrics_of(nlp, "The company said it would spend 5 billion dollars on research."), "dollars")
    assert m.unit == "USD"


def test_bare_francs_follow_the_country_and_its_date() -> None:
    francs = name_codes(("francs",))
    assert {"CHF", "FRF"} <= francs
    assert resolve(francs, "francs", ("FR",), None) == "EUR" or resolve(francs, "francs", ("FR",), None) is not None
    from datetime import date

    assert resolve(francs, "francs", ("FR",), date(1990, 6, 1)) == "FRF"
    assert resolve(francs, "francs", ("CH",), date(2024, 6, 1)) == "CHF"
    assert resolve(francs, "francs", (), None) == W.CURRENCY_DEFAULTS["franc"]


# `pounds`: weight or money by context. sentence, raw_text, metric_type, unit
POUNDS = [
    ("She bought a twenty-pound bag of rice.", "twenty-pound", "quantity", "lb"),
    ("The boxer weighs 200 pounds.", "200 pounds", "quantity", "lb"),
    ("They shipped 40 pounds of coffee.", "40 pounds", "quantity", "lb"),
    ("The council will spend 5 million pounds on roads.", "5 million pounds", "money", "GBP"),
    ("The ticket price is 20 pounds.", "20 pounds", "money", "GBP"),
]


@pytest.mark.parametrize(("text", "raw", "mtype", "unit"), POUNDS)
def test_pounds_weight_or_money(nlp: Language, text: str, raw: str, mtype: str, unit: str) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == (mtype, unit)


# --- Numbers as written ----------------------------------------------------------------------------

# sentence, raw_text contains, metric_type, value, unit
WRITTEN = [
    ("The storm brought 2 1/2 inches of rain.", "2 1/2 inches", "quantity", 2.5, "in"),
    ("The track is a 1/4 mile long.", "1/4 mile", "quantity", 0.25, "mi"),
    ("The recipe needs ½ cup of sugar.", "½ cup", "quantity", 0.5, "cp"),
    ("prices are quoted in usd: the deal is 5m usd.", "5m usd", "money", 5e6, "USD"),
    ("Three-quarters of voters backed the plan.", "Three-quarters", "percent", 75, "%"),
    ("One fourth of the budget goes on health.", "One fourth", "percent", 25, "%"),
    ("One in five adults smoke.", "One in five", "percent", 20, "%"),
    ("The developer bought a 45-acre site.", "45-acre", "quantity", 45, "acre"),
    ("It agreed a $5bn deal.", "$5bn", "money", 5e9, "USD"),
    ("She is 5 feet 2 inches tall.", "5 feet 2 inches", "quantity", 5 + 2 / 12, "ft"),
    ("The flight took 1 hour 20 minutes.", "1 hour 20 minutes", "duration", 4 / 3, "hours"),
    ("Trials used between 40 mg and 50 mg of the drug.", "between 40 mg and 50 mg", "quantity", 45, "mg"),
    ("Estimates range from $5m to $7m.", "$5m to $7m", "money", 6e6, "USD"),
    ("The two men paid penalties of between $50-100,000.", "$50-100,000", "money", 75000, "USD"),
    ("Vaccines protect from 50 to 80% of patients.", "50 to 80%", "percent", 65, "%"),
    ("The trail climbs one mile through the woods.", "one mile", "quantity", 1, "mi"),
    ("It weighs 2,000.5±0.5 pounds.", "2,000.5±0.5 pounds", "quantity", 2000.5, "lb"),
]


@pytest.mark.parametrize(("text", "raw", "mtype", "value", "unit"), WRITTEN)
def test_numbers_as_written(nlp: Language, text: str, raw: str, mtype: str, value: float, unit: str) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == (mtype, unit)
    assert math.isclose(m.value, value, rel_tol=1e-9)
    assert text[m.start_char : m.end_char] == m.raw_text


def test_change_from_to_is_two_levels(nlp: Language) -> None:
    ms = metrics_of(nlp, "Profit rose from $5m to $7m.")
    assert [(m.raw_text, m.value, m.qualifier) for m in ms] == [("$5m", 5e6, "="), ("$7m", 7e6, "=")]
    ms = metrics_of(nlp, "Inflation rose from 5 to 7% last year.")
    assert [(m.raw_text, m.lower_bound) for m in ms] == [("7%", 7)]


def test_range_has_both_bounds(nlp: Language) -> None:
    m = only(metrics_of(nlp, "Doses of between 40 mg and 50 mg were tested."), "40 mg")
    assert (m.lower_bound, m.upper_bound, m.qualifier) == (40, 50, "~")


def test_listed_counts_share_the_noun(nlp: Language) -> None:
    ms = metrics_of(nlp, "Officials reported 45 and 50 cases in the two towns.")
    assert [(m.raw_text, m.value, m.unit) for m in ms] == [("45", 45, "cases"), ("50 cases", 50, "cases")]


# --- Durations, ages, temperatures ----------------------------------------------------------------

# sentence, raw_text contains, metric_type, value, unit
TIME_AND_HEAT = [
    ("The strike lasted three days.", "three days", "duration", 3, "days"),
    ("She has worked there for five years.", "five years", "duration", 5, "years"),
    ("The driver, aged 45, was unhurt.", "45", "age", 45, "years"),
    ("A 30-year-old man was arrested.", "30-year-old", "age", 30, "years"),
    ("The building is 500 years old.", "500 years old", "age", 500, "years"),
    ("Babies under 18 months of age were excluded.", "18 months of age", "age", 18, "months"),
    ("Mary Jones, 62, chairs the board.", "62", "age", 62, "years"),
    ("It was 35°C in Seville on Monday.", "35°C", "quantity", 35, "°C"),
    ("Forecasters expect 95 degrees Fahrenheit.", "95 degrees Fahrenheit", "quantity", 95, "°F"),
    ("Temperatures fell to −12 degrees overnight.", "−12 degrees", "quantity", -12, "degrees"),
]


@pytest.mark.parametrize(("text", "raw", "mtype", "value", "unit"), TIME_AND_HEAT)
def test_durations_ages_temperatures(nlp: Language, text: str, raw: str, mtype: str, value: float, unit: str) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == (mtype, unit)
    assert math.isclose(m.value, value, rel_tol=1e-9)


def test_temperature_base_is_kelvin(nlp: Language) -> None:
    c = only(metrics_of(nlp, "It was 35°C in Seville."), "35°C")
    f = only(metrics_of(nlp, "It was 95 °F in Phoenix."), "95 °F")
    assert c.base_unit == f.base_unit == "K"
    assert c.base_value is not None and f.base_value is not None
    assert math.isclose(c.base_value, 308.15) and math.isclose(f.base_value, 308.15, rel_tol=1e-9)


def test_angle_is_not_a_temperature(nlp: Language) -> None:
    m = only(metrics_of(nlp, "The ramp rises at 12 degrees to the road."), "12 degrees")
    assert m.unit == "deg" and m.base_unit == "rad"


# --- Text as it arrives ----------------------------------------------------------------------------

# sentence, raw_text contains, metric_type, value, unit
MESSY = [
    ("SALES ROSE 5 PERCENT TO $3 BILLION.", "$3 BILLION", "money", 3e9, "USD"),
    ("SALES ROSE 5 PERCENT TO $3 BILLION.", "5 PERCENT", "percent", 5, "%"),
    ("the firm raised $ 75 million from investors.", "$ 75 million", "money", 7.5e7, "USD"),
    ("output grew 46 . 8 percent in the year.", "46 . 8 percent", "percent", 46.8, "%"),
    ("The route is 5\u00a0km long.", "5\u00a0km", "quantity", 5, "km"),
    ("The town has 5\u2009000 homes.", "5\u2009000 homes", "count", 5000, "homes"),
    ("Temperatures dropped to \u22125°C.", "\u22125°C", "quantity", -5, "°C"),
    ("The plant hired \uff15\uff10 workers.", "\uff15\uff10 workers", "count", 50, "workers"),
    ("the wind farm produces 500 MEGAWATTS.", "500 MEGAWATTS", "quantity", 500, "MW"),
]


@pytest.mark.parametrize(("text", "raw", "mtype", "value", "unit"), MESSY)
def test_text_as_it_arrives(nlp: Language, text: str, raw: str, mtype: str, value: float, unit: str) -> None:
    m = only(metrics_of(nlp, text), raw)
    assert (m.metric_type, m.unit) == (mtype, unit)
    assert math.isclose(m.value, value, rel_tol=1e-9)
    assert text[m.start_char : m.end_char] == m.raw_text
