"""Rebuilds that reuse unchanged pages and search bundles give the bytes of a build from scratch.

One copy of the real site goes through a chain of edits an editor (or the clock) makes. After each,
the rebuild (which links every output whose inputs did not change from the previous output) must
equal, file for file, a build of the same content into a new directory with no cache.
"""

import logging
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, BuiltSite, output_files, snapshot
from hubsite.build import build_site

NOW = "2026-11-23T12:00:00+00:00"


def differences(built, expected):
    built, expected = snapshot(built), snapshot(expected)
    missing = sorted(set(expected) - set(built))
    extra = sorted(set(built) - set(expected))
    changed = sorted(name for name in set(built) & set(expected) if built[name] != expected[name])
    return {"missing": missing, "extra": extra, "changed": changed}


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


class Site:
    """A copy of the real content and theme, rebuilt in place and built from scratch alongside."""

    def __init__(self, root):
        self.root = root
        self.content = root / "content"
        self.theme = root / "theme"
        shutil.copytree(ROOT / "content", self.content)
        shutil.copytree(ROOT / "theme", self.theme, ignore=shutil.ignore_patterns("*.mo"))
        self.now = NOW
        self.scratch_builds = 0

    def build(self, output):
        return build_site(output=self.root / output, PATH=str(self.content), THEME=str(self.theme), HUB_NOW=self.now)

    def rebuild_matches_scratch(self):
        """Rebuild, compare with a build from scratch; return (files kept, files written anew)."""
        before = {name: path.stat().st_ino for name, path in output_files(self.root / "output").items()}
        rebuilt = self.build("output")
        after = {name: path.stat().st_ino for name, path in output_files(rebuilt).items()}
        self.scratch_builds += 1
        scratch = self.build(f"scratch-{self.scratch_builds}")
        found = differences(rebuilt, scratch)
        shutil.rmtree(scratch)
        assert found == {"missing": [], "extra": [], "changed": []}
        kept = sum(1 for name, inode in after.items() if before.get(name) == inode)  # linked, not written
        return kept, len(after) - kept


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("reuse"))
    site.build("output")
    return site


fr = Path("articles/fr")
es = Path("articles/es")
en = Path("articles/en")


def test_a_body_edit_renders_only_the_pages_showing_that_article(site, caplog):
    edit(site.content / fr / "connected-city-blueprint-disponible.md", "déploiements futurs de la ville connectée.",
         "déploiements futurs de la ville connectée. Une phrase ajoutée.")
    caplog.set_level(logging.INFO, logger="plugins.hub_reuse.plugin")
    reader_caches = {path: path.stat().st_mtime_ns for path in (site.root / ".output.cache").rglob("*-Readers")}
    inodes = {name: path.stat().st_ino for name, path in output_files(site.root / "output").items()}
    kept, written = site.rebuild_matches_scratch()
    # Its other versions show its language and URL only: their pages are the previous build's files.
    page = BuiltSite(site.root / "output").soup(site.root / "output/fr/2017/connected-city-blueprint-disponible/index.html")
    others = [urlsplit(link["href"]).path.lstrip("/") + "index.html" for link in page.select(".also-in a")]
    assert sorted(name.split("/")[0] for name in others) == ["en", "es"]
    assert all((site.root / "output" / name).stat().st_ino == inodes[name] for name in others)
    # The other items came off the shelf (shelf.py), not from their files, and the output is the same.
    shelf_report = next(record.getMessage() for record in caplog.records if "off the shelf" in record.getMessage())
    taken, read = map(int, re.search(r"(\d+) items taken off the shelf, (\d+) read", shelf_report).groups())
    articles = len(list((site.content / "articles").rglob("*.md")))
    assert read == 1 and taken >= articles - 1
    # Pelican's reader cache (every item's HTML) was neither needed nor written again.
    assert reader_caches and all(path.stat().st_mtime_ns == stamp for path, stamp in reader_caches.items())
    # Its page, the listings that show it (home, category, tags, archives), its feeds, its year's
    # search bundle, and the files written on every build (sitemap, calendars, OPML, static files):
    # a small part of the site.
    assert written < 0.2 * (kept + written)


