"""Word lists of the news register for metric extraction: scales, qualifiers, change verbs, periods.

Currency, unit and number-word data come from babel (CLDR), pint and num2words; what is here are the
register's own choices about them (which units news writes, which currency a bare `dollars` means).

Everything is lower-case unless noted; lookups in `metrics.py` lower-case the token first.
"""

from __future__ import annotations

from num2words import num2words

# --- Currencies ---------------------------------------------------------------------------------
# Codes, symbols and names come from CLDR (`nlp/currencies.py`); these are the register's own choices.

# A bare name or sign several currencies share, when the story names no country: news' usual reading.
CURRENCY_DEFAULTS: dict[str, str] = {
    "$": "USD",
    "dollar": "USD",
    "£": "GBP",
    "pound": "GBP",
    "¥": "JPY",  # in English-language news ¥ alone is usually yen; yuan is written RMB or yuan
    "yen": "JPY",
    "franc": "CHF",
    "peso": "MXN",
    "rupee": "INR",
    "rs": "INR",
    "kr": "SEK",
    "krona": "SEK",
    "krone": "NOK",
    "dinar": "KWD",
    "shilling": "KES",
    "real": "BRL",
    "won": "KRW",
    "rand": "ZAR",
    "lira": "TRY",
    "mark": "DEM",
    "yuan": "CNY",
    "riyal": "SAR",
    "rial": "IRR",
}
# Short forms news writes that CLDR spells out (its `RMB` is the Chinese name for the yuan).
CURRENCY_ABBREVIATIONS: dict[str, str] = {"rmb": "CNY", "renminbi": "CNY", "sterling": "GBP", "rs": "INR", "rs.": "INR"}
# Codes whose last name word is an English word in most stories: `mark`, `real`, `won`, `rand`, `dram`.
NO_SHORT_NAME: frozenset[str] = frozenset({"BRL", "KRW", "AMD", "XDR", "XEU", "XBA", "XBB", "XBC", "XBD"})
# Last words of names that stay words unless a figure's unit: read only right after a number.
CURRENCY_WORDS_AFTER_NUMBER_ONLY: frozenset[str] = frozenset({"mark", "marks", "real", "won", "rand", "unit", "units"})
# `US` `$` as spaCy splits `US$`: the letters a dollar sign takes before it.
DOLLAR_PREFIX_LETTERS: frozenset[str] = frozenset({"us", "hk", "a", "au", "c", "ca", "s", "nz", "nt", "r", "mx"})
# Minor units: value is divided by 100. `12.5p` is 0.125 GBP.
MINOR_CURRENCY: dict[str, str] = {"p": "GBP", "pence": "GBP", "penny": "GBP", "cents": "USD", "cent": "USD"}
# Money words that make `pounds` sterling rather than weight (and weight words the other way).
MONEY_CONTEXT: frozenset[str] = frozenset(
    {"£", "sterling", "gbp", "pence", "penny", "cost", "costs", "price", "prices", "worth", "paid", "pay", "fund"}
)
WEIGHT_CONTEXT: frozenset[str] = frozenset(
    {"weigh", "weighs", "weighed", "weighing", "weight", "heavy", "heavier", "lighter", "bag", "sack", "box"}
)

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

