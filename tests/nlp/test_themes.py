"""Themes: the shipped taxonomy on short news texts written for these tests, and user taxonomies."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.nlp.themes import (
    DEFAULT_TAXONOMY,
    TaxonomyError,
    ThemeMatcher,
    load_taxonomy,
    taxonomy_path,
    theme_matcher,
)
from pipeline.records import ArticleTheme
from tests.conftest import seed_body


@pytest.fixture(scope="module")
def matcher(nlp: Language) -> ThemeMatcher:
    return theme_matcher(nlp, DEFAULT_TAXONOMY)


def _themes(matcher: ThemeMatcher, nlp: Language, body: str, title: str | None = None) -> list[str]:
    return [t.theme for t in matcher.match(nlp(body), title, "a1")]


# (title, body, themes that must be found, themes that must not)
CASES = [
    (
        "Chipmaker expands",
        "The company makes memory chips at a new wafer fab. Semiconductor sales rose as demand for processors grew.",
        {"semiconductors"},
        {"football", "film"},
    ),
    (
        "Exporters brace for new tariffs",
        "The government raised tariffs on steel imports. Exporters warned of a trade war and disrupted supply chains.",
        {"international_trade"},
        {"semiconductors"},
    ),
    (
        "Striker scores twice",
        "The striker scored twice as Arsenal beat Chelsea in the Premier League. The manager praised the goalkeeper.",
        {"football"},
        {"stock_markets", "elections"},
    ),
    (
        "Polls close",
        "Voters went to the polls in the general election. The candidate conceded as the ballot count ended.",
        {"elections"},
        {"football"},
    ),
    (
        "Hospital waiting lists grow",
        "Patients waited longer for surgery, doctors said, as NHS hospitals struggled with winter flu.",
        {"health_care"},
        {"film"},
    ),
    (
        "Oscar nominations",
        "The actress and the director of the film were nominated; the movie has taken $90m at the box office.",
        {"film"},
        {"football"},
    ),
    (
        "Rates held",
        "The Bank of England held interest rates as inflation stayed above target and consumer prices rose.",
        {"monetary_policy", "inflation_prices"},
        {"film"},
    ),
    (
        "Floods hit the north",
        "Heavy storms caused flooding across the region; a landslide blocked roads and the death toll rose.",
        {"natural_disasters"},
        {"stock_markets"},
    ),
]


@pytest.mark.parametrize(("title", "body", "expected", "absent"), CASES)
def test_news_texts(
    matcher: ThemeMatcher, nlp: Language, title: str, body: str, expected: set[str], absent: set[str]
) -> None:
    found = _themes(matcher, nlp, body, title)
    assert expected <= set(found), found
    assert not absent & set(found), found


# Texts that must get no theme at all: one passing word is no evidence.
NEGATIVES = [
    "He ate a potato chip on the way to the meeting.",  # one term: chip
    "The weather was mild and the streets were quiet on Sunday morning.",
    "She said the plan would be published next week.",
]


@pytest.mark.parametrize("body", NEGATIVES)
def test_one_passing_word_is_no_theme(matcher: ThemeMatcher, nlp: Language, body: str) -> None:
    assert _themes(matcher, nlp, body, "Local notes") == []


def test_a_title_match_is_evidence(matcher: ThemeMatcher, nlp: Language) -> None:
    body = "The plant in the north will open next year with two hundred staff on site."
    assert "semiconductors" not in _themes(matcher, nlp, body, "Local notes")
    assert "semiconductors" in _themes(matcher, nlp, body, "Chip plant to open")


def test_lemmas_and_capitalised_titles_match(matcher: ThemeMatcher, nlp: Language) -> None:
    # "chips" finds the term "chip"; title case ("Semiconductors", tagged as a proper noun) still matches
    (theme,) = [t for t in matcher.match(nlp("Chips and wafers were shipped."), "Semiconductors Rally", "a1")]
    assert theme.theme == "semiconductors"
    assert set(theme.matched_terms.split(", ")) == {"chip", "wafer", "semiconductor"}


def test_the_longest_overlapping_term_counts_once(matcher: ThemeMatcher, nlp: Language) -> None:
    found = {t.theme: t for t in matcher.match(nlp("International cooperation was the theme."), None, "a1")}
    # "international cooperation" contains "cooperation": one term, so no evidence on its own
    assert "international_cooperation" not in found


def test_score_reflects_position_and_density(matcher: ThemeMatcher, nlp: Language) -> None:
    filler = " ".join(["The council met on Tuesday to discuss the parks and the roads."] * 10)
    passing = f"{filler} Chip and semiconductor firms were mentioned once."
    central = "Chip and semiconductor firms lead. " + filler + " Chipmakers and wafer foundries grew."
    score = {
        name: {t.theme: t.score for t in matcher.match(nlp(body), title, "a1")}["semiconductors"]
        for name, body, title in (
            ("passing", passing, None),
            ("central", central, None),
            ("titled", central, "Chipmakers grow"),
        )
    }
    assert 0 < score["passing"] < score["central"] < score["titled"] < 1


def test_themes_are_records(matcher: ThemeMatcher, nlp: Language) -> None:
    themes = matcher.match(nlp("Memory chips and semiconductor wafers."), None, "a9")
    assert themes and all(isinstance(t, ArticleTheme) and t.article_id == "a9" for t in themes)
    assert [t.score for t in themes] == sorted((t.score for t in themes), reverse=True)


def test_the_seed_article(matcher: ThemeMatcher, nlp: Language, shared_dir: Path) -> None:
    found = _themes(matcher, nlp, seed_body(shared_dir), "China mulls steps to woo more chip MNCs")
    assert found[0] == "semiconductors"
    assert {"international_trade", "international_cooperation"} & set(found[:3]), found


def test_the_shipped_taxonomy() -> None:
    themes = load_taxonomy(DEFAULT_TAXONOMY)
    assert 40 <= len(themes) <= 60
    fields = {t.field for t in themes}
    expected = {"business", "economy", "trade", "technology", "energy", "politics"}
    assert expected | {"health", "crime", "conflict", "environment", "sport", "culture"} <= fields
    assert "semiconductors" in {t.name for t in themes}


def test_users_add_themes_without_code(nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = tmp_path / "themes.toml"
    custom.write_text(
        '[themes.export_controls]\nfield = "trade"\nterms = ["export control", "entity list", "licence"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWS_THEMES_FILE", str(custom))
    assert taxonomy_path() == custom
    m = theme_matcher(nlp)
    body = "Washington tightened export controls and added firms to the entity list."
    assert [t.theme for t in m.match(nlp(body), None, "a1")] == ["export_controls"]
    assert theme_matcher(nlp) is m  # built once per process and taxonomy
    custom.write_text(custom.read_text() + '\n[themes.licensing]\nterms = ["licence", "permit"]\n')
    assert theme_matcher(nlp) is not m  # rebuilt when the file changes


@pytest.mark.parametrize(
    "text",
    ["[themes.x]\nfield = 'a'\n", "[themes.x]\nterms = []\n", "[themes.x]\nterms = 'chip'\n", "not toml [", ""],
)
def test_a_malformed_taxonomy_names_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.toml"):
        load_taxonomy(path)


def test_quote_themes(matcher: ThemeMatcher, nlp: Language, shared_dir: Path) -> None:
    from pipeline.nlp.extract import extract_article
    from pipeline.records import Article, ArticleExtraction

    body = seed_body(shared_dir)
    a = Article("a1", "t", "text", None, "China mulls steps to woo more chip MNCs", None, None, None, body, "h")
    x = extract_article(nlp(body), a, matcher)
    assert isinstance(x, ArticleExtraction)
    quotes = {q.quote_id: q for q in x.quotes}
    by_quote: dict[str, set[str]] = {}
    for t in x.quote_themes:
        assert t.article_id == "a1" and 0 < t.score < 1
        # every matched term is in the quote's own words (lemmas: "chips" for "chip")
        text = quotes[t.quote_id].quote_text.lower()
        assert any(term.lower().split()[0][:4] in text for term in t.matched_terms.split(", "))
        by_quote.setdefault(quotes[t.quote_id].quote_text, set()).add(t.theme)
    (gap,) = [themes for text, themes in by_quote.items() if "technical gap" in text]
    assert "semiconductors" in gap
    (trust,) = [themes for text, themes in by_quote.items() if "mutual trust" in text]
    assert "international_cooperation" in trust


def test_a_quote_needs_evidence(matcher: ThemeMatcher, nlp: Language) -> None:
    from pipeline.records import Quote

    body = 'The weather was mild. "We ate a chip at lunch," she said.'
    doc = nlp(body)
    start = body.index("We ate")
    q = Quote(
        "q1", "a1", "direct", "We ate a chip at lunch,", "say", "she", None, None, None, None, 1, start, start + 23, 0.9
    )
    themes, quote_themes = matcher.match_with_quotes(doc, None, "a1", [q])
    assert themes == () and quote_themes == ()  # one term, and the article does not carry the theme
