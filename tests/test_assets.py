"""hubsite.assets: fingerprinted theme assets, rewritten references, reproducible precompression."""

import gzip
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from hubsite.assets import (
    content_hash, finalize_output, fingerprint_of, hashed_name, is_fingerprinted, is_precompressed_variant,
    site_files,
)

SITEURL = "https://hub.example.org"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

ASSETS = {
    "theme/css/hub.css": (
        '@import "fonts.css";\n'
        "body { background: url(../img/bg.png) no-repeat; }\n"
        '.logo { background-image: url("/theme/img/logo.svg"); }\n'
        ".dot { background: url(data:image/png;base64,AAAA); }\n"
        ".far { background: url(https://cdn.other.org/theme/img/logo.svg); }\n"
    ),
    "theme/css/fonts.css": '@font-face { font-family: Hub; src: url("../fonts/hub.woff2") format("woff2"); }\n',
    "theme/img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n',
    "theme/img/bg.png": PNG,
    "theme/img/logo-144.png": PNG + b"144",
    "theme/img/favicon.ico": b"\x00\x00\x01\x00icon",
    "theme/fonts/hub.woff2": b"wOF2font-bytes",
    "theme/js/language-choice.js": "document.documentElement.dataset.js = 'on';\n",
}
OTHER = {
    "theme/README.txt": "not an asset kind that is fingerprinted\n",
    "index.html": (
        "<!doctype html><html><head>\n"
        f'<link rel="stylesheet" href="{SITEURL}/theme/css/hub.css">\n'
        '<link rel="icon" href="/theme/img/favicon.ico">\n'
        '<script src="/theme/js/language-choice.js?v=1#top" defer></script>\n'
        "</head><body>\n"
        f'<img src="{SITEURL}/theme/img/logo.svg" srcset="/theme/img/logo-144.png 2x, /theme/img/logo.svg 1x" alt="">\n'
        '<a href="https://other.example.com/theme/css/hub.css">someone else\'s file</a>\n'
        '<a href="/theme/css/hub.css.map">not an asset</a>\n'
        '<a href="/theme/README.txt">readme</a>\n'
        "</body></html>\n"
    ),
    "fr/index.html": (
        '<html lang="fr"><head><link rel="stylesheet" href="//hub.example.org/theme/css/hub.css">'
        "<style>.x{background:url('/theme/img/bg.png')}</style></head><body>Bonjour</body></html>\n"
    ),
    "fr/feeds/all.atom.xml": (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<?xml-stylesheet type="text/xsl" href="{SITEURL}/fr/feeds/feed.xsl"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">\n'
        f"  <logo>{SITEURL}/theme/img/logo-144.png</logo>\n  <icon>{SITEURL}/theme/img/favicon.ico</icon>\n"
        "  <title>Tout</title>\n</feed>\n"
    ),
    "fr/feeds/feed.xsl": (
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><html><head><link rel="stylesheet" href="{SITEURL}/theme/css/hub.css"/>'
        "</head></html></xsl:template></xsl:stylesheet>\n"
    ),
    "feeds.opml": '<?xml version="1.0"?><opml version="2.0"><body/></opml>\n',
    "fr/calendar.ics": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    "documents/report.pdf": b"%PDF-1.4 binary",
    "documents/data.csv.gz": gzip.compress(b"a,b\n1,2\n", mtime=0),
}
TEXT_FILES = [
    "feeds.opml", "fr/calendar.ics", "fr/feeds/all.atom.xml", "fr/feeds/feed.xsl", "fr/index.html", "index.html",
    "theme/README.txt", "theme/css/fonts.css", "theme/css/hub.css", "theme/img/logo.svg",
    "theme/js/language-choice.js",
]


def make_output(root, files=None):
    """A small built-site-like directory: theme assets, pages, a feed, its XSL, downloads."""
    root = Path(root)
    for relpath, content in (files or {**ASSETS, **OTHER}).items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def snapshot(root):
    return {relpath: (Path(root) / relpath).read_bytes() for relpath in site_files(root)}


def text(root, relpath):
    return (Path(root) / relpath).read_text(encoding="utf-8")


@pytest.fixture
def output(tmp_path):
    return make_output(tmp_path / "output")


