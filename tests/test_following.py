"""Following a topic: a feed per tag and language, a visible "Follow this topic" link on category and
tag pages, the feeds page and OPML listing them; no XSLT view of the feeds."""

import re

import feedparser
import pytest
from lxml import etree

from conftest import LANGUAGES, ROOT, SITEURL
from plugins.hub_i18n.taxonomy import load_taxonomy
from plugins.hub_typography.french import typeset

TAXONOMY = load_taxonomy(ROOT / "content" / "taxonomy.toml", LANGUAGES)
TAGS = tuple(TAXONOMY.tags)
CATEGORIES = tuple(TAXONOMY.categories)


def parse(path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def tag_keys_of(entry):
    return {tag.term for tag in entry.get("tags", [])}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tag_has_an_atom_and_an_rss_feed_in_each_language(site, lang):
    for key in TAGS:
        for kind, version in (("atom", "atom10"), ("rss", "rss20")):
            parsed = parse(site.output / lang / "feeds" / f"tag-{key}.{kind}.xml")
            assert parsed.version == version
            assert parsed.feed.language == lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_tag_feed_holds_that_language_s_articles_with_the_tag_and_only_them(site, lang):
    everything = parse(site.output / lang / "feeds" / "all.atom.xml").entries
    with_tag = [entry.id for entry in everything if "covid-19" in tag_keys_of(entry)]
    assert len(with_tag) >= 3  # the study 2021, its call, the Live Learning meeting
    for kind in ("atom", "rss"):
        parsed = parse(site.output / lang / "feeds" / f"tag-covid-19.{kind}.xml")
        assert [entry.id for entry in parsed.entries] == with_tag  # same order: newest first
        for entry in parsed.entries:
            assert entry.link.startswith(f"{SITEURL}/{lang}/")
            assert entry.id.endswith(f"/{lang}")
    atom = parse(site.output / lang / "feeds" / "tag-covid-19.atom.xml")
    label = TAXONOMY.tags["covid-19"].label(lang)
    assert atom.feed.title.endswith(f"· {label}")
    tag_page = {link.rel: link.href for link in atom.feed.links}["alternate"]
    assert site.path_for(tag_page).exists()


def test_a_tag_without_articles_in_a_language_still_has_an_empty_valid_feed(small_site):
    small_site.write("fr", "seul", "Seul article", tags="covid-19")
    built = small_site.build()
    assert len(parse(built.output / "fr" / "feeds" / "tag-covid-19.atom.xml").entries) == 1
    for lang in LANGUAGES:
        assert parse(built.output / lang / "feeds" / "tag-open-data.rss.xml").entries == []


def follow_links(soup):
    box = soup.select_one("main .follow")
    assert box is not None
    return {a["type"]: a for a in box.select("a.feed-link[type]")}, box


@pytest.mark.parametrize("path, feed", [
    ("/fr/categorie/appels-a-participation/", "calls"),
    ("/es/categoria/eventos/", "events"),
    ("/en/category/news/", "news"),
    ("/fr/etiquette/covid-19/", "tag-covid-19"),
    ("/es/etiqueta/covid-19/", "tag-covid-19"),
    ("/en/tag/smart-cities-study/", "tag-smart-cities-study"),
])
def test_category_and_tag_pages_have_a_visible_follow_link_to_existing_feeds(site, path, feed):
    soup = site.soup(path)
    lang = soup.html["lang"]
    links, box = follow_links(soup)
    assert set(links) == {"application/atom+xml", "application/rss+xml"}
    for kind, mime in (("atom", "application/atom+xml"), ("rss", "application/rss+xml")):
        href = links[mime]["href"]
        assert href == f"{SITEURL}/{lang}/feeds/{feed}.{kind}.xml"
        assert site.path_for(href).exists()
        assert ("Atom" if kind == "atom" else "RSS") in links[mime].get_text(strip=True).split()
    assert box.find("a", href=f"{SITEURL}/{lang}/feeds/")  # where a reader learns what a feed is
    assert "hidden" not in box.attrs
    # Discovery links in <head> name the same feeds.
    head = {link["href"] for link in soup.select('head link[rel="alternate"][type]')}
    assert {a["href"] for a in links.values()} <= head


def test_every_category_and_tag_page_has_a_follow_link(site):
    pages = [path for path in site.html_files()
             if re.search(r"/(categorie|categoria|category|etiquette|etiqueta|tag)/[^/]+/index\.html$",
                          path.as_posix())]
    assert len(pages) > 20
    for path in pages:
        links, _ = follow_links(site.soup(path))
        assert all(site.path_for(a["href"]).exists() for a in links.values()), path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_feeds_page_explains_feeds_and_lists_tag_feeds(site, lang):
    soup = site.soup(f"/{lang}/feeds/")
    main = soup.select_one("main")
    hrefs = {a["href"] for a in main.select("a[href$='.xml']")}
    names = ("all",) + CATEGORIES + tuple(f"tag-{key}" for key in TAGS)
    assert hrefs == {f"{SITEURL}/{lang}/feeds/{name}.{kind}.xml" for name in names for kind in ("atom", "rss")}
    assert len(main.select("h2")) >= 4  # how to follow, all, categories, topics, OPML
    assert len(main.select("ol.feed-steps li")) == 3
    for key in TAGS:  # French pages set French typography (l’Internet)
        assert main.find("a", string=typeset(TAXONOMY.tags[key].label(lang), lang)), key


def test_the_opml_lists_tag_feeds_of_every_language(site):
    opml = etree.parse(str(site.output / "feeds.opml"))
    urls = {outline.get("xmlUrl") for outline in opml.iter("outline") if outline.get("xmlUrl")}
    for lang in LANGUAGES:
        for key in TAGS:
            for kind in ("atom", "rss"):
                assert f"{SITEURL}/{lang}/feeds/tag-{key}.{kind}.xml" in urls
    assert len(urls) == len(LANGUAGES) * (1 + len(CATEGORIES) + len(TAGS)) * 2
    assert all(site.path_for(url).exists() for url in urls)


def test_no_xslt_view_anywhere(site):
    assert not list(site.output.rglob("*.xsl"))
    for path in site.output.rglob("*.xml"):
        assert b"<?xml-stylesheet" not in path.read_bytes(), path
    assert not (ROOT / "theme" / "templates" / "feed_xsl.html").exists()


def test_a_category_id_that_could_take_a_tag_feed_name_is_refused(small_site):
    from hubsite.build import BuildError

    taxonomy = small_site.path / "taxonomy.toml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8")
                        + '\n[categories.tag-x]\nfr = "X"\nes = "X"\nen = "X"\n', encoding="utf-8")
    small_site.write("fr", "a", "A")
    with pytest.raises(BuildError) as error:
        small_site.build()
    assert "tag-x" in str(error.value) and "taxonomy.toml" in str(error.value)
