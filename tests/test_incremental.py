"""Rebuilds: nothing changed does nothing; any changed input (content, template, catalog, setting) shows."""

import shutil

import pytest

from conftest import ROOT, snapshot

NOW = "2026-11-23T12:00:00+00:00"


@pytest.fixture
def hub(small_site, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("*.mo"))
    small_site.theme = theme
    small_site.write("fr", "article", "Article", body="Premier texte.")
    small_site.write("es", "articulo", "Artículo", key="article", extra="Translation: true", body="Primer texto.")
    return small_site


def build(hub, **overrides):
    return hub.build(THEME=str(hub.theme), **overrides)


def test_nothing_changed_leaves_the_output_as_it_is(hub):
    built = build(hub)
    page = built.output / "fr" / "2024" / "article" / "index.html"
    before = page.stat()
    build(hub)
    after = page.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_edited_article_is_rebuilt(hub):
    build(hub)
    path = hub.path / "articles" / "fr" / "article.md"
    path.write_text(path.read_text().replace("Premier texte.", "Texte corrigé."))
    built = build(hub)
    assert "Texte corrigé." in built.soup("/fr/2024/article/").select_one(".prose").get_text()


def test_an_edited_template_is_used(hub):
    build(hub)
    template = hub.theme / "templates" / "article.html"
    template.write_text(template.read_text().replace('<div class="prose">', '<div class="prose changed">'))
    built = build(hub)
    assert built.soup("/fr/2024/article/").select_one(".prose.changed")


def test_an_edited_catalog_is_compiled_and_used(hub):
    build(hub)
    po = hub.theme / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    # (French messages are typeset: a no-break space before the colon.)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Aussi disponible en\u00a0:"',
                                                         'msgstr "Lire aussi en\u00a0:"'),
                  encoding="utf-8")
    built = build(hub)
    assert built.soup("/fr/2024/article/").select_one(".also-in").get_text(" ", strip=True).startswith("Lire aussi en\u00a0:")


def test_a_changed_setting_is_applied(hub):
    for n in range(3):
        hub.write("fr", f"extra-{n}", f"Extra {n}")
    build(hub, HUB_I18N_PAGINATION=10)
    built = build(hub, HUB_I18N_PAGINATION=2)
    assert (built.output / "fr" / "page" / "2" / "index.html").exists()


def test_a_fault_fixed_in_another_file_is_not_served_stale(hub):
    # Two French files with one slug: the preview leaves one out; fixing the other brings it back.
    hub.write("fr", "doublon", "Premier", key="un")
    second = hub.write("fr", "doublon-bis", "Second", key="deux")
    second.write_text(second.read_text().replace("Slug: doublon-bis", "Slug: doublon"))
    built = build(hub)
    # The checks keep the first file in path order (doublon-bis.md) and leave doublon.md out.
    assert built.soup("/fr/2024/doublon/").h1.get_text(strip=True) == "Second"
    second.write_text(second.read_text().replace("Slug: doublon", "Slug: doublon-bis"))
    built = build(hub)
    assert built.soup("/fr/2024/doublon/").h1.get_text(strip=True) == "Premier"
    assert built.soup("/fr/2024/doublon-bis/").h1.get_text(strip=True) == "Second"


def test_check_faults_follow_the_files_whatever_was_parsed_before(hub):
    build(hub)
    path = hub.path / "articles" / "fr" / "article.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("Premier texte.", "Voir [la note]({filename}note.md)."), encoding="utf-8")
    built = build(hub)
    assert not (built.output / "fr" / "2024" / "article" / "index.html").exists()  # left out until fixed
    hub.write("fr", "note", "Note")  # the link's target appears; the file with the link is unchanged
    built = build(hub)
    assert built.soup("/fr/2024/article/").select_one(".prose a")["href"].endswith("/fr/2024/note/")
    path.write_text(original, encoding="utf-8")  # back to bytes parsed two builds ago
    built = build(hub)
    assert built.soup("/fr/2024/article/").select_one(".prose").get_text(strip=True) == "Premier texte."


def test_a_publish_build_after_a_preview_is_a_real_build(hub):
    hub.write("fr", "brouillon", "Brouillon", extra="Status: draft")
    preview = build(hub)
    assert (preview.output / "fr" / "drafts" / "brouillon" / "index.html").exists()
    from conftest import SITEURL
    from hubsite.build import build_site

    build_site(ROOT / "publishconf.py", output=hub.output, PATH=str(hub.path), SITEURL=SITEURL, THEME=str(hub.theme))
    assert not (hub.output / "fr" / "drafts").exists()


