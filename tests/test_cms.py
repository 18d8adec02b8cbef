"""Editing in the browser (`invoke edit`): the real Decap CMS, from node_modules, driven in Chromium.

The end-to-end tests copy a small project (the real taxonomy and editions, one article in three
languages) into a temporary folder, serve the editor on it (hubsite/edit.py: /admin/ and the local
backend), and drive the content manager as an editor would; then they read the files it wrote, run
the checks and build the site. Every request the editor page makes must go to 127.0.0.1.
"""

import re
import shutil
import socket
import threading
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, SITEURL
from hubsite.build import build_site
from hubsite.cms import cms_config
from hubsite.cms_backend import BackendError, LocalBackend
from hubsite.edit import DECAP_DIST, Editor, headers_script, make_editor_server
from hubsite.editing import check
from plugins.hub_check.checks import KNOWN_HEADERS
from plugins.hub_check.headers import HEADERS

ARTICLE = "smart-cities-live-2020"  # the same file name in every language folder
ARTICLE_FILES = [f"articles/{lang}/{ARTICLE}.md" for lang in ("fr", "es", "en")]


# One list of headers -------------------------------------------------------------------------

def cms_fields(config, collection):
    [found] = [item for item in config["collections"] if item["name"] == collection]
    return {field["name"] for field in found["fields"]}


def test_cms_config_fields_are_the_headers_the_checks_know():
    """Every header `invoke check` knows is a field of the editor's articles or pages, except those
    left out with a reason; and every field but the text is a header the checks know."""
    config = cms_config(ROOT / "content")
    fields = cms_fields(config, "articles") | cms_fields(config, "pages")
    left_out = {header.key: header.left_out for header in HEADERS if header.widget is None}
    assert all(left_out.values()), "a header left out of the editor says why (Header.left_out)"
    assert fields - {"body"} == KNOWN_HEADERS - set(left_out)
    assert set(left_out) <= KNOWN_HEADERS
    # Pages have no date, category or other article-only header.
    assert {"date", "category", "deadline", "event_start"}.isdisjoint(cms_fields(config, "pages"))


def test_cms_config_matches_the_content():
    config = cms_config(ROOT / "content", local_backend_url="http://127.0.0.1:8001/api/v1")
    assert config["i18n"] == {"structure": "multiple_folders", "locales": ["fr", "es", "en"], "default_locale": "fr"}
    assert config["local_backend"]["url"] == "http://127.0.0.1:8001/api/v1"
    articles = next(item for item in config["collections"] if item["name"] == "articles")
    assert articles["folder"] == "content/articles" and articles["format"] == "hub-headers"
    by_name = {field["name"]: field for field in articles["fields"]}
    assert {option["value"] for option in by_name["category"]["options"]} == {
        "studies", "publications", "calls", "events", "news"}
    assert "Datos abiertos" in by_name["tags"]["labels"]["es"] and "Données ouvertes" in by_name["tags"]["labels"]["fr"]
    assert by_name["deadline"]["label"].endswith("(calls only)")
    files = {item["name"]: item["files"][0]["file"] for item in config["collections"] if "files" in item}
    assert files == {"taxonomy": "content/taxonomy.toml", "editions": "content/editions.toml"}
    assert yaml.safe_load(yaml.safe_dump(config)) == config
    assert "Event_Timezone" in headers_script()


# The local backend ---------------------------------------------------------------------------

