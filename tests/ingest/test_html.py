"""HTML pages through trafilatura: main text, metadata, encodings, and pages that hold no article."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pipeline.ingest import parse_payload
from pipeline.ingest.common import InputError
from pipeline.ingest.html import html_to_text, parse_html, strip_site_affixes, text_to_paragraphs
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "html/battery-recycling-plant.html"


def page(body: str, head: str = "<title>Test page</title>", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}</head>'
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>{body}</article>"
        "<footer>Copyright 2025 Example Media. Privacy policy.</footer></body></html>"
    )


GERMAN = page(
    "<h1>Stahlhersteller erhöht Produktion</h1>"
    "<p>Der Stahlkonzern Nordwerk hat seine Produktion im dritten Quartal um zwölf Prozent gesteigert, "
    "wie das Unternehmen am Dienstag in Duisburg mitteilte. Grund sei die starke Nachfrage der "
    "Automobilindustrie nach hochfesten Blechen.</p>"
    "<p>„Wir sind mit der Entwicklung sehr zufrieden und rechnen auch im Winter mit vollen Auftragsbüchern“, "
    "sagte Vorstandschefin Katrin Albers. Die Zahl der Beschäftigten soll bis Jahresende "
    "auf 4.200 steigen.</p>"
    "<p>Analysten hatten mit einem geringeren Wachstum gerechnet. Die Aktie legte nach der Mitteilung um "
    "drei Prozent zu.</p>",
    head="<title>Stahlhersteller erhöht Produktion</title>",
)


def test_example_page_text_and_metadata() -> None:
    a = parse_html(EXAMPLE.read_bytes(), str(EXAMPLE))
    assert a.source_type == "html"
    assert a.title == "Northvale opens Europe's largest battery recycling plant"
    assert a.byline == "Maria Jansen"
    assert a.site_name == "Industry Ledger"
    assert a.url == "https://industry-ledger.example/2025/03/northvale-battery-recycling"
    assert a.published_at == datetime(2025, 3, 14, 7, 30)  # 08:30 +01:00 as naive UTC
    assert a.subtitle == (
        "The 120-million-euro site in Rotterdam will process 45,000 tonnes of spent lithium-ion cells a year."
    )
    assert (a.language, a.source_encoding) == ("en", "utf-8")
    paragraphs = a.body.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("Northvale Materials on Friday opened")
    assert paragraphs[2].startswith('"Europe cannot build a battery industry')
    for boilerplate in ("Related stories", "Subscribe", "Privacy", "All rights reserved", "By Maria Jansen"):
        assert boilerplate not in a.body
    assert a.title not in a.body  # the headline is not repeated as the first paragraph


def test_url_argument_used_when_the_page_names_none() -> None:
    a = parse_html(GERMAN.encode(), "x.html", url="https://stahl.example/nordwerk")
    assert a.url == "https://stahl.example/nordwerk"
    assert parse_html(GERMAN.encode(), "x.html").url is None


def test_other_language_is_recorded() -> None:
    a = parse_html(GERMAN.encode(), "de.html")
    assert a.language == "de"
    assert a.title == "Stahlhersteller erhöht Produktion"
    assert "Katrin Albers" in a.body


def test_invalid_utf8_falls_back_and_records_the_encoding() -> None:
    raw = page(
        "<p>Harbourline’s terminal handled 2.4 million containers in the quarter, up 6% on the year, "
        "the operator said on Tuesday.</p><p>It plans to invest €210 million in new cranes.</p>"
    ).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    a = parse_html(raw, "cp.html")
    assert a.source_encoding == "cp1252"
    assert "Harbourline’s terminal" in a.body
    assert "€210 million" in a.body


def test_declared_charset_is_honoured_when_utf8_fails() -> None:
    text = (
        "<p>Металлургический комбинат увеличил выпуск стали на восемь процентов в третьем квартале, "
        "сообщила компания во вторник.</p><p>Компания планирует нанять ещё 300 инженеров.</p>"
    )
    a = parse_html(page(text, charset="windows-1251").encode("cp1251"), "ru.html")
    assert a.source_encoding == "cp1251"
    assert "Металлургический комбинат" in a.body
    assert a.language == "ru"


def test_truncated_page_keeps_what_is_there() -> None:
    raw = EXAMPLE.read_bytes()
    cut = raw[: raw.index(b"enough for roughly")]
    a = parse_html(cut, "cut.html")
    assert a.body.startswith("Northvale Materials on Friday opened")
    assert a.body.endswith("in its first full year,")


def test_page_cut_before_its_text_is_no_content() -> None:
    raw = EXAMPLE.read_bytes()
    with pytest.raises(InputError) as e:
        parse_html(raw[: raw.index(b"<main>")], "cut.html")
    assert e.value.reason == "no_content"


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        b"<footer>(c) 2025</footer></body></html>",
        b"<html><head><title>Only a title</title><script>var x = 1;</script></head><body></body></html>",
        b"<<<>>>!!!",
        b"<html><body><div><div><span></span></div></div>",
    ],
)
def test_pages_without_article_text_are_no_content(raw: bytes) -> None:
    with pytest.raises(InputError) as e:
        parse_html(raw, "p.html")
    assert e.value.reason == "no_content"
    assert "p.html" in e.value.detail


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  "])
def test_empty_and_whitespace_only(raw: bytes) -> None:
    with pytest.raises(InputError) as e:
        parse_html(raw, "e.html")
    assert e.value.reason == "empty"


def test_binary_file_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError) as e:
        parse_html(png, "img.html")
    assert e.value.reason == "binary"


def test_deeply_nested_markup_does_not_crash() -> None:
    raw = ("<html><body>" + "<div>" * 20_000 + "<p>Deep text about steel output.</p>").encode()
    try:
        a = parse_html(raw, "deep.html")
    except InputError as e:
        assert e.reason == "no_content"
    else:
        assert "steel output" in a.body


def test_payload_dispatch_turns_errors_into_rejects_with_bytes(tmp_path: Path) -> None:
    s = Settings(warehouse_dir=tmp_path)
    raw = b"<html><body><nav>Home</nav></body></html>"
    [r] = list(parse_payload(raw, "n.html", ".html", s))
    assert isinstance(r, Reject)
    assert (r.source, r.reason, r.data) == ("n.html", "no_content", raw)
    [a] = list(parse_payload(EXAMPLE.read_bytes(), str(EXAMPLE), ".html", s))
    assert isinstance(a, Article)


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>One <b>bold</b> claim.</p><p>Two.</p>", "One bold claim.\n\nTwo."),
        ("Line one<br>same paragraph<br><br>New one", "Line one same paragraph\n\nNew one"),
        ("<ul><li>Steel</li><li>Cement</li></ul>", "Steel\n\nCement"),
        ("<p>Kept</p><script>alert(1)</script><style>p{}</style><!-- note -->tail", "Kept\n\ntail"),
        ("<div><h2>Heading</h2>Text &amp; more&nbsp;text</div>", "Heading\n\nText & more text"),
        ("plain words only", "plain words only"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_html_fragment_to_paragraphs(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("First.\n\nSecond.\n", "First.\n\nSecond."),
        ("First line\nwrapped.\n\nSecond.", "First line wrapped.\n\nSecond."),
        ("One.\nTwo.\r\nThree.", "One.\n\nTwo.\n\nThree."),
    ],
)
def test_plain_text_to_paragraphs(text: str, body: str) -> None:
    assert text_to_paragraphs(text) == body


# ------------------------------------------------------------------------ headlines

PAGES = Path(__file__).parent / "fixtures" / "pages"
# The headline each page shows its readers; `<title>` carries the site's name on all of them.
HEADLINES = {
    "anglia-news-rail": "Regulator opens inquiry into rail operators\u2019 merger plans",  # JSON-LD cut off with "…"
    "capital-report-minister": "Exclusive: Finance minister set to quit over budget row",  # ` : Site`, own colon kept
    "commodity-ledger-copper": "Copper hits record as Chile mine strike drags on",
    "energy-desk-explainer": "What the new grid connection rules mean for wind farms",
    "farm-journal-grain": "Grain prices soar as drought hits harvest",  # og:title is a teaser: outvoted
    "field-radio-drones": "Farmers turn to drones to fight locust swarms",
    "freight-daily-rates": "Container shipping rates climb for a fifth week",  # og:title carries `– Site`
    "harbour-times-strike": "Dockworkers vote to end six-week strike",  # `Site | Headline`
    "lowland-post-deficit": "Budget deficit narrows for a third month",  # no h1: only og:title and <title>
    "metro-wire-tram": "Council approves tram extension to the airport",
    "northern-broadcast-storm": "Storm leaves 40,000 homes without power",  # the h1 is the logo
    "tech-markets-chipmaker": "Chipmaker's profit doubles - and so does its debt",  # its own ` - ` kept
    "untitled-blog-plant": "Solar glass plant opens in Porto",  # no metadata: <title> and an h2 agree
    "valley-gazette-mill": "Paper mill closure leaves 200 without work",  # `- Site - tagline`
}


@pytest.mark.parametrize("stem", sorted(HEADLINES))
def test_headline_is_the_articles_not_the_pages(stem: str) -> None:
    a = parse_html((PAGES / f"{stem}.html").read_bytes(), f"{stem}.html")
    assert a.title == HEADLINES[stem]
    assert not a.body.startswith(a.title)  # the headline is not repeated as the first paragraph


def test_every_headline_page_has_a_case() -> None:
    assert {p.stem for p in PAGES.glob("*.html")} == set(HEADLINES)


@pytest.mark.parametrize(
    ("title", "sites", "hosts", "expected"),
    [
        ("Markets slide as oil jumps - CNN", (), ("edition.cnn.com",), "Markets slide as oil jumps"),
        ("Markets slide as oil jumps | Reuters", (), ("www.reuters.com",), "Markets slide as oil jumps"),
        ("Farmers fight locusts with drones : NPR", (), ("www.npr.org",), "Farmers fight locusts with drones"),
        ("Rail fares to rise - BBC News", (), ("www.bbc.co.uk",), "Rail fares to rise"),
        ("Rates rise again | The Guardian", ("The Guardian",), (), "Rates rise again"),
        # A section between headline and site stays here; the h1's agreement removes it (test below).
        ("Rates rise again | Business | The Guardian", ("The Guardian",), (), "Rates rise again | Business"),
        ("Ledger | Copper at a record", ("Ledger",), (), "Copper at a record"),
        ("Oil jumps - FT", ("Financial Times",), (), "Oil jumps"),
        ("Oil jumps - Financial Times", (), ("www.ft.com",), "Oil jumps"),
        ("Exclusive: minister to quit", ("Capital Report",), (), "Exclusive: minister to quit"),
        ("Profit up - and debt too", ("Tech Daily",), (), "Profit up - and debt too"),
        ("Profit up - and debt too", (), (), "Profit up - and debt too"),
    ],
)
def test_strip_site_affixes(title: str, sites: tuple[str, ...], hosts: tuple[str, ...], expected: str) -> None:
    assert strip_site_affixes(title, sites, hosts) == expected


def test_headline_from_agreement_when_metadata_is_missing() -> None:
    html = page(
        "<h1>Port volumes rise 4% in March</h1><p>"
        + "Rotterdam handled more containers than a year earlier. " * 8
        + "</p>",
        head="<title>Port volumes rise 4% in March | Some Unknown Site</title>",
    )
    assert parse_html(html.encode(), "p.html").title == "Port volumes rise 4% in March"


def test_a_section_segment_goes_when_the_h1_agrees() -> None:
    html = page(
        "<h1>Rates rise again</h1><p>" + "The central bank raised its main rate by a quarter point. " * 8 + "</p>",
        head="<title>Rates rise again | Business | The Guardian</title>"
        '<meta property="og:site_name" content="The Guardian">',
    )
    assert parse_html(html.encode(), "p.html").title == "Rates rise again"


def test_a_logo_h1_is_not_the_headline() -> None:
    html = (
        "<html><head><title>Harbour Times - Ferry fares frozen for winter</title>"
        '<meta property="og:site_name" content="Harbour Times"></head><body>'
        "<header><h1>Harbour Times</h1></header><article><p>"
        + "The ferry company said fares would not rise before April, despite higher fuel costs. " * 6
        + "</p></article></body></html>"
    )
    assert parse_html(html.encode(), "p.html").title == "Ferry fares frozen for winter"


def test_broken_json_ld_does_not_stop_the_page() -> None:
    html = page(
        "<h1>Steel output rises</h1><p>" + "Output rose for a third month as car makers ordered more. " * 8 + "</p>",
        head='<title>Steel output rises - Metals Weekly</title><script type="application/ld+json">{"headline":'
        "</script>",
    )
    assert parse_html(html.encode(), "p.html").title == "Steel output rises"
