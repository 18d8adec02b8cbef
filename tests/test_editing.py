"""Editors' tools: the checks on a corpus of broken files, scaffolding, drafts, scheduling, status, live preview."""

import datetime
import subprocess
import sys
import threading
import urllib.request

import pytest

from conftest import ROOT, SITEURL, BuiltSite
from plugins.hub_check.checks import check_content, parse_document, theme_templates
from plugins.hub_check.status import translation_status
from hubsite.build import build_site
from hubsite.editing import EditingError, new_article, translate_article
from hubsite.live import LiveSite, rebuild
from hubsite.serve import make_server

BROKEN = ROOT / "tests" / "fixtures" / "broken" / "content"
LANGS = ("fr", "es", "en")

# One fault per file, and exactly what the check must say about it.
EXPECTED = {
    "content/articles/de/langue-inconnue.md:6: error: Lang: 'de' is not a language of this site; use one of fr, es, en",
    "content/articles/es/traduccion-huerfana.md:9: error: Translation: this is a translation of 'traduccion-huerfana', but no version is the original; add the original or remove 'Translation: true' from it",
    "content/articles/fr/appel-sans-date-limite.md:3: error: Deadline: a call for participation needs 'Deadline: YYYY-MM-DD'",
    "content/articles/fr/categorie-inconnue.md:3: error: Category: 'sport' is not a category of this site; use one of studies, publications, calls, events, news",
    "content/articles/fr/cle-partagee-b.md:7: error: Translation_Key: 'partagee' is also the key of content/articles/fr/cle-partagee-a.md, in the same language; one item has one version per language",
    "content/articles/fr/date-illisible.md:2: error: Date: '31/05/2021' is not a date this site reads; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM (e.g. 2021-05-31 10:00)",
    "content/articles/fr/date-inexistante.md:2: error: Date: '2021-02-30' does not exist in the calendar; write a real date as YYYY-MM-DD",
    "content/articles/fr/entete-mal-ecrit.md:1: error: Title: missing; add a line 'Title: ...' at the top",
    "content/articles/fr/entete-mal-ecrit.md:8: error: Titel: is not a header this site knows, so it would be ignored; did you mean 'Title:'?",
    "content/articles/fr/evenement-sans-debut.md:3: error: Event_Start: an event needs 'Event_Start: YYYY-MM-DD' (and Event_End if it lasts several days)",
    "content/articles/fr/image-manquante.md:10: error: link: 'images/carte.png' is not a file of the site; fix the path (from content/, e.g. /articles/fr/x.md) or add the file",
    "content/articles/fr/lien-casse.md:10: error: link: '/articles/fr/inexistant.md' is not a file of the site; fix the path (from content/, e.g. /articles/fr/x.md) or add the file",
    "content/articles/fr/pas-utf8.md: error: encoding: the file is not UTF-8 (byte 10); save it again as UTF-8 in your editor",
    "content/articles/fr/sans-date.md:1: error: Date: missing; add 'Date: YYYY-MM-DD HH:MM' (the first publication)",
    "content/articles/fr/sans-titre.md:1: error: Title: missing; add a line 'Title: ...' at the top",
    "content/articles/fr/slug-double-b.md:5: error: Slug: 'doublon' is already the slug of content/articles/fr/slug-double-a.md, at /fr/2024/doublon/; give this newer file another slug (the older one keeps its address)",
    # The newer file is blamed (later Date), though it sorts first: the older one keeps its address.
    "content/articles/es/articulo-nuevo.md:5: error: Slug: 'mi-slug' is already the slug of content/articles/es/articulo-viejo.md, at /es/2021/mi-slug/; give this newer file another slug (the older one keeps its address)",
    "content/articles/fr/vide.md: error: the file is empty; write its headers and text (see the editors' guide, or start it with `invoke new`) or delete it",
    "content/articles/fr/sans-texte.md: warning: the file has headers but no text; write the text below the headers",
    "content/articles/fr/yaml-invalide.md:5: error: front matter: the front matter is not valid YAML (expected ',' or ']', but got ':'); write one 'key: value' per line and quote values that contain ': ' or start with a special character",
    "content/articles/fr/yaml-categorie-inconnue.md:4: error: Category: 'sport' is not a category of this site; use one of studies, publications, calls, events, news",
    "content/articles/fr/date-limite-avant.md:9: error: Deadline: '2024-01-01' is before the Date '2024-01-10 10:00'; a call closes after it is published: fix the Deadline or the Date",
    "content/articles/fr/etiquette-libre.md:4: warning: Tags: 'mobilité douce' is a new tag, in fr only; it gets its own page. To give it translations or merge it with an existing tag (none looks close), add it to content/taxonomy.toml",
    "content/articles/fr/fin-avant-debut.md:10: error: Event_End: '2024-03-01' is before Event_Start '2024-03-02'; an event ends after it starts: fix or swap them",
    "content/articles/fr/fuseau-inconnu.md:10: error: Event_Timezone: 'Europe/Madird' is not a time zone name; did you mean 'Europe/Madrid'?",
    "content/articles/fr/image-sans-alt.md:10: warning: image: 'carte.png' has no alt text; describe it between the brackets: ![what the image shows](carte.png)",
    "content/articles/fr/image-trop-grande.md:10: warning: image: 'bande.png' is 1 KB and 4100×8 px; every reader downloads it whole: resize it to at most 4000 px on its longest side and keep it under 5 MB (JPEG at quality 85 suits photos)",
    "content/taxonomy.toml:136: error: [tags.open-gov-bang] es label 'Gobierno abierto!' and [tags.open-government] 'Gobierno abierto' give the same URL in es (es/etiqueta/gobierno-abierto/); change one of the labels (until then a preview puts open-gov-bang's page at es/etiqueta/gobierno-abierto-open-gov-bang/)",
    # content/articles/es/imagen-estatica.md shows {static}grafico.svg next to a Spanish article: no problem.
    "content/articles/fr/hors-du-site.md:5: error: Save_As: '../../x.html' would put the page outside the site; remove the header (the site gives every page its address) or write a path inside it, e.g. fr/x/index.html",
    "content/articles/fr/modele-inconnu.md:5: error: Template: 'nope' is not a template of the theme; remove the header (articles and pages have their own) or fix its name",
    "content/articles/fr/slug-invalide.md:5: error: Slug: 'Mon Slug à moi' cannot be a web address (lower-case letters, digits and hyphens only); write it as 'mon-slug-a-moi'",
}