# Number words from num2words' English vocabulary: `UNIT_WORDS` 0..19, `TENS_WORDS` 20..90, ordinals.
UNIT_WORDS: dict[str, int] = {num2words(n): n for n in range(20)}
TENS_WORDS: dict[str, int] = {num2words(n): n for n in range(20, 100, 10)}
# Ordinals as denominators of fractions: `one fourth of`, `three tenths`; `half`/`quarter` are their own.
ORDINAL_DENOMINATORS: dict[str, int] = {num2words(n, to="ordinal"): n for n in range(3, 21)} | {
    num2words(n, to="ordinal"): n for n in (30, 40, 50, 100, 1000)
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

# Units are read with pint (`nlp/units.py`); these say which of its units news writes, and how.

# pint's names of the units news reports. pint also knows `barn`, `at`, `gauss`, `shot`, `hand`: in a story
# those are words, so a unit outside this set is not read as one.
NEWS_UNITS: frozenset[str] = frozenset(
    {
        "meter", "gram", "metric_ton", "ton", "long_ton", "liter", "watt", "watt_hour", "joule", "calorie",
        "volt", "ampere", "hertz", "byte", "bit", "mile", "foot", "inch", "yard", "nautical_mile", "acre",
        "hectare", "pound", "ounce", "troy_ounce", "stone", "carat", "barrel", "oil_barrel", "gallon", "pint", "quart",
        "fluid_ounce", "bushel", "degree_Celsius", "degree_Fahrenheit", "kelvin", "degree", "knot",
        "mile_per_hour", "kilometer_per_hour", "british_thermal_unit", "horsepower", "light_year", "pascal",
        "bar", "gray", "sievert", "becquerel", "newton", "electron_volt", "decibel", "cubic_centimeter",
        "square_foot", "square_mile", "pound_force_per_square_inch", "tablespoon", "teaspoon", "cup",
        "second", "minute", "hour", "day", "week", "month", "year", "decade", "century", "fortnight",
    }
)  # fmt: skip
# Units that take SI prefixes (`kWh`, `mg`, `GW`); `kt` is a knot, not a kilotonne of anything but TNT.
PREFIXABLE_UNITS: frozenset[str] = frozenset(
    {"meter", "gram", "metric_ton", "liter", "watt", "watt_hour", "joule", "calorie", "volt", "ampere", "hertz",
     "byte", "bit", "pascal", "bar", "gray", "sievert", "becquerel", "newton", "electron_volt", "second"}
)  # fmt: skip
UNIT_PREFIXES: frozenset[str] = frozenset({"kilo", "mega", "giga", "tera", "peta", "milli", "micro", "nano", "centi"})
# News abbreviations and spellings pint lacks, as pint expressions.
UNIT_ALIASES: dict[str, str] = {
    # pint's `barrel` is 31.5 US gallons; news' barrels are oil barrels (42 gallons)
    "barrel": "oil_barrel",
    "barrels": "oil_barrel",
    "bbl": "oil_barrel",
    "bpd": "oil_barrel / day",
    "b/d": "oil_barrel / day",
    "mpg": "mile / gallon",
    "kmh": "kilometer / hour",
    "kms": "kilometer",
    "kilos": "kilogram",
    "kilo": "kilogram",
    "celcius": "degree_Celsius",  # misspellings copy keeps
    "centigrade": "degree_Celsius",
    "centigrate": "degree_Celsius",
    "farenheit": "degree_Fahrenheit",
    "fahrenheight": "degree_Fahrenheit",
    "sqm": "meter ** 2",
    "sqft": "foot ** 2",
    "°": "degree",
    "º": "degree",
}
# Readable names where pint's symbol is not the one the contract names (`t` -> `tonnes`).
UNIT_DISPLAY: dict[str, str] = {
    "metric_ton": "tonnes",
    "oil_barrel": "bbl",
    "year": "years",
    "month": "months",
    "week": "weeks",
    "day": "days",
    "hour": "hours",
    "minute": "minutes",
    "second": "seconds",
    "decade": "decades",
    "century": "centuries",
    "fortnight": "fortnights",
}
TEMPERATURE_LETTERS: dict[str, str] = {"c": "degree_Celsius", "f": "degree_Fahrenheit", "k": "kelvin"}
DEGREE_WORDS: frozenset[str] = frozenset({"degree", "degrees", "deg", "deg.", "°", "º"})
# A bare `degrees` or `30C` is a temperature when the sentence talks weather.
TEMPERATURE_CONTEXT: frozenset[str] = frozenset(
    {"temperature", "temperatures", "heat", "hot", "cold", "warm", "weather", "freezing", "degrees", "celsius",
     "fahrenheit", "thermometer", "heatwave", "forecast", "high", "low", "highs", "lows", "outside", "chilly"}
)  # fmt: skip
# Races and their results, after which `m` glued to a number is metres: `the 800m final`, `a 100m record`.
DISTANCE_EVENT_NOUNS: frozenset[str] = frozenset(
    {"race", "sprint", "hurdles", "relay", "man", "woman", "runner", "runners", "event", "dash", "lap", "leg",
     "freestyle", "backstroke", "breaststroke", "butterfly", "medley", "final", "finals", "heat", "heats",
     "title", "champion", "victory", "win", "record", "gold", "silver", "bronze"}
)  # fmt: skip
# Adjectives after which `m` glued to a number is metres, not million: `300m tall`, `a 50m-long wall`.
DIMENSION_ADJECTIVES: frozenset[str] = frozenset(
    {"tall", "high", "long", "deep", "wide", "away", "thick", "across", "above", "below", "under", "underground"}
)
# `wafers per month`, `barrels a day`: the rate is part of the unit.
RATE_NOUNS: frozenset[str] = frozenset(
    {"second", "minute", "day", "week", "month", "year", "hour", "annum", "capita", "head"}
)

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
