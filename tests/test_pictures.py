"""Pictures (hub_images): an article's featured image and its inline images reach readers as
<picture> with AVIF, WebP and JPEG variants at several widths, upright and without metadata; the
original is not published; feeds carry the picture and the attachments; the checks refuse what
cannot be published. Real images made with Pillow, real builds, read as a browser or feed reader."""

import io
import logging

import feedparser
import pytest
from PIL import Image

from conftest import ROOT, SITEURL, BuiltSite, output_files, snapshot
from hubsite.build import BuildError, build_site
from hubsite.editing import translate_article
from plugins.hub_check.checks import ERROR, check_content

LANGUAGES = ("fr", "es", "en")
GPS_IFD, ORIENTATION = 0x8825, 0x0112


def phone_jpeg(width=1200, height=800, color=(200, 40, 40)):
    """A JPEG as a phone writes it: pixels stored sideways (1200×800) with Orientation 6 (turn 90°
    clockwise: the picture is 800×1200 upright), a GPS position, a camera name and an ICC profile."""
    from PIL import ImageCms

    image = Image.new("RGB", (width, height), color)
    image.paste((20, 20, 220), (0, 0, width // 4, height // 4))  # a corner to tell the orientation by
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 23.0, 2.5), "E", (2.0, 10.0, 1.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), icc_profile=icc, quality=90)
    return buffer.getvalue()


def png_with_alpha(width=600, height=300):
    image = Image.new("RGBA", (width, height), (0, 128, 0, 128))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=None)
    return buffer.getvalue()


