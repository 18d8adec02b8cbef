"""The plain configuration a Pelican user would write for this site, for the benchmark only.

Pelican 4.12.0 + pelican-i18n-subsites 1.0.0 (+ Markdown 3.11.3), installed by benchmarks/run.py in
a virtualenv of its own under the work directory, nothing else switched on: Pelican's default
theme, its default feeds, category/tag/author/archive pages and Markdown extensions. French is
the main site (at the root); Spanish and English are i18n subsites (/es/, /en/), each a full
Pelican run over the whole corpus. The benchmark passes the corpus (`pelican CORPUS`) and the
output (`-o`); the corpus has no `Translation: true` headers and no photos (see
docs/performance.md).
"""

SITENAME = "Digital Cities"
SITEURL = ""  # as `pelican-quickstart` writes a development configuration
RELATIVE_URLS = True
TIMEZONE = "Europe/Madrid"

# The corpus' layout: content/articles/<lang>/, content/pages/<lang>/; each file says its Lang.
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]

# Named explicitly: with PLUGINS unset Pelican loads every plugin installed in the environment.
PLUGINS = ["i18n_subsites"]
DEFAULT_LANG = "fr"
I18N_SUBSITES = {"es": {}, "en": {}}
# The versions of an item share a Translation_Key header (their slugs differ by language).
ARTICLE_TRANSLATION_ID = "translation_key"
PAGE_TRANSLATION_ID = "translation_key"

# The one choice `pelican-quickstart` asks about: 10 articles per listing page, as ours.
DEFAULT_PAGINATION = 10
