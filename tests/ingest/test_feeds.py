"""RSS and Atom feeds: entries to articles, malformed and hostile XML, and linked pages fetched safely."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from pipeline.ingest import parse_payload
from pipeline.ingest.common import InputError
from pipeline.ingest.feeds import parse_feed
from pipeline.records import Article, Reject
from pipeline.settings import Settings
from tests.conftest import EXAMPLES
from tests.ingest.httpserver import Served, serve

RSS = EXAMPLES / "feeds/port-logistics.xml"
ATOM = EXAMPLES / "feeds/energy-grid.atom"


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(warehouse_dir=tmp_path, http_allow_private=True, http_timeout=1.0)


def rss(*items: str, channel: str = "<title>Test Wire</title><link>https://wire.example/</link>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        + channel
        + "".join(f"<item>{i}</item>" for i in items)
        + "</channel></rss>"
    ).encode("utf-8")


ITEM = (
    "<title>Cement demand falls</title><link>https://wire.example/cement</link>"
    "<pubDate>Mon, 03 Mar 2025 10:00:00 +0100</pubDate>"
    "<description>Cement demand fell 3% in February, the industry group said.</description>"
)


def parse(data: bytes, settings: Settings, source: str = "f.xml") -> list[Article | Reject]:
    return list(parse_feed(data, source, settings))


def test_rss_example(settings: Settings) -> None:
    items = parse(RSS.read_bytes(), settings, str(RSS))
    assert all(isinstance(i, Article) for i in items)
    a, b, c = (i for i in items if isinstance(i, Article))
    assert {x.source_type for x in (a, b, c)} == {"rss"}
    assert {x.source for x in (a, b, c)} == {str(RSS)}
    assert a.title == "Harbourline container volumes climb 6% as new cranes come online"
    assert a.url == "https://freight-desk.example/2025/04/harbourline-volumes"
    assert (a.byline, a.site_name, a.language) == ("Tomas Reyes", "Freight Desk", "en")
    assert a.published_at == datetime(2025, 4, 8, 7, 15)  # 09:15 +02:00
    # full content wins over the summary, which becomes the standfirst
    assert len(a.body.split("\n\n")) == 3
    assert a.body.startswith("Harbourline Terminals handled 2.4 million")
    assert a.subtitle == "Harbourline handled 2.4 million containers in the first quarter."
    # HTML summary: paragraphs kept, markup gone
    assert b.body.split("\n\n")[1].startswith('"We are turning down contracts')
    assert "<p>" not in b.body
    assert c.published_at == datetime(2025, 4, 10, 11, 45)  # 07:45 -04:00
    assert c.byline is None


def test_atom_example(settings: Settings) -> None:
    a, b = parse(ATOM.read_bytes(), settings, str(ATOM))
    assert isinstance(a, Article) and isinstance(b, Article)
    assert (a.source_type, b.source_type) == ("atom", "atom")
    assert a.site_name == "Grid & Power Weekly"
    assert a.url == "https://gridpower.example/2025/05/coastal-wind-financing"
    assert a.published_at == datetime(2025, 5, 21, 4, 0)
    assert a.byline == "Sofia Lindqvist"
    assert len(a.body.split("\n\n")) == 3
    assert b.body.split("\n\n")[1].startswith("Only about 30% of the projects")  # xhtml content
    assert b.published_at == datetime(2025, 5, 22, 9, 0)


def test_entry_without_text_is_rejected_alone(settings: Settings) -> None:
    empty = "<title>Headline only</title><link>https://wire.example/empty</link>"
    blank = "<title>Blank</title><description>  &lt;p&gt; &lt;/p&gt; </description>"
    items = parse(rss(ITEM, empty, blank), settings)
    assert isinstance(items[0], Article)
    assert items[0].published_at == datetime(2025, 3, 3, 9, 0)
    r1, r2 = items[1], items[2]
    assert isinstance(r1, Reject) and isinstance(r2, Reject)
    assert (r1.source, r1.reason) == ("f.xml#entry2", "empty")
    assert "Headline only" in r1.detail
    assert r1.data is not None and b"https://wire.example/empty" in r1.data
    assert (r2.source, r2.reason) == ("f.xml#entry3", "empty")


def test_other_language_entry(settings: Settings) -> None:
    french = (
        "<title>Valor augmente sa production</title>"
        "<description>Le groupe industriel Valor a annoncé mardi une hausse de 12 % de sa production "
        "d'acier au troisième trimestre, portée par la demande des constructeurs automobiles.</description>"
    )
    [a] = parse(rss(french, channel="<title>Fil</title><language>fr-FR</language>"), settings)
    assert isinstance(a, Article) and a.language == "fr"


def test_invalid_utf8_in_a_feed_is_decoded_and_recorded(settings: Settings) -> None:
    data = rss(ITEM).replace(b"Cement demand fell", b"Cement\x92s demand fell")
    [a] = parse(data, settings)
    assert isinstance(a, Article)
    assert "Cement’s demand fell" in a.body
    assert a.source_encoding == "windows-1252"


def test_malformed_feed_with_entries_still_loads(settings: Settings) -> None:
    data = rss(ITEM).replace(b"</channel></rss>", b"")  # truncated: no closing tags
    data = data.replace(b"the industry group said", b"the industry&nbsp;group said")  # undefined entity
    [a] = parse(data, settings)
    assert isinstance(a, Article)
    assert "Cement demand fell 3%" in a.body


def test_unknown_declared_encoding_is_read_leniently(settings: Settings) -> None:
    [a] = parse(rss(ITEM).replace(b'encoding="utf-8"', b'encoding="ZTF-8"'), settings)
    assert isinstance(a, Article) and a.title == "Cement demand falls"


def test_undecodable_encoding_declaration_is_bad_xml(settings: Settings) -> None:
    # feedparser's own decoding raises on this; the reader turns it into a reject reason
    with pytest.raises(InputError) as e:
        parse(rss(ITEM).replace(b'encoding="utf-8"', b'encoding="U\x94F-8"'), settings)
    assert e.value.reason == "bad_xml"


def test_malformed_link_is_dropped_not_fatal(settings: Settings) -> None:
    [a] = parse(rss(ITEM.replace("https://wire.example/cement", "http://[/cement")), settings)
    assert isinstance(a, Article) and a.url is None


@pytest.mark.parametrize(
    "data",
    [b"this is not xml at all", b"<?xml version='1.0'?><rss><channel><title>x", b"<rss><<<>>></rss>"],
)
def test_malformed_feed_without_entries_is_bad_xml(settings: Settings, data: bytes) -> None:
    with pytest.raises(InputError) as e:
        parse(data, settings)
    assert e.value.reason == "bad_xml"


def test_feed_without_entries(settings: Settings) -> None:
    with pytest.raises(InputError) as e:
        parse(rss(), settings)
    assert e.value.reason == "empty"


@pytest.mark.parametrize("data", [b"", b" \n\t \r\n"])
def test_empty_and_whitespace_only(settings: Settings, data: bytes) -> None:
    with pytest.raises(InputError) as e:
        parse(data, settings)
    assert e.value.reason == "empty"


def test_binary_file_becomes_a_reject_with_its_bytes(settings: Settings) -> None:
    data = b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8
    [r] = list(parse_payload(data, "b.xml", ".xml", settings))
    assert isinstance(r, Reject)
    assert (r.reason, r.data) == ("binary", data)


# ---- hostile XML ------------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""


def test_billion_laughs_is_refused_quickly(settings: Settings) -> None:
    start = time.monotonic()
    [r] = list(parse_payload(BILLION_LAUGHS, "lol.xml", ".xml", settings))
    assert time.monotonic() - start < 2.0
    assert isinstance(r, Reject)
    assert (r.reason, r.data) == ("unsafe_xml", BILLION_LAUGHS)


def test_billion_laughs_in_a_malformed_document_is_refused(settings: Settings) -> None:
    # `--` inside a comment stops expat before it reaches the DTD; the entities are still refused
    data = BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0"?><!-- a -- b -->')
    with pytest.raises(InputError) as e:
        parse(data, settings)
    assert e.value.reason == "unsafe_xml"


@pytest.fixture()
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-TOKEN-8c1f2e")
    return path


def leaked(items: list[Article | Reject], secret: str) -> bool:
    for i in items:
        text = repr(i) + (i.body if isinstance(i, Article) else i.detail)
        if secret in text:
            return True
    return False


def test_xxe_external_entity_is_refused_and_reads_nothing(settings: Settings, secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret_file}">]>\n'
        "<rss version='2.0'><channel><title>x</title>"
        "<item><title>Leak</title><description>Secret: &xxe;</description></item></channel></rss>"
    ).encode()
    items = list(parse_payload(data, "xxe.xml", ".xml", settings))
    [r] = items
    assert isinstance(r, Reject) and r.reason == "unsafe_xml"
    assert not leaked(items, "TOP-SECRET-TOKEN")


def test_xxe_parameter_entity_is_refused(settings: Settings, secret_file: Path) -> None:
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % ext SYSTEM "file://{secret_file}"> %ext;]>\n'
        "<rss version='2.0'><channel><item><title>t</title><description>d</description></item>"
        "</channel></rss>"
    ).encode()
    with pytest.raises(InputError) as e:
        parse(data, settings)
    assert e.value.reason == "unsafe_xml"


def test_external_dtd_is_never_read(settings: Settings, tmp_path: Path, secret_file: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret_file}">')
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file://{dtd}">\n'
        "<rss version='2.0'><channel><title>x</title>"
        "<item><title>Leak</title><description>Secret: &xxe; and more text here.</description></item>"
        "</channel></rss>"
    ).encode()
    items = list(parse_payload(data, "dtd.xml", ".xml", settings))
    assert items  # an article without the entity, or a reject: either way, nothing read from disk
    assert not leaked(items, "TOP-SECRET-TOKEN")


def test_feed_bytes_are_never_taken_for_a_path(settings: Settings, tmp_path: Path) -> None:
    # feedparser.parse(str or bytes) would open a local file of that name and parse it as the feed
    local_feed = tmp_path / "local-feed.xml"
    local_feed.write_bytes(rss(ITEM))
    with pytest.raises(InputError) as e:
        parse(str(local_feed).encode(), settings)
    assert e.value.reason == "bad_xml"


# ---- links and linked pages -------------------------------------------------------------------------

PAGE = (EXAMPLES / "html/battery-recycling-plant.html").read_bytes()


@pytest.fixture()
def server() -> Iterator[Served]:
    with serve({"/page": (200, {"Content-Type": "text/html"}, PAGE)}) as s:
        yield s


@pytest.fixture()
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the fetcher actually sent a request to."""
    urls: list[str] = []
    real = httpx.Client.send

    def spy(self: httpx.Client, request: httpx.Request, **kw: object) -> httpx.Response:
        urls.append(str(request.url))
        return real(self, request, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.Client, "send", spy)
    return urls


