"""Articles lead on (related, previous/next, share links, reading time, breadcrumb), and calls and
events show what matters first (deadline and days left, the event's dates and place, a calendar
file per event). Small real sites, read as a reader, a crawler and a calendar application would."""

import datetime
import json
import shutil
from urllib.parse import quote

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SITEURL
from plugins.hub_i18n import leads

NOW = "2026-11-23T08:00:00+00:00"  # a Monday; the site's clock for calls and events


def texts(elements):
    return [element.get_text(" ", strip=True) for element in elements]


def related_titles(soup):
    return texts(soup.select(".related-list a"))


@pytest.fixture
def newsroom(small_site):
    """French articles that share more or fewer tags with `l-article`, one Spanish article dated
    between two French ones, and one English-only article."""
    write = small_site.write
    write("fr", "l-article", "L'article", date="2024-03-10 10:00", category="news",
          tags="open-data, open-government, resilience")
    write("fr", "deux-themes", "Deux thèmes", date="2024-01-05 10:00", category="publications",
          tags="open-data, resilience")
    write("fr", "un-theme-meme-rubrique", "Un thème, même rubrique", date="2023-06-01 10:00", category="news",
          tags="open-data")
    write("fr", "un-theme-autre-rubrique", "Un thème, autre rubrique", date="2024-02-01 10:00",
          category="studies", tags="open-government")
    write("fr", "meme-rubrique", "Même rubrique seulement", date="2024-03-01 10:00", category="news", tags="wego")
    write("fr", "sans-rapport", "Sans rapport", date="2024-03-11 10:00", category="studies", tags="wuf")
    write("fr", "plus-ancien", "Plus ancien", date="2023-01-01 10:00", category="publications", tags="igf")
    write("es", "entre-dos", "Entre dos", date="2024-03-10 12:00", category="studies", tags="wuf")
    write("en", "english-only", "English only", date="2024-03-09 10:00", category="news",
          tags="open-data, open-government, resilience")
    return small_site


def test_related_articles_share_most_tags_first_then_the_category_never_itself(newsroom):
    page = newsroom.build(HUB_NOW=NOW).soup("/fr/2024/l-article/")
    # English only shares all three tags: listed (untranslated policy "link") in English, marked.
    assert related_titles(page) == ["English only", "Deux thèmes", "Un thème, même rubrique"]
    other = page.select_one(".related-list a")
    assert other["hreflang"] == "en" and other["lang"] == "en"
    assert other["href"] == f"{SITEURL}/en/2024/english-only/"
    assert "Disponible uniquement en anglais" in page.select_one(".related-list li").get_text(" ", strip=True)
    # Only the category in common: after every article sharing a tag, newest first.
    alone = newsroom.build(HUB_NOW=NOW).soup("/fr/2024/meme-rubrique/")
    assert related_titles(alone) == ["L’article", "English only", "Un thème, même rubrique"]  # French typography
    # Never itself, in any language: a Spanish-only article shares its tag and category.
    assert related_titles(newsroom.build(HUB_NOW=NOW).soup("/fr/2024/sans-rapport/")) == [
        "Entre dos", "Un thème, autre rubrique"]


def test_related_articles_follow_the_hide_policy_of_listings(newsroom):
    page = newsroom.build(HUB_NOW=NOW, HUB_I18N_UNTRANSLATED="hide").soup("/fr/2024/l-article/")
    assert related_titles(page) == ["Deux thèmes", "Un thème, même rubrique", "Un thème, autre rubrique"]


def test_previous_and_next_are_by_date_in_the_same_language(newsroom):
    site = newsroom.build(HUB_NOW=NOW)
    page = site.soup("/fr/2024/l-article/")
    previous, following = page.select_one(".pager-link--previous"), page.select_one(".pager-link--next")
    # The Spanish article two hours later and the English one the day before are not in French.
    assert previous["href"] == f"{SITEURL}/fr/2024/meme-rubrique/"
    assert previous.select_one(".pager-label").get_text(strip=True) == "Article précédent"
    assert following["href"] == f"{SITEURL}/fr/2024/sans-rapport/"
    assert following.select_one(".pager-title").get_text(strip=True) == "Sans rapport"
    # The ends have one of the two.
    assert site.soup("/fr/2024/sans-rapport/").select_one(".pager-link--next") is None
    assert site.soup("/fr/2023/plus-ancien/").select_one(".pager-link--previous") is None
    # A language with one article: nothing to lead to.
    assert site.soup("/es/2024/entre-dos/").select_one(".pager") is None


