"""Pictures: each article's share card as a social network fetches it, and the hub's own covers and
category illustrations as a reader sees them."""

import importlib.util
import io
import re
import shutil
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import LANGUAGES, ROOT, SITEURL, BuiltSite, snapshot
from hubsite.build import build_site
from plugins.hub_i18n.taxonomy import TaxonomyError, parse_taxonomy
from plugins.hub_items.editions import EditionsError, parse_editions

NOW = "2026-11-23T12:00:00+00:00"
HUB_NAMES = {"fr": "Villes numériques", "es": "Ciudades Digitales", "en": "Digital Cities"}


def meta(soup, name):
    """The content of <meta property=name> or <meta name=name>, or None."""
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def card_of(built, page):
    """The share card a social network would fetch for `page` (an output path): URL, Pillow image, bytes."""
    soup = built.soup(page)
    url = meta(soup, "og:image")
    assert url and url.startswith(SITEURL + "/"), url
    assert meta(soup, "twitter:image") == url
    path = built.path_for(url)
    assert path is not None and path.is_file(), url
    data = path.read_bytes()
    return url, Image.open(io.BytesIO(data)), data


def photo(colours=((200, 30, 30), (20, 60, 200)), size=(2400, 800)):
    """A JPEG whose left half is the first colour and right half the second, with EXIF (a camera's
    description, an orientation that keeps it as it is) like a photo from a phone."""
    image = Image.new("RGB", size, colours[0])
    image.paste(colours[1], (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[0x010E] = "Private camera note"  # ImageDescription
    exif[0x0112] = 1  # Orientation: as stored
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


@pytest.fixture
def shared(small_site):
    small_site.write("fr", "budget-participatif", "Le budget participatif numérique de Montréal")
    small_site.write("es", "datos-abiertos", "Datos abiertos en Bogotá: una guía para las ciudades",
                     date="2024-02-10 10:00")
    small_site.add_file("articles/en/harbour.jpg", photo())
    small_site.write("en", "harbour", "A harbour goes digital", date="2024-03-10 10:00",
                     extra="Image: harbour.jpg\nImage_Focus: 90% 50%\nImage_Alt: The harbour at dawn, cranes against a blue sky\n")
    return small_site


def test_each_article_shares_its_own_1200x630_jpeg_with_its_alt(shared):
    built = shared.build(HUB_NOW=NOW)
    pages = {"fr": built.output / "fr/2024/budget-participatif/index.html",
             "es": built.output / "es/2024/datos-abiertos/index.html",
             "en": built.output / "en/2024/harbour/index.html"}
    cards = {}
    for lang, page in pages.items():
        soup = built.soup(page)
        url, image, data = card_of(built, page)
        assert image.format == "JPEG" and image.size == (1200, 630) and image.mode == "RGB"
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert b"Private camera note" not in data
        assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
        assert meta(soup, "og:image:type") == "image/jpeg"
        assert meta(soup, "twitter:card") == "summary_large_image"
        assert meta(soup, "og:image:alt") and meta(soup, "twitter:image:alt") == meta(soup, "og:image:alt")
        assert urlsplit(url).path.startswith(f"/share/{lang}/")
        cards[lang] = (url, data, meta(soup, "og:image:alt"))
    # Drawn cards: the title and the hub's name in the page's language, which the alt text says.
    assert cards["fr"][2] == "Le budget participatif numérique de Montréal · Villes numériques"
    assert cards["es"][2] == "Datos abiertos en Bogotá: una guía para las ciudades · Ciudades Digitales"
    assert cards["fr"][0] != cards["es"][0] and cards["fr"][1] != cards["es"][1]
    # The article with a picture shares it, cropped around its focus (the right, blue half) with its alt.
    assert cards["en"][2] == "The harbour at dawn, cranes against a blue sky"
    picture = Image.open(io.BytesIO(cards["en"][1]))
    assert near(picture.getpixel((1150, 315)), (20, 60, 200)) and near(picture.getpixel((40, 315)), (200, 30, 30))
    assert near(picture.getpixel((700, 315)), (20, 60, 200))  # the focus keeps more blue than red
    # The JSON-LD of the article names the same picture.
    assert cards["en"][0] in built.soup(pages["en"]).find("script", type="application/ld+json").string


def test_listings_and_standing_pages_share_the_site_card_of_their_language(shared):
    shared.add_file("pages/fr/a-propos.md", "Title: À propos\nSlug: a-propos\nLang: fr\nTranslation_Key: about\n\nTexte.\n")
    built = shared.build(HUB_NOW=NOW)
    homes = {lang: card_of(built, built.output / lang / "index.html") for lang in LANGUAGES}
    assert len({url for url, _, _ in homes.values()}) == 3
    assert all(image.size == (1200, 630) for _, image, _ in homes.values())
    about = card_of(built, built.output / "fr/a-propos/index.html")
    assert about[0] == homes["fr"][0]
    assert meta(built.soup(built.output / "es/index.html"), "og:image:alt").startswith("Ciudades Digitales")


def test_a_card_is_the_same_bytes_in_two_clean_builds(shared, tmp_path):
    first = shared.build(HUB_NOW=NOW)
    second = shared.build(output=tmp_path / "elsewhere" / "output", HUB_NOW=NOW)  # its own, empty cache
    for page in ("fr/2024/budget-participatif/index.html", "en/2024/harbour/index.html"):
        one, other = card_of(first, first.output / page), card_of(second, second.output / page)
        assert one[0] == other[0] and one[2] == other[2]
    cards = sorted(path.relative_to(first.output) for path in (first.output / "share").rglob("*.jpg"))
    assert cards == sorted(path.relative_to(second.output) for path in (second.output / "share").rglob("*.jpg"))
    assert len(cards) == 3 + 3  # three articles, a site card per language


def test_a_title_edit_and_a_rebuild_give_what_a_clean_build_gives(shared, tmp_path):
    built = shared.build(HUB_NOW=NOW)
    page = "fr/2024/budget-participatif/index.html"
    before, _, before_bytes = card_of(built, built.output / page)
    source = shared.path / "articles/fr/budget-participatif.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Title: Le budget participatif numérique de Montréal", "Title: Le budget participatif de Montréal, cinq ans après"),
        encoding="utf-8")
    rebuilt = shared.build(HUB_NOW=NOW)
    after, _, after_bytes = card_of(rebuilt, rebuilt.output / page)
    assert after != before and after_bytes != before_bytes
    assert built.path_for(before) is not None and not built.path_for(before).exists()  # the old card is gone
    clean = shared.build(output=tmp_path / "clean" / "output", HUB_NOW=NOW)
    assert snapshot(rebuilt.output) == snapshot(clean.output)


