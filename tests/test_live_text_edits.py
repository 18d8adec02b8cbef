"""The live preview's quick path: an edit of an article's words shows without running Pelican again.

An editor saves an article whose headers, links and pictures are unchanged: the preview gives the
article its new text in place (hubsite.live.LiveSite.replace_texts). Whatever path a rebuild takes,
what the preview serves must be what a clean build of the same files writes: the article's page,
the listings that show its lead, its feeds. Edits that change more than words (a header, a link, a
picture) must take the whole pipeline, and still equal a clean build.
"""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, SITEURL, snapshot
from hubsite.build import build_site
from hubsite.live import LiveSite

SETTINGS_FILE = ROOT / "pelicanconf.py"
NOW = "2026-11-23T12:00:00+00:00"
# Articles as editors write them: a French one without Summary (its lead comes from its text), a
# Spanish one with a featured photo and a photo in its text, an English one linking the French one.
ARTICLES = {
    "articles/fr/donnees.md": """Title: Les données de la ville
Date: 2025-03-10 10:00
Category: news
Tags: open-data
Lang: fr
Translation_Key: donnees

Premier paragraphe : la ville ouvre ses données.

Un second paragraphe, plus long, qui décrit le portail.
""",
    "articles/es/plaza.md": """Title: La plaza digital
Date: 2025-02-01 10:00
Category: news
Tags: uclg
Lang: es
Translation_Key: plaza
Image: plaza.jpg
Image_Alt: Una plaza con bancos

La plaza tiene wifi público.

![Un banco de la plaza](banco.jpg)

Y un texto después de la foto.
""",
    "articles/en/portal.md": """Title: The open data portal
Date: 2025-01-05 10:00
Category: news
Lang: en
Translation_Key: portal
Summary: The portal, in short.

Read [the French article]({filename}/articles/fr/donnees.md) first.
""",
}


def jpeg(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def content(small_site):
    for relative, text in ARTICLES.items():
        small_site.add_file(relative, text)
    small_site.add_file("articles/es/plaza.jpg", jpeg((40, 120, 90)))
    small_site.add_file("articles/es/banco.jpg", jpeg((150, 90, 40)))
    return small_site.path


def overrides(content):
    return dict(PATH=str(content), SITEURL=SITEURL, HUB_NOW=NOW)


def served_like_a_clean_build(live, content, tmp_path):
    """What the live site serves equals, file for file, a clean build of the same content."""
    clean = snapshot(build_site(SETTINGS_FILE, output=tmp_path / f"clean-{len(list(tmp_path.iterdir()))}",
                                report=lambda line: None, **overrides(content)))
    served = live.outputs()
    compared = [name for name in served if name.endswith((".html", ".xml", ".ics", ".opml"))]
    assert len(compared) > 50
    different = [name for name in compared if served[name] != clean.get(name)]
    assert not different, f"the live preview serves {len(different)} files unlike a clean build: {different[:5]}"
    return served


def page(served, path):
    return BeautifulSoup(served[path].decode("utf-8"), "html.parser")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_of_words_is_served_at_once_and_equals_a_clean_build(content, tmp_path):
    live = LiveSite(SETTINGS_FILE, tmp_path / "live" / "output", report=lambda line: None, **overrides(content))
    assert live.rebuild() == "the site"
    before = live.outputs()  # every page and feed served once (what was worked out for them is kept)

    edit(content / "articles" / "fr" / "donnees.md", "la ville ouvre ses données.", "la ville publie ses budgets !")
    edit(content / "articles" / "es" / "plaza.md", "Y un texto después", "Y otro texto, corregido, después")
    edit(content / "articles" / "en" / "portal.md", "first.", "before this one.")
    assert live.rebuild() == "the text of 3 files"
    served = served_like_a_clean_build(live, content, tmp_path)
    assert served["fr/feeds/all.atom.xml"] != before["fr/feeds/all.atom.xml"]

    # The reader sees the new words where the old ones were: the French page in French typography,
    # its lead (no Summary header) on the French home page and in the French feed.
    french = page(served, "fr/2025/donnees/index.html")
    assert "la ville publie ses budgets\u202f!" in french.get_text()
    assert "ouvre ses données" not in french.get_text()
    assert "publie ses budgets" in page(served, "fr/index.html").get_text()
    assert "publie ses budgets" in served["fr/feeds/all.atom.xml"].decode("utf-8")
    # The Spanish text keeps its pictures, as <picture> in the pipeline's variants.
    spanish = page(served, "es/2025/plaza/index.html")
    assert "otro texto, corregido" in spanish.get_text()
    pictures = spanish.select("article picture img") or spanish.select("picture img")
    assert any(img.get("alt") == "Un banco de la plaza" for img in pictures)
    english = page(served, "en/2025/portal/index.html")
    assert english.find("a", string="the French article")["href"].endswith("/fr/2025/donnees/")


def test_edits_of_more_than_words_rebuild_the_site(content, tmp_path):
    live = LiveSite(SETTINGS_FILE, tmp_path / "live" / "output", report=lambda line: None, **overrides(content))
    live.rebuild()
    spanish = content / "articles" / "es" / "plaza.md"

    edit(spanish, "Title: La plaza digital", "Title: La plaza conectada")  # a header
    assert live.rebuild() == "the site"
    served = served_like_a_clean_build(live, content, tmp_path)
    assert page(served, "es/2025/plaza/index.html").h1.get_text(strip=True) == "La plaza conectada"

    edit(spanish, "![Un banco de la plaza]", "![Un banco verde]")  # a picture's alt text
    assert live.rebuild() == "the site"
    edit(spanish, "wifi público.", "wifi público, ver [el portal]({filename}/articles/en/portal.md).")  # a link
    assert live.rebuild() == "the site"
    served_like_a_clean_build(live, content, tmp_path)

    (content / "articles" / "es" / "banco.jpg").write_bytes(jpeg((20, 20, 200)))  # a picture saved again
    assert live.rebuild() == "the site"
    edit(spanish, "Y un texto después", "Y un texto, después")  # words again: the quick path
    assert live.rebuild() == "the text of 1 file"
    served_like_a_clean_build(live, content, tmp_path)


def test_a_problem_in_the_edited_text_takes_the_whole_pipeline(content, tmp_path):
    """A link to a file that is not there is a problem the checks report: never the quick path."""
    live = LiveSite(SETTINGS_FILE, tmp_path / "live" / "output", report=lambda line: None, **overrides(content))
    live.rebuild()
    english = content / "articles" / "en" / "portal.md"
    edit(english, "{filename}/articles/fr/donnees.md", "{filename}/articles/fr/absent.md")
    assert live.rebuild() == "the site"
    served_like_a_clean_build(live, content, tmp_path)
    edit(english, "first.", "first, please.")  # a file with a problem: the whole pipeline again
    assert live.rebuild() == "the site"
    served_like_a_clean_build(live, content, tmp_path)