def test_a_new_article_leaves_other_articles_alone(site):
    (site.content / fr / "nouvelle-breve.md").write_text(
        "Title: Une nouvelle brève\nDate: 2022-03-01 10:00\nCategory: news\nTags: open-data\nLang: fr\n"
        "Summary: Une brève de test.\n\nLe texte de la brève.\n", encoding="utf-8")
    kept, written = site.rebuild_matches_scratch()
    assert written < 0.5 * (kept + written)


@pytest.mark.parametrize("change", [
    "title of a translated article",
    "category",
    "tags",
    "deleted translation",
    "slug of a linked article",
    "standing page title",
    "taxonomy label",
    "template",
    "catalog",
])
def test_any_change_shows_in_the_rebuild(site, change):
    if change == "title of a translated article":
        edit(site.content / en / "smart-cities-live-2020.md", "Title: ", "Title: Report: ")
    elif change == "category":
        edit(site.content / es / "ya-disponible-el-connected-city-blueprint.md", "Category: publications",
             "Category: news")
    elif change == "tags":
        edit(site.content / fr / "smart-cities-live-2020.md", "Tags: ", "Tags: open-data, ")
    elif change == "deleted translation":
        (site.content / es / "smart-cities-live-2020.md").unlink()
    elif change == "slug of a linked article":
        # participez-au-smart-cities-study-2021 links to it with {filename}: its page shows the new URL.
        edit(site.content / fr / "deuxieme-edition-smart-cities-study-2017.md", "Slug: ", "Slug: etude-")
    elif change == "standing page title":
        edit(site.content / "pages" / "fr" / "a-propos.md", "Title: À propos", "Title: Qui sommes-nous")
    elif change == "taxonomy label":
        edit(site.content / "taxonomy.toml", 'fr = "Événements"', 'fr = "Agenda"')
    elif change == "template":
        edit(site.theme / "templates" / "partials" / "entry.html", 'class="entry-title"', 'class="entry-title t"')
    elif change == "catalog":
        edit(site.theme / "translations" / "es" / "LC_MESSAGES" / "messages.po", 'msgstr "Últimas noticias"',
             'msgstr "Noticias recientes"')
    site.rebuild_matches_scratch()


def test_the_clock_opens_and_closes_calls_and_publishes_scheduled_articles(site):
    # A call open until 1 December, and an article due one hour after the build's clock.
    edit(site.content / fr / "participez-au-smart-cities-study-2021.md", "Deadline: 2021-05-31", "Deadline: 2026-12-01")
    (site.content / en / "due-soon.md").write_text(
        "Title: Due soon\nDate: 2026-11-23 14:00\nCategory: news\nLang: en\nSummary: Scheduled.\n\nText.\n",
        encoding="utf-8")
    site.rebuild_matches_scratch()
    site.now = "2026-11-23T15:00:00+00:00"  # same day, the article is due
    site.rebuild_matches_scratch()
    site.now = "2026-12-02T09:00:00+00:00"  # the call has closed
    site.rebuild_matches_scratch()


@pytest.mark.parametrize("date", ["2023-12-01 10:00", "2024-02-01 10:00"])  # written after, or before, the page
def test_a_page_overridden_with_save_as_is_the_overriding_one_in_builds_and_rebuilds(small_site, date):
    for n in range(50):  # enough pages to be rendered on every core
        small_site.write("fr", f"article-{n:02d}", f"Article {n}", date=f"2024-01-{1 + n % 28:02d} {n % 24:02d}:00")
    small_site.write("fr", "remplacant", "Le remplaçant", date=date, extra="Save_As: fr/2024/article-03/index.html")
    for _ in range(2):  # a build, then a rebuild that links what it can
        built = small_site.build(HUB_NOW=NOW)
        assert built.soup("/fr/2024/article-03/").h1.get_text(strip=True) == "Le remplaçant"


def test_a_static_file_linked_from_a_shelved_article_is_still_published(small_site):
    """Pelican publishes a file outside STATIC_PATHS when an article links it with {static}: an
    article taken off the shelf (hub_reuse) must still say so."""
    (small_site.path / "extra").mkdir()
    (small_site.path / "extra" / "plan.pdf").write_bytes(b"%PDF-1.4 plan")
    small_site.write("fr", "avec-plan", "Avec un plan", body="Le [plan]({static}/extra/plan.pdf) de la ville.")
    other = small_site.write("fr", "autre", "Une autre", date="2024-01-11 10:00")
    small_site.build(HUB_NOW=NOW)
    assert (small_site.output / "extra" / "plan.pdf").read_bytes() == b"%PDF-1.4 plan"
    edit(other, "Body text.", "Body text, edited.")
    built = small_site.build(HUB_NOW=NOW)  # avec-plan comes off the shelf
    assert (small_site.output / "extra" / "plan.pdf").read_bytes() == b"%PDF-1.4 plan"
    assert built.soup("/fr/2024/avec-plan/").find("a", string="plan")["href"].endswith("/extra/plan.pdf")


