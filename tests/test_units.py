"""hub_i18n's pure functions, without a build and without any OS locale."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from plugins.hub_i18n import dates, views
from plugins.hub_i18n.facts import read_facts
from plugins.hub_i18n.grouping import ContentError, group_translations, originals_missing
from plugins.hub_i18n.pages import PageDescription, describe_page
from plugins.hub_i18n.settings import SettingsError, validate_settings
from plugins.hub_i18n.taxonomy import TaxonomyError, parse_taxonomy, slugify

LANGS = ("fr", "es", "en")


def item(lang, key, translation=False, date=datetime.datetime(2024, 1, 1), source=None):
    return SimpleNamespace(lang=lang, translation_key=key, is_translation=translation, date=date,
                           source=source or f"content/articles/{lang}/{key}.md", status="published")


def test_groups_keep_site_language_order_and_find_the_original():
    groups = group_translations([item("en", "a", True), item("fr", "a"), item("es", "a", True)], LANGS)
    assert list(groups["a"].versions) == ["fr", "es", "en"]
    assert groups["a"].original.lang == "fr"


def test_duplicate_language_in_a_group_names_both_files():
    with pytest.raises(ContentError) as error:
        group_translations([item("fr", "a", source="one.md"), item("fr", "a", source="two.md")], LANGS)
    assert error.value.problems == [
        "two.md: Translation_Key: 'a' is already used by the fr article one.md; give one of them its own Translation_Key"
    ]


def test_group_of_translations_only_is_reported():
    groups = group_translations([item("es", "a", True)], LANGS)
    assert "no version of 'a' is the original" in originals_missing(groups)[0]


def test_listing_entries_fall_back_to_the_original_only_with_link_policy():
    groups = group_translations([item("en", "only"), item("fr", "both"), item("en", "both", True)], LANGS)
    fr_link = views.listing_entries(groups.values(), "fr", "link")
    assert [(e.item.translation_key, e.item.lang, e.fallback) for e in fr_link] == [("only", "en", True), ("both", "fr", False)]
    fr_hide = views.listing_entries(groups.values(), "fr", "hide")
    assert [e.item.translation_key for e in fr_hide] == ["both"]


def test_listing_is_newest_first():
    old, new = item("fr", "old", date=datetime.datetime(2020, 1, 1)), item("fr", "new", date=datetime.datetime(2022, 1, 1))
    groups = group_translations([old, new], LANGS)
    assert [e.item.translation_key for e in views.listing_entries(groups.values(), "fr", "link")] == ["new", "old"]


def test_paginate_and_page_paths():
    assert views.paginate(list(range(5)), 2) == [[0, 1], [2, 3], [4]]
    assert views.paginate([], 10) == [[]]
    assert views.page_path("es/", 1, "pagina") == "es/"
    assert views.page_path("es/", 3, "pagina") == "es/pagina/3/"


class FakeSite:
    languages = LANGS
    siteurl = "https://hub.example.org/"

    def home_url(self, lang):
        return f"{lang}/"


def test_alternates_include_self_and_x_default_in_site_order():
    page = describe_page(FakeSite(), "en", "en/a/", {"en": "en/a/", "fr": "fr/a/"}, x_default="fr/a/")
    assert page.alternates == (("fr", "https://hub.example.org/fr/a/"), ("en", "https://hub.example.org/en/a/"),
                               ("x-default", "https://hub.example.org/fr/a/"))


def test_switcher_falls_back_to_the_language_home_unless_told_where():
    page = describe_page(FakeSite(), "fr", "fr/a/", {"fr": "fr/a/"}, elsewhere={"es": "es/b/"})
    assert [(l.lang, l.url, l.current, l.fallback) for l in page.switch] == [
        ("fr", "fr/a/", True, False), ("es", "es/b/", False, True), ("en", "en/", False, True)]


def test_a_page_of_one_language_has_neither_alternates_nor_switcher():
    assert describe_page(FakeSite(), "es", "es/404.html") == PageDescription("es", "es/404.html")


def test_a_page_not_to_index_has_a_switcher_and_no_alternates():
    page = describe_page(FakeSite(), "es", "es/404.html", {code: f"{code}/404.html" for code in LANGS}, indexed=False)
    assert page.alternates == () and [link.url for link in page.switch] == ["fr/404.html", "es/404.html", "en/404.html"]


@pytest.mark.parametrize("lang, expected", [("fr", "31 mai 2021"), ("es", "31 de mayo de 2021"), ("en", "May 31, 2021")])
def test_long_dates_come_from_cldr(lang, expected):
    assert dates.long_date(datetime.date(2021, 5, 31), lang) == expected


def test_language_names_in_themselves_and_in_another_language():
    assert [dates.language_name(code) for code in LANGS] == ["Français", "Español", "English"]
    assert dates.language_name("en", "fr") == "anglais"


def test_slugify_handles_accents_and_punctuation():
    assert slugify("Étude 2021 : résultats") == "etude-2021-resultats"
    assert slugify("Appels à participation") == "appels-a-participation"


def test_taxonomy_needs_a_label_in_every_language():
    with pytest.raises(TaxonomyError) as error:
        parse_taxonomy('[categories.news]\nfr = "Actualités"\nen = "News"\n', LANGS)
    assert "[categories.news] has no label for es" in str(error.value)
    taxonomy = parse_taxonomy('[tags.x]\nfr = "Données ouvertes"\nes = "Datos"\nen = "Open data"\n', LANGS)
    assert taxonomy.tags["x"].slug("fr") == "donnees-ouvertes"


def test_facts_parse_dates_and_report_impossible_ones():
    facts = read_facts({"deadline": "2021-05-31", "form_languages": "es, en", "location": "Online"}, "f.md")
    assert facts.deadline == datetime.date(2021, 5, 31) and facts.form_languages == ("es", "en") and facts.online
    bad = read_facts({"deadline": "2021-02-30"}, "f.md")
    assert bad.problems == ("f.md: Deadline: '2021-02-30' is not a real date; write it as YYYY-MM-DD, e.g. 2021-05-31",)


def base_settings(**changes):
    settings = {
        "DEFAULT_LANG": "fr", "ARTICLE_TRANSLATION_ID": None, "PAGE_TRANSLATION_ID": None,
        "USE_FOLDER_AS_CATEGORY": False, "SITENAME": "Open Towns",
        **{name: "{lang}/{slug}/" for name in ("ARTICLE_URL", "ARTICLE_LANG_URL", "ARTICLE_SAVE_AS",
                                              "ARTICLE_LANG_SAVE_AS", "PAGE_URL", "PAGE_LANG_URL",
                                              "PAGE_SAVE_AS", "PAGE_LANG_SAVE_AS")},
    }
    settings.update(changes)
    return settings


def test_settings_are_validated_with_the_setting_named():
    assert validate_settings(base_settings())["HUB_I18N_LANGUAGES"] == LANGS
    with pytest.raises(SettingsError, match="DEFAULT_LANG: 'de' is not a language of this site"):
        validate_settings(base_settings(DEFAULT_LANG="de"))
    with pytest.raises(SettingsError, match="ARTICLE_TRANSLATION_ID must be None"):
        validate_settings(base_settings(ARTICLE_TRANSLATION_ID="slug"))
    with pytest.raises(SettingsError, match="HUB_I18N_UNTRANSLATED"):
        validate_settings(base_settings(HUB_I18N_UNTRANSLATED="copy"))
    with pytest.raises(SettingsError, match="ARTICLE_URL must contain"):
        validate_settings(base_settings(ARTICLE_URL="{slug}.html"))
    with pytest.raises(SettingsError, match="SITENAME must be a text"):
        validate_settings(base_settings(SITENAME=""))


def test_the_hubs_texts_not_set_are_its_name():
    resolved = validate_settings(base_settings(HUB_SITE_SUMMARY="Open data news."))
    assert [resolved[name] for name in ("SITENAME", "HUB_SITE_PUBLISHER", "HUB_SITE_SUBTITLE", "HUB_SITE_SUMMARY")] == [
        "Open Towns", "Open Towns", "Open Towns", "Open data news."]


def test_builds_pause_garbage_collection_and_restore_it():
    import gc

    from hubsite.build import collection_paused

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()
    try:
        with collection_paused():
            raise KeyError("a failed build")
    except KeyError:
        pass
    assert gc.isenabled()


def test_a_process_that_builds_again_does_not_keep_the_last_builds_items(small_site):
    """The live preview builds in one process: Pelican's memoized content caches kept every build's
    articles alive (found in review: 42, 84, 126 articles after three builds of the real site)."""
    import gc

    from pelican.contents import Article

    def live_articles():
        gc.collect()
        return sum(1 for obj in gc.get_objects() if isinstance(obj, Article))

    for n in range(3):
        small_site.write("fr", f"article-{n}", f"Article {n}", date=f"2024-01-0{n + 1} 10:00")
    small_site.build()
    after_one = live_articles()
    small_site.write("fr", "article-0", "Article 0, edited")
    small_site.build()
    small_site.write("fr", "article-0", "Article 0, edited again")
    small_site.build()
    assert live_articles() <= after_one


def test_the_input_scan_reads_a_file_again_whenever_it_was_written_since():
    import hashlib
    import os
    import tempfile
    import time
    from pathlib import Path

    from hubsite.build import RACY_NS, content_stamps

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        article = root / "articles" / "a.md"
        article.parent.mkdir()
        article.write_bytes(b"Title: A\nDate: 2021-01-01 10:00\n\nText one.\n")
        (root / "data.toml").write_bytes(b"x = 1\n")
        settled = time.time_ns() + 10 * RACY_NS  # a clock well after the writes: their stats are settled

        stamps, remembered = content_stamps(root, now_ns=settled)
        data = article.read_bytes()
        assert stamps["articles/a.md"] == (hashlib.sha256(data).hexdigest(), "2021-01-01 10:00")
        assert sorted(remembered) == ["articles/a.md", "data.toml"]
        # A remembered stat vouches for the bytes: the file is not read again.
        vouched = {name: [entry[0], "sha256", None] for name, entry in remembered.items()}
        assert content_stamps(root, vouched, now_ns=settled)[0]["data.toml"] == ("sha256", None)

        # Rewritten with the same size, its modification time put back: its change time moved on.
        before = article.stat()
        time.sleep(0.05)  # past the file system's clock tick, or the change time could not move
        article.write_bytes(b"Title: A\nDate: 2021-01-01 10:00\n\nText two.\n")
        os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = article.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        assert after.st_ctime_ns != before.st_ctime_ns
        assert content_stamps(root, vouched, now_ns=settled)[0]["articles/a.md"][0] == \
            hashlib.sha256(article.read_bytes()).hexdigest()

        # Just written: read at every scan until its times are older than RACY_NS.
        stamps, remembered = content_stamps(root)
        assert "articles/a.md" not in remembered and "articles/a.md" in stamps


def test_the_input_scan_finds_the_files_a_tree_walk_finds_in_the_same_order():
    from pathlib import Path

    from hubsite.build import _tree_files

    for root in (Path(__file__).resolve().parent.parent / "content", Path(__file__).resolve().parent.parent / "theme"):
        walked = sorted(path for path in root.rglob("*")  # pathlib's walk, and its order
                        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo")
        assert [name for name, _ in _tree_files(root)] == [path.relative_to(root).as_posix() for path in walked]


def test_kept_parses_serve_only_the_bytes_they_were_parsed_from(tmp_path):
    import hashlib

    from conftest import write_article
    from plugins.hub_check.checks import ParsedFiles, read_documents

    content, kept = tmp_path / "content", tmp_path / "parsed.pickle"
    path = write_article(content, "fr", "a", "A", body="Voir [la note]({filename}/articles/fr/note.md).")
    name, digest = "articles/fr/a.md", hashlib.sha256(path.read_bytes()).hexdigest()
    parsed = ParsedFiles(kept, {name: digest})
    (doc,), _ = read_documents(content, parsed=parsed)
    parsed.save()
    assert doc.links == ((doc.body_line, "/articles/fr/note.md"),)

    assert ParsedFiles(kept, {name: digest}).get(name) == (doc.headers, doc.body_line, doc.links, doc.images, doc.has_text)
    assert ParsedFiles(kept, {name: "other bytes"}).get(name) is None
    # Saved between the scan and the parse: kept under the bytes parsed, not the ones scanned.
    parsed = ParsedFiles(kept, {name: "scanned before the save"})
    read_documents(content, parsed=parsed)
    parsed.save()
    assert ParsedFiles(kept, {name: "scanned before the save"}).get(name) is None
    assert ParsedFiles(kept, {name: digest}).get(name) is not None
    kept.write_bytes(kept.read_bytes()[:20])  # a truncated file keeps nothing
    assert ParsedFiles(kept, {name: digest}).get(name) is None


@pytest.mark.parametrize("html, text", [
    ("", ""),
    ("<p>Un&nbsp;texte « cité » &amp; <em>mis</em> en avant.</p>\n<p>  Suite.  </p>", "Un\xa0texte « cité » & mis en avant. Suite."),
    ("a<!-- note -->b", "a b"),  # a comment is not text, and splits it
    ("<p>t</p><script>var x = 1;</script><style>p {}</style>", "t"),
    ("<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>字", "漢 字"),
    ("<div>unclosed <p>para", "unclosed para"),
    ("Saut\x0cde page", "Saut\x0cde page"),  # fragments lxml refuses are read by BeautifulSoup
    ("<!DOCTYPE html>", ""),
    ("<html></html>", ""),
])
def test_plain_text_is_what_a_reader_reads(html, text):
    from bs4 import BeautifulSoup

    assert views.plain_text(html) == text
    assert BeautifulSoup(html, "html.parser").get_text(" ", strip=True) == text  # as BeautifulSoup sees it


def checked_as_builds_do(tmp_path, **article):
    """A content folder with the real taxonomy and one French article, and a function that checks
    it as each build does (hub_check's run_checks): with the parses kept by the builds before."""
    import hashlib
    import shutil

    from conftest import ROOT, write_article
    from plugins.hub_check.checks import ParsedFiles, check_content, read_documents

    content, kept = tmp_path / "content", tmp_path / "parsed.pickle"
    content.mkdir()
    shutil.copy(ROOT / "content" / "taxonomy.toml", content / "taxonomy.toml")
    path = write_article(content, "fr", "a", "A", **article)
    digests = {"articles/fr/a.md": hashlib.sha256(path.read_bytes()).hexdigest()}

    def check():
        parsed = ParsedFiles(kept, digests)
        found = check_content(content, ("fr", "es", "en"), read=read_documents(content, parsed=parsed), parsed=parsed)
        parsed.save()
        return found

    return content, check


def test_kept_header_problems_hold_only_for_the_taxonomy_they_were_found_with(tmp_path, monkeypatch):
    from plugins.hub_check import checks as check_module

    content, build_check = checked_as_builds_do(tmp_path, tags="open-data, données ouvertes")

    def check():
        return [(problem.field, problem.message.split(";")[0]) for problem in build_check()]

    assert check() == []
    with monkeypatch.context() as patch:  # same file, same taxonomy: the headers are not checked again
        patch.setattr(check_module, "check_headers", lambda *args: pytest.fail("checked again"))
        assert check() == []
    taxonomy = content / "taxonomy.toml"
    original = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(original.replace("[tags.open-data]", "[tags.open-data-x]"), encoding="utf-8")
    assert check() == [("Tags", "'open-data' is a new tag, in fr only")]
    # Labels count too: a tag is also written as its label.
    taxonomy.write_text(original.replace('fr = "Données ouvertes"', 'fr = "Données publiques"'), encoding="utf-8")
    assert check() == [("Tags", "'données ouvertes' is a new tag, in fr only")]


def test_the_input_scan_passes_over_a_folder_it_cannot_read(tmp_path, monkeypatch):
    import os

    import hubsite.build
    from hubsite.build import content_stamps

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.md").write_text("Title: A\n\nText.\n")
    (tmp_path / "lost+found").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(path) == "lost+found":  # as for a folder of another user, mode 700
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(hubsite.build.os, "scandir", scandir)
    assert list(content_stamps(tmp_path)[0]) == ["articles/a.md"]  # as pathlib's rglob and Pelican do


def test_a_time_zone_is_checked_against_the_system_at_every_build(tmp_path, monkeypatch):
    from zoneinfo import ZoneInfoNotFoundError

    from plugins.hub_check import checks as check_module

    _, build_check = checked_as_builds_do(tmp_path, category="events",
                                            extra="Event_Start: 2024-03-01\nEvent_Timezone: America/Ciudad_Juarez")

    def zone_fields():
        return [problem.field for problem in build_check() if problem.level == "error"]

    def older_database(name):  # a system whose time zone database predates the zone
        raise ZoneInfoNotFoundError(name)

    with monkeypatch.context() as patch:
        patch.setattr(check_module, "ZoneInfo", older_database)
        assert zone_fields() == ["Event_Timezone"]
    assert zone_fields() == []  # the database has it now; the file did not change


def test_search_bundles_one_per_language():
    """hub_search's plan: one bundle per language, its pages sorted; a page overridden by another
    item's Save_As counts once."""
    import datetime
    from types import SimpleNamespace

    from plugins.hub_search.bundles import plan_bundles

    def article(lang, year, save_as):
        return SimpleNamespace(lang=lang, date=datetime.datetime(year, 1, 1), category="news", save_as=save_as)

    items = [article("fr", 2017, "fr/2017/a/index.html"), article("fr", 2021, "fr/2021/b/index.html"),
             SimpleNamespace(lang="fr", save_as="fr/a-propos/index.html"), article("es", 2017, "es/2017/c/index.html"),
             article("fr", 2017, "fr/2017/0/index.html"), article("fr", 2018, "fr/2017/0/index.html")]
    assert plan_bundles(items, "pagefind") == {
        "es": [("pagefind/es", ["es/2017/c/index.html"])],
        "fr": [("pagefind/fr", ["fr/2017/0/index.html", "fr/2017/a/index.html", "fr/2021/b/index.html",
                                "fr/a-propos/index.html"])],
    }


def test_a_language_with_many_pages_gets_several_search_bundles_of_equal_size():
    from types import SimpleNamespace

    from plugins.hub_search.bundles import plan_bundles

    items = [SimpleNamespace(lang="fr", save_as=f"fr/{n:02}/index.html") for n in range(11)]
    items += [SimpleNamespace(lang="es", save_as="es/0/index.html")]
    plan = plan_bundles(items, "pagefind", pages_per_bundle=4)
    assert [bundle for bundle, _ in plan["fr"]] == ["pagefind/fr", "pagefind/fr-2", "pagefind/fr-3"]
    assert [len(pages) for _, pages in plan["fr"]] == [3, 4, 4]
    assert [page for _, pages in plan["fr"] for page in pages] == [f"fr/{n:02}/index.html" for n in range(11)]
    assert plan["es"] == [("pagefind/es", ["es/0/index.html"])]


def test_outputs_are_rendered_in_bounded_shares_and_a_failure_names_its_cause(tmp_path):
    """render_into forks one process per share of outputs (a few at a time): every file is written
    with its bytes, whatever the number of shares; a share that fails stops the build with the
    failure's traceback, and no renderer is left behind. In a process of its own: render_into
    renders in-process where other threads run (as in this test session)."""
    import subprocess
    import sys

    script = """
import os, sys
from pathlib import Path
from plugins.hub_engine.outputs import OutputTable, RenderError, render_into

root = Path(sys.argv[1])
table = OutputTable()
for number in range(250):
    table.add(f"pages/{number}/index.html", lambda number=number: f"<p>page {number}</p>")
render_into(root / "site", table, workers=2, share=17)
written = sorted((root / "site" / "pages").iterdir(), key=lambda path: int(path.name))
assert [(path / "index.html").read_text() for path in written] == [f"<p>page {n}</p>" for n in range(250)]

def broken():
    raise ValueError("the template of page 120 is broken")

table.add("pages/120/index.html", broken)
try:
    render_into(root / "again", table, workers=2, share=17)
except RenderError as error:
    assert "the template of page 120 is broken" in str(error), error
else:
    raise AssertionError("no RenderError")
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:  # every renderer was waited for
    print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                          cwd=str(Path(__file__).resolve().parent.parent), timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("count", [0, 1, 500, 1201])
def test_a_sitemap_written_in_chunks_is_one_document_with_every_page_in_order(tmp_path, count):
    """The sitemap is written as it is made, 500 entries at a time: at chunk boundaries as within
    them, a crawler reads one document with every page once, in URL order, with its date and
    alternates."""
    from lxml import etree

    from plugins.hub_engine.outputs import OutputTable, write_output
    from plugins.hub_seo.sitemap import sitemap_xml

    site = "https://hub.example.org"
    pages = [(f"{site}/fr/page-{number:04d}/", f"2021-01-{number % 28 + 1:02d}" if number % 3 else None,
              [("fr", f"{site}/fr/page-{number:04d}/"), ("en", f"{site}/en/page-{number:04d}/")])
             for number in reversed(range(count))]
    table = OutputTable()
    table.add("sitemap.xml", lambda: sitemap_xml(pages))
    write_output(str(tmp_path), table.get("sitemap.xml"))
    written = (tmp_path / "sitemap.xml").read_bytes()
    assert written == table.get("sitemap.xml").data()  # the live preview serves the same bytes
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = etree.fromstring(written).findall("s:url", ns)
    seen = [(entry.findtext("s:loc", namespaces=ns), entry.findtext("s:lastmod", namespaces=ns),
             [(link.get("hreflang"), link.get("href")) for link in entry.findall("x:link", ns)]) for entry in entries]
    assert seen == sorted(pages)
