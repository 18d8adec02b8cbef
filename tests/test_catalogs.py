"""Interface catalogs: up to date with the templates, complete, and compiling without error."""

import pytest

from conftest import LANGUAGES, ROOT
from plugins.hub_i18n import catalogs
from hubsite.i18n import extract_messages

TRANSLATIONS = ROOT / "theme" / "translations"


def test_catalogs_hold_every_string_of_the_templates_and_the_hubs_texts():
    template_ids = {message.id if isinstance(message.id, str) else message.id[0]
                    for message in extract_messages() if message.id}
    assert len(template_ids) > 30
    # The hub's name and texts come from pelicanconf.py, which the templates only name (`_(SITENAME)`).
    assert {"Digital Cities", "UCLG Community of Practice on Digital Cities"} <= template_ids
    for lang in LANGUAGES:
        catalog = catalogs.read_catalog(catalogs.po_path(TRANSLATIONS, lang), locale=lang)
        ids = {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}
        assert template_ids - ids == set(), f"{lang}: run `invoke catalogs` and translate the new strings"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete_with_no_fuzzy_or_missing_message(lang):
    translated, fuzzy, missing = catalogs.catalog_stats(catalogs.po_path(TRANSLATIONS, lang), lang)
    assert (fuzzy, missing) == (0, 0)
    assert translated > 30


def test_catalogs_compile_without_error(tmp_path):
    import shutil

    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    compiled = catalogs.compile_catalogs(copy, LANGUAGES)
    assert len(compiled) == 3
    loaded = catalogs.load_translations(copy, LANGUAGES)
    assert loaded["fr"].gettext("Home") == "Accueil"
    assert loaded["es"].gettext("Home") == "Inicio"


def test_a_broken_placeholder_is_refused_with_the_file_named(tmp_path):
    po = catalogs.po_path(tmp_path, "fr")
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  '#, python-format\nmsgid "Page %(number)s of %(count)s"\nmsgstr "Page %(nombre)s sur %(count)s"\n',
                  encoding="utf-8")
    with pytest.raises(catalogs.CatalogError) as error:
        catalogs.compile_catalogs(tmp_path, ["fr"])
    assert str(po) in str(error.value)