def test_a_focus_written_another_way_is_said_and_the_picture_cropped_at_its_centre(small_site):
    small_site.add_file("articles/en/harbour.jpg", photo())
    small_site.write("en", "harbour", "A harbour", extra="Image: harbour.jpg\nImage_Focus: left\nImage_Alt: A harbour\n")
    lines = []
    built = small_site.build(HUB_NOW=NOW, report=lines.append)
    assert ("content/articles/en/harbour.md:10: warning: Image_Focus: 'left' is not a point of the picture; write how "
            "far across, then down, in percent: e.g. 'Image_Focus: 30% 60%' (50% 50% is the centre); until then the "
            "picture is cut around its centre") in lines
    _, image, _ = card_of(built, built.output / "en/2024/harbour/index.html")
    assert near(image.getpixel((40, 315)), (200, 30, 30)) and near(image.getpixel((1150, 315)), (20, 60, 200))


# --- the hub's own pictures ------------------------------------------------------------------------
EDITIONS = tomllib.loads((ROOT / "content" / "editions.toml").read_text(encoding="utf-8"))["edition"]
CATEGORIES = tomllib.loads((ROOT / "content" / "taxonomy.toml").read_text(encoding="utf-8"))["categories"]
STUDY = {"fr": "fr/smart-cities-study/", "es": "es/smart-cities-study/", "en": "en/smart-cities-study/"}


