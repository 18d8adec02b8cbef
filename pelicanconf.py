"""Settings for previews and local builds of the Digital Cities news hub.

`publishconf.py` starts from these and changes what a public build needs.
"""

import logging

# The hub's name and texts, in English: each page, feed and card shows them in its language through
# the theme's catalogs (`invoke catalogs` puts them there; translate them in theme/translations).
SITENAME = "Digital Cities"
HUB_SITE_PUBLISHER = "UCLG Community of Practice on Digital Cities"  # feeds' author, JSON-LD publisher, cards
HUB_SITE_SUBTITLE = "News of the UCLG Community of Practice on Digital Cities"  # feeds' subtitle
HUB_SITE_SUMMARY = ("News of the UCLG Community of Practice on Digital Cities: the Smart Cities Study, publications, "
                    "calls for participation and events.")  # pages' description, the site's share card
# Absolute, because hreflang alternates must be absolute URLs; `invoke serve` listens here.
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = False
TIMEZONE = "Europe/Madrid"

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "documents"]
# Files next to an article or page (content/articles/<lang>/chart.png) are copied when a text
# links to them ({static}chart.png, or plainly chart.png: see hub_files below), to the same path
# under the output: /articles/<lang>/chart.png. Such a file takes its folder's language from
# PATH_METADATA, and Pelican then reads the *_LANG_* settings, which have no default for static files.
STATIC_URL = STATIC_LANG_URL = "{path}"
STATIC_SAVE_AS = STATIC_LANG_SAVE_AS = "{path}"
THEME = "theme"
OUTPUT_PATH = "output"

# Languages: ISO 639-1 codes, in the order the language switcher lists them.
DEFAULT_LANG = "fr"
HUB_I18N_LANGUAGES = ("fr", "es", "en")
# What a language shows of an article that has no version in it: "link" lists it with an
# "available in ..." note pointing to an existing version; "hide" leaves it out.
HUB_I18N_UNTRANSLATED = "link"
HUB_I18N_TAXONOMY_FILE = "taxonomy.toml"  # relative to PATH
HUB_I18N_PAGINATION = 10
# Standing pages (by translation key) in the header navigation and the footer.
HUB_I18N_NAV_PAGES = ("smart-cities-study", "about")
HUB_I18N_FOOTER_PAGES = ("about", "smart-cities-study", "contact", "legal")
# Events (upcoming, then past) and calls (open first) are listed by templates of their own.
HUB_I18N_CATEGORY_TEMPLATES = {"events": "events", "calls": "calls"}

# Every language lives under its own prefix; the language comes from the folder.
PATH_METADATA = r"(articles|pages)/(?P<lang>[^/]+)/.*"
USE_FOLDER_AS_CATEGORY = False
FILENAME_METADATA = r"(?P<slug>[^/]+)"
ARTICLE_URL = ARTICLE_LANG_URL = "{lang}/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "{lang}/{date:%Y}/{slug}/index.html"
PAGE_URL = PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DRAFT_URL = DRAFT_LANG_URL = "{lang}/drafts/{slug}/"
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = "{lang}/drafts/{slug}/index.html"
DRAFT_PAGE_URL = DRAFT_PAGE_LANG_URL = "{lang}/drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = "{lang}/drafts/pages/{slug}/index.html"

# Pelican's own grouping and listings know one language only: hub_i18n does them per language.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
DIRECT_TEMPLATES = []
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
CATEGORY_URL = TAG_URL = AUTHOR_URL = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
PAGINATED_TEMPLATES = {}
DEFAULT_PAGINATION = False

# Pelican's built-in feeds are off (they mix languages): hub_feeds writes per-language feeds.
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None

# Dates are formatted by Babel in each page's language; never through the OS locale.
DATE_FORMATS = {}
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        # Typographic quotes, apostrophes, dashes, ellipses (like `smarty`, at half the cost).
        "plugins.hub_typography:TypographyExtension": {},
        # ![alt](chart.png), [report](report.pdf): the file beside the text, as editors preview it.
        "plugins.hub_files:RelativeFilesExtension": {},
    },
    "output_format": "html5",
}
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    # A build renders each template many times and its files do not change meanwhile: no stat()
    # per {% include %}. (Live preview starts a new build, with new environments, on each change.)
    "auto_reload": False,
    "extensions": ["jinja2.ext.i18n"],
}

# Modules of the project's package (pyproject.toml, installed editable by `make`), so Pelican's own
# commands load them as our tasks do. Named explicitly: with PLUGINS unset Pelican loads every
# plugin installed in the environment.
PLUGINS = ["plugins.hub_engine", "plugins.hub_check", "plugins.hub_i18n", "plugins.hub_items", "plugins.hub_images",
           "plugins.hub_feeds", "plugins.hub_search", "plugins.hub_redirects", "plugins.hub_seo", "plugins.hub_typography",
           "plugins.hub_assets"]

# Content checks (hub_check): a preview warns and leaves broken files out; publishconf.py stops.
HUB_CHECK_STRICT = False
# hub_check reports an image without alt text with its file, line and the fix (an error in publish
# builds); Pelican's own warning would say it again, with the file's absolute path.
LOG_FILTER = [(logging.WARNING, "Empty alt attribute for image %s in %s")]
# Previews show drafts (under /<lang>/drafts/) and future-dated articles, marked as such.
WITH_FUTURE_DATES = True

DELETE_OUTPUT_DIRECTORY = False  # hubsite.build writes a fresh directory and swaps it in
# No Pelican reader cache: a build reads every file, on every core (hub_engine reads Markdown
# ahead in worker processes), and the live preview keeps what it read in memory. Pelican's cache
# is one pickle of the whole site, loaded and saved again by each build.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# Pictures (hub_images): each picture a page shows is published at these widths (never wider than
# the original) in AVIF, WebP and JPEG (PNG with transparency), upright and without metadata; the
# original is not published. Variants are kept in HUB_IMAGES_CACHE_PATH (default: CACHE_PATH/images;
# hubsite.build puts it beside the output's cache), by the source's bytes and these settings.
HUB_IMAGES_WIDTHS = (480, 960, 1440)

# Feeds (hub_feeds): /<lang>/feeds/all.atom.xml, /<lang>/feeds/<category>.rss.xml, /feeds.opml
HUB_FEEDS_MAX_ITEMS = 50
HUB_FEEDS_CONTENT = "full"
