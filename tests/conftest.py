"""Shared fixtures: the real site built once, and small sites built from files a test writes."""

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from hubsite.build import build_site

ROOT = Path(__file__).resolve().parent.parent

SITEURL = "https://hub.example.org"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LANGUAGES = ("fr", "es", "en")


def output_files(root):
    """Every file under `root`: {path relative to it, in POSIX form: Path}."""
    return {path.relative_to(root).as_posix(): path for path in sorted(Path(root).rglob("*")) if path.is_file()}


def snapshot(root):
    """Every file under `root` with its bytes, to compare two outputs or one output over time."""
    return {name: path.read_bytes() for name, path in output_files(root).items()}


class BuiltSite:
    """A built output directory, read the way a browser or crawler would."""

    def __init__(self, output, siteurl=SITEURL):
        self.output = Path(output)
        self.siteurl = siteurl

    def path_for(self, url):
        """The file a URL of this site is served from (None for other sites)."""
        if url.startswith(self.siteurl):
            url = url[len(self.siteurl):]
        elif urlsplit(url).scheme:
            return None
        path = urlsplit(url).path.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self.output / path

    def html_files(self):
        return sorted(self.output.rglob("*.html"))

    def soup(self, where):
        path = where if isinstance(where, Path) else self.path_for(where)
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def url_of(self, path):
        relative = path.relative_to(self.output).as_posix()
        relative = relative.removesuffix("index.html")
        return f"{self.siteurl}/{relative}"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site (content/), built once for the whole session."""
    output = tmp_path_factory.mktemp("site") / "output"
    build_site(ROOT / "pelicanconf.py", output=output, SITEURL=SITEURL)
    return BuiltSite(output)


ARTICLE_HEADERS = """Title: {title}
Date: {date}
Category: {category}
Tags: {tags}
Slug: {slug}
Lang: {lang}
Translation_Key: {key}
Summary: {summary}
{extra}
{body}
"""


def write_article(content_dir, lang, slug, title, key=None, date="2024-01-10 10:00", category="news",
                  tags="uclg", summary="Summary.", body="Body text.", extra="", folder="articles"):
    path = Path(content_dir) / folder / lang / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ARTICLE_HEADERS.format(
        title=title, date=date, category=category, tags=tags, slug=slug, lang=lang,
        key=key or slug, summary=summary, extra=extra, body=body,
    ), encoding="utf-8")
    return path


@pytest.fixture
def small_site(tmp_path):
    """A content folder with the real taxonomy; `build()` builds it into tmp_path/output."""
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "taxonomy.toml", content / "taxonomy.toml")
    # ... and the category pictures it names.
    shutil.copytree(ROOT / "content" / "images" / "categories", content / "images" / "categories")

    class SmallSite:
        path = content
        output = tmp_path / "output"

        def write(self, *args, **kwargs):
            return write_article(content, *args, **kwargs)

        def add_file(self, relative, data):
            """Put a file (bytes, or text as UTF-8) at `relative` in the content folder, e.g.
            'articles/es/chart.png' next to an article; its path."""
            path = content / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
            return path

        def build(self, output=None, **overrides):
            """Build into `output` (default: tmp_path/output); a BuiltSite."""
            overrides.setdefault("SITEURL", SITEURL)
            output = output or self.output
            build_site(ROOT / "pelicanconf.py", output=output, PATH=str(content), **overrides)
            return BuiltSite(output)

    return SmallSite()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by playwright: one for the session (test_browser, test_cms), since
    playwright's sync API cannot start a second time while one runs."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
