"""The hub's site the classic way, for the benchmark only: Pelican 4.12 + pelican-i18n-subsites.

French is the main site (at the root), Spanish and English are subsites (/es/, /en/): each one
is a full Pelican run over the whole corpus. Settings mirror pelicanconf.py where the two
approaches can be compared; `hubsite.bench` passes the corpus, the output and
I18N_GETTEXT_LOCALEDIR (catalogs it compiles into its workdir) on the command line.
"""

import os

SITENAME = "Digital Cities"
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = False
TIMEZONE = "Europe/Madrid"

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
THEME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "theme")

# Named explicitly: with PLUGINS unset Pelican loads every plugin installed in the environment.
PLUGINS = ["i18n_subsites"]
DEFAULT_LANG = "fr"
I18N_SUBSITES = {"es": {}, "en": {}}
# Interface strings have English msgids, as in our theme: fr and es get a catalog, en none.
I18N_TEMPLATES_LANG = "en"
# The plugin's default: an item with no version in a subsite's language is rendered there as a
# draft (not listed); ours lists it with a link to an existing version instead.
I18N_UNTRANSLATED_ARTICLES = "hide"
I18N_UNTRANSLATED_PAGES = "hide"

# The language comes from the folder; versions are grouped by their Translation_Key.
PATH_METADATA = r"(articles|pages)/(?P<lang>[^/]+)/.*"
USE_FOLDER_AS_CATEGORY = False
ARTICLE_TRANSLATION_ID = "translation_key"
PAGE_TRANSLATION_ID = "translation_key"

# Same shapes as ours within each language tree (/es/2021/<slug>/, /es/category/calls/page/2/).
ARTICLE_URL = ARTICLE_LANG_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "{date:%Y}/{slug}/index.html"
PAGE_URL = PAGE_LANG_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives"]
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Per-language feeds (each subsite has only its language), full text, 50 entries, as hub_feeds.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = False

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
}

WITH_FUTURE_DATES = True
DELETE_OUTPUT_DIRECTORY = False  # the benchmark starts each run from an empty output itself
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
