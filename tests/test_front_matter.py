"""YAML front matter (Hugo, Jekyll, Git CMSs): read by the build, `invoke check` and `invoke status`
exactly as `Key: value` headers are."""

import logging
import subprocess
import sys

import pytest

from conftest import ROOT, snapshot
from hubsite.build import BuildError
from plugins.hub_check.checks import check_content, parse_document
from plugins.hub_check.status import translation_status

LANGS = ("fr", "es", "en")

YAML_ARTICLE = """---
title: "Ciudades digitales: el informe"
Date: 2021-05-31 10:00
category: news
tags:
  - uclg
  - open-data
slug: ciudades-digitales
lang: es
translation_key: informe-ciudades
summary: >
  Un resumen
  en dos líneas.
authors: [Comunidad de Práctica Ciudades Digitales de CGLU]
---

El texto del *informe*.
"""

HEADERS_ARTICLE = """Title: Ciudades digitales: el informe
Date: 2021-05-31 10:00
Category: news
Tags: uclg, open-data
Slug: ciudades-digitales
Lang: es
Translation_Key: informe-ciudades
Summary: Un resumen en dos líneas.
Authors: Comunidad de Práctica Ciudades Digitales de CGLU

El texto del *informe*.
"""


def write(content, relative, text):
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_and_key_value_headers_build_the_same_site(small_site, tmp_path):
    small_site.write("fr", "original", "Le rapport", key="informe-ciudades", date="2021-05-30 09:00")
    write(small_site.path, "articles/es/ciudades-digitales.md", HEADERS_ARTICLE)
    with_headers = snapshot(small_site.build(tmp_path / "headers").output)
    write(small_site.path, "articles/es/ciudades-digitales.md", YAML_ARTICLE)
    with_yaml = small_site.build(tmp_path / "yaml")
    assert snapshot(with_yaml.output) == with_headers

    page = with_yaml.soup("/es/2021/ciudades-digitales/")
    assert page.h1.get_text(strip=True) == "Ciudades digitales: el informe"
    assert {a["hreflang"]: a["href"] for a in page.select(".also-in a")} == {
        "fr": "https://hub.example.org/fr/2021/original/"}
    assert "El texto del informe." in page.get_text(" ", strip=True).replace(" .", ".")


def test_yaml_headers_are_checked_with_their_own_line_numbers(small_site):
    write(small_site.path, "articles/es/ciudades-digitales.md",
          YAML_ARTICLE.replace("  - open-data", "  - futbol").replace("category: news", "category: sport"))
    messages = [str(problem) for problem in check_content(small_site.path, LANGS)]
    assert messages == [
        "content/articles/es/ciudades-digitales.md:4: error: Category: 'sport' is not a category of this site; "
        "use one of studies, publications, calls, events, news",
        "content/articles/es/ciudades-digitales.md:5: warning: Tags: 'futbol' is a new tag, in es only; it gets its "
        "own page. To give it translations or merge it with an existing tag (none looks close), add it to "
        "content/taxonomy.toml",
    ]


def test_a_yaml_file_checks_clean_and_parses_like_its_key_value_twin(small_site):
    yaml_file = write(small_site.path, "articles/es/ciudades-digitales.md", YAML_ARTICLE)
    assert check_content(small_site.path, LANGS) == []
    twin = write(small_site.path, "articles/en/twin.md", HEADERS_ARTICLE)
    values = lambda path: {key: value.strip() for key, (_, _, value) in parse_document(path, small_site.path).headers.items()}
    assert values(yaml_file) == values(twin)
    assert parse_document(yaml_file, small_site.path).body.strip() == "El texto del *informe*."


@pytest.mark.parametrize("yaml_date, header_date", [
    ("2021-05-31", "2021-05-31"),  # unquoted YAML dates stay the text written
    ("2021-05-31 10:00:00", "2021-05-31 10:00:00"),
    ("'2021-05-31 10:00'", "2021-05-31 10:00"),
    ("!!timestamp 2021-05-31 10:00:00", "2021-05-31 10:00"),  # a real datetime: written as headers are
    ("!!timestamp 2021-05-31", "2021-05-31"),
])
def test_yaml_dates_read_as_the_same_strings_as_date_headers(small_site, yaml_date, header_date):
    path = write(small_site.path, "articles/es/x.md", YAML_ARTICLE.replace("Date: 2021-05-31 10:00", f"date: {yaml_date}"))
    assert parse_document(path, small_site.path).value("date") == header_date


def test_an_impossible_yaml_date_gets_the_date_message(small_site):
    write(small_site.path, "articles/es/x.md", YAML_ARTICLE.replace("Date: 2021-05-31 10:00", "date: 2021-02-30"))
    assert [str(p) for p in check_content(small_site.path, LANGS)] == [
        "content/articles/es/x.md:3: error: Date: '2021-02-30' does not exist in the calendar; write a real date as YYYY-MM-DD"]


