"""Interface-string catalogs: extract, update, compile (when out of date) and load, with Babel."""

import datetime
import io
import logging
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

from plugins.hub_engine.outputs import write_atomically

logger = logging.getLogger(__name__)

DOMAIN = "messages"
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
# `_in(lang, "...")` translates into a given language (the switcher speaks each target's language).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "_in": (2,)}
METHOD_MAP = [("**.html", "jinja2"), ("**.js", "ignore")]
OPTIONS_MAP = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


class CatalogError(ValueError):
    """A catalog that does not parse or compile; the message names the file."""


def po_path(translations_dir, lang):
    return Path(translations_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_messages(templates_dir, python_dirs=(), texts=(), project="hub"):
    """A template Catalog of every interface string in the theme's templates and in plugin code,
    and of `texts`: {setting name: English text} of the settings file, whose values pages show
    translated (the hub's name: `_(SITENAME)` in templates).

    Plugin code marks its strings with N_("...") and translates them later, per language.
    """
    catalog = Catalog(project=project, charset="utf-8", fuzzy=False)
    for name, text in texts.items() if texts else ():
        catalog.add(text, None, [("pelicanconf.py", None)], auto_comments=[f"The setting {name}"])
    sources = [(templates_dir, METHOD_MAP, OPTIONS_MAP, KEYWORDS)]
    sources += [(directory, [("**.py", "python")], {}, {"N_": None}) for directory in python_dirs]
    for directory, method_map, options_map, keywords in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
            directory, method_map, options_map, keywords=keywords, comment_tags=("Translators:",)
        ):
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def write_catalog(catalog, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # No dates or line numbers in the file: it changes only when a message does.
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    write_po(buffer, catalog, width=100, omit_header=False, include_lineno=False, sort_output=True)
    path.write_bytes(buffer.getvalue())


def read_catalog(path, locale=None):
    try:
        with open(path, "rb") as handle:
            return read_po(handle, locale=locale, abort_invalid=True)
    except Exception as error:  # babel raises several kinds; the message is what matters
        raise CatalogError(f"{path}: cannot read the catalog ({error})") from None


def update_catalogs(template, translations_dir, languages):
    """Merge the template into each language's catalog (new ones are created); returns the paths."""
    written = []
    for lang in languages:
        path = po_path(translations_dir, lang)
        if path.exists():
            catalog = read_catalog(path, locale=lang)
            catalog.update(template, update_header_comment=False)
        else:
            catalog = Catalog(locale=lang, project=template.project, charset="utf-8")
            catalog.update(template)
        write_catalog(catalog, path)
        written.append(path)
    return written


def check_catalog(catalog, path):
    """Problems Babel finds in translated messages (wrong placeholders, plural forms)."""
    problems = []
    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{path}: message {message.id!r}: {error}")
    return problems


def compile_catalogs(translations_dir, languages, force=False):
    """Compile each .po into .mo when the .mo is missing or older; raise CatalogError on faults."""
    compiled = []
    for lang in languages:
        po = po_path(translations_dir, lang)
        if not po.exists():
            raise CatalogError(f"{po}: missing; run `invoke catalogs` to create it, then translate it")
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalog = read_catalog(po, locale=lang)
        problems = check_catalog(catalog, po)
        if problems:
            raise CatalogError("\n".join(problems))
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        write_atomically(mo, buffer.getvalue())  # never a half-written .mo for a concurrent build
        compiled.append(mo)
    return compiled


def load_translations(translations_dir, languages):
    """lang -> gettext translations object; a missing .mo gives NullTranslations (msgid shown)."""
    loaded = {}
    for lang in languages:
        translations = Translations.load(str(translations_dir), [lang], DOMAIN)
        if not isinstance(translations, Translations):
            logger.warning("hub_i18n: no compiled catalog for %s in %s", lang, translations_dir)
            translations = NullTranslations()
        loaded[lang] = translations
    return loaded


def catalog_stats(path, lang):
    """(translated, fuzzy, missing) counts of one catalog."""
    catalog = read_catalog(path, locale=lang)
    translated = fuzzy = missing = 0
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            fuzzy += 1
        elif all(strings):
            translated += 1
        else:
            missing += 1
    return translated, fuzzy, missing