def test_share_links_are_plain_links_with_the_encoded_absolute_url(newsroom):
    site = newsroom.build(HUB_NOW=NOW)
    page = site.soup("/fr/2024/l-article/")
    url = f"{SITEURL}/fr/2024/l-article/"
    encoded = quote(url, safe="")
    links = {a.get_text(strip=True): a["href"] for a in page.select(".share-list a")}
    assert links["Courriel"].startswith("mailto:?subject=") and encoded in links["Courriel"]
    assert links["Bluesky"].startswith("https://bsky.app/intent/compose?text=") and encoded in links["Bluesky"]
    assert links["LinkedIn"] == f"https://www.linkedin.com/sharing/share-offsite/?url={encoded}"
    assert links["WhatsApp"].startswith("https://wa.me/?text=") and encoded in links["WhatsApp"]
    assert links["Mastodon"].startswith("https://s2f.kytta.dev/?text=") and encoded in links["Mastodon"]
    assert "L%E2%80%99article" in links["Bluesky"]  # the title goes with it (typeset in French), encoded
    # "Copy link" works without JavaScript: a link to the page itself, which the script enhances.
    copy = page.select_one("a[data-copy-link]")
    assert copy["href"] == url and copy.get_text(strip=True) == "Copier le lien"
    assert copy["data-copied"] == "Lien copié"
    script = page.find("script", src=f"{SITEURL}/theme/js/copy-link.js")
    assert script is not None and (site.output / "theme/js/copy-link.js").is_file()
    # Search indexes the article's own words (its tags too), not the other articles it offers.
    for selector in (".share", ".pager", ".related", ".reading-time"):
        element = page.select_one(selector)
        assert element.has_attr("data-pagefind-ignore") or element.find_parent(attrs={"data-pagefind-ignore": True})
    assert not page.select_one(".tags").find_parent(attrs={"data-pagefind-ignore": True})
    # Nothing on any page is loaded from another site: share links are links, not widgets.
    for path in site.html_files():
        soup = site.soup(path)
        loaded = [element.get("src") for element in soup.find_all(["script", "img", "iframe"])]
        loaded += [link.get("href") for link in soup.find_all("link")
                   if not {"alternate", "canonical"} & set(link.get("rel", []))]
        assert all(source.startswith(SITEURL + "/") for source in filter(None, loaded)), path


@pytest.mark.parametrize("lang, words, expected", [
    ("fr", 450, "3 min de lecture"),
    ("es", 450, "3 min de lectura"),
    ("en", 450, "3 min read"),
    ("en", 12, "1 min read"),
])
def test_reading_time_in_the_page_language(small_site, lang, words, expected):
    small_site.write(lang, "texte", "Texte", body=" ".join(["mot"] * words))
    page = small_site.build(HUB_NOW=NOW).soup(f"/{lang}/2024/texte/")
    assert page.select_one(".article-meta .reading-time").get_text(strip=True) == expected


def test_breadcrumb_and_its_json_ld(small_site):
    small_site.write("es", "una-noticia", "Una noticia", category="publications")
    page = small_site.build(HUB_NOW=NOW).soup("/es/2024/una-noticia/")
    crumbs = page.select("nav.breadcrumb li")
    assert page.select_one("nav.breadcrumb")["aria-label"] == "Ruta de navegación"
    assert texts(crumbs) == ["Inicio", "Publicaciones", "Una noticia"]
    assert [a["href"] for a in page.select("nav.breadcrumb a")] == [f"{SITEURL}/es/",
                                                                     f"{SITEURL}/es/categoria/publicaciones/"]
    assert crumbs[-1].select_one('[aria-current="page"]') is not None
    data = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    trail = next(item for item in data if item["@type"] == "BreadcrumbList")
    assert trail["@context"] == "https://schema.org"
    assert [(item["position"], item["name"], item["item"]) for item in trail["itemListElement"]] == [
        (1, "Inicio", f"{SITEURL}/es/"),
        (2, "Publicaciones", f"{SITEURL}/es/categoria/publicaciones/"),
        (3, "Una noticia", f"{SITEURL}/es/2024/una-noticia/"),
    ]
    assert data[0]["@type"] == "NewsArticle"  # the article's own JSON-LD stays first


