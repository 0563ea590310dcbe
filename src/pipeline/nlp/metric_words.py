"""Word lists for metric extraction: currencies, scales, qualifiers, units and number words.

Everything is lower-case unless noted; lookups in `metrics.py` lower-case the token first.
"""

from __future__ import annotations

# --- Currencies ---------------------------------------------------------------------------------

# Symbols and codes written before the number (`$5`, `US$5`, `RMB5`, `EUR 5m`). `$` alone is USD.
CURRENCY_PREFIXES: dict[str, str] = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "hk$": "HKD",
    "hkd": "HKD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "s$": "SGD",
    "sgd": "SGD",
    "nz$": "NZD",
    "nzd": "NZD",
    "nt$": "TWD",
    "r$": "BRL",
    "£": "GBP",
    "gbp": "GBP",
    "€": "EUR",
    "eur": "EUR",
    "¥": "JPY",  # in English-language news ¥ alone is usually yen; yuan is written RMB or yuan
    "jpy": "JPY",
    "rmb": "CNY",
    "cny": "CNY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "₩": "KRW",
    "krw": "KRW",
    "chf": "CHF",
}

# Two-token prefixes as spaCy splits them: `US` `$`.
CURRENCY_PREFIX_PAIRS: dict[tuple[str, str], str] = {
    ("us", "$"): "USD",
    ("hk", "$"): "HKD",
    ("a", "$"): "AUD",
    ("c", "$"): "CAD",
    ("s", "$"): "SGD",
    ("nz", "$"): "NZD",
}

# Currency names and codes written after the number (`1.8 trillion yuan`, `5m euros`).
CURRENCY_NAMES: dict[str, str] = {
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "gbp": "GBP",
    "yen": "JPY",
    "jpy": "JPY",
    "won": "KRW",
    "krw": "KRW",
    "rupee": "INR",
    "rupees": "INR",
    "inr": "INR",
    "franc": "CHF",
    "francs": "CHF",
    "chf": "CHF",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "rand": "ZAR",
    "peso": "MXN",
    "pesos": "MXN",
    "lira": "TRY",
    "real": "BRL",
    "reais": "BRL",
    "ringgit": "MYR",
    "baht": "THB",
    "rupiah": "IDR",
    "dirhams": "AED",
    "riyals": "SAR",
    "naira": "NGN",
    "shekels": "ILS",
}

# A nationality before `dollars` (and friends) changes the currency: `5bn Australian dollars`.
CURRENCY_QUALIFIED: dict[tuple[str, str], str] = {
    ("us", "dollars"): "USD",
    ("american", "dollars"): "USD",
    ("australian", "dollars"): "AUD",
    ("canadian", "dollars"): "CAD",
    ("singapore", "dollars"): "SGD",
    ("taiwan", "dollars"): "TWD",
    ("zealand", "dollars"): "NZD",
    ("kong", "dollars"): "HKD",
    ("swiss", "francs"): "CHF",
    ("indian", "rupees"): "INR",
    ("south", "korean"): "KRW",
    ("mexican", "pesos"): "MXN",
}

# Minor units: value is divided by 100. `12.5p` is 0.125 GBP.
MINOR_CURRENCY: dict[str, str] = {"p": "GBP", "pence": "GBP", "penny": "GBP", "cents": "USD", "cent": "USD"}

# --- Numbers ------------------------------------------------------------------------------------

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "lakh": 1e5,
    "crore": 1e7,
}

# Scale suffixes glued to digits (`1.13bn`, `600m`, `10k`).
SCALE_SUFFIXES: frozenset[str] = frozenset({"k", "m", "mn", "mln", "bn", "bln", "b", "tn", "trn"})

UNIT_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}

TENS_WORDS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

# `a dozen` = 12; `hundred` multiplies what precedes it (`two hundred`).
DOZEN = "dozen"
HUNDRED = "hundred"

# Vague plurals: `dozens of firms` is at least 24 firms. Value is the lower bound, qualifier `>=`.
VAGUE_PLURALS: dict[str, float] = {
    "dozens": 24.0,
    "scores": 40.0,
    "hundreds": 200.0,
    "thousands": 2e3,
    "millions": 2e6,
    "billions": 2e9,
}

# Fractions followed by `of`: `a third of staff` is reported as 33.3 %.
FRACTIONS: dict[str, float] = {
    "half": 1 / 2,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 1 / 4,
    "quarters": 1 / 4,
    "fifth": 1 / 5,
    "fifths": 1 / 5,
    "tenth": 1 / 10,
}

