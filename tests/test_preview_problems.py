"""Where an editor looks: what a preview build prints for faulty files, what the preview server
shows in the browser, and Pelican's own commands building the same site as our tasks."""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITEURL, output_files, write_article
from hubsite.build import BuildError, build_site
from hubsite.serve import make_server
from plugins.hub_check.checks import check_content, theme_templates

NOW = "2026-11-23T08:00:00+00:00"
PELICAN = os.path.join(os.path.dirname(sys.executable), "pelican")


def faulty_site(small_site):
    """Two good articles and five faulty files, one fault each, in three languages."""
    small_site.write("fr", "bon", "Bon article", key="bon")
    small_site.write("es", "bueno", "Buen artículo", key="bon", extra="Translation: true")
    (small_site.path / "articles" / "es" / "sin-titulo.md").write_text(
        "Date: 2024-02-01 10:00\nCategory: news\nTranslation_Key: sin-titulo\nSummary: S.\n\nTexto.\n", encoding="utf-8")
    small_site.write("es", "fecha-imposible", "Fecha imposible", date="2024-02-30")
    small_site.write("en", "unknown-category", "Unknown category", category="gossip")
    small_site.write("fr", "lien-casse", "Lien cassé", body="Voir [ceci]({filename}/articles/fr/nexiste-pas.md).")
    (small_site.path / "articles" / "fr" / "latin1.md").write_bytes("Title: Été\n\nÉté.\n".encode("latin-1"))
    return {"content/articles/es/sin-titulo.md", "content/articles/es/fecha-imposible.md",
            "content/articles/en/unknown-category.md", "content/articles/fr/lien-casse.md",
            "content/articles/fr/latin1.md"}


def test_a_preview_build_prints_every_problem_as_invoke_check_does_and_what_it_left_out(small_site):
    faulty = faulty_site(small_site)
    lines = []
    site = small_site.build(report=lines.append, HUB_NOW=NOW)
    checked = [str(problem) for problem in check_content(small_site.path, ("fr", "es", "en"), shown_root="content")]
    assert lines[:-1] == checked  # the same lines, in the same order, as `invoke check`
    assert lines[-1].startswith("5 file(s) left out of this preview until fixed: ")
    assert all(name in lines[-1] for name in faulty)
    assert lines[-1].endswith(f"{SITEURL}/editors/status/")
    assert site.path_for(f"{SITEURL}/fr/2024/bon/").is_file()  # the rest of the site is there
    # The status page lists the same lines, under an anchor the notice links to.
    status = site.soup(f"{SITEURL}/editors/status/")
    assert [code.get_text() for code in status.select("#problems ~ ul.problems code")] == checked


def test_the_broken_corpus_previews_without_a_traceback_and_leaves_out_exactly_the_files_with_errors(tmp_path):
    """The fixture corpus (one fault per file, tests/test_editing.py) built as a preview."""
    import shutil

    content = shutil.copytree(ROOT / "tests" / "fixtures" / "broken" / "content", tmp_path / "content")
    lines = []
    output = build_site(ROOT / "pelicanconf.py", output=tmp_path / "output", PATH=str(content), SITEURL=SITEURL,
                        HUB_NOW=NOW, report=lines.append)
    problems = check_content(content, ("fr", "es", "en"), shown_root="content", templates=theme_templates(ROOT / "theme"))
    with_errors = {problem.path for problem in problems if problem.level == "error" and problem.path.endswith(".md")}
    built = {path.parts[-2] for path in output.glob("*/*/*/index.html") if path.parts[-4] != "editors"}
    for source in sorted(content.glob("articles/*/*.md")):
        shown = f"content/{source.relative_to(content).as_posix()}"
        slug = next((line.split(":", 1)[1].strip() for line in source.read_bytes().decode("utf-8", "replace").splitlines()
                     if line.lower().startswith("slug:")), source.stem)
        if shown in with_errors:
            assert any(line.startswith(shown) for line in lines), shown
        elif source.stem not in ("sans-texte",) and source.read_bytes().strip():
            assert slug in built, shown  # warnings only (a free tag, an image without alt text...): built
    # {static} next to a Spanish article: the page shows the picture, copied beside it.
    page = BeautifulSoup((output / "es" / "2024" / "imagen-estatica" / "index.html").read_text(), "html.parser")
    assert (output / page.find("img", alt="Un gráfico")["src"].removeprefix(SITEURL + "/")).is_file()


def test_a_rebuild_with_nothing_changed_prints_the_problems_again(small_site):
    faulty_site(small_site)
    first, second = [], []
    small_site.build(report=first.append, HUB_NOW=NOW)
    small_site.build(report=second.append, HUB_NOW=NOW)
    assert second == first and len(first) > 5