@pytest.fixture
def agenda(small_site):
    """Calls and events around NOW (23 November 2026)."""
    write = small_site.write
    write("fr", "appel-loin", "Appel loin", category="calls", date="2026-11-01 10:00", extra="Deadline: 2026-12-05")
    write("fr", "appel-proche", "Appel proche", category="calls", date="2026-10-01 10:00", extra="Deadline: 2026-11-24")
    write("fr", "appel-du-jour", "Appel du jour", category="calls", date="2026-09-01 10:00", extra="Deadline: 2026-11-23")
    write("fr", "appel-clos", "Appel clos", category="calls", date="2026-11-10 10:00", extra="Deadline: 2026-11-20")
    write("fr", "rencontre", "Rencontre", key="rencontre", category="events", date="2026-10-20 10:00",
          extra="Event_Start: 2027-02-10 16:00\nEvent_End: 2027-02-10 18:00\nEvent_Timezone: America/Chicago\n"
                "Location: Chicago, États-Unis")
    write("en", "meeting", "Meeting", key="rencontre", category="events", date="2026-10-20 10:00",
          extra="Event_Start: 2027-02-10 16:00\nEvent_End: 2027-02-10 18:00\nEvent_Timezone: America/Chicago\n"
                "Location: Chicago, USA")
    write("fr", "journee", "Journée", category="events", date="2026-11-02 10:00",
          extra="Event_Start: 2026-12-03\nEvent_End: 2026-12-04\nLocation: online")
    return small_site.build(HUB_NOW=NOW)


def test_calls_page_puts_open_calls_first_nearest_deadline_with_days_left(agenda):
    page = agenda.soup("/fr/categorie/appels-a-participation/")
    open_section, closed_section = page.select("main section")
    cards = open_section.select(".entry")
    assert texts(open_section.select(".entry-title a")) == ["Appel du jour", "Appel proche", "Appel loin"]
    assert texts(open_section.select(".days-left")) == ["Dernier jour", "1 jour restant", "12 jours restants"]
    assert cards[2].select_one(".state--open").get_text(strip=True) == "Ouvert jusqu’au 5 décembre 2026"
    assert texts(closed_section.select(".entry-title a")) == ["Appel clos"]
    assert closed_section.select_one(".state--closed").get_text(strip=True) == "Clos"
    # The deadline comes before the publication date, which is secondary.
    card = cards[2]
    text = card.select_one(".entry-text")  # after the card's picture, if any
    assert [child["class"][0] for child in text.find_all(recursive=False)][:3] == ["entry-meta", "entry-when", "entry-title"]
    assert card.select_one(".entry-meta time") is None
    assert card.select_one(".entry-published").get_text(" ", strip=True) == "Publié le 1 novembre 2026"


def test_days_left_in_each_language(small_site):
    small_site.write("es", "convocatoria", "Convocatoria", category="calls", date="2026-11-01 10:00",
                     extra="Deadline: 2026-12-05")
    small_site.write("en", "call", "Call", category="calls", date="2026-11-01 10:00", extra="Deadline: 2026-11-24")
    site = small_site.build(HUB_NOW=NOW)
    es = site.soup("/es/2026/convocatoria/")
    assert es.select_one(".facts .days-left").get_text(strip=True) == "Quedan 12 días"
    en = site.soup("/en/category/calls-for-participation/")
    # The Spanish call is listed too (untranslated policy "link"), its days counted in English.
    assert texts(en.select("main section")[0].select(".days-left")) == ["1 day left", "12 days left"]


