"""Places resolved offline: ambiguous names decided by the article's other places, country aliases to one
entity, demonyms to their country, and the entities of parsed sentences carrying it all."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.ids import place_entity_id
from pipeline.nlp.entities import extract_entities
from pipeline.nlp.places import demonym_country, gazetteer, place_key, resolve_places

pytestmark = pytest.mark.slow

GB, US = 2635167, 6252001  # GeoNames ids of the United Kingdom and the United States

# (name, the article's other places, expected country, expected region, expected kind)
AMBIGUOUS: list[tuple[str, list[str], str, str | None, str]] = [
    ("Paris", [], "FR", "Île-de-France", "city"),
    ("Paris", ["Texas"], "US", "Texas", "city"),
    ("Paris", ["Lyon", "Marseille"], "FR", "Île-de-France", "city"),
    ("Georgia", [], "GE", None, "country"),
    ("Georgia", ["Atlanta"], "US", "Georgia", "region"),
    ("Georgia", ["Tbilisi", "Russia"], "GE", None, "country"),
    ("Cambridge", ["London", "Oxford"], "GB", "England", "city"),
    ("Cambridge", ["Boston", "Massachusetts"], "US", "Massachusetts", "city"),
    ("Victoria", ["Melbourne", "Australia"], "AU", "Victoria", "region"),
    ("Victoria", ["Vancouver", "Canada"], "CA", "British Columbia", "city"),
    ("Birmingham", ["Britain"], "GB", "England", "city"),
    ("Birmingham", ["Alabama"], "US", "Alabama", "city"),
    # second-level regions: a Scottish council area over three US towns once the article is in Scotland
    ("Midlothian", ["Edinburgh", "Scotland"], "GB", "Scotland", "district"),
    ("Midlothian", ["Dallas", "Texas"], "US", "Texas", "city"),
    # a region named as one of its cities means the city; a state that is not named so stays the state
    ("New York", [], "US", "New York", "city"),
    ("Edinburgh", [], "GB", "Scotland", "city"),
    ("Washington", ["Seattle", "Oregon"], "US", "Washington", "region"),
    ("Washington", ["Iraq", "US"], "US", "District of Columbia", "city"),
    # the city, also when the district's alias is only the city's alternate name (`Oporto`)
    ("Oporto", ["Portugal"], "PT", "Porto", "city"),
    # a GeoNames short form of a longer name is the place's own (`Frankfurt am Main`)
    ("Frankfurt", [], "DE", "Hessen", "city"),
]


@pytest.mark.parametrize(("name", "context", "country", "region", "kind"), AMBIGUOUS)
def test_ambiguous_places_follow_the_article(
    name: str, context: list[str], country: str, region: str | None, kind: str
) -> None:
    match = resolve_places([name, *context])[name]
    assert (match.place.country_code, match.place.admin1, match.place.kind) == (country, region, kind)
    assert 0 < match.confidence <= 1
    if context:  # the evidence names what decided it
        assert country in match.evidence or (region or "") in match.evidence


def test_context_raises_the_confidence() -> None:
    alone = resolve_places(["Birmingham"])["Birmingham"]
    with_alabama = resolve_places(["Birmingham", "Alabama"])["Birmingham"]
    assert alone.place.country_code == "GB" and "population" in alone.evidence
    assert with_alabama.place.country_code == "US" and with_alabama.confidence > 0.5


def test_a_guess_without_context_is_no_answer() -> None:
    # four Cambridges (GB, US, CA, NZ), none dominant: unresolved alone, resolved with a neighbour
    assert "Cambridge" not in resolve_places(["Cambridge"])
    assert "Westminster" not in resolve_places(["Westminster"])
    assert resolve_places(["Cambridge", "Boston"])["Cambridge"].place.admin1 == "Massachusetts"


@pytest.mark.parametrize(
    ("names", "geonames_id", "canonical"),
    [
        (["Britain", "UK", "U.K.", "Great Britain", "United Kingdom", "the United Kingdom"], GB, "United Kingdom"),
        (["US", "U.S.", "USA", "America", "United States", "United States of America"], US, "United States"),
        (["S Korea", "South Korea", "Republic of Korea"], 1835841, "South Korea"),
        (["Holland", "Netherlands", "The Netherlands"], 2750405, "The Netherlands"),
    ],
)
def test_country_aliases_are_one_place(names: list[str], geonames_id: int, canonical: str) -> None:
    found = resolve_places(names)
    assert {n: (m.place.geonames_id, m.place.name, m.place.kind) for n, m in found.items()} == {
        n: (geonames_id, canonical, "country") for n in names
    }


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("British", "GB"),
        ("Britons", None),
        ("Chinese", "CN"),
        ("Americans", "US"),
        ("French", "FR"),
        ("Welsh", "GB"),
        ("South Korean", "KR"),
        ("Martian", None),
    ],
)
def test_demonyms_carry_their_country(name: str, country: str | None) -> None:
    found = demonym_country(name)
    assert (found.country_code if found else None) == country


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Beijing", 39.9, 116.4), ("Kiev", 50.45, 30.52), ("Bombay", 19.07, 72.88), ("Scotland", 56.0, -3.7)],
)
def test_coordinates(name: str, lat: float, lon: float) -> None:
    p = resolve_places([name])[name].place
    assert p.latitude == pytest.approx(lat, abs=0.5) and p.longitude == pytest.approx(lon, abs=0.5)


def test_unknown_and_implausible_names_stay_unresolved() -> None:
    # `Gulf` is only a province of Papua New Guinea, a region with no city tied to it: not without its country
    assert resolve_places(["Gulf", "Middle Earth", "Downing Street"]) == {}
    # ISO codes are not names: `Mr` is not Mauritania (MR); `US` and `UK` are names
    assert "Mr" not in resolve_places(["Mr"])
    assert resolve_places(["US"])["US"].place.country_code == "US"


@pytest.mark.parametrize(
    ("name", "geonames_id", "canonical", "kind", "country"),
    [
        ("Bavaria", 2951839, "Bayern", "region", "DE"),  # ISO's name, found by its English alias
        ("Oxfordshire", 2640726, "Oxfordshire", "district", "GB"),
        ("Aceh", 1215638, "Aceh", "region", "ID"),
        ("England", 6269131, "England", "region", "GB"),
        ("County Durham", 2650629, "County Durham", "district", "GB"),  # ISO files it `Durham, County`
        ("Caribbean", None, "Caribbean", "macroregion", None),
        ("Latin America", None, "Latin America", "macroregion", None),
    ],
)
def test_regions_towns_and_world_regions(
    name: str, geonames_id: int | None, canonical: str, kind: str, country: str | None
) -> None:
    p = resolve_places([name])[name].place
    assert (p.geonames_id, p.name, p.kind, p.country_code) == (geonames_id, canonical, kind, country)
    assert p.latitude is not None and p.longitude is not None


def test_small_towns_need_their_country_and_a_name_of_their_own() -> None:
    # Davos (11,000 people) is Davos where the article names Switzerland or the Swiss; Highlands, Texas
    # (7,500) is not the Scottish Highlands
    assert "Davos" not in resolve_places(["Davos"])
    assert resolve_places(["Davos", "Switzerland"])["Davos"].place.geonames_id == 2661039
    davos = resolve_places(["Davos"], peoples={"CH": "Swiss"})["Davos"]
    assert davos.place.country_code == "CH" and davos.evidence == "only candidate; CH in the article (Swiss)"
    assert "Highlands" not in resolve_places(["Highlands", "Scotland"])


def test_demonyms_are_context() -> None:
    # `Westminster` with `British` in the article is London's, not one of the US towns
    assert "Westminster" not in resolve_places(["Westminster"])
    westminster = resolve_places(["Westminster"], peoples={"GB": "British"})["Westminster"].place
    assert (westminster.country_code, westminster.admin1) == ("GB", "England")


def test_small_towns_do_not_take_a_larger_places_name() -> None:
    # Southampton, Massachusetts (5,000 people) and Boston, New York are not candidates at all
    towns = [c.place for c in gazetteer().candidates("Southampton") if c.primary and c.place.kind == "city"]
    assert {p.country_code for p in towns} == {"GB"}
    assert resolve_places(["Southampton", "Dallas"])["Southampton"].place.country_code == "GB"
    assert resolve_places(["Boston"])["Boston"].confidence > 0.9  # 654,000 against Boston, Lincolnshire's 45,000
    # a small region's name needs its country (Jamaica's parish of Manchester; Gulf province)
    assert resolve_places(["Manchester"])["Manchester"].place.country_code == "GB"


def test_alternate_names_of_small_cities_need_their_country() -> None:
    # GeoNames lists `Twickenham` among Huntsville, Alabama's names, and `Falluja` for Al Fallujah
    assert "Twickenham" not in resolve_places(["Twickenham", "England"])
    assert "Falluja" not in resolve_places(["Falluja"])
    falluja = resolve_places(["Falluja", "Iraq"])["Falluja"].place
    assert (falluja.name, falluja.country_code) == ("Al Fallūjah", "IQ")
    assert resolve_places(["Kiev"])["Kiev"].place.name == "Kyiv"  # a large city's old name stands alone
    # a place's own name wins over a smaller place's alternate one, whatever the context; a larger place's
    # alternate name stays a candidate (Kingston upon Hull, 270,000, and Hull, Quebec)
    assert resolve_places(["Southampton", "Dallas"])["Southampton"].place.country_code == "GB"
    assert resolve_places(["Hull", "England"])["Hull"].place.name == "Kingston upon Hull"


def test_gazetteer_loads_once() -> None:
    assert gazetteer() is gazetteer()
    assert place_key("U.K.") == place_key("UK") == "uk"
    assert place_key("the Netherlands") == "netherlands"


# (text, {canonical name: (country code, region)}, {surface form: canonical name})
SENTENCES: list[tuple[str, dict[str, tuple[str | None, str | None]], dict[str, str]]] = [
    (
        "Britain will host the summit. The UK government said the United Kingdom was ready.",
        {"United Kingdom": ("GB", None)},
        {"Britain": "United Kingdom", "UK": "United Kingdom"},
    ),
    (
        "Officials in Paris, Texas, said the storm had moved east from Dallas.",
        {"Paris": ("US", "Texas"), "Dallas": ("US", "Texas"), "Texas": ("US", "Texas")},
        {},
    ),
    (
        "The president of France returned to Paris on Monday.",
        {"Paris": ("FR", "Île-de-France"), "France": ("FR", None)},
        {},
    ),
    (
        "Georgia's president met Russian officials in Tbilisi.",
        {"Georgia": ("GE", None), "Tbilisi": ("GE", "Tbilisi")},
        {},
    ),
]


@pytest.mark.parametrize(("text", "places", "surfaces"), SENTENCES, ids=[s[0][:30] for s in SENTENCES])
def test_sentences(
    nlp: Language, text: str, places: dict[str, tuple[str | None, str | None]], surfaces: dict[str, str]
) -> None:
    result = extract_entities(nlp(text), "a")
    got = {e.canonical_name: (e.country_code, e.admin1) for e in result.entities if e.entity_type in ("GPE", "LOC")}
    assert {n: got.get(n) for n in places} == places
    for surface, canonical in surfaces.items():
        found = result.lookup(surface)
        assert found is not None and found.canonical_name == canonical


def test_aliases_in_one_article_are_one_entity(nlp: Language) -> None:
    doc = nlp("Britain and the US agreed. The UK and America will meet in the United States next year.")
    result = extract_entities(doc, "a")
    by_name = {e.canonical_name: e for e in result.entities}
    uk, usa = by_name["United Kingdom"], by_name["United States"]
    assert uk.entity_id == place_entity_id(GB) and usa.entity_id == place_entity_id(US)
    assert {"Britain", "UK"} <= set(uk.aliases) and {"US", "America"} <= set(usa.aliases)
    assert {m.entity_id for m in result.mentions if m.text in ("Britain", "UK")} == {uk.entity_id}
    assert len([e for e in result.entities if e.country_code == "GB"]) == 1


def test_demonym_entities_carry_the_country_code(nlp: Language) -> None:
    result = extract_entities(nlp("British and Chinese officials met in Geneva."), "a")
    codes = {e.canonical_name: e.country_code for e in result.entities if e.entity_type == "NORP"}
    assert codes == {"British": "GB", "Chinese": "CN"}
    norp = next(e for e in result.entities if e.canonical_name == "British")
    assert norp.latitude is None  # a people, not a place on the map


def test_place_ids_are_stable_across_runs(nlp: Language) -> None:
    first = extract_entities(nlp("Talks in Beijing ended."), "a")
    second = extract_entities(nlp("Beijing said on Monday that talks would go on."), "b")
    assert {e.entity_id for e in first.entities} & {e.entity_id for e in second.entities}
    beijing = next(e for e in second.entities if e.canonical_name == "Beijing")
    assert (beijing.geonames_id, beijing.country_code) == (1816670, "CN")