# --- Percent and units --------------------------------------------------------------------------

PERCENT_TOKENS: frozenset[str] = frozenset({"%", "percent", "pc", "pct"})
PERCENTAGE_POINT_UNIT = "pp"
# Basis points, converted to percentage points. With its dot (`bp.`) when the tokenizer keeps one.
BASIS_POINT_WORDS: frozenset[str] = frozenset({"bp", "bps", "bp.", "bps."})
POINT_WORDS: frozenset[str] = frozenset({"point", "points", "pt", "pts"})

# Physical units, normalised. A counted noun not listed here makes a `count`, not a `quantity`.
UNITS: dict[str, str] = {
    "tonne": "tonnes",
    "tonnes": "tonnes",
    "ton": "tons",
    "tons": "tons",
    "kg": "kg",
    "kilograms": "kg",
    "kilogrammes": "kg",
    "grams": "g",
    "ounces": "ounces",
    "oz": "ounces",
    "barrel": "barrels",
    "barrels": "barrels",
    "bpd": "barrels per day",
    "litres": "litres",
    "liters": "litres",
    "gallons": "gallons",
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "miles": "miles",
    "metres": "metres",
    "meters": "metres",
    "feet": "feet",
    "ft": "feet",
    "hectares": "hectares",
    "acres": "acres",
    "gw": "GW",
    "gigawatts": "GW",
    "mw": "MW",
    "megawatts": "MW",
    "kw": "kW",
    "kilowatts": "kW",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "twh": "TWh",
    "bcm": "bcm",
    "teu": "TEU",
    "nm": "nm",
    "nanometres": "nm",
    "nanometers": "nm",
    "points": "points",
    "mph": "mph",
}

# Two-word units: `square metres`, `cubic metres`.
UNIT_PAIRS: dict[tuple[str, str], str] = {
    ("square", "metres"): "square metres",
    ("square", "meters"): "square metres",
    ("square", "feet"): "square feet",
    ("square", "kilometres"): "square km",
    ("cubic", "metres"): "cubic metres",
    ("cubic", "meters"): "cubic metres",
}

# `wafers per month`, `barrels a day`: the rate is part of the unit.
RATE_NOUNS: frozenset[str] = frozenset({"day", "week", "month", "year", "hour", "annum", "capita", "head"})

# --- Qualifiers ---------------------------------------------------------------------------------

# Phrases written before the figure, longest first so `no more than` wins over `more than`.
QUALIFIER_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (("no", "more", "than"), "<="),
            (("not", "more", "than"), "<="),
            (("no", "less", "than"), ">="),
            (("not", "less", "than"), ">="),
            (("no", "fewer", "than"), ">="),
            (("in", "excess", "of"), ">"),
            (("a", "minimum", "of"), ">="),
            (("a", "maximum", "of"), "<="),
            (("as", "much", "as"), "<="),
            (("as", "many", "as"), "<="),
            (("as", "high", "as"), "<="),
            (("just", "over"), ">"),
            (("just", "under"), "<"),
            (("just", "below"), "<"),
            (("just", "above"), ">"),
            (("more", "than"), ">"),
            (("greater", "than"), ">"),
            (("higher", "than"), ">"),
            (("upwards", "of"), ">"),
            (("less", "than"), "<"),
            (("fewer", "than"), "<"),
            (("lower", "than"), "<"),
            (("at", "least"), ">="),
            (("at", "most"), "<="),
            (("up", "to"), "<="),
            (("close", "to"), "~"),
            (("an", "estimated"), "~"),
            (("in", "the", "region", "of"), "~"),
            (("over",), ">"),
            (("above",), ">"),
            (("exceeding",), ">"),
            (("exceeded",), ">"),
            (("exceeds",), ">"),
            (("exceed",), ">"),
            (("surpassing",), ">"),
            (("surpassed",), ">"),
            (("topping",), ">"),
            (("topped",), ">"),
            (("under",), "<"),
            (("below",), "<"),
            (("nearly",), "~"),
            (("almost",), "~"),
            (("about",), "~"),
            (("around",), "~"),
            (("roughly",), "~"),
            (("approximately",), "~"),
            (("approx",), "~"),
            (("some",), "~"),
            (("circa",), "~"),
            (("estimated",), "~"),
        ),
        key=lambda pq: -len(pq[0]),
    )
)

# Phrases written after the figure: `500 or more`.
QUALIFIER_SUFFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("or", "more"), ">="),
    (("or", "so"), "~"),
    (("or", "less"), "<="),
    (("or", "fewer"), "<="),
    (("plus",), ">="),
    (("+",), ">="),
)