def test_event_card_shows_the_event_first_and_its_page_its_own_calendar(agenda):
    page = agenda.soup("/fr/categorie/evenements/")
    card = next(entry for entry in page.select(".entry") if "Rencontre" in entry.get_text())
    times = card.find_all("time")
    # The event's moment first (with its place), the publication date last and secondary.
    assert times[0]["datetime"] == "2027-02-10T16:00-06:00"
    assert "Chicago, États-Unis" in card.select_one(".entry-when").get_text(" ", strip=True)
    assert times[-1]["datetime"].startswith("2026-10-20") and times[-1].find_parent(class_="entry-published")
    assert card.select_one(".entry-meta time") is None

    article = agenda.soup("/fr/2026/rencontre/")
    link = article.select_one(".facts a.add-to-calendar")
    assert link.get_text(strip=True) == "Ajouter à mon agenda" and link["type"] == "text/calendar"
    own = icalendar.Calendar.from_ical(agenda.path_for(link["href"]).read_bytes())
    events = own.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == "event-rencontre-fr@uclg-digitalcities.org"
    assert event.decoded("dtstart").isoformat() == "2027-02-10T16:00:00-06:00"
    assert str(event["summary"]) == "Rencontre"
    # The same VEVENT as in the language's calendar, with the zone it needs.
    calendar = icalendar.Calendar.from_ical((agenda.output / "fr/calendar.ics").read_bytes())
    same = next(e for e in calendar.walk("VEVENT") if str(e["uid"]) == str(event["uid"]))
    assert same.to_ical() == event.to_ical()
    assert [str(zone["tzid"]) for zone in own.walk("VTIMEZONE")] == ["America/Chicago"]
    # Each version has its own, in its language; a date-only event too.
    english = agenda.soup("/en/2026/meeting/").select_one("a.add-to-calendar")
    assert english.get_text(strip=True) == "Add to my calendar"
    assert "event-rencontre-en@" in agenda.path_for(english["href"]).read_text(encoding="utf-8")
    day = agenda.soup("/fr/2026/journee/").select_one("a.add-to-calendar")
    whole_days = icalendar.Calendar.from_ical(agenda.path_for(day["href"]).read_bytes()).walk("VEVENT")[0]
    assert whole_days.decoded("dtstart").isoformat() == "2026-12-03"
    assert str(whole_days["location"]) == "En ligne"
    # Articles that are not events have none.
    assert agenda.soup("/fr/2026/appel-loin/").select_one("a.add-to-calendar") is None


def test_a_rebuild_shows_the_new_title_of_a_related_and_next_article(newsroom, tmp_path):
    """An article page shows other articles' titles: editing one must render the pages showing it
    again (hub_reuse keys them by what they show), as a build from scratch would."""
    newsroom.build(HUB_NOW=NOW)
    path = newsroom.path / "articles/fr/deux-themes.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Title: Deux thèmes", "Title: Deux thèmes, corrigé"),
                    encoding="utf-8")
    neighbour = newsroom.path / "articles/fr/sans-rapport.md"
    neighbour.write_text(neighbour.read_text(encoding="utf-8").replace("Title: Sans rapport", "Title: Le suivant"),
                         encoding="utf-8")
    rebuilt = newsroom.build(HUB_NOW=NOW)
    page = rebuilt.soup("/fr/2024/l-article/")
    assert "Deux thèmes, corrigé" in related_titles(page)
    assert page.select_one(".pager-link--next .pager-title").get_text(strip=True) == "Le suivant"
    scratch = newsroom.build(output=tmp_path / "scratch", HUB_NOW=NOW)
    for name in ("fr/2024/l-article/index.html", "fr/2024/meme-rubrique/index.html"):
        assert (rebuilt.output / name).read_bytes() == (scratch.output / name).read_bytes()
    shutil.rmtree(scratch.output)


