"""Bad content: a publish build stops before writing, naming file, line and header; a preview warns."""

import logging
import shutil

import pytest

from conftest import ROOT, SITEURL, snapshot
from hubsite.build import BuildError, clean


def strict_error(small_site):
    with pytest.raises(BuildError) as caught:
        small_site.build(HUB_CHECK_STRICT=True)
    return "\n".join(caught.value.problems)


def test_unknown_category_names_file_line_and_field(small_site):
    small_site.write("fr", "x", "X", category="sport")
    assert "content/articles/fr/x.md:3: error: Category: 'sport' is not a category of this site" in strict_error(small_site)


def test_a_tag_without_letters_names_file_and_field(small_site):
    # An unknown tag is a free tag (a warning: tests/test_tags.py); one that makes no URL is an error.
    small_site.write("fr", "x", "X", tags="uclg, ?!")
    assert "content/articles/fr/x.md:4: error: Tags: '?!' has no letter or digit to make its page's URL" in strict_error(small_site)


def test_lang_header_that_contradicts_the_folder(small_site):
    path = small_site.write("fr", "x", "X")
    path.write_text(path.read_text().replace("Lang: fr", "Lang: es"))
    assert "content/articles/fr/x.md:6: error: Lang: 'es' does not match the folder 'fr'" in strict_error(small_site)


def test_impossible_event_date(small_site):
    small_site.write("en", "x", "X", category="events", extra="Event_Start: 2021-02-30")
    assert "content/articles/en/x.md:9: error: Event_Start: '2021-02-30' does not exist in the calendar" in strict_error(small_site)


def test_publish_build_stops_before_writing_anything(small_site):
    small_site.write("fr", "x", "X", category="sport")
    with pytest.raises(BuildError):
        small_site.build(HUB_CHECK_STRICT=True)
    assert not small_site.output.exists()
    assert [p.name for p in small_site.output.parent.iterdir() if p.name.startswith(".output.building")] == []


def test_preview_build_warns_and_leaves_the_broken_file_out(small_site, caplog):
    small_site.write("fr", "bon", "Bon article")
    small_site.write("fr", "casse", "Article cassé", category="sport")
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert "content/articles/fr/casse.md:3: error: Category: 'sport'" in caplog.text
    assert (built.output / "fr" / "2024" / "bon" / "index.html").exists()
    assert not (built.output / "fr" / "2024" / "casse").exists()


def test_hub_i18n_still_refuses_what_the_checks_would_let_through(small_site):
    # Safety net behind the checks: two French versions of one item cannot be published.
    small_site.write("fr", "a", "A", key="same")
    small_site.write("fr", "b", "B", key="same")
    message = strict_error(small_site)
    assert "content/articles/fr/b.md:7: error: Translation_Key: 'same' is also the key of content/articles/fr/a.md" in message


def test_failed_build_leaves_the_previous_output_untouched(small_site):
    small_site.write("fr", "ok", "Bon article")
    built = small_site.build()
    before = snapshot(built.output)
    small_site.write("fr", "broken", "Cassé", category="nope")
    with pytest.raises(BuildError):
        small_site.build(HUB_CHECK_STRICT=True)
    after = snapshot(built.output)
    assert after == before
    leftovers = [p.name for p in built.output.parent.iterdir() if p.name.startswith(".output.")]
    assert leftovers == [".output.cache"]  # the reader cache stays; no half-built directory does


def test_clean_removes_only_the_output_and_its_leftovers(tmp_path):
    output = tmp_path / "output"
    (output / "fr").mkdir(parents=True)
    (tmp_path / ".output.building-123").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "notes.txt").write_text("keep me")
    clean(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "notes.txt"]


def test_preview_with_a_broken_original_still_shows_its_translations(small_site, caplog):
    small_site.write("fr", "original", "Original", key="item", category="sport")
    small_site.write("es", "traduccion", "Traducción", key="item", extra="Translation: true")
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert "content/articles/fr/original.md:3: error: Category: 'sport'" in caplog.text
    assert built.soup("/es/2024/traduccion/").h1.get_text(strip=True) == "Traducción"


def test_a_build_failing_after_pages_are_written_leaves_no_indexer_behind(small_site, monkeypatch):
    # `as`: Pelican's plugin loader may have imported the module without setting it as an
    # attribute of its package, and `import ... as` finds it in sys.modules all the same.
    import plugins.hub_items.plugin as items_plugin
    from plugins.hub_search.plugin import _RUNNING

    small_site.write("fr", "ok", "Bon article")

    def fail(self, writer):  # a fault after articles and pages are written (Pagefind has started)
        raise RuntimeError("calendar writer broke")

    monkeypatch.setattr(items_plugin.HubItemsGenerator, "generate_output", fail)
    with pytest.raises(RuntimeError, match="calendar writer broke"):
        small_site.build()
    assert _RUNNING == {}
    assert [p.name for p in small_site.output.parent.iterdir() if p.name.startswith(".output.building")] == []


