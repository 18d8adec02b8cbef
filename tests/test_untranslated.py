"""An article in one language only: listed there; elsewhere an 'available in' entry; switcher says so."""

import pytest

from conftest import SITEURL
from hubsite.build import BuildError


@pytest.fixture
def built(small_site):
    small_site.write("en", "english-only", "An English-only story", date="2024-03-01 09:00")
    small_site.write("fr", "traduit", "Un article traduit", key="translated", date="2024-02-01 09:00")
    small_site.write("es", "traducido", "Un artículo traducido", key="translated", date="2024-02-01 09:00",
                     extra="Translation: true")
    return small_site.build()


def test_listed_in_its_own_language_as_a_normal_entry(built):
    soup = built.soup("/en/")
    entry = soup.select_one('article.entry a[href$="/en/2024/english-only/"]').find_parent("article")
    assert "entry--other-language" not in entry["class"]
    assert not entry.select_one(".entry-note")


@pytest.mark.parametrize("lang, note", [("fr", "Disponible uniquement en anglais"), ("es", "Disponible solo en inglés")])
def test_other_languages_show_an_available_in_entry_marked_with_its_language(built, lang, note):
    soup = built.soup(f"/{lang}/")
    link = soup.select_one('article.entry a[href$="/en/2024/english-only/"]')
    assert link["hreflang"] == "en" and link["lang"] == "en"
    entry = link.find_parent("article")
    assert "entry--other-language" in entry["class"]
    assert entry.select_one(".entry-note").get_text(strip=True) == note
    assert entry.select_one(".entry-summary")["lang"] == "en"
    # It appears in the category and tag listings and archives of that language too.
    assert built.soup(f"/{lang}/{ {'fr': 'archives', 'es': 'archivo'}[lang] }/").select_one('a[href$="/en/2024/english-only/"][lang="en"]')


def test_switcher_on_an_untranslated_article_goes_home_and_says_so(built):
    soup = built.soup("/en/2024/english-only/")
    links = {a["hreflang"]: a for a in soup.select(".lang-switch a")}
    assert links["fr"]["href"] == f"{SITEURL}/fr/"
    assert links["fr"].select_one(".switch-note").get_text(strip=True) == "(page d\u2019accueil\u00a0: pas de traduction)"
    assert links["es"].select_one(".switch-note").get_text(strip=True) == "(página de inicio: sin traducción)"
    assert links["en"].get("aria-current") == "true" and not links["en"].select_one(".switch-note")
    hreflangs = {link["hreflang"]: link["href"] for link in soup.select('link[rel="alternate"][hreflang]')}
    assert hreflangs == {"en": f"{SITEURL}/en/2024/english-only/", "x-default": f"{SITEURL}/en/2024/english-only/"}


def test_translated_article_links_its_versions_and_localized_slugs(built):
    soup = built.soup("/fr/2024/traduit/")
    switch = {a["hreflang"]: a["href"] for a in soup.select(".lang-switch a")}
    assert switch["es"] == f"{SITEURL}/es/2024/traducido/"
    also = soup.select_one(".also-in a")
    assert also["hreflang"] == "es" and also.get_text(strip=True) == "Español"


def test_hide_policy_leaves_untranslated_articles_out_of_other_languages(small_site):
    small_site.write("en", "english-only", "An English-only story")
    built = small_site.build(HUB_I18N_UNTRANSLATED="hide")
    assert built.soup("/en/").select_one('a[href$="/en/2024/english-only/"]')
    assert not built.soup("/fr/").select_one('a[href$="/en/2024/english-only/"]')


def test_a_translation_without_its_original_stops_the_build(small_site):
    small_site.write("es", "huerfano", "Traducción huérfana", extra="Translation: true")
    with pytest.raises(BuildError) as error:
        small_site.build(HUB_CHECK_STRICT=True)
    assert "content/articles/es/huerfano.md:9: error: Translation: this is a translation of 'huerfano', but no version is the original" in str(error.value)
