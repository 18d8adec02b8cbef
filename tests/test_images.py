"""Images and files next to an article: published (photos as variants, see test_pictures.py),
linked from the page and its feeds in every language, and checked (alt text, size, missing
files) with messages naming file and line."""

import io
import logging
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import LANGUAGES, ROOT, SITEURL, BuiltSite
from hubsite.build import BuildError, build_site
from plugins.hub_check.checks import ERROR, WARNING, check_content
from plugins.hub_files import names_a_file


def png(width=4, height=3, color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(color):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, "JPEG")
    return buffer.getvalue()


def svg(label):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><title>{label}</title>'
            f'<rect width="40" height="20" fill="teal"/></svg>\n')


# Each language's files have their own bytes: a link that resolved into another language's folder
# would point to different bytes.
COLORS = {"fr": "red", "es": "yellow", "en": "blue"}
ALL_STYLES = """Un graphique :

![Chart]({{static}}chart.svg)

Une photo :

![Photo](photo.jpg)

Une carte commune :

![Map]({{static}}/images/map-{lang}.png)

Le [rapport complet](report.pdf#page=2).
"""


def add_files(small_site, lang):
    """The files ALL_STYLES links to, next to the article in `lang` and in content/images/."""
    return {
        "chart.svg": small_site.add_file(f"articles/{lang}/chart.svg", svg(lang)),
        "photo.jpg": small_site.add_file(f"articles/{lang}/photo.jpg", jpeg(COLORS[lang])),
        "map": small_site.add_file(f"images/map-{lang}.png", png(color=COLORS[lang])),
        "report.pdf": small_site.add_file(f"articles/{lang}/report.pdf", f"%PDF-1.4 report {lang}\n"),
    }


def linked_sources(soup):
    """The src of every image and the href of every PDF link in an article's text."""
    body = soup.select_one("article .prose") or soup  # a feed entry: the text alone
    return [img["src"] for img in body.find_all("img")] + \
        [a["href"] for a in body.find_all("a", href=True) if ".pdf" in a["href"]]


def assert_serves(built, url, source, page):
    """`url`, as a browser on `page` reads it, gets the bytes of `source` (a drawing or a document)
    or, for a photo (hub_images publishes variants of it, never the file itself), the same picture."""
    url = urljoin(built.siteurl + page, url)
    path = built.path_for(url)
    assert path is not None and path.is_file(), f"{url} is not a file of the built site"
    if source.suffix in (".png", ".jpg"):
        served, original = Image.open(path), Image.open(source)
        assert served.size == original.size, f"{url} does not show {source}"
        assert served.convert("RGB").getpixel((1, 1)) == pytest.approx(original.convert("RGB").getpixel((1, 1)), abs=12)
        assert not (built.output / path.relative_to(built.output).parent / source.name).exists()  # no copy of the original
    else:
        assert path.read_bytes() == source.read_bytes(), f"{url} does not serve {source}"


@pytest.fixture
def three_languages(small_site):
    """One article per language, each linking its own files in every style; and a Spanish
    translation of the French one that shows the original's chart."""
    files = {}
    for lang in LANGUAGES:
        small_site.write(lang, f"article-{lang}", f"Article {lang}", key=f"item-{lang}", body=ALL_STYLES.format(lang=lang))
        files[lang] = add_files(small_site, lang)
    small_site.write("es", "traduccion", "Traducción", key="item-fr", extra="Translation: true\n",
                     body="![Gráfico del original](../fr/chart.svg)\n")
    return small_site, files


def test_every_link_style_resolves_to_the_file_in_every_language(three_languages):
    small_site, files = three_languages
    built = small_site.build()
    for lang in LANGUAGES:
        page = f"/{lang}/2024/article-{lang}/"
        urls = linked_sources(built.soup(page))
        assert len(urls) == 4, urls
        chart, photo, shared, report = urls
        assert_serves(built, chart, files[lang]["chart.svg"], page)
        assert_serves(built, photo, files[lang]["photo.jpg"], page)
        assert_serves(built, shared, files[lang]["map"], page)
        assert report.endswith("#page=2")
        assert_serves(built, report, files[lang]["report.pdf"], page)
        # The URL shape README documents: the content path under the site.
        assert chart == f"{SITEURL}/articles/{lang}/chart.svg"
        assert shared.startswith(f"{SITEURL}/images/map-{lang}-4.") and shared.endswith(".jpg")  # a variant
    (reused,) = linked_sources(built.soup("/es/2024/traduccion/"))
    assert_serves(built, reused, files["fr"]["chart.svg"], "/es/2024/traduccion/")


def test_feeds_link_the_same_files(three_languages):
    small_site, files = three_languages
    built = small_site.build()
    for lang in ("es", "en"):
        feed = feedparser.parse((built.output / lang / "feeds" / "all.atom.xml").read_bytes())
        (entry,) = [e for e in feed.entries if e.link.endswith(f"/article-{lang}/")]
        urls = linked_sources(BeautifulSoup(entry.content[0].value, "html.parser"))
        assert len(urls) == 4, urls
        for url, name in zip(urls, ("chart.svg", "photo.jpg", "map", "report.pdf")):
            assert url.startswith(SITEURL)  # feed readers show entries away from the site
            assert_serves(built, url, files[lang][name], "/")


def test_a_publish_build_publishes_the_files(small_site):
    small_site.write("en", "article-en", "Article en", key="item-en", body=ALL_STYLES.format(lang="en"))
    files = add_files(small_site, "en")
    build_site(ROOT / "publishconf.py", output=small_site.output, PATH=str(small_site.path), SITEURL=SITEURL)
    built = BuiltSite(small_site.output)
    urls = linked_sources(built.soup("/en/2024/article-en/"))
    assert len(urls) == 4, urls
    for url, name in zip(urls, ("chart.svg", "photo.jpg", "map", "report.pdf")):
        assert_serves(built, url, files[name], "/en/2024/article-en/")


