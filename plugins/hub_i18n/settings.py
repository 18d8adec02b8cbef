"""Defaults and start-up validation of the HUB_I18N_* settings and of the hub's texts (SITENAME, HUB_SITE_*)."""

from babel import Locale, UnknownLocaleError

DEFAULTS = {
    "HUB_I18N_LANGUAGES": ("fr", "es", "en"),
    "HUB_I18N_UNTRANSLATED": "link",
    "HUB_I18N_TAXONOMY_FILE": "taxonomy.toml",
    "HUB_I18N_PAGINATION": 10,
    "HUB_I18N_NAV_PAGES": (),
    "HUB_I18N_FOOTER_PAGES": (),
    "HUB_I18N_CATALOG_DIR": None,  # None: <THEME>/translations
    "HUB_I18N_REQUIRE_ORIGINAL": True,
    # Categories listed by a template of their own, on one page (e.g. events: upcoming and past).
    "HUB_I18N_CATEGORY_TEMPLATES": {},
    # URL words per language; a language without an entry gets the English ones.
    "HUB_I18N_PATH_WORDS": {
        "fr": {"category": "categorie", "tag": "etiquette", "archives": "archives", "page": "page"},
        "es": {"category": "categoria", "tag": "etiqueta", "archives": "archivo", "page": "pagina"},
        "en": {"category": "category", "tag": "tag", "archives": "archives", "page": "page"},
    },
}

UNTRANSLATED_POLICIES = ("link", "hide")

# The hub's own texts, written in English in the settings: every page, feed, calendar and card shows
# them in its language through the theme's catalogs (`invoke catalogs` takes their msgids from the
# settings). A HUB_SITE_* text that is not set is the hub's name.
SITE_TEXTS = (
    "SITENAME",  # Pelican's: titles, feeds, OPML, calendars, share cards
    "HUB_SITE_PUBLISHER",  # who publishes the hub: feeds' author, JSON-LD publisher, cards, new articles' Authors
    "HUB_SITE_SUBTITLE",  # a line under the name: feeds' subtitle
    "HUB_SITE_SUMMARY",  # a sentence of what the hub holds: pages' description, the site's share card
)

# Pelican settings that must hold for a single-pass build: each names why.
REQUIRED_PELICAN = {
    "ARTICLE_TRANSLATION_ID": (None, "hub_i18n groups translations itself"),
    "PAGE_TRANSLATION_ID": (None, "hub_i18n groups translations itself"),
    "USE_FOLDER_AS_CATEGORY": (False, "the language folder would become a category"),
}
LANG_URL_SETTINGS = (
    "ARTICLE_URL", "ARTICLE_LANG_URL", "ARTICLE_SAVE_AS", "ARTICLE_LANG_SAVE_AS",
    "PAGE_URL", "PAGE_LANG_URL", "PAGE_SAVE_AS", "PAGE_LANG_SAVE_AS",
)


class SettingsError(ValueError):
    """A setting hub_i18n cannot work with; the message names the setting."""


def validate_settings(settings):
    """Return the HUB_I18N_* settings with defaults filled in, or raise SettingsError."""
    resolved = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    languages = tuple(resolved["HUB_I18N_LANGUAGES"])
    if not languages:
        raise SettingsError("HUB_I18N_LANGUAGES is empty: list the site's languages, e.g. ('fr', 'es', 'en')")
    for code in languages:
        if code != code.lower() or len(code) != 2:
            raise SettingsError(f"HUB_I18N_LANGUAGES: {code!r} is not a lower-case ISO 639-1 code such as 'fr'")
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            raise SettingsError(f"HUB_I18N_LANGUAGES: Babel knows no locale {code!r}") from None
    if len(set(languages)) != len(languages):
        raise SettingsError("HUB_I18N_LANGUAGES lists a language twice")
    resolved["HUB_I18N_LANGUAGES"] = languages
    problem = unknown_language(settings.get("DEFAULT_LANG"), languages)
    if problem:
        raise SettingsError(f"DEFAULT_LANG: {problem} (HUB_I18N_LANGUAGES)")
    if resolved["HUB_I18N_UNTRANSLATED"] not in UNTRANSLATED_POLICIES:
        raise SettingsError(
            f"HUB_I18N_UNTRANSLATED must be one of {UNTRANSLATED_POLICIES}, not {resolved['HUB_I18N_UNTRANSLATED']!r}"
        )
    per_page = resolved["HUB_I18N_PAGINATION"]
    if not isinstance(per_page, int) or per_page < 1:
        raise SettingsError(f"HUB_I18N_PAGINATION must be a positive whole number, not {per_page!r}")
    for name in SITE_TEXTS:
        text = settings.get(name) or settings.get("SITENAME")
        if not isinstance(text, str) or not text.strip():
            raise SettingsError(f"{name} must be a text, in English (the catalogs translate it), not {text!r}")
        resolved[name] = text
    for name, (value, why) in REQUIRED_PELICAN.items():
        if settings.get(name) != value:
            raise SettingsError(f"{name} must be {value!r} with hub_i18n ({why})")
    for name in LANG_URL_SETTINGS:
        if "{lang}" not in str(settings.get(name, "")):
            raise SettingsError(f"{name} must contain {{lang}} so every language has its own tree")
    return resolved


def site_languages(settings):
    """The site's languages, in switcher order: HUB_I18N_LANGUAGES is the one list of them."""
    return tuple(settings.get("HUB_I18N_LANGUAGES", DEFAULTS["HUB_I18N_LANGUAGES"]))


def unknown_language(code, languages):
    """Why `code` is not a language of the site, for a message that names the header or setting
    (None when it is one): a Lang header, a redirect's lang, DEFAULT_LANG, an editor's command."""
    if code in languages:
        return None
    return f"{code!r} is not a language of this site; use one of {', '.join(languages)}"


def path_words(resolved, lang):
    """URL words (category, tag, archives, page) for one language."""
    words = resolved["HUB_I18N_PATH_WORDS"]
    return words.get(lang, DEFAULTS["HUB_I18N_PATH_WORDS"]["en"])
