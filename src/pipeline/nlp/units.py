"""Units of measurement from pint's registry: recognise a unit written after a number and convert to SI.

pint carries the definitions (names, symbols, plurals, prefixes, conversion factors); this module only
decides which of them news writes (`metric_words.NEWS_UNITS`: pint knows `barn`, `gauss` and `at`, which in a
story are a farm building, a name and a preposition) and reads the shapes news writes them in:
`km/h`, `tonnes per day`, `bushels an acre`, `sq ft`, `km²`, `GW·h`, `°C`, `degrees Fahrenheit`.

The registry is built once per process (pint's own disk cache makes that ~50 ms); every lookup of a
written form is memoised, so an article costs dictionary look-ups only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint
from spacy.tokens import Doc

from pipeline.nlp import metric_words as W

_SUPERSCRIPT_POWERS = {"²": 2, "³": 3}
_PRODUCT_MARKS = ("·", "⋅", "*", "×")
_POWER_WORDS = {"square": 2, "sq": 2, "sq.": 2, "cubic": 3, "cu": 3, "cu.": 3}
_POWER_SUFFIX_WORDS = {"squared": 2, "cubed": 3}
# Glued to digits, a unit may hold a slash, a power or a product sign (`120km/h`, `5km²`, `GW·h`).
_GLUED = re.compile(r"^[A-Za-zµμ°Ω²³/·⋅]+$")
_TEMPERATURE_NAMES = frozenset({"degree_Celsius", "degree_Fahrenheit", "kelvin"})
_TIME_NAMES = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"})
# First words of the units pint names in several words (`nautical_mile`): the only joins worth a look-up.
_MULTIWORD_STARTS = frozenset(name.split("_")[0].lower() for name in W.NEWS_UNITS if "_" in name)
# Prefixed lab units that a lower- or upper-cased story means with the big prefix: `500 mw` is megawatts.
_BIG_PREFIX = {"milli": "mega"}
_BIG_PREFIX_ROOTS = frozenset({"watt", "watt_hour", "byte", "bit"})


@dataclass(frozen=True)
class Atom:
    """One unit as pint names it: `kilometer`, `metric_ton`, `degree_Celsius`."""

    name: str  # pint's name with prefix: the expression `parse_units` reads
    root: str  # pint's name without prefix
    symbol: str  # readable canonical form: `km`, `tonnes`, `°C`


@dataclass(frozen=True)
class UnitRead:
    """A unit found after a number: where it ends, its readable name and how to reach SI."""

    end: int  # one past its last token
    unit: str  # readable canonical name: `km`, `km/h`, `tonnes/d`, `°C`, `years`
    kind: str  # quantity, temperature, duration
    factor: float | None  # SI value = value * factor + offset; None where pint knows no conversion
    offset: float
    base_unit: str | None  # the SI unit, pint's short form: `m`, `kg`, `K`, `m/s`


# --- The registry ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[Any]:
    """pint's registry with its shipped definitions; its parsed form cached on disk by pint."""
    try:
        return pint.UnitRegistry(cache_folder=":auto:")
    except OSError:  # a read-only home: build it in memory
        return pint.UnitRegistry()


@lru_cache(maxsize=4096)
def atom(text: str) -> Atom | None:
    """The unit a single written form names (`km`, `tonnes`, `lbs.`, `MW`, `mw`), if news uses it."""
    t = text[:-1] if text.endswith(".") and len(text) > 2 else text
    if not t or (not t[0].isalpha() and t[0] not in "°µμ"):
        return None
    alias = W.UNIT_ALIASES.get(t) or W.UNIT_ALIASES.get(t.lower())
    if alias is not None and " " in alias:  # `bpd`: an expression, `oil_barrel / day`
        num, *dens = alias.split(" / ")
        return Atom(alias, alias.split()[0], "/".join([_symbol(num), *(_short(d) for d in dens)]))
    if alias is not None:
        t = alias
    ureg = registry()
    for variant in _case_variants(t):
        try:
            found = ureg.parse_unit_name(variant)
        except (pint.errors.PintError, ValueError, AttributeError):
            continue
        picks = [(p, n) for p, n, _ in found if n in W.NEWS_UNITS and (not p or n in W.PREFIXABLE_UNITS)]
        picks = [(p, n) for p, n in picks if not p or p in W.UNIT_PREFIXES]
        if not picks:
            continue
        prefix, root = min(picks, key=lambda pn: pn[0] != "")  # `kt` is a knot before a kilotonne
        if variant != t and prefix in _BIG_PREFIX and root in _BIG_PREFIX_ROOTS:
            prefix = _BIG_PREFIX[prefix]
        elif variant == t and t.islower() and prefix in _BIG_PREFIX and root in _BIG_PREFIX_ROOTS:
            prefix = _BIG_PREFIX[prefix]  # `mw` in lower-cased copy
        name = prefix + root
        return Atom(name, root, _symbol(name))
    return None