def test_an_image_without_alt_text_warns_in_a_preview_and_the_page_is_built(small_site, caplog):
    small_site.write("es", "x", "X", body="Texto.\n\n![](chart.png)\n\n![Una foto ancha](ancha.png)\n")
    small_site.add_file("articles/es/chart.png", png())
    small_site.add_file("articles/es/ancha.png", png(4100, 10))
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert ("content/articles/es/x.md:12: warning: image: 'chart.png' has no alt text; describe it between "
            "the brackets: ![what the image shows](chart.png)") in caplog.text
    assert ("content/articles/es/x.md:14: warning: image: 'ancha.png' is 1 KB and 4100×10 px; every reader "
            "downloads it whole: resize it to at most 4000 px on its longest side") in caplog.text
    assert "Traceback" not in caplog.text and "Empty alt attribute" not in caplog.text  # said once, by hub_check
    (chart, wide) = linked_sources(built.soup("/es/2024/x/"))
    assert_serves(built, chart, small_site.path / "articles/es/chart.png", "/es/2024/x/")
    assert chart.startswith(f"{SITEURL}/articles/es/chart-4.")  # a variant: the original is not published


def test_an_image_without_alt_text_stops_a_publish_build(small_site):
    small_site.write("en", "x", "X", body="Text.\n\n![](chart.png)\n")
    small_site.add_file("articles/en/chart.png", png())
    with pytest.raises(BuildError) as caught:
        build_site(ROOT / "publishconf.py", output=small_site.output, PATH=str(small_site.path), SITEURL=SITEURL)
    assert ("content/articles/en/x.md:12: error: image: 'chart.png' has no alt text; describe it between "
            "the brackets: ![what the image shows](chart.png)") in "\n".join(caught.value.problems)
    assert not small_site.output.exists()


def test_invoke_check_warns_of_missing_alt_text(small_site):
    small_site.write("fr", "x", "X", body="![ ]({static}/images/x.png)\n")
    small_site.add_file("images/x.png", png())
    (problem,) = [p for p in check_content(small_site.path, LANGUAGES) if p.field == "image"]
    assert (problem.line, problem.level) == (10, WARNING)
    (problem,) = [p for p in check_content(small_site.path, LANGUAGES, strict=True) if p.field == "image"]
    assert str(problem) == ("content/articles/fr/x.md:10: error: image: '{static}/images/x.png' has no alt text; "
                            "describe it between the brackets: ![what the image shows]({static}/images/x.png)")


def test_heavy_and_broken_images_are_reported_with_their_size(small_site):
    small_site.write("en", "x", "X", body="![Heavy map](map.svg)\n\n![Broken photo]({static}photo.jpg)\n\n![Small](ok.png)\n")
    small_site.add_file("articles/en/map.svg", "<svg xmlns='http://www.w3.org/2000/svg'><!--" + "x" * 5_100_000 + "--></svg>")
    small_site.add_file("articles/en/photo.jpg", b"not a jpeg at all")
    small_site.add_file("articles/en/ok.png", png(4000, 1))
    problems = [str(p) for p in check_content(small_site.path, LANGUAGES, strict=True) if p.field == "image"]
    assert problems == [
        "content/articles/en/x.md:10: warning: image: 'map.svg' is 5.1 MB; every reader downloads it whole: "
        "simplify or compress it and keep it under 5 MB (JPEG at quality 85 suits photos)",
        "content/articles/en/x.md:12: warning: image: '{static}photo.jpg' is not a picture that browsers can show "
        "(the file is damaged or not really a JPG); open it and export it again as PNG, JPEG or WebP",
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_missing_file_next_to_an_article_is_an_error_in_every_language(small_site, lang):
    small_site.write(lang, "x", "X", body="![Chart](chart.png)\n\nThe [report](docs/report.pdf#p=2).\n\n![Here](here.png)\n")
    small_site.add_file(f"articles/{lang}/here.png", png())
    problems = [str(p) for p in check_content(small_site.path, LANGUAGES) if p.field == "link"]
    assert problems == [
        f"content/articles/{lang}/x.md:10: error: link: 'chart.png' is not a file of the site; fix the path "
        "(from content/, e.g. /articles/fr/x.md) or add the file",
        f"content/articles/{lang}/x.md:12: error: link: 'docs/report.pdf' is not a file of the site; fix the path "
        "(from content/, e.g. /articles/fr/x.md) or add the file",
    ]


def test_a_preview_leaves_out_an_article_whose_image_is_missing_without_a_traceback(small_site, caplog):
    small_site.write("en", "good", "Good")
    small_site.write("en", "x", "X", body="![Chart](chart.png)\n")
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert "content/articles/en/x.md:10: error: link: 'chart.png' is not a file of the site" in caplog.text
    assert "Traceback" not in caplog.text
    assert (built.output / "en" / "2024" / "good" / "index.html").exists()
    assert not (built.output / "en" / "2024" / "x").exists()


@pytest.mark.parametrize("url, is_file", [
    ("chart.png", True), ("docs/report.pdf#page=2", True), ("../fr/chart.svg", True), ("photo.JPG?v=2", True),
    ("https://example.org/chart.png", False), ("mailto:a@b.org", False), ("/images/x.png", False),
    ("{static}x.png", False), ("#top", False), ("other.md", False), ("../x/", False), ("page.html", False), ("", False),
])
def test_which_links_name_a_file_next_to_the_text(url, is_file):
    assert names_a_file(url) is is_file