def test_each_broken_file_reports_exactly_its_problem():
    assert {str(problem) for problem in check_content(BROKEN, LANGS, templates=theme_templates(ROOT / "theme"))} == EXPECTED


def test_a_header_typo_like_data_is_caught(tmp_path):
    content = tmp_path / "content"
    (content / "articles" / "fr").mkdir(parents=True)
    (content / "taxonomy.toml").write_text((ROOT / "content" / "taxonomy.toml").read_text())
    (content / "articles" / "fr" / "x.md").write_text(
        "Title: X\nData: 2024-01-01\nCategory: news\nSlug: x\nTranslation_Key: x\nSummary: S.\n\nTexte.\n")
    messages = [str(p) for p in check_content(content, LANGS)]
    assert "content/articles/fr/x.md:2: error: Data: is not a header this site knows, so it would be ignored; did you mean 'Date:'?" in messages
    assert "content/articles/fr/x.md:1: error: Date: missing; add 'Date: YYYY-MM-DD HH:MM' (the first publication)" in messages


@pytest.mark.parametrize("date, readable", [
    ("2021-05-31", True), ("2021-05-31 10:00", True), ("2021-05-31 10:00:59", True), ("2021-5-31", True),
    ("2021-02-30", False), ("2021-05-31 24:00", False), ("٢٠٢١-٠٥-٣١", False), ("２０２１-０５-３１", False),
])
def test_dates_are_read_as_editors_are_told_to_write_them(tmp_path, date, readable):
    """The usual shapes take a fast path; what it accepts must be what strptime accepts (ASCII digits only)."""
    content = tmp_path / "content"
    (content / "articles" / "fr").mkdir(parents=True)
    (content / "taxonomy.toml").write_text((ROOT / "content" / "taxonomy.toml").read_text())
    (content / "articles" / "fr" / "x.md").write_text(
        f"Title: X\nDate: {date}\nCategory: news\nSlug: x\nSummary: S.\n\nTexte.\n", encoding="utf-8")
    date_problems = [str(p) for p in check_content(content, LANGS) if p.field == "Date"]
    assert len(date_problems) == (0 if readable else 1)