def hostile_feed(server: Served) -> bytes:
    return rss(
        f"<title>Recycling plant opens</title><link>{server.url('/page')}</link>"
        "<description>Northvale opened a plant.</description>",
        "<title>Local file</title><link>file:///etc/passwd</link>"
        "<description>Cement demand fell 3% in February.</description>",
        "<title>Metadata</title><link>http://169.254.169.254/latest/meta-data/iam/</link>"
        "<description>Glass output rose 2% in March.</description>",
        "<title>Script</title><link>javascript:alert(1)</link>"
        "<description>Paper prices rose 5% in April.</description>",
    )


def test_links_are_kept_only_when_http(settings: Settings, server: Served, sent: list[str]) -> None:
    a, b, c, d = parse(hostile_feed(server), settings)
    assert isinstance(a, Article) and a.url == server.url("/page")
    assert isinstance(b, Article) and b.url is None
    assert isinstance(c, Article) and c.url == "http://169.254.169.254/latest/meta-data/iam/"
    assert isinstance(d, Article) and d.url is None
    assert sent == []  # fetch_linked_pages is off: nothing fetched
    assert server.requests == []


def test_linked_pages_fetched_safely(tmp_path: Path, server: Served, sent: list[str]) -> None:
    s = Settings(warehouse_dir=tmp_path, http_allow_private=True, http_timeout=1.0, fetch_linked_pages=True)
    a, b, c, d = parse(hostile_feed(server), s)
    assert isinstance(a, Article)
    assert a.body.startswith("Northvale Materials on Friday opened")  # the page's full text
    assert a.title == "Recycling plant opens"  # the feed's own title stays
    assert a.source_type == "rss"
    assert isinstance(b, Article) and b.body == "Cement demand fell 3% in February."
    assert isinstance(c, Article) and c.body == "Glass output rose 2% in March."
    assert isinstance(d, Article) and d.body == "Paper prices rose 5% in April."
    assert server.paths() == ["/page"]
    assert all("169.254" not in u and not u.startswith("file:") for u in sent)
    assert len(sent) == 1


def test_unreachable_linked_page_keeps_the_feed_text(tmp_path: Path) -> None:
    with serve({}) as gone:
        url = gone.url("/page")
    s = Settings(warehouse_dir=tmp_path, http_allow_private=True, http_timeout=1.0, fetch_linked_pages=True)
    [a] = parse(rss(f"<title>T</title><link>{url}</link><description>Feed text stays.</description>"), s)
    assert isinstance(a, Article) and a.body == "Feed text stays." and a.url == url