def test_every_asset_gets_a_hashed_copy_with_identical_bytes(output):
    summary = finalize_output(output, SITEURL)
    assert sorted(summary.fingerprinted) == sorted(ASSETS)
    for original, hashed in summary.fingerprinted.items():
        data = (output / original).read_bytes()
        assert (output / hashed).read_bytes() == data  # the original stays, with the same bytes
        assert hashed == str(Path(original).with_name(hashed_name(Path(original).name, content_hash(data))))
        assert fingerprint_of(hashed) == hashlib.sha256(data).hexdigest()[:10]
        assert re.fullmatch(r".+\.[0-9a-f]{10}\.(css|js|svg|png|ico|woff2)", hashed)
        assert is_fingerprinted(hashed, data) and not is_fingerprinted(original, data)
    assert "theme/README.txt" not in summary.fingerprinted
    # Binary assets are copied untouched.
    assert (output / summary.fingerprinted["theme/img/bg.png"]).read_bytes() == PNG


def test_html_references_point_to_hashed_names(output):
    mapping = finalize_output(output, SITEURL).fingerprinted
    page = text(output, "index.html")
    assert f'href="{SITEURL}/{mapping["theme/css/hub.css"]}"' in page
    assert f'href="/{mapping["theme/img/favicon.ico"]}"' in page
    assert f'src="/{mapping["theme/js/language-choice.js"]}?v=1#top"' in page  # query and fragment kept
    assert f'src="{SITEURL}/{mapping["theme/img/logo.svg"]}"' in page
    assert f'srcset="/{mapping["theme/img/logo-144.png"]} 2x, /{mapping["theme/img/logo.svg"]} 1x"' in page
    # Other sites, names that only start like an asset, and kinds never hashed are left alone.
    assert 'href="https://other.example.com/theme/css/hub.css"' in page
    assert 'href="/theme/css/hub.css.map"' in page
    assert 'href="/theme/README.txt"' in page
    french = text(output, "fr/index.html")
    assert f'href="//hub.example.org/{mapping["theme/css/hub.css"]}"' in french
    assert f"url('/{mapping['theme/img/bg.png']}')" in french


def test_feed_and_xsl_references_point_to_hashed_names(output):
    summary = finalize_output(output, SITEURL)
    mapping = summary.fingerprinted
    feed = text(output, "fr/feeds/all.atom.xml")
    assert f"<logo>{SITEURL}/{mapping['theme/img/logo-144.png']}</logo>" in feed
    assert f"<icon>{SITEURL}/{mapping['theme/img/favicon.ico']}</icon>" in feed
    assert f'href="{SITEURL}/fr/feeds/feed.xsl"' in feed  # the XSL itself keeps its name
    assert f'href="{SITEURL}/{mapping["theme/css/hub.css"]}"' in text(output, "fr/feeds/feed.xsl")
    assert {"index.html", "fr/index.html", "fr/feeds/all.atom.xml", "fr/feeds/feed.xsl"} <= set(summary.rewritten)
    assert "feeds.opml" not in summary.rewritten


def test_stylesheets_name_hashed_assets_before_being_hashed(output):
    mapping = finalize_output(output, SITEURL).fingerprinted
    css = text(output, mapping["theme/css/hub.css"])
    assert css == text(output, "theme/css/hub.css")
    assert f'@import "{Path(mapping["theme/css/fonts.css"]).name}";' in css
    assert f"url(../img/{Path(mapping['theme/img/bg.png']).name})" in css
    assert f'url("/{mapping["theme/img/logo.svg"]}")' in css
    assert "url(data:image/png;base64,AAAA)" in css
    assert "url(https://cdn.other.org/theme/img/logo.svg)" in css
    assert f'url("../fonts/{Path(mapping["theme/fonts/hub.woff2"]).name}")' in text(output, mapping["theme/css/fonts.css"])
    # The hash is the one of the rewritten bytes that are served.
    assert fingerprint_of(mapping["theme/css/hub.css"]) == content_hash((output / mapping["theme/css/hub.css"]).read_bytes())


def test_no_reference_to_an_unhashed_asset_is_left(output):
    mapping = finalize_output(output, SITEURL).fingerprinted
    for relpath in site_files(output):
        if not relpath.endswith((".html", ".xml", ".xsl")):
            continue
        for original in mapping:
            assert re.search(rf'(?<![\w.:/-])(?:{re.escape(SITEURL)}|//hub\.example\.org)?/{re.escape(original)}(?![\w.])',
                             text(output, relpath)) is None, (relpath, original)