def _case_variants(t: str) -> list[str]:
    """The form as written, then the casings lower- or upper-cased copy hides: `KWH` -> `kWh`, `gw` -> `GW`."""
    out = [t]
    if len(t) > 5:  # a word, not an abbreviation: only its lower-case form can differ (`MILES`)
        return [t, t.lower()] if t.lower() != t else out
    if len(t) > 1 and (t.isupper() or t.islower()):  # `b` stays a barn (no news unit), never a byte
        low = t.lower()
        out += [low, low.capitalize()]
        if len(low) >= 2:
            out += [low[0] + low[1].upper() + low[2:], low[:2].upper() + low[2:], low.upper()]
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1024)
def _symbol(name: str) -> str:
    """pint's short symbol, except where the contract names the unit (`tonnes`)."""
    override = W.UNIT_DISPLAY.get(name)
    if override is not None:
        return override
    unit = registry().parse_units(name)
    return f"{unit:~P}"


@lru_cache(maxsize=1024)
def _short(expr: str) -> str:
    """pint's symbol for an expression: `h` for hour, as a denominator reads (`km/h`)."""
    return f"{registry().parse_units(expr):~P}"


@lru_cache(maxsize=4096)
def convert(expr: str) -> tuple[float, float, str] | None:
    """(factor, offset, SI unit) for a pint expression: SI value = value * factor + offset."""
    ureg = registry()
    try:
        unit = ureg.parse_units(expr)
        zero = ureg.Quantity(0.0, unit).to_base_units()
        one = ureg.Quantity(1.0, unit).to_base_units()
    except (pint.errors.PintError, ValueError, TypeError, ZeroDivisionError):
        return None
    offset = float(zero.magnitude)
    factor = float(one.magnitude) - offset
    if not (math.isfinite(factor) and math.isfinite(offset)) or factor == 0:
        return None
    return factor, offset, f"{one.units:~P}"


# --- Reading a unit from tokens -------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    expr: str  # pint expression: `kilometer ** 2`
    display: str
    root: str
    end: int


def read_unit(doc: Doc, k: int, limit: int, glued: str = "") -> UnitRead | None:
    """The unit at token k (or glued to the number before it): one term, then `per`/`/` terms."""
    first = _glued_term(glued, k) if glued else _term(doc, k, limit)
    if first is None:
        return None
    terms = [first]
    end = first.end
    while end < limit and len(terms) < 3:
        sep = doc[end].lower_
        if sep in ("/", "per") or (sep in ("a", "an") and terms[-1].root not in _TIME_NAMES):
            den = _term(doc, end + 1, limit)
            if den is None or (sep in ("a", "an") and not _rate_base(den)):
                break
            terms.append(_Term(f"({den.expr}) ** -1", _short(den.expr), den.root, den.end))
            end = den.end
            continue
        break
    return _unit_read(terms, end)


def _rate_base(t: _Term) -> bool:
    """`barrels a day`, `bushels an acre`: `a` makes a rate only before a time or an area."""
    if t.root in _TIME_NAMES:
        return True
    conv = convert(t.expr)
    return conv is not None and conv[2] == "m²"


def read_glued(text: str, end: int) -> UnitRead | None:
    """A unit written without a space after its number (`12mg`, `120km/h`), or one named in code (`year`)."""
    term = _glued_term(text, end)
    return _unit_read([term], end) if term is not None else None


def named_unit(name: str, end: int) -> UnitRead:
    """The unit pint calls `name` (`year`, `degree_Celsius`), ending at token `end`."""
    return _unit_read([_Term(name, _symbol(name), name, end)], end)


def _unit_read(terms: list[_Term], end: int) -> UnitRead:
    num = terms[0]
    expr = " * ".join(f"({t.expr})" for t in terms)
    display = num.display + "".join(f"/{t.display}" for t in terms[1:])
    kind = "quantity"
    if len(terms) == 1 and num.root in _TEMPERATURE_NAMES:
        kind = "temperature"
    elif len(terms) == 1 and num.root in _TIME_NAMES:
        kind = "duration"
    conv = convert(expr)
    if conv is None:
        return UnitRead(end, display, kind, None, 0.0, None)
    factor, offset, base = conv
    return UnitRead(end, display, kind, factor, offset, base)


def _glued_term(text: str, k: int) -> _Term | None:
    """A unit glued to its number: `12mg`, `120km/h`, `5km²`, `-10C`, `100mph`."""
    if not _GLUED.match(text):
        return None
    parts = text.split("/")
    terms = [_text_term(p, k) for p in parts]
    if any(t is None for t in terms) or len(parts) > 2:
        return None
    found = [t for t in terms if t is not None]
    if len(found) == 1:
        return found[0]
    a, b = found
    return _Term(f"({a.expr}) / ({b.expr})", f"{a.display}/{b.display}", a.root, k)


