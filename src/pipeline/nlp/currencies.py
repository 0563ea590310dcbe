"""Currencies from CLDR (through babel): every ISO 4217 code, symbol and English name, historic ones too.

CLDR names each currency in English, singular and plural (`Swiss franc`, `Swiss francs`, `Finnish markka`),
gives each English locale's symbols (`HK$`, `₦`, `Rp`), and says which currency each territory used when
(`FR` in 1990: `FRF`). A bare name shared by several currencies (`dollars`, `francs`, `pesos`) is resolved
by the country the sentence or article names, at the article's date; failing that by the register's default
(`metric_words.CURRENCY_DEFAULTS`). Tables are built once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale, localedata
from babel.numbers import get_currency_name, get_territory_currencies, list_currencies

from pipeline.nlp import metric_words as W


@dataclass(frozen=True)
class Tables:
    """Lower-case written forms -> ISO codes (a set where the form is shared)."""

    names: dict[str, frozenset[str]]  # `swiss francs`, `franc`, `naira`, `finnish markka`
    symbols: dict[str, frozenset[str]]  # `$`, `hk$`, `₦`, `rp`, `us$`
    codes: frozenset[str]  # `USD`, `FIM`
    territories: dict[str, str]  # `australia` -> `AU`
    max_words: int  # the longest name, in words


@lru_cache(maxsize=1)
def tables() -> Tables:
    codes = frozenset(c for c in list_currencies() if len(c) == 3 and c.isalpha() and c != "XXX")
    names: dict[str, set[str]] = {}
    for code in codes:
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en").lower()
            if name.upper() == code:
                continue
            words = name.replace("(", " ").replace(")", " ").split()
            names.setdefault(" ".join(words), set()).add(code)
            words = name.split("(")[0].split()  # `US Dollar (Next day)` is a dollar, not a `day`
            if len(words) > 1 and code not in W.NO_SHORT_NAME and " of " not in name and words[-1].isalpha():
                names.setdefault(words[-1], set()).add(code)  # `rupiah`, `francs`: the name without its country
    symbols: dict[str, set[str]] = {}
    for lid in localedata.locale_identifiers():
        if lid == "en" or lid.startswith("en_"):
            for code, sym in Locale.parse(lid).currency_symbols.items():
                if code in codes and sym != code and _usable_symbol(sym):
                    symbols.setdefault(sym.lower(), set()).add(code)
    en = Locale.parse("en").territories.items()
    territories = {str(name).lower(): cc for cc, name in en if isinstance(cc, str) and cc.isalpha()}
    return Tables(
        names={k: frozenset(v) for k, v in names.items()},
        symbols={k: frozenset(v) for k, v in symbols.items()},
        codes=codes,
        territories=territories,
        max_words=max(len(k.split()) for k in names),
    )


def _usable_symbol(sym: str) -> bool:
    """Symbols with a sign (`$`, `HK$`, `₦`) or of two letters or more (`Rp`, `RM`); one letter is a word."""
    return any(not ch.isalpha() for ch in sym) or (len(sym) >= 2 and sym.isalpha())


@lru_cache(maxsize=1)
def prefix_forms() -> frozenset[str]:
    """Every code and lower-case symbol: the cheap test of whether a token may open an amount."""
    t = tables()
    return t.codes | frozenset(t.symbols)


def is_code(text: str) -> bool:
    return len(text) == 3 and text.isupper() and text in tables().codes


def name_codes(words: tuple[str, ...]) -> frozenset[str]:
    """ISO codes a lower-case name names: (`swiss`, `francs`) -> {CHF}; (`dollars`,) -> {USD, AUD, ...}."""
    return tables().names.get(" ".join(words), frozenset())


def symbol_codes(sym: str) -> frozenset[str]:
    return tables().symbols.get(sym.lower(), frozenset())


def resolve(codes: frozenset[str], form: str, countries: tuple[str, ...], when: date | None) -> str | None:
    """One code for a form several currencies share: the named country's currency, else the default."""
    if not codes:
        return None
    if len(codes) == 1:
        return next(iter(codes))
    for cc in countries:
        for code in _territory_currencies(cc, when):
            if code in codes:
                return code
    default = W.CURRENCY_DEFAULTS.get(form.lower().rstrip("s")) or W.CURRENCY_DEFAULTS.get(form.lower())
    if default in codes:
        return default
    current = [c for c in sorted(codes) if c in _current_codes()]
    return current[0] if current else sorted(codes)[0]


@lru_cache(maxsize=512)
def _territory_currencies(cc: str, when: date | None) -> tuple[str, ...]:
    try:
        return tuple(get_territory_currencies(cc, start_date=when or date.today(), tender=True))
    except Exception:  # babel raises a bare error for a territory CLDR lacks
        return ()


@lru_cache(maxsize=1)
def _current_codes() -> frozenset[str]:
    today = date.today()
    out: set[str] = set()
    for cc in Locale.parse("en").territories:
        if isinstance(cc, str) and len(cc) == 2 and cc.isalpha():
            out.update(_territory_currencies(cc, today))
    return frozenset(out)


def country_code(place: str) -> str | None:
    """`Australia` -> AU, from CLDR's English territory names."""
    return tables().territories.get(place.lower().removeprefix("the "))