@pytest.fixture
def served(small_site):
    """Serve small_site's output as `invoke serve` does; yields a function that GETs a path."""
    server = make_server(small_site.output, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def get(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}") as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    yield get
    server.shutdown()
    server.server_close()


def test_the_browser_shows_a_notice_on_every_page_and_why_a_left_out_page_is_missing(small_site, served):
    faulty_site(small_site)
    small_site.build(report=lambda line: None, HUB_NOW=NOW)
    status, body = served("/es/")
    notice = BeautifulSoup(body, "html.parser").select_one("main").find_previous_sibling(class_="notice--problems")
    assert status == 200 and notice is not None
    assert "Archivos fuera de esta vista previa hasta que se corrijan: 5" in notice.get_text()  # in the page's language
    assert notice.a["href"] == f"{SITEURL}/editors/status/#problems"
    # The address the Spanish article would have: a page in Spanish saying why, not a bare 404.
    status, body = served("/es/2024/sin-titulo/")
    page = BeautifulSoup(body, "html.parser")
    assert status == 404 and page.html["lang"] == "es"
    assert page.h1.get_text() == "Fuera de esta vista previa"
    assert [code.get_text() for code in page.select("ul.problems code")] == [
        "content/articles/es/sin-titulo.md:1: error: Title: missing; add a line 'Title: ...' at the top"]
    # A date that does not read: any year matches the slug.
    status, body = served("/es/2023/fecha-imposible/")
    assert status == 404 and "does not exist in the calendar" in body
    # Other unknown addresses keep the language's ordinary 404 page.
    status, body = served("/es/2024/otra-cosa/")
    assert status == 404 and "Fuera de esta vista previa" not in body


def test_the_notice_goes_once_the_files_are_fixed(small_site, served):
    small_site.write("fr", "bon", "Bon article")
    small_site.write("fr", "sans-date", "Sans date", date="")
    small_site.build(report=lambda line: None, HUB_NOW=NOW)
    assert "notice--problems" in served("/fr/")[1]
    small_site.write("fr", "sans-date", "Sans date")
    small_site.build(report=lambda line: None, HUB_NOW=NOW)
    assert "notice--problems" not in served("/fr/")[1]
    assert served("/fr/2024/sans-date/")[0] == 200


def test_a_publish_build_shows_no_notice_and_writes_no_problem_file(small_site, served):
    small_site.write("fr", "bon", "Bon article")
    build_site(ROOT / "publishconf.py", output=small_site.output, PATH=str(small_site.path), SITEURL=SITEURL,
               HUB_NOW=NOW, HUB_FINALIZE=False)
    assert not (small_site.output / "editors").exists()
    assert "notice--problems" not in served("/fr/")[1]


def run_pelican(content, output, settings, cache):
    """Pelican's own command, as a Pelican user or a hosting service runs it (no invoke, no hubsite)."""
    extra = [f"{name}={json.dumps(value)}" for name, value in
             {"SITEURL": SITEURL, "HUB_NOW": NOW, "CACHE_PATH": str(cache)}.items()]
    return subprocess.run([PELICAN, str(content), "-s", settings, "-o", str(output), "-e", *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_pelicans_own_command_builds_the_same_site_as_invoke_build(small_site, tmp_path):
    small_site.write("fr", "bon", "Bon article", key="bon", tags="open-data")
    small_site.write("es", "bueno", "Buen artículo", key="bon", extra="Translation: true")
    small_site.write("en", "event", "An event", category="events", extra="Event_Start: 2027-02-10")
    ours = small_site.build(HUB_NOW=NOW).output
    result = run_pelican(small_site.path, tmp_path / "plain", "pelicanconf.py", tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout + result.stderr
    assert "Processed 3 articles" in " ".join((result.stdout + result.stderr).split())
    plain = output_files(tmp_path / "plain")
    assert sorted(plain) == sorted(output_files(ours))
    assert {name: path.read_bytes() for name, path in plain.items()} == {
        name: path.read_bytes() for name, path in output_files(ours).items()}


def test_pelicans_own_publish_command_finishes_the_site_and_stops_on_errors_without_a_traceback(small_site, tmp_path):
    small_site.write("fr", "bon", "Bon article")
    result = run_pelican(small_site.path, tmp_path / "public", "publishconf.py", tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    css = [name for name in output_files(tmp_path / "public") if name.startswith("theme/css/hub.")]
    assert any(name.endswith(".css.br") for name in css) and len(css) > 3  # hashed names, .gz and .br copies
    ours = build_site(ROOT / "publishconf.py", output=tmp_path / "ours", PATH=str(small_site.path), SITEURL=SITEURL,
                      HUB_NOW=NOW)
    assert sorted(output_files(tmp_path / "public")) == sorted(output_files(ours))

    small_site.write("fr", "sans-titre", "", key="x")
    result = run_pelican(small_site.path, tmp_path / "broken", "publishconf.py", tmp_path / "cache")
    assert result.returncode == 1
    assert "content/articles/fr/sans-titre.md:1: error: Title: missing" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "broken").exists() or not any((tmp_path / "broken").iterdir())
    with pytest.raises(BuildError, match="Title: missing"):
        build_site(ROOT / "publishconf.py", output=tmp_path / "ours2", PATH=str(small_site.path), SITEURL=SITEURL)


def test_a_site_served_at_another_port_than_it_was_built_for_keeps_its_links(small_site):
    """`invoke serve --port 8001` (port 8000 taken) of a site built for port 8000."""
    small_site.write("fr", "bon", "Bon article")
    small_site.build(report=lambda line: None, HUB_NOW=NOW)
    server = make_server(small_site.output, "127.0.0.1", 0, built_for=SITEURL)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        here = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(f"{here}/fr/") as response:
            page = BeautifulSoup(response.read().decode("utf-8"), "html.parser")
        stylesheet = page.find("link", rel="stylesheet")["href"]
        assert stylesheet.startswith(here + "/")
        with urllib.request.urlopen(stylesheet) as response:
            assert response.status == 200
        assert SITEURL not in str(page)
    finally:
        server.shutdown()
        server.server_close()


def test_a_left_out_draft_is_explained_at_its_draft_address(small_site, served):
    small_site.write("fr", "bon", "Bon article")
    small_site.write("fr", "brouillon", "Brouillon", category="sport", extra="Status: draft")
    small_site.build(report=lambda line: None, HUB_NOW=NOW)
    status, body = served("/fr/drafts/brouillon/")
    lines = [code.get_text() for code in BeautifulSoup(body, "html.parser").select("ul.problems code")]
    assert status == 404 and lines[0].startswith("content/articles/fr/brouillon.md:3: error: Category: 'sport'")
