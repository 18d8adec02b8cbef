"""Interface catalogs for the theme: extract, update, compile, report (the tasks call these)."""

from pathlib import Path

from plugins.hub_i18n import catalogs
from plugins.hub_i18n.settings import SITE_TEXTS, validate_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SETTINGS = PROJECT_ROOT / "pelicanconf.py"
THEME = PROJECT_ROOT / "theme"
TRANSLATIONS = THEME / "translations"
PYTHON_SOURCES = (PROJECT_ROOT / "plugins" / "hub_feeds", PROJECT_ROOT / "plugins" / "hub_items")


def extract_messages(settings_file=None):
    """Every interface string: the theme's templates, plugin code (N_) and the hub's texts in the settings."""
    settings = site_settings(settings_file)
    return catalogs.extract_messages(THEME / "templates", PYTHON_SOURCES, {name: settings[name] for name in SITE_TEXTS},
                                     project=f"{settings['SITENAME']} hub")


def update_catalogs():
    """Extract the interface strings into messages.pot and merge them into every language's .po."""
    template = extract_messages()
    catalogs.write_catalog(template, TRANSLATIONS / "messages.pot")
    return catalogs.update_catalogs(template, TRANSLATIONS, site_languages())


def compile_catalogs(force=False):
    return catalogs.compile_catalogs(TRANSLATIONS, site_languages(), force=force)


def catalog_report():
    """lang -> (translated, fuzzy, missing)."""
    return {lang: catalogs.catalog_stats(catalogs.po_path(TRANSLATIONS, lang), lang) for lang in site_languages()}


def site_settings(settings_file=None):
    """pelicanconf.py's hub_i18n settings, checked, with their defaults: the languages, the hub's texts."""
    from hubsite.build import load_settings

    return validate_settings(load_settings(settings_file or SETTINGS))


def site_languages(settings_file=None):
    """The languages pelicanconf.py gives the site (HUB_I18N_LANGUAGES), in switcher order."""
    return site_settings(settings_file)["HUB_I18N_LANGUAGES"]


def site_text(name, lang, settings_file=None):
    """One of the hub's texts (SITENAME, HUB_SITE_*) in `lang`, through the theme's catalogs."""
    text = site_settings(settings_file)[name]
    compile_catalogs()  # those out of date only
    return catalogs.load_translations(TRANSLATIONS, [lang])[lang].gettext(text)