def test_a_link_is_checked_as_pelican_resolves_it(tmp_path):
    content = tmp_path / "content"
    (content / "articles" / "fr").mkdir(parents=True)
    (content / "taxonomy.toml").write_text((ROOT / "content" / "taxonomy.toml").read_text())
    header = "Title: {0}\nDate: 2024-01-01\nCategory: news\nSlug: {0}\nSummary: S.\n\n"
    (content / "articles" / "fr" / "y.md").write_text(header.format("y") + "Texte.\n")
    (content / "articles" / "fr" / "x.md").write_text(header.format("x") + (
        "[a]({filename}y.md/) [b]({filename}./y.md) [c]({filename}/articles/fr//y.md) [d]({filename}z.md)\n"))
    links = [str(p) for p in check_content(content, LANGS) if p.field == "link"]
    assert links == ["content/articles/fr/x.md:7: error: link: 'z.md' is not a file of the site; fix the path "
                     "(from content/, e.g. /articles/fr/x.md) or add the file"]


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_invoke_check_fails_on_the_broken_corpus_and_passes_on_the_real_content():
    broken = invoke("check", "--content", str(BROKEN))
    assert broken.returncode == 1
    assert set(broken.stdout.splitlines()[:-1]) == EXPECTED
    assert broken.stdout.splitlines()[-1] == "27 error(s), 4 warning(s)"
    assert "Traceback" not in broken.stderr
    real = invoke("check")
    assert real.returncode == 0, real.stdout
    assert real.stdout.strip() == "0 error(s), 0 warning(s)"


@pytest.fixture
def content(small_site):
    return small_site.path


def test_new_article_has_every_header_and_a_clean_slug(content):
    path = new_article("Étude 2021 : résultats", "fr", "studies", "smart-cities-study", "2024-05-02 09:30", content=content)
    assert path == content / "articles" / "fr" / "etude-2021-resultats.md"
    headers = parse_document(path, content).headers
    assert {key: value.strip() for key, (_, _, value) in headers.items()} == {
        "title": "Étude 2021 : résultats", "date": "2024-05-02 09:30", "category": "studies",
        "tags": "smart-cities-study", "slug": "etude-2021-resultats", "lang": "fr",
        "translation_key": "etude-2021-resultats", "summary": "", "authors": "Communauté de pratique Villes numériques de CGLU",
        "edition": "YYYY"}
    with pytest.raises(EditingError, match="exists already"):
        new_article("Étude 2021 : résultats", "fr", "studies", content=content)
    with pytest.raises(EditingError, match="category 'sport'"):
        new_article("Autre", "fr", "sport", content=content)