def test_cms_backend_links_versions_by_translation_key(tmp_path):
    (tmp_path / "content" / "articles" / "fr").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "es").mkdir(parents=True)
    original = b"Title: Appel\nSlug: appel\nTranslation_Key: appel\n\nTexte.\n"
    (tmp_path / "content/articles/fr/appel.md").write_bytes(original)
    (tmp_path / "content/articles/es/convocatoria.md").write_bytes(
        b"Title: Convocatoria\nSlug: convocatoria\nTranslation_Key: appel\n\nTexto.\n")
    backend = LocalBackend(tmp_path)
    listed = backend.handle("entriesByFolder", {"folder": "content/articles", "extension": "md", "depth": 2})
    assert [entry["file"]["path"] for entry in listed] == ["content/articles/es/appel.md", "content/articles/fr/appel.md"]
    assert backend.handle("getEntry", {"path": "content/articles/es/appel.md"})["data"].startswith("Title: Convocatoria")
    # Saving the Spanish version writes its own file; a new English one is named after its slug.
    backend.handle("persistEntry", {"assets": [], "dataFiles": [
        {"path": "content/articles/es/appel.md", "raw": "Title: Convocatoria 2\nSlug: convocatoria\nTranslation_Key: appel\n\nTexto.\n"},
        {"path": "content/articles/fr/appel.md", "raw": original.decode()},
        {"path": "content/articles/en/appel.md", "raw": "Title: Call\nSlug: call-2024\nTranslation_Key: appel\n\nText.\n"},
    ]})
    assert (tmp_path / "content/articles/es/convocatoria.md").read_text().startswith("Title: Convocatoria 2\n")
    assert (tmp_path / "content/articles/fr/appel.md").read_bytes() == original
    assert (tmp_path / "content/articles/en/call-2024.md").exists()
    assert not (tmp_path / "content/articles/es/appel.md").exists()
    # A language left blank writes no file; another item's file is never overwritten.
    backend.handle("persistEntry", {"assets": [], "dataFiles": [{"path": "content/articles/es/other.md", "raw": "\n"}]})
    assert not (tmp_path / "content/articles/es/other.md").exists()
    with pytest.raises(BackendError):
        backend.handle("persistEntry", {"assets": [], "dataFiles": [
            {"path": "content/articles/fr/new.md", "raw": "Title: X\nSlug: appel\nTranslation_Key: new\n\nX\n"}]})
    with pytest.raises(BackendError):
        backend.handle("getMediaFile", {"path": "../outside.png"})


def test_cms_is_not_in_a_built_site(site):
    """The editor is served by `invoke edit` only: a build writes no /admin/, no CMS script."""
    assert not (site.output / "admin").exists()
    assert not [path for path in site.output.rglob("*") if "decap" in path.name.lower()]


# The real content manager in Chromium ---------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def project(tmp_path):
    """A small copy of the project: the real taxonomy, editions and pictures, one article in three
    languages, the theme and settings, and Decap CMS from node_modules."""
    root = tmp_path / "project"
    content = root / "content"
    content.mkdir(parents=True)
    for name in ("taxonomy.toml", "editions.toml"):
        shutil.copy(ROOT / "content" / name, content / name)
    shutil.copytree(ROOT / "content" / "images", content / "images")
    for relative in ARTICLE_FILES:
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "content" / relative, content / relative)
    assert (ROOT / DECAP_DIST / "decap-cms.js").is_file(), "Decap CMS is missing: run `npm ci` (make test does)"
    (root / "node_modules" / "decap-cms").mkdir(parents=True)
    (root / "node_modules" / "decap-cms" / "dist").symlink_to(ROOT / DECAP_DIST)
    (root / "theme").symlink_to(ROOT / "theme")
    return root


