"""Study editions, calls, events, calendar, search pages, sharing data, sitemap and robots."""

import datetime
import json

import icalendar
import pytest

from conftest import LANGUAGES, SITEURL
from plugins.hub_seo.structured import missing_fields

EDITIONS = (2012, 2017, 2019, 2021)
STUDY = {"fr": "smart-cities-study", "es": "smart-cities-study", "en": "smart-cities-study"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_edition_has_a_page_and_the_study_page_shows_them_side_by_side(site, lang):
    study = site.soup(f"/{lang}/{STUDY[lang]}/")
    cards = [a["href"] for a in study.select(".edition-card h3 a")]
    assert cards == [f"{SITEURL}/{lang}/{STUDY[lang]}/{year}/" for year in reversed(EDITIONS)]
    for year in EDITIONS:
        page = site.soup(f"/{lang}/{STUDY[lang]}/{year}/")
        assert page.html["lang"] == lang
        assert page.h1.get_text(strip=True) == f"Smart Cities Study {year}"


def test_edition_page_lists_its_articles_and_the_call_that_fed_it(site):
    page = site.soup("/en/smart-cities-study/2021/")
    listed = {a["href"] for a in page.select(".archive-list a")}
    assert listed == {f"{SITEURL}/en/2021/smart-cities-study-2021-now-available/",
                      f"{SITEURL}/en/2021/take-part-in-the-smart-cities-study-2021/"}
    facts = {dt.get_text(strip=True): dd.get_text(" ", strip=True) for dt, dd in
             zip(page.select(".facts dt"), page.select(".facts dd"))}
    assert facts == {"Participating cities": "35", "Countries": "20", "Published in": "Spanish, English"}
    prev = page.select_one('a[rel="prev"]')
    assert prev["href"] == f"{SITEURL}/en/smart-cities-study/2019/"


def test_articles_about_an_edition_link_to_it(site):
    article = site.soup("/es/2019/tercera-edicion-del-smart-cities-study-disponible/")
    link = article.select_one(f'.facts a[href="{SITEURL}/es/smart-cities-study/2019/"]')
    assert link.get_text(strip=True) == "Edición 2019"


def test_a_closed_call_says_so_with_its_deadline(site):
    soup = site.soup("/fr/2021/participez-au-smart-cities-study-2021/")
    facts = soup.select_one(".facts")
    assert facts.select_one('time[datetime="2021-05-31"]').get_text(strip=True) == "31 mai 2021"
    assert facts.select_one(".state--closed").get_text(strip=True) == "Clos"
    assert "espagnol, anglais" in facts.get_text(" ")


def future(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def past(days):
    return (datetime.date.today() - datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def agenda(small_site):
    small_site.write("fr", "appel-ouvert", "Appel ouvert", category="calls", date=f"{past(5)} 10:00",
                     extra=f"Deadline: {future(20)}\nForm_Languages: fr, en\nForm_Url: https://forms.example.org/q")
    small_site.write("fr", "appel-clos", "Appel clos", category="calls", date=f"{past(60)} 10:00",
                     extra=f"Deadline: {past(30)}")
    small_site.write("fr", "bientot", "Bientôt", category="events", date=f"{past(3)} 10:00",
                     extra=f"Event_Start: {future(10)}\nLocation: Bilbao, Espagne")
    small_site.write("fr", "plus-tard", "Plus tard", category="events", date=f"{past(2)} 10:00",
                     extra=f"Event_Start: {future(40)} 16:30\nEvent_End: {future(40)} 18:00\nEvent_Timezone: America/Chicago\nLocation: online")
    small_site.write("fr", "hier", "Hier", category="events", date=f"{past(40)} 10:00",
                     extra=f"Event_Start: {past(1)}\nLocation: Madrid, Espagne")
    small_site.write("fr", "autrefois", "Autrefois", category="events", date=f"{past(400)} 10:00",
                     extra=f"Event_Start: {past(300)}\nEvent_End: {past(298)}\nLocation: Séoul, Corée")
    return small_site.build()


def test_open_calls_lead_the_home_and_the_calls_page(agenda):
    home = agenda.soup("/fr/")
    highlight = home.select_one(".open-calls")
    assert [a.get_text(strip=True) for a in highlight.select(".entry-title a")] == ["Appel ouvert"]
    deadline = datetime.date.fromisoformat(future(20))
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
    expected = f"Ouvert jusqu\u2019au {deadline.day} {months[deadline.month - 1]} {deadline.year}"
    assert highlight.select_one(".state--open").get_text(strip=True) == expected
    calls = agenda.soup("/fr/categorie/appels-a-participation/")
    sections = calls.select("main section")
    assert [a.get_text(strip=True) for a in sections[0].select(".entry-title a")] == ["Appel ouvert"]
    assert [a.get_text(strip=True) for a in sections[1].select(".entry-title a")] == ["Appel clos"]
    article = agenda.soup(f"/fr/{past(5)[:4]}/appel-ouvert/")
    take_part = article.select_one('.facts a[href="https://forms.example.org/q"]')
    assert take_part.get_text(strip=True) == "Répondre au questionnaire"


def test_events_page_upcoming_soonest_first_then_past_newest_first(agenda):
    page = agenda.soup("/fr/categorie/evenements/")
    upcoming, past_section = page.select("main section")
    assert [a.get_text(strip=True) for a in upcoming.select(".entry-title a")] == ["Bientôt", "Plus tard"]
    assert [a.get_text(strip=True) for a in past_section.select(".entry-title a")] == ["Hier", "Autrefois"]
    assert "En ligne" in upcoming.get_text(" ")


def test_calendar_holds_events_and_deadlines_that_calendar_apps_read(agenda):
    calendar = icalendar.Calendar.from_ical((agenda.output / "fr" / "calendar.ics").read_bytes())
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Bientôt", "Plus tard", "Hier", "Autrefois",
                           "Date limite\u00a0: Appel ouvert", "Date limite\u00a0: Appel clos"}
    soon = events["Bientôt"]
    assert soon.decoded("dtstart") == datetime.date.fromisoformat(future(10))
    assert soon.decoded("dtend") == datetime.date.fromisoformat(future(11))  # all-day end is exclusive
    timed = events["Plus tard"]
    start = timed.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (16, 30, "America/Chicago")
    assert str(events["Bientôt"]["location"]) == "Bilbao, Espagne"
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == 6
    assert str(calendar["x-wr-calname"]) == "Villes numériques\u00a0: événements et dates limites"


@pytest.mark.parametrize("lang, word", [("fr", "recherche"), ("es", "buscar"), ("en", "search")])
def test_search_page_form_leads_to_the_archives_without_javascript(site, lang, word):
    page = site.soup(f"/{lang}/{word}/")
    form = page.select_one("form[role=search]")
    assert form["action"] == f"{SITEURL}/{lang}/{ {'fr': 'archives', 'es': 'archivo', 'en': 'archives'}[lang] }/"
    assert page.select_one(f'label[for="{form.input["id"]}"]')
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    # The page names its language's bundle, which holds this language only.
    bundles = [page.select_one("#search")["data-bundle"]] + page.select_one("#search")["data-merge"].split()
    assert bundles == [f"{SITEURL}/pagefind/{lang}/"]
    # The theme draws the results (search.js, through Pagefind's JS API): no Pagefind UI is loaded.
    assert page.select_one('script[src$="search.js"]')["src"] == f"{SITEURL}/theme/js/search.js"
    assert not page.select('script[src*="pagefind-ui"], link[href*="pagefind-ui"]')
    counts = []
    for bundle in bundles:
        entry = json.loads(site.path_for(bundle + "pagefind-entry.json").read_text())
        assert set(entry["languages"]) == {lang}
        counts.append(entry["languages"][lang]["page_count"])
    assert counts == [18]  # 14 articles, 4 standing pages


def test_share_metadata_on_articles(site):
    soup = site.soup("/es/2021/ya-disponible-el-smart-cities-study-2021/")
    meta = {m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")}
    assert meta["og:type"] == "article" and meta["og:locale"] == "es_ES"
    assert meta["og:url"] == f"{SITEURL}/es/2021/ya-disponible-el-smart-cities-study-2021/"
    assert meta["og:title"] == soup.h1.get_text(strip=True)
    # The article's own card (tests/test_artwork.py reads it), not a picture shared by every page.
    assert meta["og:image"].startswith(f"{SITEURL}/share/es/") and site.path_for(meta["og:image"]).exists()
    assert meta["og:image:alt"] == f"{soup.h1.get_text(strip=True)} · Ciudades Digitales"
    assert meta["twitter:card"] == "summary_large_image"
    assert soup.select_one('link[rel="canonical"]')["href"] == meta["og:url"]
    locales = {m["content"] for m in soup.select('meta[property="og:locale:alternate"]')}
    assert locales == {"fr_FR", "en_GB"}


def json_ld(soup):
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)


def test_json_ld_news_articles_and_events_carry_the_required_fields(site):
    checked = {"NewsArticle": 0, "Event": 0}
    for lang in LANGUAGES:
        for path in (site.output / lang).glob("20*/*/index.html"):
            if site.soup(path).select_one('meta[http-equiv="refresh"]'):
                continue  # an old site's month archive (/en/2018/09/), redirected (content/redirects.toml)
            data = json_ld(site.soup(path))
            assert missing_fields(data) == [], f"{path}: {missing_fields(data)}"
            assert data["inLanguage"] == lang and data["url"] == site.url_of(path)
            checked[data["@type"]] += 1
    assert checked == {"NewsArticle": 24, "Event": 18}
    event = json_ld(site.soup("/en/2017/4th-wego-general-assembly/"))
    assert (event["startDate"], event["endDate"]) == ("2017-06-27", "2017-06-30")
    assert event["location"] == {"@type": "Place", "name": "Ulyanovsk Region, Russia", "address": "Ulyanovsk Region, Russia"}
    online = json_ld(site.soup("/en/2020/digital-technologies-and-the-covid-19-pandemic/"))
    assert online["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")


def test_sitemap_lists_every_indexable_page_with_its_alternates(site):
    from lxml import etree

    tree = etree.parse(str(site.output / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = {}
    for url in tree.findall("s:url", ns):
        listed[url.findtext("s:loc", namespaces=ns)] = {l.get("hreflang"): l.get("href") for l in url.findall("x:link", ns)}
    expected = set()
    for path in site.html_files():
        soup = site.soup(path)
        if path.name == "404.html" or soup.select_one('meta[name="robots"][content="noindex"]'):
            continue
        expected.add(site.url_of(path))
        head = {l["hreflang"]: l["href"] for l in soup.select('link[rel="alternate"][hreflang]')}
        assert listed.get(site.url_of(path)) == head, path
    assert set(listed) == expected
    robots = (site.output / "robots.txt").read_text()
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