@pytest.mark.parametrize("broken, line, what", [
    ("title: Ciudades: el informe", 2, "not valid YAML (mapping values are not allowed here)"),
    ("tags: [uclg, open-data", 5, "not valid YAML"),
    ("title:\n  es: Ciudades", 2, "'title' holds a nested mapping or list"),
])
def test_a_yaml_error_names_file_and_line_and_stops_a_publish_build(small_site, broken, line, what):
    text = YAML_ARTICLE.replace('title: "Ciudades digitales: el informe"', broken) if broken.startswith("title") \
        else YAML_ARTICLE.replace("tags:\n  - uclg\n  - open-data", broken)
    write(small_site.path, "articles/es/x.md", text)
    (problem,) = check_content(small_site.path, LANGS)
    assert str(problem).startswith(f"content/articles/es/x.md:{line}: error: front matter: the front matter is {what}"
                                   if "YAML" in what else f"content/articles/es/x.md:{line}: error: front matter: {what}")
    with pytest.raises(BuildError) as caught:
        small_site.build(HUB_CHECK_STRICT=True)
    assert str(problem) in caught.value.problems


def test_unclosed_front_matter_is_an_error_and_the_preview_leaves_the_file_out(small_site, caplog):
    small_site.write("es", "bueno", "Bueno")
    write(small_site.path, "articles/es/x.md", YAML_ARTICLE.replace("---\n\nEl texto", "\nEl texto"))
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert ("content/articles/es/x.md:1: error: front matter: the front matter opened by '---' is never closed; "
            "add a line '---' after the last header, then the text") in caplog.text
    assert (built.output / "es" / "2024" / "bueno" / "index.html").exists()
    assert not list(built.output.rglob("ciudades-digitales"))


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_invoke_check_reports_a_yaml_error_without_a_traceback(small_site):
    write(small_site.path, "articles/es/x.md", YAML_ARTICLE.replace("lang: es", "lang: es: mx"))
    result = invoke("check", "--content", str(small_site.path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/articles/es/x.md:9: error: front matter: the front matter is not valid YAML (mapping values are not "
        "allowed here); write one 'key: value' per line and quote values that contain ': ' or start with a special character",
        "1 error(s), 0 warning(s)"]
    assert "Traceback" not in result.stderr


def test_status_reads_yaml_front_matter(small_site):
    from hubsite.editing import status_report

    small_site.write("fr", "original", "Le rapport", key="informe-ciudades", extra="Modified: 2021-06-10 10:00")
    write(small_site.path, "articles/es/ciudades-digitales.md",
          YAML_ARTICLE.replace("lang: es", "lang: es\ntranslation: true\nmodified: 2021-06-01 10:00"))
    documents = [parse_document(p, small_site.path) for p in sorted((small_site.path / "articles").rglob("*.md"))]
    (row,) = translation_status(documents, LANGS)
    assert (row.key, row.original, sorted(row.versions), row.stale) == ("informe-ciudades", "fr", ["es", "fr"], ["es"])
    lines = status_report(small_site.path).splitlines()
    assert [line.split() for line in lines[2:4]] == [["informe-ciudades", "+*", "!", "-"],
                                                     ["1", "items:", "1", "missing", "translation(s),", "1", "out", "of", "date"]]


def test_many_yaml_articles_are_read_as_one_is(small_site):
    """Enough files for the build to read them in parallel (more than hubsite.prefill's 64, when it
    was the reader): each page is the one its front matter says."""
    for n in range(66):
        write(small_site.path, f"articles/es/informe-{n:02d}.md",
              YAML_ARTICLE.replace('"Ciudades digitales: el informe"', f'"Informe: número {n}"')
              .replace("slug: ciudades-digitales", f"slug: informe-{n:02d}")
              .replace("translation_key: informe-ciudades", f"translation_key: informe-{n:02d}"))
    built = small_site.build()
    page = built.soup("/es/2021/informe-07/")
    assert page.h1.get_text(strip=True) == "Informe: número 7"


def test_translate_starts_a_translation_of_a_yaml_article(small_site):
    from hubsite.editing import EditingError, translate_article

    source = write(small_site.path, "articles/es/ciudades-digitales.md", YAML_ARTICLE)
    draft = translate_article(source, "fr", content=small_site.path)
    headers = parse_document(draft, small_site.path).headers
    assert headers["title"][2] == "[TO TRANSLATE] Ciudades digitales: el informe"
    assert (headers["translation_key"][2], headers["status"][2]) == ("informe-ciudades", "draft")
    assert parse_document(draft, small_site.path).body.strip() == "El texto del *informe*."
    broken = write(small_site.path, "articles/es/roto.md", YAML_ARTICLE.replace("lang: es", "lang: es: mx"))
    with pytest.raises(EditingError, match=r"roto.md: line 9: the front matter is not valid YAML"):
        translate_article(broken, "fr", content=small_site.path)


def test_the_input_scan_finds_a_yaml_date_for_scheduled_articles(tmp_path):
    """The build counts articles that have come due (a scheduled article appears on its day); it
    reads their date from the headers without parsing the file."""
    from hubsite.build import content_stamps

    write(tmp_path, "articles/es/a.md", "---\ntitle: A\n\nDate: '2030-01-01 10:00'\n---\n\nDate: 1999-01-01\n")
    write(tmp_path, "articles/es/b.md", "Title: B\nDate: 2030-02-01 10:00\n\nTexto.\n")
    stamps, _ = content_stamps(tmp_path)
    assert {name: stamp[1] for name, stamp in stamps.items()} == {
        "articles/es/a.md": "2030-01-01 10:00", "articles/es/b.md": "2030-02-01 10:00"}