def test_the_study_pages_show_a_cover_per_edition_in_the_page_language(site):
    assert [edition["year"] for edition in EDITIONS] == [2012, 2017, 2019, 2021]
    for lang in LANGUAGES:
        soup = site.soup(site.output / STUDY[lang] / "index.html")
        covers = soup.select(".edition-card img.cover")
        assert len(covers) == 4
        alts = {edition["cover_alt"][lang] for edition in EDITIONS}
        assert {cover["alt"] for cover in covers} == alts
        for number, cover in enumerate(covers):
            assert cover["width"] == "90" and cover["height"] == "120"
            assert cover.get("loading") == (None if number < 2 else "lazy")  # the first two are at the top
            assert site.path_for(cover["src"]).is_file()
        for edition in EDITIONS:
            page = site.soup(site.output / STUDY[lang] / str(edition["year"]) / "index.html")
            cover = page.select_one(".edition-header img.cover")
            assert cover["alt"] == edition["cover_alt"][lang] and cover["src"].endswith(f"/{edition['cover']}")
            assert (cover["width"], cover["height"]) == ("150", "200") and not cover.get("loading")


def test_category_pages_show_their_illustration(site):
    for lang in LANGUAGES:
        for key, labels in CATEGORIES.items():
            pages = [path for path in site.output.glob(f"{lang}/*/*/index.html")
                     if (h1 := site.soup(path).select_one(".category-header h1")) and h1.get_text() == labels[lang]]
            assert pages, (lang, key)
            picture = site.soup(pages[0]).select_one(".category-header img.category-picture")
            assert picture["alt"] == labels["image_alt"][lang]
            assert picture["src"] == f"{SITEURL}/{labels['image']}" and site.path_for(picture["src"]).is_file()
            assert picture["width"] == "96" and picture["height"] == "72"


def test_pages_load_nothing_from_another_site(site):
    """Every picture, script, style sheet and share card comes from the site itself."""
    for path in site.html_files():
        soup = site.soup(path)
        for tag in soup.find_all(src=True):
            assert not urlsplit(tag["src"]).scheme or tag["src"].startswith(SITEURL + "/"), (path, tag)
        for tag in soup.find_all(srcset=True):
            for candidate in tag["srcset"].split(","):
                url = candidate.split()[0]
                assert not urlsplit(url).scheme or url.startswith(SITEURL + "/"), (path, tag)
        for tag in soup.find_all("link", href=True):
            if {"stylesheet", "icon", "preload", "modulepreload"} & set(tag.get("rel", [])):
                assert tag["href"].startswith(SITEURL + "/"), (path, tag)
        for name in ("og:image", "twitter:image"):
            url = meta(soup, name)
            if url:
                assert url.startswith(SITEURL + "/share/") and site.path_for(url).is_file(), (path, url)