# A qualifier seen on a negative (falling) figure flips: `fell more than 3%` is value < -3.
FLIPPED_QUALIFIER: dict[str, str] = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "~": "~"}

# --- Direction of change ------------------------------------------------------------------------

# Verbs whose direct figure (`fell 3%`, `dropped by $2bn`) is a fall: the value is negative.
FALL_VERBS: frozenset[str] = frozenset(
    {
        "fall",
        "drop",
        "decline",
        "decrease",
        "slip",
        "slide",
        "slump",
        "shrink",
        "tumble",
        "plunge",
        "plummet",
        "sink",
        "dip",
        "ease",
        "contract",
        "retreat",
        "crash",
        "narrow",
        "weaken",
    }
)
# Verbs that make a fall only with `by`: `cut costs by 5%` (while `cut 5,000 jobs` counts the jobs).
FALL_BY_VERBS: frozenset[str] = frozenset({"cut", "reduce", "lower", "trim", "slash"})
# Verbs that are a fall only for percentages (`shares lost 3%`; `lost $5bn` is a level, a loss).
FALL_VERBS_PERCENT: frozenset[str] = frozenset({"lose", "shed"})
# Nouns naming a fall: `a 3% fall in sales`, `a drop of 2 million`.
FALL_NOUNS: frozenset[str] = frozenset(
    {"fall", "drop", "decline", "decrease", "slump", "dip", "contraction", "reduction", "cut", "slide"}
)
# Nouns naming a change: `a 3% rise in sales` measures `sales`.
CHANGE_NOUNS: frozenset[str] = FALL_NOUNS | frozenset(
    {"rise", "increase", "growth", "gain", "jump", "surge", "hike", "boost", "change", "expansion"}
)
# Nouns `25 bp` may modify and still be basis points (`a 25 bp cut`); before any other it is the company.
BASIS_POINT_NOUNS: frozenset[str] = CHANGE_NOUNS | frozenset({"rate", "move", "spread", "premium", "margin", "yield"})

# --- Not metrics --------------------------------------------------------------------------------

# A number counting these is a duration or an age, not a reported figure (`five years`, `10-year bond`).
TIME_NOUNS: frozenset[str] = frozenset(
    {
        "second",
        "seconds",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "weekend",
        "weekends",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
        "century",
        "centuries",
        "quarter",
        "quarters",
        "season",
        "seasons",
        "time",
        "times",
        "am",
        "pm",
        "a.m.",
        "p.m.",
        "o'clock",
        "gmt",
        "bst",
    }
)

# `a 3-1 win`: a score, not a count.
SCORE_NOUNS: frozenset[str] = frozenset({"win", "victory", "defeat", "draw", "lead", "scoreline", "thrashing"})

# Words after which a number is a label (`Article 5`, `No. 10`, `page 3`), not a figure.
LABEL_NOUNS: frozenset[str] = frozenset(
    {
        "no",
        "no.",
        "nos",
        "number",
        "article",
        "section",
        "chapter",
        "page",
        "pages",
        "paragraph",
        "clause",
        "rule",
        "item",
        "step",
        "stage",
        "phase",
        "part",
        "round",
        "level",
        "tier",
        "grade",
        "category",
        "class",
        "type",
        "series",
        "version",
        "model",
        "route",
        "flight",
        "room",
        "channel",
        "episode",
        "platform",
        "terminal",
        "gate",
        "junction",
        "table",
        "figure",
        "line",
        "division",
        "league",
        "top",
        "aged",
        "age",
        "ages",
        "size",
        "covid",
        "g",
    }
)

# A number after these is referential (`the two companies`, `its three plants`), not a reported figure.
REFERENTIAL_DETERMINERS: frozenset[str] = frozenset(
    {
        "the",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "both",
        "all",
        "each",
        "every",
        "which",
        "past",
        "last",
        "next",
        "previous",
        "first",
        "final",
        "other",
    }
)

# Ordinal suffixes glued to digits (`22nd`, `14th`).
ORDINAL_SUFFIXES: frozenset[str] = frozenset({"st", "nd", "rd", "th"})

# --- Periods ------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}

ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
    "last": 4,
}

# Relative offsets in years/quarters/months: `last year` = published year - 1.
RELATIVE_OFFSETS: dict[str, int] = {
    "last": -1,
    "previous": -1,
    "past": -1,
    "this": 0,
    "current": 0,
    "next": 1,
    "coming": 1,
}
