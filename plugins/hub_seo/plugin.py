"""Pelican glue for hub_seo: JSON-LD and share data for templates; sitemap and robots after writing."""

import logging
import os

from pelican import signals

from plugins.hub_i18n.plugin import STATE_KEY
from plugins.hub_i18n.views import plain_text

from .sitemap import robots_txt, sitemap_xml
from .structured import breadcrumb_list, event, news_article, organization, to_script_json

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_SEO_IMAGE": "theme/img/share.png",  # default share image (1200x630), site-relative
    "HUB_SEO_OG_LOCALES": {"fr": "fr_FR", "es": "es_ES", "en": "en_GB"},
    "HUB_SEO_EXCLUDE": ("404.html", "editors/"),  # not pages to index
}
PAGES_KEY = "HUB_SEO_PAGES"


def prepare(pelican):
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
    pelican.settings[PAGES_KEY] = []


def install_templates(generator):
    settings = generator.settings
    state = settings.get(STATE_KEY)
    if state is None:
        return

    def share_image():
        return state.absolute(settings["HUB_SEO_IMAGE"])

    def publisher(lang):
        return organization(state.gettext(lang, "UCLG Community of Practice on Digital Cities"),
                            state.absolute(state.home_url(lang)), state.absolute("theme/img/logo-144.png"))

    def json_ld(article):
        """The JSON-LD of an article: an Event for events, a NewsArticle otherwise."""
        url, lang = state.absolute(article.url), article.lang
        description = plain_text(getattr(article, "summary", ""))
        facts = getattr(article, "hub_facts", None)
        if facts is not None and facts.event_start:
            location = facts.location
            data = event(article.title, url, lang, facts.event_start, facts.event_end, facts.online, location,
                         description, share_image(), publisher(lang), facts.event_start_time, facts.event_end_time,
                         facts.event_timezone or settings.get("TIMEZONE") or "UTC")
        else:
            data = news_article(article.title, url, lang, article.date, getattr(article, "modified", None),
                                description, share_image(), [a.name for a in getattr(article, "authors", [])],
                                publisher(lang))
        return to_script_json(data)

    def breadcrumb_ld(article, home):
        """The JSON-LD BreadcrumbList of the breadcrumb an article shows: Home › Category › Article
        (`home`: the home's name as the template writes it, so the catalogs keep the string)."""
        crumbs = [(str(home), state.absolute(state.home_url(article.lang)))]
        category = getattr(article, "hub_category", None)
        if category is not None:
            crumbs.append((category.name, state.absolute(category.url)))
        crumbs.append((plain_text(str(article.title)), state.absolute(article.url)))
        return to_script_json(breadcrumb_list(crumbs))

    generator.env.globals.update(
        json_ld=json_ld,
        breadcrumb_ld=breadcrumb_ld,
        share_image=share_image,
        og_locale=lambda lang: settings["HUB_SEO_OG_LOCALES"].get(lang, lang),
    )


def record_page(path, context):
    """content_written: remember every HTML page with its alternates, for the sitemap."""
    pages = context.get(PAGES_KEY)  # the run's list: the context is a shallow copy of the settings
    if pages is None or not path.endswith(".html") or context.get("noindex"):
        return
    name = context.get("output_file", "")
    if any(name.endswith(excluded) if excluded.endswith(".html") else name.startswith(excluded)
           for excluded in context.get("HUB_SEO_EXCLUDE", ())):
        return
    info = context.get("hub_page")
    item = context.get("article") or context.get("page")
    if info is None and item is not None:
        info = getattr(item, "hub_page", None)
    if item is not None and getattr(item, "status", "published") != "published":
        return
    lastmod = None
    if item is not None and getattr(item, "date", None):
        lastmod = (getattr(item, "modified", None) or item.date).date().isoformat()
    url = context["SITEURL"].rstrip("/") + "/" + name.removesuffix("index.html")
    pages.append((url, lastmod, list(info.alternates) if info else []))


def write_sitemap(pelican):
    settings = pelican.settings
    pages = settings.get(PAGES_KEY, [])
    # hub_reuse (when on): the same pages, dates and alternates as the previous build, the same file.
    reuse = settings.get("HUB_REUSE_STATE")
    key = reuse.key("sitemap.xml", "sitemap", {"pages": sorted(pages, key=lambda page: page[0])}) if reuse else None
    if not (reuse and reuse.reuse_previous("sitemap.xml", key, pelican.output_path)):
        with open(os.path.join(pelican.output_path, "sitemap.xml"), "wb") as handle:
            handle.write(sitemap_xml(pages))
    disallow = () if settings.get("HUB_CHECK_STRICT") else ("/editors/",)
    with open(os.path.join(pelican.output_path, "robots.txt"), "w", encoding="utf-8") as handle:
        handle.write(robots_txt(settings["SITEURL"], disallow))
    logger.info("hub_seo: sitemap with %d pages", len(pages))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(install_templates)
    signals.content_written.connect(record_page)
    signals.finalized.connect(write_sitemap)
