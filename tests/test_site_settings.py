"""The languages and the hub's name come from the settings only: a two-language site with another
name has no page, feed or switcher entry in a third language, and says its own name everywhere."""

import feedparser
import icalendar
import pytest
from lxml import etree

import hubsite.i18n
from conftest import ROOT, SITEURL
from hubsite.editing import EditingError, new_article, status_report

NAME = "Open Towns"
PUBLISHER = "Open Towns Network"
SUBTITLE = "News of the Open Towns Network"
LANGUAGES = ("es", "en")


@pytest.fixture
def built(small_site):
    small_site.write("es", "una-noticia", "Una noticia", key="news", date="2024-03-01 09:00")
    small_site.write("en", "a-story", "A story", key="news", date="2024-03-01 09:00", extra="Translation: true")
    small_site.write("en", "a-meeting", "A meeting", key="meeting", date="2024-03-02 09:00", category="events",
                     extra="Event_Start: 2024-04-10\nLocation: Online")
    return small_site.build(HUB_I18N_LANGUAGES=LANGUAGES, DEFAULT_LANG="es", SITENAME=NAME,
                            HUB_SITE_PUBLISHER=PUBLISHER, HUB_SITE_SUBTITLE=SUBTITLE, HUB_SITE_SUMMARY=None,
                            HUB_SEARCH_INDEX=False)


def test_no_page_or_feed_in_a_language_the_settings_do_not_name(built):
    assert not (built.output / "fr").exists()
    assert sorted(path.name for path in built.output.iterdir() if path.is_dir() and len(path.name) == 2) == ["en", "es"]
    root_links = [a["hreflang"] for a in built.soup("/").select("a[hreflang]")]
    assert root_links == list(LANGUAGES)


BOTH = [*LANGUAGES, "x-default"]


@pytest.mark.parametrize("url, alternates", [
    ("/es/2024/una-noticia/", BOTH), ("/en/2024/a-meeting/", ["en", "x-default"]), ("/en/", BOTH),
    ("/es/archivo/", BOTH), ("/en/feeds/", BOTH), ("/es/buscar/", BOTH), ("/en/404.html", []),
])
def test_switchers_and_alternates_list_the_two_languages(built, url, alternates):
    soup = built.soup(url)
    assert [a["hreflang"] for a in soup.select(".lang-switch a")] == list(LANGUAGES)
    assert [link["hreflang"] for link in soup.select('link[rel="alternate"][hreflang]')] == alternates


def test_an_untranslated_article_switches_to_the_other_languages_home(built):
    links = {a["hreflang"]: a["href"] for a in built.soup("/en/2024/a-meeting/").select(".lang-switch a")}
    assert links == {"es": f"{SITEURL}/es/", "en": f"{SITEURL}/en/2024/a-meeting/"}


def test_pages_feeds_and_calendars_carry_the_settings_name(built):
    # A name the catalogs do not know is shown as written, in every language.
    assert built.soup("/es/2024/una-noticia/").title.get_text() == f"Una noticia · {NAME}"
    assert built.soup("/en/").select_one('meta[property="og:site_name"]')["content"] == NAME
    # The summary not set: the name.
    assert built.soup("/en/").select_one('meta[name="description"]')["content"] == NAME
    feed = feedparser.parse((built.output / "en" / "feeds" / "all.atom.xml").read_bytes())
    assert feed.feed.title == f"{NAME} · All news"
    assert feed.feed.subtitle == SUBTITLE and feed.feed.author == PUBLISHER
    opml = etree.parse(str(built.output / "feeds.opml"))
    assert opml.findtext("head/title") == f"{NAME} / {NAME}"
    calendar = icalendar.Calendar.from_ical((built.output / "es" / "calendar.ics").read_bytes())
    assert str(calendar["x-wr-calname"]) == f"{NAME}: eventos y fechas límite"


@pytest.fixture
def two_language_settings(tmp_path, monkeypatch):
    """pelicanconf.py with two languages and another name, as the editors' tools read it."""
    settings = tmp_path / "twoconf.py"
    settings.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(ROOT / 'pelicanconf.py')!r}).items() if k.isupper()}})\n"
        f"HUB_I18N_LANGUAGES = {LANGUAGES!r}\nDEFAULT_LANG = 'es'\nSITENAME = {NAME!r}\nHUB_SITE_PUBLISHER = {PUBLISHER!r}\n",
        encoding="utf-8")
    monkeypatch.setattr(hubsite.i18n, "SETTINGS", settings)
    return settings


def test_editors_tools_take_the_languages_and_publisher_from_the_settings(two_language_settings, small_site):
    with pytest.raises(EditingError, match="'fr' is not a language of this site; use one of es, en"):
        new_article("Une nouvelle", "fr", "news", date="2024-05-02 09:30", content=small_site.path)
    path = new_article("A new story", "en", "news", date="2024-05-02 09:30", content=small_site.path)
    assert f"Authors: {PUBLISHER}\n" in path.read_text(encoding="utf-8")
    assert list(hubsite.i18n.catalog_report()) == list(LANGUAGES)
    assert status_report(small_site.path).splitlines()[1].split() == ["item", *LANGUAGES]