def test_a_page_failing_to_render_on_any_core_fails_the_build_and_keeps_the_output(small_site, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("*.mo"))
    for n in range(60):  # enough pages to be rendered on every core
        small_site.write("fr", f"article-{n:02d}", f"Article {n}", date=f"2024-01-{1 + n % 28:02d} {n % 24:02d}:00")
    built = small_site.build(THEME=str(theme))
    before = snapshot(built.output)
    template = theme / "templates" / "article.html"
    # Two neighbouring pages fail, so whichever process renders a page, one of them meets a failure.
    template.write_text(template.read_text().replace(
        "<h1>{{ article.title }}</h1>",
        '<h1>{{ article.title }}</h1>{% if article.slug in ("article-30", "article-31") %}{{ nope.attr }}{% endif %}'))
    with pytest.raises(Exception, match="'nope' is undefined"):
        small_site.build(THEME=str(theme))
    after = snapshot(built.output)
    assert after == before
    assert [p.name for p in built.output.parent.iterdir() if p.name.startswith(".output.building")] == []


def write_file(small_site, relative, text):
    path = small_site.path / "articles" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_empty_file_is_one_clear_error_and_left_out_of_the_preview(small_site, caplog):
    small_site.write("fr", "bon", "Bon article")
    write_file(small_site, "fr/vide.md", "\n")
    expected = ("content/articles/fr/vide.md: error: the file is empty; write its headers and text "
                "(see the editors' guide, or start it with `invoke new`) or delete it")
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert expected in caplog.text
    assert "vide.md:1" not in caplog.text  # not three 'missing' headers
    assert (built.output / "fr" / "2024" / "bon" / "index.html").exists()
    assert strict_error(small_site) == expected


def test_a_file_with_headers_and_no_text_is_a_warning_and_still_built(small_site, caplog):
    path = small_site.write("fr", "sans-texte", "Sans texte", body="")
    assert path.read_text().endswith("Summary: Summary.\n\n\n")
    with caplog.at_level(logging.WARNING):
        built = small_site.build(HUB_CHECK_STRICT=True)  # a warning does not stop a publish build
    assert "content/articles/fr/sans-texte.md: warning: the file has headers but no text; write the text below the headers" in caplog.text
    assert built.soup("/fr/2024/sans-texte/").h1.get_text(strip=True) == "Sans texte"


def test_a_duplicate_slug_is_blamed_on_the_newer_file_and_the_older_keeps_its_address(small_site, caplog):
    from plugins.hub_check.checks import check_content

    # The newer file sorts first by path: the blame must follow the dates, not the order of reading.
    old = small_site.write("es", "z-viejo", "Artículo de 2021", key="informe", date="2021-03-01 10:00")
    old.write_text(old.read_text().replace("Slug: z-viejo", "Slug: mi-slug"))
    small_site.write("fr", "rapport", "Rapport de 2021", key="informe", date="2021-03-01 10:00")
    new = small_site.write("es", "a-nuevo", "Artículo de junio", key="otro", date="2021-06-01 10:00")
    new.write_text(new.read_text().replace("Slug: a-nuevo", "Slug: mi-slug"))
    expected = ("content/articles/es/a-nuevo.md:5: error: Slug: 'mi-slug' is already the slug of "
                "content/articles/es/z-viejo.md, at /es/2021/mi-slug/; give this newer file another slug "
                "(the older one keeps its address)")
    assert [str(p) for p in check_content(small_site.path, ("fr", "es", "en")) if p.level == "error"] == [expected]
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert expected in caplog.text
    old_page = built.soup("/es/2021/mi-slug/")
    assert old_page.h1.get_text(strip=True) == "Artículo de 2021"
    assert {a["hreflang"]: a["href"] for a in old_page.select(".also-in a")} == {"fr": f"{SITEURL}/fr/2021/rapport/"}
    french = built.soup("/fr/2021/rapport/")
    assert {a["hreflang"]: a["href"] for a in french.select(".also-in a")} == {"es": f"{SITEURL}/es/2021/mi-slug/"}
    assert "Artículo de junio" not in (built.output / "es" / "index.html").read_text(encoding="utf-8")
    assert strict_error(small_site) == expected