@pytest.fixture
def editor(project):
    port = free_port()
    server = make_editor_server(Editor(project, preview_url="http://127.0.0.1:9"), "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def cms(editor, browser):
    """A logged-in page of the content manager; at the end, asserts it contacted 127.0.0.1 only."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc or urlsplit(request.url).scheme))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{editor}/admin/")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Articles").first.wait_for()
    page.editor, page.errors = editor, errors
    yield page
    context.close()
    assert hosts <= {urlsplit(editor).netloc, "blob", "data"}, f"the editor contacted another site: {hosts}"
    assert not errors, errors


def field(page, name, pane):
    """A field of the side-by-side editor: pane 0 is French (the default language), 1 the other."""
    return page.locator(f'[id^="{name}-field-"]').nth(pane)


def publish(page):
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    page.get_by_text(re.compile("Entry (saved|published)")).first.wait_for()


FR, ES = 0, 1


def test_cms_creates_a_spanish_call_with_its_french_translation(cms, project, tmp_path):
    page = cms
    page.goto(f"{page.editor}/admin/#/collections/articles/new")
    field(page, "title", FR).wait_for()
    # The Spanish original, in the right-hand pane (Writing in ES).
    field(page, "title", ES).fill("Participa en la encuesta sobre movilidad urbana")
    field(page, "tags", ES).fill("Datos abiertos, movilidad urbana")  # a taxonomy label and a free tag
    field(page, "slug", ES).fill("participa-encuesta-movilidad-urbana")
    field(page, "summary", ES).fill("Las ciudades están invitadas a responder antes del 31 de diciembre de 2026.")
    # What every version shares is written in the default language's pane and copied to the others.
    field(page, "date", FR).fill("2026-11-20T10:00")
    field(page, "category", FR).click()
    page.get_by_text("Calls for participation · Appels à participation · Convocatorias").click()
    field(page, "translation_key", FR).fill("encuesta-movilidad-urbana")
    field(page, "deadline", FR).fill("2026-12-31")
    page.get_by_role("button", name="Choose an image").first.click()
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Upload", exact=True).click()
    chooser.value.set_files(make_picture(tmp_path / "plaza.png"))
    page.get_by_role("button", name="Choose selected").click()
    # Without its description in every version, the editor refuses to save.
    field(page, "image_alt", ES).fill("Una plaza cubierta de paneles amarillos")
    # The French translation, side by side.
    field(page, "title", FR).fill("Participez à l'enquête sur la mobilité urbaine")
    field(page, "tags", FR).fill("Données ouvertes, mobilité urbaine")
    field(page, "slug", FR).fill("participez-enquete-mobilite-urbaine")
    field(page, "translation", FR).click()
    field(page, "summary", FR).fill("Les villes sont invitées à répondre avant le 31 décembre 2026.")
    bodies = page.locator('[data-slate-editor="true"]')
    bodies.nth(ES).click()
    page.keyboard.type("El cuestionario está en línea.")
    bodies.nth(FR).click()
    page.keyboard.type("Le questionnaire est en ligne.")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()
    page.get_by_text("the featured image needs its description (alt text) in fr", exact=False).first.wait_for()
    page.errors.clear()  # the refusal, as Decap reports it
    field(page, "image_alt", FR).fill("Une place couverte de panneaux jaunes")
    publish(page)

    content = project / "content"
    spanish = content / "articles/es/participa-encuesta-movilidad-urbana.md"
    french = content / "articles/fr/participez-enquete-mobilite-urbaine.md"
    assert spanish.read_text(encoding="utf-8").splitlines()[:11] == [
        "Title: Participa en la encuesta sobre movilidad urbana", "Date: 2026-11-20 10:00", "Category: calls",
        "Tags: Datos abiertos, movilidad urbana", "Slug: participa-encuesta-movilidad-urbana",
        "Translation_Key: encuesta-movilidad-urbana",
        "Summary: Las ciudades están invitadas a responder antes del 31 de diciembre de 2026.",
        "Deadline: 2026-12-31", "Image: /images/uploads/plaza.png",
        "Image_Alt: Una plaza cubierta de paneles amarillos", ""]
    assert "Translation: true" in french.read_text(encoding="utf-8").splitlines()
    assert (content / "images/uploads/plaza.png").read_bytes() == (tmp_path / "plaza.png").read_bytes()
    assert not list((content / "articles/en").glob("*movil*")), "no English version was written"

    # The checks pass (the free tags are warnings, as in `invoke check`) ...
    problems = [problem for problem in check(content) if "movil" in problem.path or "mobil" in problem.path]
    assert [problem.level for problem in problems] == ["warning", "warning"]
    assert all("is a new tag" in problem.message for problem in problems)
    # ... and the editor shows them where the editor is looking, with links to the live preview.
    banner = page.locator("#hub-problems")
    banner.get_by_text("is a new tag", exact=False).first.wait_for()
    assert "Content checks: 2 problem(s)" in banner.inner_text()

    # The built site shows both versions, linked to each other, with the picture.
    output = tmp_path / "output"
    build_site(ROOT / "pelicanconf.py", output=output, PATH=str(content), SITEURL=SITEURL)
    es_page = output / "es/2026/participa-encuesta-movilidad-urbana/index.html"
    fr_page = output / "fr/2026/participez-enquete-mobilite-urbaine/index.html"
    for path, other in ((es_page, "fr/2026/participez-enquete-mobilite-urbaine/"),
                        (fr_page, "es/2026/participa-encuesta-movilidad-urbana/")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        other_lang = other[:2]
        alternate = soup.find("link", rel="alternate", hreflang=other_lang)
        assert alternate and alternate["href"] == f"{SITEURL}/{other}"
        picture = soup.select_one("figure.featured-image img")
        assert picture is not None and picture["alt"] in ("Una plaza cubierta de paneles amarillos",
                                                          "Une place couverte de panneaux jaunes")
        assert (output / urlsplit(picture["src"]).path.lstrip("/")).is_file()
    assert "Datos abiertos" in es_page.read_text(encoding="utf-8")


def test_cms_title_change_keeps_every_other_line(cms, project):
    page = cms
    files = {relative: (project / "content" / relative).read_bytes() for relative in ARTICLE_FILES}
    page.goto(f"{page.editor}/admin/#/collections/articles/entries/{ARTICLE}")
    title = field(page, "title", ES)
    title.wait_for()
    assert title.input_value().startswith("En el Smart Cities Live 2020")
    title.fill("Smart Cities Live 2020: un título nuevo")
    publish(page)
    spanish = "articles/es/smart-cities-live-2020.md"
    before = files[spanish].decode("utf-8").split("\n")
    after = (project / "content" / spanish).read_text(encoding="utf-8").split("\n")
    assert after[0] == "Title: Smart Cities Live 2020: un título nuevo"
    assert after[1:] == before[1:] and len(after) == len(before)
    for relative in ARTICLE_FILES:
        if relative != spanish:
            assert (project / "content" / relative).read_bytes() == files[relative], f"{relative} was rewritten"


def make_picture(path):
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 400), (11, 79, 108))
    ImageDraw.Draw(picture).rectangle((100, 150, 540, 250), fill=(255, 191, 71))
    picture.save(path)
    return path


def test_cms_taxonomy_and_editions_keep_what_was_not_edited(cms, project):
    """A new tag with its labels is added at the end of content/taxonomy.toml, the rest as it was;
    an edited edition is written again, the others (and the comments) as they were."""
    page = cms
    taxonomy = project / "content" / "taxonomy.toml"
    before = taxonomy.read_text(encoding="utf-8")
    page.goto(f"{page.editor}/admin/#/collections/taxonomy/entries/taxonomy")
    page.get_by_role("button", name="Add tags").click()
    page.locator('[id^="id-field-"]').last.fill("urban-mobility")
    for lang, label in (("fr", "Mobilité urbaine"), ("es", "Movilidad urbana"), ("en", "Urban mobility")):
        page.locator(f'[id^="{lang}-field-"]').last.fill(label)
    publish(page)
    after = taxonomy.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n") + "\n")
    assert after[len(before.rstrip("\n")) + 1:] == (
        '\n[tags.urban-mobility]\nfr = "Mobilité urbaine"\nes = "Movilidad urbana"\nen = "Urban mobility"\n'
        if before.endswith("\n\n") or not before.endswith("\n") else
        '\n[tags.urban-mobility]\nfr = "Mobilité urbaine"\nes = "Movilidad urbana"\nen = "Urban mobility"\n')

    editions = project / "content" / "editions.toml"
    before = editions.read_text(encoding="utf-8").split("\n")
    # A new page load: Decap keeps the entry open when only the address's #fragment changes.
    page.goto(f"{page.editor}/admin/#/collections/editions/entries/editions")
    page.reload()
    page.get_by_text("4 editions").wait_for()
    # Open the 2021 edition: the expand button at the top of its item.
    page.get_by_text("2021", exact=True).locator("xpath=..").locator("button").first.click()
    cities = page.locator('[id^="cities-field-"]').last
    assert cities.input_value() == "35"
    cities.fill("36")
    publish(page)
    after = editions.read_text(encoding="utf-8").split("\n")
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert changed == [("cities = 35", "cities = 36")] and len(after) == len(before)
    assert not [problem for problem in check(project / "content") if problem.level == "error"]
