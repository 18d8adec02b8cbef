"""Interface catalogs for the theme: extract, update, compile, report (the tasks call these)."""

from pathlib import Path

from plugins.hub_i18n import catalogs
from plugins.hub_i18n.settings import site_languages as languages_of

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SETTINGS = PROJECT_ROOT / "pelicanconf.py"
THEME = PROJECT_ROOT / "theme"
TRANSLATIONS = THEME / "translations"
PYTHON_SOURCES = (PROJECT_ROOT / "plugins" / "hub_feeds", PROJECT_ROOT / "plugins" / "hub_items")


def update_catalogs():
    """Extract the theme's strings into messages.pot and merge them into every language's .po."""
    template = catalogs.extract_messages(THEME / "templates", PYTHON_SOURCES)
    catalogs.write_catalog(template, TRANSLATIONS / "messages.pot")
    return catalogs.update_catalogs(template, TRANSLATIONS, site_languages())


def compile_catalogs(force=False):
    return catalogs.compile_catalogs(TRANSLATIONS, site_languages(), force=force)


def catalog_report():
    """lang -> (translated, fuzzy, missing)."""
    return {lang: catalogs.catalog_stats(catalogs.po_path(TRANSLATIONS, lang), lang) for lang in site_languages()}


def site_languages(settings_file=SETTINGS):
    """The languages pelicanconf.py gives the site (HUB_I18N_LANGUAGES), in switcher order."""
    from hubsite.build import load_settings

    return languages_of(load_settings(settings_file))