def test_two_runs_give_identical_bytes(tmp_path):
    first, second = make_output(tmp_path / "one"), make_output(tmp_path / "two")
    summary_one, summary_two = finalize_output(first, SITEURL), finalize_output(second, SITEURL)
    assert summary_one == summary_two
    assert snapshot(first) == snapshot(second)


def test_finalizing_again_changes_nothing(output):
    summary = finalize_output(output, SITEURL)
    before = snapshot(output)
    again = finalize_output(output, SITEURL)
    assert snapshot(output) == before
    assert again.fingerprinted == summary.fingerprinted
    assert again.rewritten == []


def test_gzip_variants_decompress_to_the_original_and_are_reproducible(output):
    summary = finalize_output(output, SITEURL)
    hashed_text = [hashed for original, hashed in summary.fingerprinted.items() if original in TEXT_FILES]
    assert summary.compressed == sorted(TEXT_FILES + hashed_text)
    for relpath in summary.compressed:
        packed = (output / f"{relpath}.gz").read_bytes()
        assert gzip.decompress(packed) == (output / relpath).read_bytes()
        assert packed[4:8] == b"\0\0\0\0"  # no time in the header
        assert packed[3] & 0x08 == 0  # no file name in the header
    for relpath in ("theme/img/bg.png", "documents/report.pdf", "theme/fonts/hub.woff2", "documents/data.csv.gz"):
        assert not (output / f"{relpath}.gz").exists()


def test_brotli_variants_decompress_to_the_original(output):
    brotli = pytest.importorskip("brotli")
    summary = finalize_output(output, SITEURL, use_brotli=True)
    assert summary.brotli
    for relpath in summary.compressed:
        assert brotli.decompress((output / f"{relpath}.br").read_bytes()) == (output / relpath).read_bytes()


def test_gzip_only_when_asked(output):
    summary = finalize_output(output, SITEURL, use_brotli=False)
    assert not summary.brotli
    assert not list(output.rglob("*.br"))
    assert summary.variants == [f"{relpath}.gz" for relpath in summary.compressed]


def test_siteurl_with_a_path_rewrites_only_that_prefix(tmp_path):
    siteurl = "https://org.github.io/hub"
    output = make_output(tmp_path / "output", {
        "theme/css/hub.css": "body { color: red; }\n",
        "index.html": (f'<link href="{siteurl}/theme/css/hub.css"><link href="/hub/theme/css/hub.css">'
                       '<link href="/theme/css/hub.css">\n'),
    })
    hashed = finalize_output(output, siteurl).fingerprinted["theme/css/hub.css"]
    assert text(output, "index.html") == (f'<link href="{siteurl}/{hashed}"><link href="/hub/{hashed}">'
                                          '<link href="/theme/css/hub.css">\n')


def test_precompressed_variant_is_a_twin_of_a_text_file():
    paths = {"index.html", "index.html.gz", "index.html.br", "documents/data.csv.gz", "a.png", "a.png.gz"}
    assert is_precompressed_variant("index.html.gz", paths)
    assert is_precompressed_variant("index.html.br", paths)
    assert not is_precompressed_variant("documents/data.csv.gz", paths)  # a download, no plain twin
    assert not is_precompressed_variant("a.png.gz", paths)  # never written by precompress
    assert not is_precompressed_variant("index.html", paths)


def test_a_missing_output_directory_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        finalize_output(tmp_path / "nowhere", SITEURL)


def test_real_site_references_only_hashed_theme_files(site, tmp_path):
    """The real build: after finalizing, every theme URL in a page, feed or XSL names a hashed file."""
    output = tmp_path / "output"
    shutil.copytree(site.output, output)
    summary = finalize_output(output, site.siteurl)
    assert "theme/css/hub.css" in summary.fingerprinted
    theme_url = re.compile(rf"{re.escape(site.siteurl)}/(theme/[^\s\"'<>?#)]+)")
    seen = set()
    for relpath in site_files(output):
        if relpath.endswith((".html", ".xml", ".xsl")):
            for match in theme_url.finditer(text(output, relpath)):
                target = match.group(1)
                seen.add(target)
                assert (output / target).is_file(), (relpath, target)
                assert is_fingerprinted(target, (output / target).read_bytes()), (relpath, target)
    assert set(summary.fingerprinted.values()) >= seen and seen
    for relpath in summary.compressed:
        assert gzip.decompress((output / f"{relpath}.gz").read_bytes()) == (output / relpath).read_bytes()