def test_an_article_becoming_due_is_published_by_the_next_build(hub):
    # Dated 10:00 in Madrid (09:00 UTC in winter): due at 09:30 UTC, not at 08:30 UTC.
    hub.write("fr", "programme", "Programmé", date="2026-01-15 10:00")
    publish = dict(HUB_NOW="2026-01-15T08:30:00+00:00")
    built = build(hub, **publish)
    assert built.soup("/fr/").select_one('a[href$="/fr/2026/programme/"]').find_parent("article").select_one(".badge")
    built = build(hub, HUB_NOW="2026-01-15T09:30:00+00:00")
    assert not built.soup("/fr/").select_one('a[href$="/fr/2026/programme/"]').find_parent("article").select_one(".badge")


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


# Regressions found in review of the rebuilds (formerly in test_reuse.py); the general property,
# any edit sequence against a clean build, is tests/test_edit_sequences.py.

@pytest.mark.parametrize("date", ["2023-12-01 10:00", "2024-02-01 10:00"])  # written after, or before, the page
def test_a_page_overridden_with_save_as_is_the_overriding_one_in_builds_and_rebuilds(small_site, date):
    for n in range(50):  # enough pages to be rendered on every core
        small_site.write("fr", f"article-{n:02d}", f"Article {n}", date=f"2024-01-{1 + n % 28:02d} {n % 24:02d}:00")
    small_site.write("fr", "remplacant", "Le remplaçant", date=date, extra="Save_As: fr/2024/article-03/index.html")
    for _ in range(2):  # a build, then a rebuild that links what it can
        built = small_site.build(HUB_NOW=NOW)
        assert built.soup("/fr/2024/article-03/").h1.get_text(strip=True) == "Le remplaçant"


def test_a_static_file_linked_from_an_unchanged_article_is_still_published(small_site):
    """Pelican publishes a file outside STATIC_PATHS when an article links it with {static}: an
    article the rebuild did not read again must still say so."""
    (small_site.path / "extra").mkdir()
    (small_site.path / "extra" / "plan.pdf").write_bytes(b"%PDF-1.4 plan")
    small_site.write("fr", "avec-plan", "Avec un plan", body="Le [plan]({static}/extra/plan.pdf) de la ville.")
    other = small_site.write("fr", "autre", "Une autre", date="2024-01-11 10:00")
    small_site.build(HUB_NOW=NOW)
    assert (small_site.output / "extra" / "plan.pdf").read_bytes() == b"%PDF-1.4 plan"
    edit(other, "Body text.", "Body text, edited.")
    built = small_site.build(HUB_NOW=NOW)  # avec-plan did not change
    assert (small_site.output / "extra" / "plan.pdf").read_bytes() == b"%PDF-1.4 plan"
    assert built.soup("/fr/2024/avec-plan/").find("a", string="plan")["href"].endswith("/extra/plan.pdf")


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


def test_an_article_saved_during_a_build_is_read_again_by_the_next(small_site, monkeypatch):
    """A file saved while a build runs (after it looked at its inputs): that build may show either
    version, the next one must show the new one (found in review: it served the old text)."""
    from pelican import Pelican

    article = small_site.write("fr", "pendant", "Pendant", body="Version A.")
    small_site.write("fr", "autre", "Une autre", date="2024-01-11 10:00")
    small_site.build(HUB_NOW=NOW)
    taxonomy = small_site.path / "taxonomy.toml"  # another input changed too: the build is not skipped
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    real_run, saved = Pelican.run, []

    def save_then_run(pelican):
        if not saved:
            edit(article, "Version A.", "Version B.")
            saved.append(True)
        return real_run(pelican)

    monkeypatch.setattr(Pelican, "run", save_then_run)
    first = small_site.build(HUB_NOW=NOW).soup("/fr/2024/pendant/").get_text()
    if not saved:
        pytest.skip("the build no longer runs Pelican.run: save the file at another point between its scan and its reading")
    assert "Version A." in first or "Version B." in first
    monkeypatch.setattr(Pelican, "run", real_run)
    assert "Version B." in small_site.build(HUB_NOW=NOW).soup("/fr/2024/pendant/").get_text()