def _text_term(text: str, end: int) -> _Term | None:
    """One written term without spaces: `km²`, `GW·h`, `°C`, `kWh`."""
    power = 1
    if text and text[-1] in _SUPERSCRIPT_POWERS:
        power, text = _SUPERSCRIPT_POWERS[text[-1]], text[:-1]
    for mark in _PRODUCT_MARKS:
        if mark in text:
            parts = [atom(p) for p in text.split(mark)]
            if len(parts) != 2 or any(p is None for p in parts):
                return None
            a, b = (p for p in parts if p is not None)
            return _powered(f"{a.name} * {b.name}", f"{a.symbol}·{_short(b.name)}", a.root, power, end)
    found = _temperature_symbol(text) or _temperature_letter(text) or atom(text)
    if found is None:
        return None
    return _powered(found.name, found.symbol, found.root, power, end)


def _temperature_symbol(text: str) -> Atom | None:
    """`°C`, `°F`, `ºc`: a degree sign before the scale letter."""
    if len(text) == 2 and text[0] in "°º" and text[1].lower() in W.TEMPERATURE_LETTERS:
        name = W.TEMPERATURE_LETTERS[text[1].lower()]
        return Atom(name, name, _symbol(name))
    return None


def _temperature_letter(text: str) -> Atom | None:
    """`30 C`, `-10C`, `98 F`: a scale letter alone (pint's `C` is a coulomb, `F` a farad: no news units)."""
    if text in ("C", "F", "c", "f"):
        name = W.TEMPERATURE_LETTERS[text.lower()]
        return Atom(name, name, _symbol(name))
    return None


def _powered(expr: str, display: str, root: str, power: int, end: int) -> _Term:
    if power == 1:
        return _Term(expr, display, root, end)
    sup = "²" if power == 2 else "³"
    return _Term(f"({expr}) ** {power}", f"{display}{sup}", root, end)


def _term(doc: Doc, k: int, limit: int) -> _Term | None:
    """`square metres`, `sq ft`, `km²`, `cubic feet`, `degrees Celsius`, `° C`, `miles`, `kWh`."""
    if k >= limit:
        return None
    low = doc[k].lower_
    if low in _POWER_WORDS and k + 1 < limit:
        inner = _term(doc, k + 1, limit)
        if inner is None or "**" in inner.expr or "/" in inner.expr:
            return None
        return _powered(inner.expr, inner.display, inner.root, _POWER_WORDS[low], inner.end)
    temp = _temperature_words(doc, k, limit)
    if temp is not None:
        return temp
    two = _two_token_atom(doc, k, limit)
    if two is not None:
        return two
    term = _text_term(doc[k].text, k + 1)
    if term is None:
        return None
    if k + 1 < limit and doc[k + 1].lower_ in _POWER_SUFFIX_WORDS and "**" not in term.expr:
        return _powered(term.expr, term.display, term.root, _POWER_SUFFIX_WORDS[doc[k + 1].lower_], k + 2)
    return term


def _two_token_atom(doc: Doc, k: int, limit: int) -> _Term | None:
    """Units pint names in two or three words: `fluid ounces`, `nautical miles`, `British thermal units`."""
    for n in (3, 2):
        if k + n > limit:
            continue
        words = [doc[t].lower_ for t in range(k, k + n)]
        if words[0] not in _MULTIWORD_STARTS or not all(w.isalpha() for w in words):
            continue
        found = atom("_".join(words))
        if found is not None and "_" in found.root:
            return _Term(found.name, found.symbol, found.root, k + n)
    return None


@lru_cache(maxsize=1024)
def temperature_scale(word: str) -> str | None:
    """pint's name of the scale a word names (`celsius`, `Fahrenheit`, `kelvins`, `celcius`), else None."""
    if len(word) < 5 or not word.isalpha():
        return None  # scale names, not symbols: `K` alone is a thousand as often as a kelvin
    found = atom(word)
    return found.root if found is not None and found.root in _TEMPERATURE_NAMES else None


def _temperature_words(doc: Doc, k: int, limit: int) -> _Term | None:
    """`degrees Celsius`, `degree f`, `deg c`, `° C`, `Celsius`, `fahrenheit`: a temperature scale."""
    low = doc[k].lower_
    name = temperature_scale(low)
    if name is not None:
        return _Term(name, _symbol(name), name, k + 1)
    if low in W.DEGREE_WORDS and k + 1 < limit:
        nxt = doc[k + 1].lower_
        scale = temperature_scale(nxt) or (W.TEMPERATURE_LETTERS.get(nxt) if len(nxt) == 1 else None)
        if scale is not None:
            return _Term(scale, _symbol(scale), scale, k + 2)
    return None
