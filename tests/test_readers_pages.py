"""What readers get around the content, read from the built HTML: the header's menu button and
compact language switcher, the print masthead, the not-found pages, later pages of a home.
(tests/test_browser.py checks the same header in Chromium: sizes, the button, dark mode, print.)"""

import pytest

from conftest import LANGUAGES, SITEURL

SEARCH_PAGES = {"fr": "/fr/recherche/", "es": "/es/buscar/", "en": "/en/search/"}
NOT_FOUND = {"fr": "Page introuvable", "es": "Página no encontrada", "en": "Page not found"}
SEARCH_LABEL = {"fr": "Rechercher dans les articles", "es": "Buscar en los artículos", "en": "Search the articles"}
MENU = {"fr": "Menu", "es": "Menú", "en": "Menu"}
NAMES = {"fr": "Français", "es": "Español", "en": "English"}
PAGE_WORD = {"fr": "page", "es": "pagina", "en": "page"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_header_folds_the_menu_behind_a_button_and_names_each_language_code(site, lang):
    soup = site.soup(f"/{lang}/")
    menu = soup.select_one("header.site-header details.site-menu")
    assert menu is not None and not menu.has_attr("open"), "the menu starts folded"
    summary = menu.find("summary")
    assert summary is menu.find(recursive=False), "the button is the disclosure's first child"
    assert summary.get_text(strip=True) == MENU[lang]
    nav = menu.select_one("nav.site-nav")
    assert nav["aria-label"] and len(nav.select("a")) >= 8
    links = soup.select(".lang-switch a")
    assert [a.select_one(".lang-code").get_text() for a in links] == ["FR", "ES", "EN"]
    for link in links:
        code = link["hreflang"]
        assert link["lang"] == code
        assert link["aria-label"] == NAMES[code], "screen readers hear the name, in its own language"
        assert (link.get("aria-current") == "true") == (code == lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_masthead_names_the_site_and_the_page_address(site, lang):
    soup = site.soup(f"/{lang}/")
    masthead = soup.select_one(".print-only.print-masthead")
    site_name = {"fr": "Villes numériques", "es": "Ciudades Digitales", "en": "Digital Cities"}[lang]
    assert masthead.select_one(".print-site").get_text(strip=True).startswith(site_name)
    canonical = soup.select_one('link[rel="canonical"]')["href"]
    assert masthead.select_one(".print-address").get_text(strip=True) == canonical == f"{SITEURL}/{lang}/"
    date_line = masthead.select_one(".print-date")
    assert date_line.has_attr("hidden"), "without JavaScript no date can be printed: the line stays hidden"
    script = soup.select_one('script[src$="/theme/js/print-date.js"]')
    assert script is not None and script.has_attr("defer")


def test_root_not_found_page_has_the_header_and_a_search_box_per_language(site):
    soup = site.soup(site.output / "404.html")
    header = soup.select_one("header.site-header")
    assert header.select_one(".brand img")["src"] == f"{SITEURL}/theme/img/logo.svg"
    assert header.select_one(".brand")["href"] == f"{SITEURL}/"
    assert len(soup.find_all("h1")) == 1
    sections = soup.select("main section[lang]")
    assert [section["lang"] for section in sections] == list(LANGUAGES)
    for section in sections:
        lang = section["lang"]
        assert section.find(["h1", "h2"]).get_text(strip=True) == NOT_FOUND[lang]
        assert section.select_one(f'a[href="{SITEURL}/{lang}/"]')
        form = section.select_one('form[role="search"]')
        assert form["action"] == SITEURL + SEARCH_PAGES[lang] and form["method"] == "get"
        field = form.select_one('input[type="search"]')
        assert field["name"] == "q", "the search page reads its query from ?q="
        label = form.find("label")
        assert label["for"] == field["id"] and label.get_text(strip=True) == SEARCH_LABEL[lang]
    assert not soup.select(".lang-switch"), "each language speaks for itself: no switcher needed"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_switcher_leads_to_the_other_not_found_pages(site, lang):
    soup = site.soup(site.output / lang / "404.html")
    links = {a["hreflang"]: a for a in soup.select(".lang-switch a")}
    assert {code: a["href"] for code, a in links.items()} == {code: f"{SITEURL}/{code}/404.html" for code in LANGUAGES}
    assert not soup.select(".switch-note"), "every language has a not-found page: nothing is 'not translated'"
    assert links[lang].get("aria-current") == "true"
    form = soup.select_one('main form[role="search"]')
    assert form["action"] == SITEURL + SEARCH_PAGES[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_later_pages_of_a_home_go_straight_to_the_news(site, lang):
    first = site.soup(f"/{lang}/")
    assert first.select_one("main .intro h1")
    second = site.soup(f"/{lang}/{PAGE_WORD[lang]}/2/")
    assert second.select_one(".intro") is None
    intro_text = first.select_one("main .intro p").get_text(strip=True)
    assert intro_text not in second.select_one("main").get_text(" ", strip=True)
    headings = second.find_all("h1")
    assert len(headings) == 1 and "2" in headings[0].get_text()
    assert second.select("main article.entry")