def test_an_article_saved_during_a_build_is_read_again_by_the_next(small_site, monkeypatch):
    """The build reads what its input scan saw. A file saved meanwhile must not be shelved as the
    new bytes' item (found in review: the next build served the old text from the shelf)."""
    import hubsite.prefill

    article = small_site.write("fr", "pendant", "Pendant", body="Version A.")
    small_site.write("fr", "autre", "Une autre", date="2024-01-11 10:00")
    small_site.build(HUB_NOW=NOW)
    taxonomy = small_site.path / "taxonomy.toml"  # a new shelf key: Pelican's reader cache serves the next build
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    scanned_then_saved = hubsite.prefill.prefill_reader_cache

    def save_after_the_scan(*args, **kwargs):
        edit(article, "Version A.", "Version B.")
        return scanned_then_saved(*args, **kwargs)

    monkeypatch.setattr(hubsite.prefill, "prefill_reader_cache", save_after_the_scan)
    assert "Version A." in small_site.build(HUB_NOW=NOW).soup("/fr/2024/pendant/").get_text()
    monkeypatch.setattr(hubsite.prefill, "prefill_reader_cache", scanned_then_saved)
    assert "Version B." in small_site.build(HUB_NOW=NOW).soup("/fr/2024/pendant/").get_text()


def test_the_sitemap_of_a_page_overriding_an_article_builds_and_rebuilds_as_from_scratch(small_site, tmp_path):
    """Two sitemap entries with one URL (found in review): one without a date broke the build, and
    a change of their order kept the previous sitemap."""
    for n in range(5):
        small_site.write("fr", f"article-{n:02d}", f"Article {n}", date=f"2024-01-{n + 1:02d} 10:00")
    (small_site.path / "pages" / "fr").mkdir(parents=True)
    (small_site.path / "pages" / "fr" / "remplacante.md").write_text(
        "Title: La remplaçante\nSlug: remplacante\nLang: fr\nTranslation_Key: remplacante\n"
        "Save_As: fr/2024/article-01/index.html\nSummary: S.\n\nTexte.\n", encoding="utf-8")
    small_site.build(HUB_NOW=NOW)
    for date in ("2024-01-03 09:00", "2024-02-01 10:00"):  # written before, then after, the page it replaces
        small_site.write("fr", "remplacant", "Le remplaçant", date=date, extra="Save_As: fr/2024/article-03/index.html")
        small_site.build(HUB_NOW=NOW)
        scratch = small_site.build(output=tmp_path / f"scratch-{date[:10]}", HUB_NOW=NOW).output
        assert (small_site.output / "sitemap.xml").read_bytes() == (scratch / "sitemap.xml").read_bytes()


def test_an_article_overriding_another_with_save_as_rebuilds_as_from_scratch(small_site, tmp_path):
    """The file of an article another one overrides holds the overriding page: its key must be that
    page's (found in review: the skipped write recorded its own key, and the next rebuild kept the
    overriding page after it was deleted, and an old search bundle after it was edited)."""
    small_site.write("fr", "a", "Page A", date="2024-01-01 10:00")
    overriding = small_site.write("fr", "b", "Page B", date="2024-02-01 10:00", body="Texte B.",
                                  extra="Save_As: fr/2024/a/index.html")

    def matches_scratch(step):
        built = small_site.build(HUB_NOW=NOW)
        scratch = small_site.build(output=tmp_path / f"scratch-{step}", HUB_NOW=NOW).output
        assert differences(built.output, scratch) == {"missing": [], "extra": [], "changed": []}
        return built

    assert matches_scratch("both").soup("/fr/2024/a/").h1.get_text(strip=True) == "Page B"
    edit(overriding, "Texte B.", "Texte B, corrigé.")
    matches_scratch("edited")
    overriding.unlink()
    assert matches_scratch("deleted").soup("/fr/2024/a/").h1.get_text(strip=True) == "Page A"
