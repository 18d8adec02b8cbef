"""The real hub as a reader and a crawler see it: languages, switcher, hreflang, links, dates."""

import re

import pytest
from babel.messages.pofile import read_po

from conftest import LANGUAGES, ROOT, SITEURL
from plugins.hub_typography import typeset

# The 14 items of ../shared/seeds, by translation key, with the language they were written in.
ORIGINALS = {
    "smart-cities-study-2021-disponible": "fr",
    "participez-au-smart-cities-study-2021": "fr",
    "digital-technologies-and-the-covid-19-pandemic": "en",
    "troisieme-edition-smart-cities-study-disponible": "fr",
    "soluciones-ciudadanas-chicago": "es",
    "deuxieme-edition-smart-cities-study-2017": "fr",
    "connected-city-blueprint-disponible": "fr",
    "initiative-recherche-smart-cities-wba": "fr",
    "4th-wego-general-assembly": "en",
    "bureau-executif-cglu-madrid-2017": "fr",
    "people-centred-smart-cities-wuf12": "en",
    "smart-cities-live-2020": "en",
    "igf-2020-people-focused-smart-cities": "en",
    "city-managers-governance-smart-city-strategies": "en",
}


def content_headers(path):
    headers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return headers


def article_files():
    return sorted((ROOT / "content" / "articles").rglob("*.md"))


def page_url_of(headers):
    year = headers["date"][:4]
    return f"{SITEURL}/{headers['lang']}/{year}/{headers['slug']}/"


