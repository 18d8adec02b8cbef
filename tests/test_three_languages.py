"""The hub in three languages: every item and standing page in fr/es/en, each body in its own language."""

import re
from collections import Counter

import pytest

from conftest import LANGUAGES, ROOT
from test_site import ORIGINALS, content_headers, page_url_of

# Frequent short words that tell French, Spanish and English apart.
STOP_WORDS = {
    "fr": set("le la les des du une et est dans pour sur avec qui que pas par au aux ce cette sont ont été leur".split()),
    "es": set("el la los las del una y es en para con que por al su sus se como más este esta son han sido".split()),
    "en": set("the and of to in is for on with that are by this from as be have has was their will".split()),
}
SHARED = STOP_WORDS["fr"] & STOP_WORDS["es"] | STOP_WORDS["fr"] & STOP_WORDS["en"] | STOP_WORDS["es"] & STOP_WORDS["en"]


def guess_language(text):
    words = re.findall(r"[a-záéíóúñàâçèêëîïôûüœ]+", text.lower())
    counts = Counter()
    for lang, stop_words in STOP_WORDS.items():
        counts[lang] = sum(1 for word in words if word in stop_words and word not in SHARED)
    (best, first), (_, second) = counts.most_common(2)
    return best, first, second


def body_text(soup):
    prose = soup.select_one(".prose")
    page_lang = soup.html["lang"]
    for element in prose.select("[lang]"):
        if element["lang"] != page_lang:
            element.decompose()
    return prose.get_text(" ")


def groups():
    found = {}
    for path in sorted((ROOT / "content" / "articles").rglob("*.md")):
        headers = content_headers(path)
        found.setdefault(headers["translation_key"], {})[headers["lang"]] = headers
    return found


def test_every_item_exists_in_the_three_languages():
    items = groups()
    assert set(items) == set(ORIGINALS)
    for key, versions in items.items():
        assert set(versions) == set(LANGUAGES), key
        originals = [lang for lang, h in versions.items() if h.get("translation", "").lower() != "true"]
        assert originals == [ORIGINALS[key]], f"{key}: exactly one original, in {ORIGINALS[key]}"
        for header in ("date", "category", "tags", "deadline", "event_start", "event_end", "edition"):
            values = {h.get(header) for h in versions.values()}
            assert len(values) == 1, f"{key}: {header} differs between versions: {values}"
        assert len({h["summary"] for h in versions.values()}) == 3, f"{key}: each version needs its own summary"


def test_each_article_page_links_the_two_other_versions(site):
    for key, versions in groups().items():
        for lang, headers in versions.items():
            soup = site.soup(page_url_of(headers))
            also = {a["hreflang"]: a["href"] for a in soup.select(".also-in a")}
            assert also == {other: page_url_of(h) for other, h in versions.items() if other != lang}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_article_bodies_are_in_the_page_language(site, lang):
    wrong = []
    for versions in groups().values():
        soup = site.soup(page_url_of(versions[lang]))
        best, first, second = guess_language(body_text(soup))
        if best != lang or first < 2 * second:
            wrong.append(f"{versions[lang]['slug']}: looks {best} ({first} vs {second})")
    assert wrong == []


STANDING = {
    "about": {"fr": "a-propos", "es": "acerca-de", "en": "about"},
    "smart-cities-study": {"fr": "smart-cities-study", "es": "smart-cities-study", "en": "smart-cities-study"},
    "contact": {"fr": "contact", "es": "contacto", "en": "contact"},
    "legal": {"fr": "mentions-legales", "es": "aviso-legal", "en": "legal-notice"},
}


@pytest.mark.parametrize("key", STANDING)
def test_standing_pages_exist_in_each_language_and_are_linked_from_the_footer(site, key):
    for lang, slug in STANDING[key].items():
        url = f"/{lang}/{slug}/"
        soup = site.soup(url)
        assert soup.html["lang"] == lang
        best, _, _ = guess_language(body_text(soup))
        assert best == lang
        home = site.soup(f"/{lang}/")
        assert home.select_one(f'.site-footer a[href$="{url}"]'), f"footer of /{lang}/ lacks {url}"


def test_legal_notice_states_no_cookies_and_no_third_party_requests(site):
    text = site.soup("/en/legal-notice/").select_one(".prose").get_text(" ").lower()
    assert "no cookies" in text and "third-party" in text


def test_contact_page_gives_the_secretariat_email(site):
    for lang, slug in STANDING["contact"].items():
        links = [a["href"] for a in site.soup(f"/{lang}/{slug}/").select(".prose a[href^='mailto:']")]
        assert "mailto:info@uclg-digitalcities.com" in links