def test_a_new_article_and_its_translation_build_and_link(small_site):
    content = small_site.path
    original = new_article("Nouvelle étude", "fr", "news", "uclg", "2024-05-02 09:30", content=content)
    original.write_text(original.read_text().replace("Summary: ", "Summary: Un résumé.") + "Le texte.\n")
    assert check_content(content, LANGS) == []
    draft = translate_article(original, "es", content=content)
    text = draft.read_text()
    assert "Title: [TO TRANSLATE] Nouvelle étude" in text and "Status: draft" in text
    assert "Translation_Key: nouvelle-etude" in text and "Translation: true" in text and "Le texte." in text
    built = small_site.build()
    preview = built.soup("/es/drafts/nouvelle-etude/")
    assert preview.select_one(".notice").get_text(" ", strip=True).startswith("Borrador")
    assert not built.soup("/es/").select_one('a[href$="/es/drafts/nouvelle-etude/"]')
    # The translator finishes: translated headers, a Spanish slug, no longer a draft.
    finished = draft.with_name("nuevo-estudio.md")
    draft.rename(finished)
    finished.write_text(text.replace("[TO TRANSLATE] Nouvelle étude", "Nuevo estudio")
                        .replace("[TO TRANSLATE] Un résumé.", "Un resumen.")
                        .replace("Slug: nouvelle-etude", "Slug: nuevo-estudio").replace("Status: draft\n", ""))
    assert check_content(content, LANGS) == []
    built = small_site.build()
    fr = built.soup("/fr/2024/nouvelle-etude/")
    assert {a["hreflang"]: a["href"] for a in fr.select(".also-in a")} == {"es": f"{SITEURL}/es/2024/nuevo-estudio/"}
    es = built.soup("/es/2024/nuevo-estudio/")
    assert {a["hreflang"]: a["href"] for a in es.select(".also-in a")} == {"fr": f"{SITEURL}/fr/2024/nouvelle-etude/"}


def publish(small_site):
    build_site(ROOT / "publishconf.py", output=small_site.output, PATH=str(small_site.path), SITEURL=SITEURL)
    return BuiltSite(small_site.output)


def test_drafts_and_future_articles_preview_marked_but_never_publish(small_site):
    future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    small_site.write("fr", "publie", "Publié")
    small_site.write("fr", "brouillon", "Brouillon", extra="Status: draft")
    small_site.write("fr", "plus-tard", "Plus tard", date=f"{future} 10:00")
    preview = small_site.build()
    assert preview.soup("/fr/drafts/brouillon/").select_one(".notice")
    scheduled = preview.soup(f"/fr/{future[:4]}/plus-tard/").select_one(".notice").get_text(" ", strip=True)
    assert scheduled.startswith("Programmé")
    entry = preview.soup("/fr/").select_one(f'a[href$="/fr/{future[:4]}/plus-tard/"]').find_parent("article")
    assert entry.select_one(".badge").get_text(strip=True) == "Programmé"
    assert (preview.output / "editors" / "status" / "index.html").exists()

    published = publish(small_site)
    files = {p.relative_to(published.output).as_posix() for p in published.output.rglob("*.html")}
    assert "fr/2024/publie/index.html" in files
    assert not [f for f in files if "brouillon" in f or "plus-tard" in f or f.startswith("editors/")]
    home = published.soup("/fr/")
    assert not home.select_one('a[href*="brouillon"]') and not home.select_one('a[href*="plus-tard"]')


def test_status_reports_missing_and_out_of_date_translations(content):
    write = lambda lang, name, extra: (content / "articles" / lang).mkdir(parents=True, exist_ok=True) or \
        (content / "articles" / lang / f"{name}.md").write_text(
            f"Title: T\nDate: 2024-01-10 10:00\nCategory: news\nSlug: {name}\nLang: {lang}\nTranslation_Key: k\nSummary: S.\n{extra}\nTexte.\n")
    write("fr", "orig", "Modified: 2024-03-01 10:00\n")
    write("es", "trad", "Translation: true\nModified: 2024-02-01 10:00\n")
    documents = [parse_document(p, content) for p in sorted((content / "articles").rglob("*.md"))]
    (row,) = translation_status(documents, LANGS)
    assert (row.key, row.original, row.missing, row.stale) == ("k", "fr", ["en"], ["es"])


def test_invoke_status_prints_items_and_catalogs():
    result = invoke("status")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.split()[:4] == ["participez-au-smart-cities-study-2021", "+*", "+", "+"] for line in lines)
    assert "  18 items: 0 missing translation(s), 0 out of date" in lines
    assert any(line.startswith("  fr: ") and line.endswith("(100% complete)") for line in lines)