def plain_jpeg(width=500, height=400, color="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def open_image(path):
    image = Image.open(path)
    image.load()
    return image


def assert_no_metadata(path):
    image = open_image(path)
    assert not dict(image.getexif()), f"{path} keeps EXIF"
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"):
        assert key not in image.info, f"{path} keeps {key}"


def article_with_picture(small_site, lang="fr", slug="photo", extra="", body="Texte.\n"):
    headers = ("Image: phone.jpg\nImage_Alt: Une place de Barcelone au soleil\nImage_Credit: Ana Pérez\n"
               "Image_Focus: 30% 60%\n" + extra)
    return small_site.write(lang, slug, "Photo", key=slug, extra=headers, body=body)


@pytest.fixture
def picture_site(small_site):
    """A French article with a phone photo as its featured image and two inline images (a PNG with
    transparency, a shared JPEG from content/images/), an attachment; a Spanish translation that
    shows the original's photo."""
    small_site.add_file("articles/fr/phone.jpg", phone_jpeg())
    small_site.add_file("articles/fr/schema.png", png_with_alpha())
    small_site.add_file("images/shared.jpg", plain_jpeg())
    small_site.add_file("articles/fr/rapport.pdf", b"%PDF-1.4 " + b"x" * 2500 + b"\n")
    article_with_picture(small_site, extra="Attachments: rapport.pdf\n",
                         body="Texte.\n\n![Un schéma transparent](schema.png)\n\n![Une vue partagée]({static}/images/shared.jpg)\n")
    small_site.write("es", "foto", "Foto", key="photo",
                     extra="Translation: true\nImage_Alt: Una plaza de Barcelona al sol\n", body="Texto.\n")
    return small_site


def test_the_featured_image_is_a_picture_with_variants_upright_and_without_metadata(picture_site):
    built = picture_site.build()
    soup = built.soup("/fr/2024/photo/")
    figure = soup.select_one("figure.featured-image")
    picture = figure.find("picture")
    avif, webp = picture.find_all("source")
    img = picture.find("img")
    assert avif["type"] == "image/avif" and webp["type"] == "image/webp"
    assert avif["sizes"] == webp["sizes"] == img["sizes"]
    assert img["alt"] == "Une place de Barcelone au soleil"
    assert "loading" not in img.attrs and img["decoding"] == "async"  # the page's first picture
    assert "object-position: 30% 60%" in img["style"]
    assert "Ana Pérez" in figure.figcaption.get_text()
    # Upright: stored 1200×800 with orientation 6 is 800×1200; widths 480 and 800 (capped at the original).
    assert (img["width"], img["height"]) == ("800", "1200")
    for source, kind in ((avif, "AVIF"), (webp, "WEBP"), (img, "JPEG")):
        candidates = [part.strip().split() for part in source["srcset"].split(",")]
        assert [descriptor for _, descriptor in candidates] == ["480w", "800w"]
        for url, descriptor in candidates:
            path = built.path_for(url)
            image = open_image(path)
            assert image.format == kind
            assert image.size == (int(descriptor[:-1]), int(descriptor[:-1]) * 3 // 2)
            # The corner painted blue at the stored top left is at the top right once upright.
            assert image.convert("RGB").getpixel((image.width - 2, 1))[2] > 150
            assert image.convert("RGB").getpixel((1, 1))[0] > 150
    assert built.path_for(img["src"]) == built.path_for(img["srcset"].split(",")[-1].split()[0])


def test_no_published_image_keeps_metadata_and_the_originals_are_not_published(picture_site):
    built = picture_site.build()
    originals = [(picture_site.path / name).read_bytes()
                 for name in ("articles/fr/phone.jpg", "articles/fr/schema.png", "images/shared.jpg")]
    images = [path for name, path in output_files(built.output).items()
              if name.rsplit(".", 1)[-1] in ("jpg", "jpeg", "png", "webp", "avif") and not name.startswith("theme/")]
    assert len(images) >= 3 * 3
    for path in images:
        assert_no_metadata(path)
        assert path.read_bytes() not in originals
    for name in ("articles/fr/phone.jpg", "articles/fr/schema.png", "images/shared.jpg"):
        assert not (built.output / name).exists()
    assert b"PhoneMaker" not in b"".join(path.read_bytes() for path in images)


def test_inline_images_go_through_the_pipeline_lazy_after_the_first(picture_site):
    built = picture_site.build()
    prose = built.soup("/fr/2024/photo/").select_one("article .prose")
    pictures = prose.find_all("picture")
    assert len(pictures) == 2
    transparent, shared = (picture.find("img") for picture in pictures)
    assert transparent["alt"] == "Un schéma transparent" and shared["alt"] == "Une vue partagée"
    assert transparent["loading"] == shared["loading"] == "lazy"  # the featured image came first
    assert (transparent["width"], transparent["height"]) == ("600", "300")
    assert open_image(built.path_for(transparent["src"])).format == "PNG"  # transparency kept
    assert open_image(built.path_for(transparent["src"])).mode == "RGBA"
    assert (shared["width"], shared["height"]) == ("500", "400")
    assert [part.split()[1] for part in shared["srcset"].split(",")] == ["480w", "500w"]
    assert shared["src"].startswith(f"{SITEURL}/images/shared-500.")


def test_without_a_featured_image_the_first_inline_image_is_not_lazy(small_site):
    small_site.add_file("articles/en/a.jpg", plain_jpeg())
    small_site.add_file("articles/en/b.jpg", plain_jpeg(color="olive"))
    small_site.write("en", "two", "Two", body="![First](a.jpg)\n\n![Second](b.jpg)\n")
    built = small_site.build()
    first, second = built.soup("/en/2024/two/").select("article .prose img")
    assert "loading" not in first.attrs and second["loading"] == "lazy"


def test_a_translation_shows_the_original_picture_with_its_own_alt_text(picture_site):
    built = picture_site.build()
    img = built.soup("/es/2024/foto/").select_one("figure.featured-image img")
    assert img["alt"] == "Una plaza de Barcelona al sol"
    original = built.soup("/fr/2024/photo/").select_one("figure.featured-image img")
    assert img["src"] == original["src"]


def test_feeds_carry_the_picture_and_the_attachment_as_enclosures(picture_site):
    built = picture_site.build()
    atom = feedparser.parse((built.output / "fr" / "feeds" / "all.atom.xml").read_bytes())
    (entry,) = atom.entries
    enclosures = [(link.href, link.type, int(link.length)) for link in entry.links if link.rel == "enclosure"]
    picture = built.soup("/fr/2024/photo/").select_one("figure.featured-image img")["src"]
    pdf = f"{SITEURL}/articles/fr/rapport.pdf"
    assert enclosures == [(picture, "image/jpeg", built.path_for(picture).stat().st_size),
                          (pdf, "application/pdf", built.path_for(pdf).stat().st_size)]
    rss = feedparser.parse((built.output / "fr" / "feeds" / "all.rss.xml").read_bytes())
    (item,) = rss.entries
    (enclosure,) = [link for link in item.links if link.rel == "enclosure"]
    assert (enclosure.href, enclosure.type) == (picture, "image/jpeg")
    # Inline pictures in the entry's content: absolute URLs and their alt text.
    from bs4 import BeautifulSoup

    # (feedparser's sanitizer drops srcset: read the entry as the feed holds it)
    (raw,) = feedparser.parse((built.output / "fr" / "feeds" / "all.atom.xml").read_bytes(), sanitize_html=False).entries
    content = BeautifulSoup(raw.content[0].value, "html.parser")
    assert "</source>" not in raw.content[0].value  # a void element: an end tag is invalid HTML (W3C validator)
    imgs = content.find_all("img")
    assert [img["alt"] for img in imgs] == ["Un schéma transparent", "Une vue partagée"]
    for element in content.find_all(["img", "source"]):
        for candidate in element["srcset"].split(","):
            assert candidate.strip().startswith(SITEURL)


def test_the_download_box_shows_type_size_and_language(picture_site):
    built = picture_site.build()
    box = built.soup("/fr/2024/photo/").select_one("aside.attachments")
    link = box.find("a")
    assert link["href"] == f"{SITEURL}/articles/fr/rapport.pdf" and link["hreflang"] == "fr"
    assert box.find("h2").get_text() == "Téléchargements"
    assert " ".join(box.select_one(".attachment-facts").get_text().split()) == "PDF, 3 ko, en français"
    assert (built.output / "articles" / "fr" / "rapport.pdf").read_bytes().startswith(b"%PDF")


def test_check_errors_name_file_line_and_header(small_site):
    small_site.add_file("articles/en/photo.jpg", plain_jpeg())
    small_site.add_file("articles/en/bad.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    small_site.add_file("articles/en/far.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                                               '<image xlink:href="https://tracker.example/x.png"/></svg>')
    small_site.write("en", "no-alt", "No alt", extra="Image: photo.jpg\nImage_Focus: left\n")
    small_site.write("en", "svg", "Svg", extra="Image: bad.svg\nImage_Alt: A drawing\nAttachments: missing.pdf\n",
                     body="![A far drawing](far.svg)\n")
    small_site.write("en", "gif", "Gif", extra="Image: anim.gif\nImage_Alt: Moving\n")
    problems = [str(p) for p in check_content(small_site.path, LANGUAGES) if p.level == ERROR]
    assert problems == [
        "content/articles/en/gif.md:9: error: Image: 'anim.gif' is not a picture format this site publishes; "
        "use a JPEG, PNG, WebP or HEIC photo, or an SVG drawing",
        "content/articles/en/no-alt.md:9: error: Image_Alt: missing for the picture 'photo.jpg'; describe what it "
        "shows for readers who cannot see it: add a line 'Image_Alt: ...' below 'Image:'",
        "content/articles/en/svg.md:9: error: Image: 'bad.svg' holds a <script> element, which would run in "
        "readers' browsers; remove it (export as plain SVG)",
        "content/articles/en/svg.md:11: error: Attachments: 'missing.pdf' is not a file of the site; put the file "
        "next to the text or give its path from content/ (e.g. /documents/report.pdf)",
        "content/articles/en/svg.md:13: error: image: 'far.svg' refers to another file or site "
        "('https://tracker.example/x.png'); embed it or remove the reference",
    ]
    # A focus written another way is harmless for readers (the picture is cut around its centre).
    assert ("content/articles/en/no-alt.md:10: warning: Image_Focus: 'left' is not a point of the picture; write how "
            "far across, then down, in percent: e.g. 'Image_Focus: 30% 60%' (50% 50% is the centre); until then the "
            "picture is cut around its centre") in [str(p) for p in check_content(small_site.path, LANGUAGES)]


def test_a_publish_build_stops_on_a_picture_without_alt_text(small_site):
    small_site.add_file("articles/en/photo.jpg", plain_jpeg())
    small_site.write("en", "x", "X", extra="Image: photo.jpg\n")
    with pytest.raises(BuildError) as caught:
        build_site(ROOT / "publishconf.py", output=small_site.output, PATH=str(small_site.path), SITEURL=SITEURL)
    assert any("content/articles/en/x.md:9: error: Image_Alt: missing" in line for line in caught.value.problems)


def test_a_translation_inheriting_a_picture_needs_its_own_alt_text(small_site):
    small_site.add_file("articles/fr/phone.jpg", plain_jpeg())
    article_with_picture(small_site)
    small_site.write("es", "foto", "Foto", key="photo", extra="Translation: true\n")
    (problem,) = [str(p) for p in check_content(small_site.path, LANGUAGES) if p.level == ERROR]
    assert problem == ("content/articles/es/foto.md:1: error: Image_Alt: missing; this translation shows the picture "
                       "of content/articles/fr/photo.md ('phone.jpg'): describe it in this language with 'Image_Alt: ...'")


def test_invoke_translate_marks_the_alt_text_and_keeps_the_original_picture(small_site):
    small_site.add_file("articles/fr/phone.jpg", plain_jpeg())
    source = article_with_picture(small_site)
    target = translate_article(source, "en", content=small_site.path)
    text = target.read_text(encoding="utf-8")
    assert "Image_Alt: [TO TRANSLATE] Une place de Barcelone au soleil" in text
    assert "Image:" not in text.replace("Image_", "")  # the original's picture is shown: no path to break
    assert "Image_Credit: Ana Pérez" in text


def test_replacing_a_picture_rebuilds_like_a_clean_build(small_site, tmp_path):
    small_site.add_file("articles/fr/phone.jpg", plain_jpeg(color="red"))
    article_with_picture(small_site)
    small_site.write("fr", "other", "Autre", body="![Même photo](phone.jpg)\n")
    small_site.build()
    small_site.add_file("articles/fr/phone.jpg", plain_jpeg(700, 500, color="green"))
    rebuilt = small_site.build()
    clean = small_site.build(output=tmp_path / "clean")
    assert snapshot(rebuilt.output) == snapshot(clean.output)
    img = rebuilt.soup("/fr/2024/photo/").select_one("figure.featured-image img")
    assert img["width"] == "700"
    assert open_image(rebuilt.path_for(img["src"])).getpixel((5, 5))[1] > 100  # green now


def test_a_rebuild_takes_the_variants_from_the_cache(small_site, tmp_path, caplog):
    small_site.add_file("articles/fr/phone.jpg", phone_jpeg(600, 400))
    article_with_picture(small_site)
    small_site.build()
    article_with_picture(small_site, body="Texte modifié.\n")  # a new build, the same picture
    with caplog.at_level(logging.INFO, logger="plugins.hub_images.plugin"):
        rebuilt = small_site.build()
    assert "hub_images: 1 pictures (0 processed now, 1 from the cache)" in caplog.text
    # Processed again from nothing (another output has another cache), the variants are the same bytes.
    clean = small_site.build(output=tmp_path / "clean")
    assert snapshot(rebuilt.output) == snapshot(clean.output)


def test_a_photo_copied_beside_each_translation_is_processed_once_and_shown_in_both(small_site, caplog):
    photo = phone_jpeg(600, 400)
    small_site.add_file("articles/fr/phone.jpg", photo)
    small_site.add_file("articles/es/phone.jpg", photo)  # the editor copied it for the translation
    article_with_picture(small_site)
    small_site.write("es", "foto", "Foto", key="photo", extra="Translation: true\nImage: phone.jpg\n"
                     "Image_Alt: Una plaza de Barcelona al sol\n", body="Texto.\n")
    with caplog.at_level(logging.INFO, logger="plugins.hub_images.plugin"):
        built = small_site.build()
    assert "hub_images: 2 pictures (1 processed now, 1 from the cache)" in caplog.text
    for url, alt in (("/fr/2024/photo/", "Une place de Barcelone au soleil"), ("/es/2024/foto/", "Una plaza de Barcelona al sol")):
        img = built.soup(url).select_one("figure.featured-image picture img")
        assert img["alt"] == alt
        for candidate in img["srcset"].split(","):
            assert open_image(built.path_for(candidate.split()[0])).format == "JPEG"


def test_a_phone_heic_photo_is_published_as_web_formats_upright_without_metadata(small_site):
    import pillow_heif

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD)[2] = (41.0, 23.0, 2.5)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(buffer, "HEIF", exif=exif.tobytes())
    small_site.add_file("articles/en/IMG_0001.HEIC", buffer.getvalue())
    small_site.write("en", "phone", "Phone", extra="Image: IMG_0001.HEIC\nImage_Alt: A teal wall\n")
    built = small_site.build()
    picture = built.soup("/en/2024/phone/").select_one("figure.featured-image picture")
    img = picture.find("img")
    assert (img["width"], img["height"]) == ("480", "640")  # upright
    for url in [source["srcset"].split()[0] for source in picture.find_all("source")] + [img["src"]]:
        assert_no_metadata(built.path_for(url))
    assert open_image(built.path_for(img["src"])).format == "JPEG"
    assert not list(built.output.rglob("*.HEIC"))


def test_an_svg_featured_image_is_published_as_it_is(small_site):
    drawing = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="teal"/></svg>'
    small_site.add_file("images/diagram.svg", drawing)
    small_site.write("en", "diagram", "Diagram", extra="Image: /images/diagram.svg\nImage_Alt: A teal block\n")
    built = small_site.build()
    img = built.soup("/en/2024/diagram/").select_one("figure.featured-image img")
    assert (img["src"], img["width"], img["height"], img["alt"]) == (f"{SITEURL}/images/diagram.svg", "300", "150", "A teal block")
    assert built.path_for(img["src"]).read_text(encoding="utf-8") == drawing


def test_a_photo_of_content_images_no_page_shows_is_published_clean_at_its_path(small_site):
    small_site.add_file("images/banner.jpg", phone_jpeg(300, 200))
    small_site.write("en", "plain", "Plain", body="The banner is at [/images/banner.jpg](/images/banner.jpg).\n")
    built = small_site.build()
    banner = built.output / "images" / "banner.jpg"
    assert_no_metadata(banner)
    assert open_image(banner).size == (200, 300)  # upright
    assert banner.read_bytes() != (small_site.path / "images" / "banner.jpg").read_bytes()


def test_listing_cards_show_their_picture_and_the_home_opens_on_a_lead_story(small_site):
    """A card shows its article's photo (lazy), or its category's drawing; the newest article on the
    home's first page is the lead story, its picture loaded at once."""
    import shutil

    shutil.copytree(ROOT / "content" / "images" / "categories", small_site.path / "images" / "categories",
                    dirs_exist_ok=True)
    small_site.add_file("articles/fr/phone.jpg", phone_jpeg())
    small_site.add_file("articles/fr/place.jpg", plain_jpeg(800, 600))
    small_site.write("fr", "photo", "Photo", extra="Image: phone.jpg\nImage_Alt: Une place de Barcelone au soleil\n",
                     date="2024-03-01 10:00")
    small_site.write("fr", "place", "Une place", extra="Image: place.jpg\nImage_Alt: Une place vide\n",
                     date="2024-02-01 10:00")
    small_site.write("fr", "sans-photo", "Sans photo", category="events", extra="Event_Start: 2024-05-01",
                     date="2024-01-01 10:00")
    site = small_site.build(HUB_NOW="2026-11-23T08:00:00+00:00")
    home = site.soup(f"{SITEURL}/fr/")
    cards = home.select(".entries .entry")
    assert [card.select_one(".entry-title a").get_text() for card in cards] == ["Photo", "Une place", "Sans photo"]
    lead, second, third = cards
    assert "entry--lead" in lead["class"] and "entry--lead" not in second["class"]
    lead_img = lead.select_one("picture.entry-picture img")
    assert lead_img["fetchpriority"] == "high" and not lead_img.has_attr("loading")
    img = second.select_one("picture.entry-picture img")
    assert img["loading"] == "lazy" and img["alt"] == ""  # the title beside it says what it shows
    assert int(img["width"]) == 800 and int(img["height"]) == 600  # no layout shift
    assert [source["type"] for source in second.select("picture source")] == ["image/avif", "image/webp"]
    for url in [img["src"]] + [part.split()[0] for source in second.select("source") for part in source["srcset"].split(",")]:
        assert site.path_for(url).is_file(), url
    drawing = third.select_one("img.entry-drawing")
    assert drawing["src"] == f"{SITEURL}/images/categories/events.svg" and site.path_for(drawing["src"]).is_file()
    assert drawing["alt"] == "" and drawing["width"] and drawing["height"]
    # A category page has no lead story: every card is alike.
    category = site.soup(f"{SITEURL}/fr/categorie/actualites/")
    assert not category.select(".entry--lead") and category.select("picture.entry-picture img[loading=lazy]")
