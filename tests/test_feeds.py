"""Feeds as a feed reader sees them: parsed with feedparser, one language each, stable ids, absolute URLs."""

import datetime
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import LANGUAGES, ROOT, SITEURL
from hubsite.build import BuildError
from plugins.hub_i18n.taxonomy import load_taxonomy

CATEGORIES = ("studies", "publications", "calls", "events", "news")
TAGS = tuple(load_taxonomy(ROOT / "content" / "taxonomy.toml", LANGUAGES).tags)
TAG_ID = re.compile(r"^tag:uclg-digitalcities\.org,\d{4}-\d{2}-\d{2}:[a-z0-9-]+/(fr|es|en)$")


def all_feed_paths(site):
    return [site.output / lang / "feeds" / f"{name}.{kind}.xml"
            for lang in LANGUAGES for name in ("all",) + CATEGORIES for kind in ("atom", "rss")]


def parse(path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def test_every_language_has_all_and_category_feeds_in_atom_and_rss(site):
    paths = all_feed_paths(site)
    assert len(paths) == 36
    for path in paths:
        parsed = parse(path)
        assert parsed.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feed_holds_only_its_language_newest_first_with_stable_ids(site, lang):
    for kind in ("atom", "rss"):
        parsed = parse(site.output / lang / "feeds" / f"all.{kind}.xml")
        assert parsed.feed.language == lang
        entries = parsed.entries
        assert len(entries) == 14
        for entry in entries:
            assert entry.link.startswith(f"{SITEURL}/{lang}/"), entry.link
            assert TAG_ID.match(entry.id) and entry.id.endswith(f"/{lang}"), entry.id
        published = [entry.published_parsed for entry in entries]
        assert published == sorted(published, reverse=True)
        assert len({entry.id for entry in entries}) == 14


def test_translations_are_distinct_entries_in_their_own_feeds(site):
    ids = {lang: {e.id for e in parse(site.output / lang / "feeds" / "all.atom.xml").entries} for lang in LANGUAGES}
    assert not ids["fr"] & ids["es"] and not ids["fr"] & ids["en"] and not ids["es"] & ids["en"]


def test_entries_are_complete_with_time_zones(site):
    tree = etree.parse(str(site.output / "es" / "feeds" / "calls.atom.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = tree.find("a:entry", ns)
    for name in ("published", "updated"):
        assert re.search(r"[+-]\d\d:\d\d$|Z$", entry.findtext(f"a:{name}", namespaces=ns))
    parsed = parse(site.output / "es" / "feeds" / "calls.atom.xml").entries[0]
    assert parsed.title == "Participa en el Smart Cities Study 2021"
    assert parsed.author == "Comunidad de Práctica Ciudades Digitales de CGLU"
    assert {"calls", "smart-cities-study"} <= {tag.term for tag in parsed.tags}
    assert {"Convocatorias"} <= {tag.label for tag in parsed.tags}
    assert parsed.summary and parsed.content[0].value
    rss = etree.parse(str(site.output / "es" / "feeds" / "calls.rss.xml"))
    assert rss.find("channel/item/pubDate").text.endswith(("+0200", "+0100"))


def test_feed_updated_is_the_newest_entry_not_the_build_time(site):
    parsed = parse(site.output / "en" / "feeds" / "all.atom.xml")
    assert parsed.feed.updated_parsed == max(entry.updated_parsed for entry in parsed.entries)


def test_every_url_inside_feed_content_is_absolute(site):
    for path in all_feed_paths(site):
        for entry in parse(path).entries:
            html = " ".join(c.value for c in entry.get("content", [])) + entry.get("summary", "")
            soup = BeautifulSoup(html, "html.parser")
            for element in soup.find_all(["a", "img", "source"]):
                for attribute in ("href", "src"):
                    url = element.get(attribute)
                    if url and not url.startswith("mailto:"):
                        assert url.startswith(("http://", "https://")), f"{path}: {url}"
                if element.get("srcset"):
                    assert all(part.strip().startswith(("http://", "https://")) for part in element["srcset"].split(","))


def test_feed_metadata_title_links_and_no_stylesheet(site):
    path = site.output / "fr" / "feeds" / "calls.rss.xml"
    parsed = parse(path)
    assert parsed.feed.title == "Villes numériques · Appels à participation"
    assert parsed.feed.link == f"{SITEURL}/fr/categorie/appels-a-participation/"  # not the feed file
    atom = parse(site.output / "fr" / "feeds" / "calls.atom.xml")
    links = {link.rel: link.href for link in atom.feed.links}
    assert links == {"self": f"{SITEURL}/fr/feeds/calls.atom.xml", "alternate": f"{SITEURL}/fr/categorie/appels-a-participation/"}
    assert atom.feed.generator and atom.feed.icon.startswith(SITEURL)
    # No XSLT view (browsers are dropping XSLT): the second line is the feed's root element.
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("<rss")
    assert not (site.output / "fr" / "feeds" / "feed.xsl").exists()


def test_every_page_links_its_language_feeds_and_category_pages_their_own(site):
    for path in site.html_files():
        soup = site.soup(path)
        lang = soup.html["lang"]
        feeds = [link["href"] for link in soup.select('link[rel="alternate"][type="application/atom+xml"]')]
        assert f"{SITEURL}/{lang}/feeds/all.atom.xml" in feeds, path
    category = site.soup("/es/categoria/eventos/")
    types = {(l["type"], l["href"]) for l in category.select('link[rel="alternate"][type]')}
    assert ("application/rss+xml", f"{SITEURL}/es/feeds/events.rss.xml") in types
    tag = site.soup("/fr/etiquette/covid-19/")
    types = {(l["type"], l["href"]) for l in tag.select('link[rel="alternate"][type]')}
    assert ("application/atom+xml", f"{SITEURL}/fr/feeds/tag-covid-19.atom.xml") in types


def test_feeds_page_and_opml_list_every_feed(site):
    for lang in LANGUAGES:
        soup = site.soup(f"/{lang}/feeds/")
        assert soup.html["lang"] == lang
        hrefs = {a["href"] for a in soup.select("main a[href$='.xml']")}
        names = ("all",) + CATEGORIES + tuple(f"tag-{key}" for key in TAGS)
        assert hrefs == {f"{SITEURL}/{lang}/feeds/{n}.{k}.xml" for n in names for k in ("atom", "rss")}
        assert soup.select_one(f'.site-footer a[href="{SITEURL}/{lang}/feeds/"]')
    opml = etree.parse(str(site.output / "feeds.opml"))
    urls = [outline.get("xmlUrl") for outline in opml.iter("outline") if outline.get("xmlUrl")]
    assert len(urls) == 3 * (1 + len(CATEGORIES) + len(TAGS)) * 2 and all((site.path_for(url)).exists() for url in urls)


# --- small sites: ids, enclosures, scheduling, bad dates ---------------------------------------

def test_ids_survive_a_new_domain_and_an_edited_slug_and_title(small_site):
    small_site.write("fr", "premier-titre", "Premier titre", key="item")
    first = parse(small_site.build().output / "fr" / "feeds" / "all.atom.xml").entries[0].id
    (small_site.path / "articles" / "fr" / "premier-titre.md").unlink()
    small_site.write("fr", "autre-adresse", "Un autre titre", key="item")
    built = small_site.build(SITEURL="https://new-domain.example.net")
    second = feedparser.parse((built.output / "fr" / "feeds" / "all.atom.xml").read_bytes()).entries[0]
    assert second.link == "https://new-domain.example.net/fr/2024/autre-adresse/"
    assert second.id == first == "tag:uclg-digitalcities.org,2024-01-10:item/fr"


def test_a_document_on_the_site_becomes_an_enclosure(small_site):
    documents = small_site.path / "documents"
    documents.mkdir()
    (documents / "study.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 1000)
    small_site.write("en", "with-pdf", "With a PDF", category="studies",
                     body="Download [the study]({static}/documents/study.pdf).")
    built = small_site.build()
    rss = etree.parse(str(built.output / "en" / "feeds" / "all.rss.xml"))
    enclosure = rss.find("channel/item/enclosure")
    assert enclosure.attrib == {"url": f"{SITEURL}/documents/study.pdf", "length": "1009", "type": "application/pdf"}
    atom = parse(built.output / "en" / "feeds" / "all.atom.xml").entries[0]
    assert atom.link == f"{SITEURL}/en/2024/with-pdf/"  # not the PDF (feedgen issue #135)
    enclosures = [l for l in atom.links if l.rel == "enclosure"]
    assert [(l.href, l.length, l.type) for l in enclosures] == [(f"{SITEURL}/documents/study.pdf", "1009", "application/pdf")]


def test_future_dated_and_draft_articles_are_in_no_feed(small_site):
    small_site.write("fr", "publie", "Publié")
    small_site.write("fr", "futur", "Futur", date=(datetime.date.today() + datetime.timedelta(days=30)).isoformat() + " 10:00")
    small_site.write("fr", "brouillon", "Brouillon", extra="Status: draft")
    built = small_site.build()
    titles = {e.title for e in parse(built.output / "fr" / "feeds" / "all.atom.xml").entries}
    assert titles == {"Publié"}


def test_missing_date_stops_the_build_naming_file_and_field(small_site):
    path = small_site.write("fr", "sans-date", "Sans date")
    path.write_text(re.sub(r"^Date: .*\n", "", path.read_text(), flags=re.M))
    with pytest.raises(BuildError) as error:
        small_site.build(HUB_CHECK_STRICT=True)
    assert "content/articles/fr/sans-date.md:1: error: Date: missing" in str(error.value)


def test_unparseable_date_stops_the_build_naming_file_and_field(small_site):
    small_site.write("fr", "mauvaise-date", "Mauvaise date", date="le 3 mars")
    with pytest.raises(BuildError) as error:
        small_site.build(HUB_CHECK_STRICT=True)
    assert "content/articles/fr/mauvaise-date.md:2: error: Date: 'le 3 mars' is not a date this site reads" in str(error.value)