def test_live_preview_keeps_the_last_good_site_and_reloads_pages(small_site):
    small_site.write("fr", "bon", "Bon")
    small_site.build()
    messages = []
    # Content the build cannot use (here a broken taxonomy): the build fails, the output stays.
    (small_site.path / "taxonomy.toml").write_text("not toml [")
    site = LiveSite(ROOT / "pelicanconf.py", small_site.output, report=messages.append,
                    PATH=str(small_site.path), SITEURL=SITEURL)
    ok = rebuild(site, report=messages.append)
    assert ok is False
    # The checks' line (as `invoke check` prints it), then why the build stopped.
    assert messages[0].startswith("content/taxonomy.toml: error: not valid TOML")
    assert messages[1] == "Build failed; still serving the last good site:"
    assert "taxonomy.toml: not valid TOML" in messages[2]
    assert (small_site.output / "fr" / "2024" / "bon" / "index.html").exists()

    server = make_server(small_site.output, "127.0.0.1", 0, live_token=lambda: "build-1")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page = urllib.request.urlopen(f"{base}/fr/2024/bon/").read().decode()
        assert '<script src="/__live/reload.js" defer></script></head>' in page
        assert urllib.request.urlopen(f"{base}/__live/token").read() == b"build-1"
        assert b"location.reload" in urllib.request.urlopen(f"{base}/__live/reload.js").read()
    finally:
        server.shutdown()
        server.server_close()


def test_an_edition_that_the_editions_file_does_not_know(small_site):
    import shutil

    shutil.copy(ROOT / "content" / "editions.toml", small_site.path / "editions.toml")
    small_site.write("fr", "etude", "Étude", category="studies", extra="Edition: 2023")
    messages = [str(p) for p in check_content(small_site.path, LANGS)]
    assert messages == ["content/articles/fr/etude.md:9: error: Edition: 2023 is not an edition in content/editions.toml; "
                        "use one of 2012, 2017, 2019, 2021 or add it there"]


def test_invoke_new_and_translate_help_work():
    for name, option in (("new", "--title=STRING"), ("translate", "--article=STRING")):
        result = invoke(name, "--help")
        assert result.returncode == 0, result.stderr
        assert option in result.stdout
    missing = invoke("new", "--title", "Sans langue")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Not written: give --lang and --category (see 'invoke new --help')"


def test_a_very_long_title_gives_a_slug_cut_at_a_word(small_site):
    title = " ".join(f"Mot{n:03d}" for n in range(72))  # 503 characters
    assert len(title) == 503
    path = new_article(title, "fr", "news", "uclg", "2024-05-02 09:30", content=small_site.path)
    slug = path.stem
    assert len(slug) <= 80 and slug == "-".join(f"mot{n:03d}" for n in range(11))  # 11 whole words: 76 characters
    headers = parse_document(path, small_site.path).headers
    assert (headers["title"][2].strip(), headers["slug"][2].strip()) == (title, slug)
    path.write_text(path.read_text().replace("Summary: ", "Summary: Résumé.") + "Le texte.\n")
    assert check_content(small_site.path, LANGS) == []
    assert small_site.build().soup(f"/fr/2024/{slug}/").h1.get_text(strip=True) == title
    one_word = new_article("x" * 300, "fr", "news", content=small_site.path)  # no word boundary: cut at 80
    assert one_word.stem == "x" * 80


def test_a_busy_port_is_named_with_a_free_one_to_try_and_no_traceback():
    import socket

    from hubsite.serve import PortInUseError, port_is_free

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        suggestion = next(candidate for candidate in range(port + 1, port + 100) if port_is_free("127.0.0.1", candidate))
        with pytest.raises(PortInUseError) as caught:
            make_server(ROOT, "127.0.0.1", port)
        assert caught.value.strerror == f"port {port} is in use; try --port {suggestion}"
        for task in ("serve", "livereload"):
            result = invoke(task, "--port", str(port))
            assert result.returncode == 1
            assert result.stderr == f"port {port} is in use; try --port {suggestion}\n"
            assert "Traceback" not in result.stderr + result.stdout