def test_leads_units():
    def candidate(key, category, tags, day):
        lead = leads.Lead(key.title(), f"fr/{key}/", "fr", datetime.datetime(2024, 1, day), False)
        return leads.Candidate(key, category, frozenset(tags), lead)

    a = candidate("a", "news", {"x", "y"}, 5)
    b = candidate("b", "news", {"x"}, 4)
    c = candidate("c", "events", {"x", "y"}, 3)
    d = candidate("d", "news", set(), 6)
    by_term = {("tag", "x"): [a, b, c], ("tag", "y"): [a, c], ("category", "news"): [d, a, b]}
    assert [lead.url for lead in leads.related("a", "news", {"x", "y"}, by_term)] == ["fr/c/", "fr/b/", "fr/d/"]
    assert [lead.url for lead in leads.related("a", "news", {"x", "y"}, by_term, count=1)] == ["fr/c/"]
    ordered = [d, a, b, c]
    assert leads.neighbours("a", ordered) == (b.lead, d.lead)
    assert leads.neighbours("d", ordered) == (a.lead, None)
    assert leads.neighbours("zzz", ordered) == (None, None)
    assert leads.related("e", None, set(), by_term) == ()
    assert leads.reading_minutes("<p>" + "word " * 201 + "</p><script>x y z</script>") == 2
    assert leads.reading_minutes("") == 1


def test_a_draft_page_has_its_share_links_and_reading_time_but_no_leads(small_site):
    small_site.write("fr", "publie", "Publié", date="2024-01-01 10:00", tags="open-data")
    small_site.write("fr", "brouillon", "Brouillon", date="2024-01-02 10:00", tags="open-data",
                     extra="Status: draft")
    site = small_site.build(HUB_NOW=NOW)
    draft = site.soup("/fr/drafts/brouillon/")
    assert draft.select_one(".reading-time").get_text(strip=True) == "1 min de lecture"
    assert draft.select(".share-list a") and draft.select_one(".related, .pager") is None
    # Drafts are not offered to readers of published articles.
    assert site.soup("/fr/2024/publie/").select_one(".related, .pager") is None


def related_by_definition(own_key, own_category, own_tags, by_term, count=leads.RELATED_COUNT):
    """What `leads.related` must choose, written as the rule reads: every article sharing a tag,
    ranked by tags shared, same category, date and key; then the category's others, newest first."""
    shared = {}
    for tag in set(own_tags):
        for candidate in by_term.get(("tag", tag), ()):
            if candidate.key != own_key:
                shared.setdefault(candidate.key, [0, candidate])[0] += 1
    ranked = sorted(shared.values(), reverse=True,
                    key=lambda pair: (pair[0], pair[1].category == own_category, pair[1].lead.date, pair[1].key))
    chosen = [candidate for _, candidate in ranked[:count]]
    for candidate in by_term.get(("category", own_category), ()):
        if len(chosen) < count and candidate.key != own_key and candidate.key not in shared:
            chosen.append(candidate)
    return tuple(candidate.lead for candidate in chosen)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["news", "events", "calls", None]),
                          st.sets(st.sampled_from("abcdef"), max_size=4), st.integers(1, 8)), min_size=1, max_size=40),
       st.data())
def test_related_articles_equal_the_rule_on_generated_newsrooms(articles, data):
    """The set-based ranking (leads.RelatedIndex) chooses exactly what the rule chooses, ties
    included (days repeat, so many articles share a date)."""
    candidates = []
    for number, (category, tags, day) in enumerate(articles):
        lead = leads.Lead(f"T{number}", f"fr/{number}/", "fr", datetime.datetime(2024, 1, day), False)
        candidates.append(leads.Candidate(f"k{number:02d}", category, frozenset(tags), lead))
    newest_first = sorted(candidates, key=lambda candidate: candidate.lead.date, reverse=True)
    by_term = {}
    for candidate in newest_first:
        if candidate.category is not None:
            by_term.setdefault(("category", candidate.category), []).append(candidate)
        for tag in sorted(candidate.tags):
            by_term.setdefault(("tag", tag), []).append(candidate)
    index = leads.RelatedIndex(by_term)
    own = data.draw(st.sampled_from(candidates))
    count = data.draw(st.integers(1, 5))
    assert leads.related(own.key, own.category, own.tags, index, count) == \
        related_by_definition(own.key, own.category, own.tags, by_term, count)