def test_every_seed_item_is_on_the_site_in_its_original_language(site):
    originals = {}
    for path in article_files():
        headers = content_headers(path)
        if headers.get("translation", "false").lower() != "true":
            originals[headers["translation_key"]] = headers
    assert {key: h["lang"] for key, h in originals.items()} == ORIGINALS
    for headers in originals.values():
        soup = site.soup(page_url_of(headers))
        assert soup.html["lang"] == headers["lang"]
        # French titles in French typography ("Participez à l’initiative"), the others as written.
        assert soup.h1.get_text(strip=True) == typeset(headers["title"], headers["lang"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_home_categories_tags_archives(site, lang):
    words = {"fr": ("categorie", "etiquette", "archives"), "es": ("categoria", "etiqueta", "archivo"),
             "en": ("category", "tag", "archives")}[lang]
    home = site.soup(f"/{lang}/")
    assert home.html["lang"] == lang
    assert len(home.find_all("h1")) == 1
    assert home.select("article.entry"), "the home lists articles"
    categories = sorted((site.output / lang / words[0]).iterdir())
    assert len(categories) == 5
    tags = list((site.output / lang / words[1]).iterdir())
    assert len(tags) >= 10
    archives = site.soup(f"/{lang}/{words[2]}/")
    listed = archives.select(".archive-list li")
    assert len(listed) == len(ORIGINALS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_is_paginated_per_language(site, lang):
    page_word = {"fr": "page", "es": "pagina", "en": "page"}[lang]
    first = site.soup(f"/{lang}/")
    second = site.soup(f"/{lang}/{page_word}/2/")
    assert second.html["lang"] == lang
    next_link = first.select_one('.pagination a[rel="next"]')
    assert next_link["href"] == f"{SITEURL}/{lang}/{page_word}/2/"
    shown = len(first.select("article.entry")) + len(second.select("article.entry"))
    assert shown == len(ORIGINALS)


def test_every_article_switcher_reaches_its_translations(site):
    for path in article_files():
        headers = content_headers(path)
        soup = site.soup(page_url_of(headers))
        links = {a["hreflang"]: a for a in soup.select(".lang-switch a")}
        assert set(links) == set(LANGUAGES)
        assert links[headers["lang"]].get("aria-current") == "true"
        for lang, link in links.items():
            target = site.soup(link["href"])
            assert target.html["lang"] == lang
            assert link["lang"] == lang
            back = {a["hreflang"]: a["href"] for a in target.select(".lang-switch a")}
            assert back[headers["lang"]] == page_url_of(headers)


def test_hreflang_is_self_inclusive_reciprocal_and_absolute(site):
    checked = 0
    for path in site.html_files():
        soup = site.soup(path)
        alternates = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
        if not alternates:
            continue
        own_url = site.url_of(path)
        lang = soup.html["lang"]
        own_hreflang = "x-default" if path == site.output / "index.html" else lang
        assert alternates.get(own_hreflang) == own_url, f"{path}: hreflang={own_hreflang} must point to itself"
        assert "x-default" in alternates
        for hreflang, url in alternates.items():
            assert url.startswith(SITEURL + "/"), f"{path}: {url} is not absolute"
            if hreflang == "x-default":
                continue
            other = site.soup(url)
            assert other.html["lang"] == hreflang
            back = {link["hreflang"]: link["href"] for link in other.select('link[rel="alternate"][hreflang]')}
            assert back == alternates, f"{url} does not return the same hreflang set as {own_url}"
        canonical = soup.select_one('link[rel="canonical"]')
        assert canonical["href"] == own_url
        checked += 1
    assert checked > 100


def test_no_broken_internal_link_on_any_page(site):
    broken = []
    for path in site.html_files():
        soup = site.soup(path)
        for tag, attribute in (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src")):
            for element in soup.find_all(tag):
                url = element.get(attribute)
                if not url or url.startswith(("mailto:", "#")):
                    continue
                target = site.path_for(url.split("#")[0])
                if target is not None and not target.exists():
                    broken.append(f"{path.relative_to(site.output)} -> {url}")
    assert broken == []


def test_no_page_requests_another_site(site):
    """Only links a reader follows may leave the site; nothing the browser loads by itself may."""
    for path in site.html_files():
        soup = site.soup(path)
        loaded = [element.get("src") for element in soup.find_all(["script", "img", "iframe", "source", "video", "audio", "embed"])]
        loaded += [link.get("href") for link in soup.find_all("link")
                   if not {"alternate", "canonical"} & set(link.get("rel", []))]
        for url in filter(None, loaded):
            assert url.startswith(SITEURL + "/"), f"{path}: the browser would load {url}"
        # JSON-LD is data, never run; any other script must come from a file.
        inline = [s for s in soup.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
        assert not inline, f"{path}: inline script"
        assert not soup.find(style=True) and not soup.find("style"), f"{path}: inline style"


LONG_DATES = {
    "fr": "15 avril 2021",
    "es": "15 de abril de 2021",
    "en": "April 15, 2021",
}
CALL_SLUGS = {
    "fr": "participez-au-smart-cities-study-2021",
    "es": "participa-en-el-smart-cities-study-2021",
    "en": "take-part-in-the-smart-cities-study-2021",
}
DEADLINES = {"fr": "31 mai 2021", "es": "31 de mayo de 2021", "en": "May 31, 2021"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dates_are_in_the_page_language_inside_time_elements(site, lang):
    soup = site.soup(f"/{lang}/2021/{CALL_SLUGS[lang]}/")
    times = {t.get_text(strip=True): t["datetime"] for t in soup.select("main time")}
    assert times[LONG_DATES[lang]].startswith("2021-04-15T10:00:00")
    assert times[DEADLINES[lang]] == "2021-05-31"


def interface_strings(lang):
    """(English msgid, translation) pairs of the theme catalog where the two differ."""
    path = ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    pairs = []
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.string and message.string != message.id:
            pairs.append((message.id, message.string))
    return pairs


def visible_text_in_page_language(soup):
    """Visible text, leaving out fragments marked as another language (lang attribute)."""
    page_lang = soup.html["lang"]
    for element in soup.select("[lang]"):
        if element.name != "html" and element["lang"] != page_lang:
            element.decompose()
    for element in soup(["script", "style", "head"]):
        element.decompose()
    return " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_interface_text_on_french_or_spanish_pages(site, lang):
    pairs = interface_strings(lang)
    translated = " ".join(translation for _, translation in pairs)
    english = [msgid.split("%(")[0].strip() for msgid, _ in pairs]
    # Only phrases that tell the languages apart ("Page" is French too).
    english = [text for text in english if len(text) > 3 and text not in translated]
    assert len(english) > 25
    offenders = []
    for path in (site.output / lang).rglob("*.html"):
        text = visible_text_in_page_language(site.soup(path))
        for phrase in english:
            if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text):
                offenders.append(f"{path.relative_to(site.output)}: {phrase!r}")
    assert offenders == []


def test_root_chooser_names_each_language_in_itself_without_javascript(site):
    soup = site.soup("/")
    choices = soup.select("a.choice")
    assert [(a["hreflang"], a.select_one(".choice-name").get_text(strip=True)) for a in choices] == [
        ("fr", "Français"), ("es", "Español"), ("en", "English")]
    for choice in choices:
        assert choice["href"] == f"{SITEURL}/{choice['hreflang']}/"
        assert choice.find_parent("li")["lang"] == choice["hreflang"]
    scripts = soup.find_all("script")
    assert all(script.get("src", "").startswith(SITEURL + "/theme/js/") for script in scripts)
    alternates = {link["hreflang"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"fr", "es", "en", "x-default"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_per_language(site, lang):
    soup = site.soup(site.output / lang / "404.html")
    assert soup.html["lang"] == lang
    assert soup.h1.get_text(strip=True) == {"fr": "Page introuvable", "es": "Página no encontrada", "en": "Page not found"}[lang]
    root = site.soup(site.output / "404.html")
    assert {section["lang"] for section in root.select("section[lang]")} == set(LANGUAGES)


def test_category_names_are_translated(site):
    names = {}
    for lang in LANGUAGES:
        soup = site.soup(f"/{lang}/")
        names[lang] = [a.get_text(strip=True) for a in soup.select(".site-nav a")][1:6]
    assert names["fr"] == ["Études", "Publications", "Appels à participation", "Événements", "Actualités"]
    assert names["es"] == ["Estudios", "Publicaciones", "Convocatorias", "Eventos", "Noticias"]
    assert names["en"] == ["Studies", "Publications", "Calls for participation", "Events", "News"]


def test_every_page_has_one_h1_a_skip_link_and_landmarks(site):
    for path in site.html_files():
        soup = site.soup(path)
        assert len(soup.find_all("h1")) == 1, path
        assert soup.find("main", id="main"), path
        skip = soup.select_one("a.skip-link")
        assert skip and skip["href"] == "#main", path