def load_drawing_script():
    spec = importlib.util.spec_from_file_location("draw_artwork", ROOT / "tools" / "draw_artwork.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pictures_are_small_safe_svgs_that_the_script_draws():
    drawn = load_drawing_script().drawings()
    named = {edition["cover"] for edition in EDITIONS} | {labels["image"] for labels in CATEGORIES.values()}
    assert {f"content/{name}" for name in named} == set(drawn)
    for relative, text in drawn.items():
        on_disk = (ROOT / relative).read_text(encoding="utf-8")
        assert on_disk == text, f"{relative} is not what tools/draw_artwork.py draws: run it again"
        assert len(on_disk.encode()) < 10_000
        assert on_disk.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert not re.search(r"<script|\bon[a-z]+=|href|url\(|@import|<image|<foreignObject", on_disk, re.IGNORECASE)
        assert re.findall(r"https?://[^\"']+", on_disk) == ["http://www.w3.org/2000/svg"]


# --- the data files' picture entries -------------------------------------------------------------------
def test_a_category_picture_needs_alt_text_in_every_language():
    text = '[categories.news]\nfr = "Actualités"\nes = "Noticias"\nen = "News"\nimage = "images/n.svg"\n'
    with pytest.raises(TaxonomyError, match=re.escape(
            "taxonomy.toml: [categories.news] image: the picture needs its alt text in a table, "
            'e.g. {fr = "...", es = "...", en = "..."}')):
        parse_taxonomy(text, LANGUAGES)
    with pytest.raises(TaxonomyError, match=re.escape(
            "[categories.news] image: the picture has no alt text for en; add e.g. en = \"...\"")):
        parse_taxonomy(text + 'image_alt = { fr = "Un journal", es = "Un periódico" }\n', LANGUAGES)
    with pytest.raises(TaxonomyError, match=re.escape("[tags.x] image is for categories only; remove the line")):
        parse_taxonomy('[tags.x]\nfr = "X"\nes = "X"\nen = "X"\nimage = "images/x.svg"\n', LANGUAGES)
    taxonomy = parse_taxonomy(text + 'image_alt = { fr = "Un journal", es = "Un periódico", en = "A newspaper" }\n',
                              LANGUAGES)
    assert taxonomy.categories["news"].picture.alt("es") == "Un periódico"


def test_an_edition_cover_needs_alt_text_in_every_language():
    text = ('[[edition]]\nyear = 2030\nnumber = 5\ncover = "images/covers/2030.svg"\n'
            'cover_alt = { fr = "Une couverture", en = "A cover" }\n'
            '[edition.theme]\nfr = "T"\nes = "T"\nen = "T"\n')
    with pytest.raises(EditionsError, match=re.escape(
            'editions.toml: edition 2030: cover: the picture has no alt text for es; add e.g. es = "..."')):
        parse_editions(text, LANGUAGES)
    edition = parse_editions(text.replace('en = "A cover"', 'es = "Una portada", en = "A cover"'), LANGUAGES)[0]
    assert edition.cover.src == "images/covers/2030.svg" and edition.cover.alt("es") == "Una portada"


def test_a_missing_picture_file_is_said_and_the_page_shows_none(small_site, capsys):
    shutil.copy(ROOT / "content" / "editions.toml", small_site.path / "editions.toml")
    (small_site.path / "images" / "categories" / "studies.svg").unlink()
    small_site.write("fr", "x", "X", category="studies")
    built = small_site.build(HUB_NOW=NOW)
    printed = capsys.readouterr().err
    assert ("content/taxonomy.toml: [categories.studies] image: 'images/categories/studies.svg' is not a file in the "
            "content folder; the category page shows no picture") in printed
    assert ("content/editions.toml: edition 2021: cover: 'images/covers/2021.svg' is not a file in the content "
            "folder; the study pages show no cover for it") in printed
    events = next(path for path in built.output.glob("fr/*/*/index.html") if "category-header" in path.read_text())
    assert BuiltSite(built.output).soup(events).select(".category-header img") == []


def test_a_cover_without_alt_text_stops_the_build_with_a_clear_message(small_site):
    from hubsite.build import BuildError

    text = (ROOT / "content" / "editions.toml").read_text(encoding="utf-8")
    (small_site.path / "editions.toml").write_text(re.sub(r'es = "Portada de la edición 2017[^"]*", ', "", text),
                                                   encoding="utf-8")
    small_site.write("fr", "x", "X")
    with pytest.raises(BuildError) as raised:
        small_site.build(HUB_NOW=NOW)
    assert raised.value.problems == [
        f"{small_site.path / 'editions.toml'}: edition 2017: cover: the picture has no alt text for es; add e.g. es = \"...\""]


def test_a_long_title_is_wrapped_and_ends_in_an_ellipsis():
    from plugins.hub_seo.cards import TITLE_SIZES, WIDTH, MARGIN, SCALE, fit_title

    bold = str(ROOT / "theme" / "fonts" / "DejaVuSans-Bold.ttf")
    short_font, short = fit_title("Le budget participatif", bold, WIDTH - 2 * MARGIN)
    assert short == ["Le budget participatif"] and short_font.size == TITLE_SIZES[0][0] * SCALE
    title = " ".join(["Convocatoria abierta para ciudades y gobiernos locales de América Latina"] * 6)
    font, lines = fit_title(title, bold, WIDTH - 2 * MARGIN)
    assert len(lines) == TITLE_SIZES[-1][1] and lines[-1].endswith("…") and not lines[-1].endswith(" …")
    assert all(font.getlength(line) <= (WIDTH - 2 * MARGIN) * SCALE for line in lines)
    assert " ".join(lines).removesuffix("…").split() == title.split()[:len(" ".join(lines).split())]
