"""Pelican glue for hub_feeds: collect each language's articles, write feeds, OPML and feeds pages.

Needs hub_i18n (its groups, URLs and catalogs). Pelican's own feeds must be off: both would write feeds/.
"""

import logging
import mimetypes
import os
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit


from lxml import etree
from pelican import signals
from pelican.generators import Generator

from plugins.hub_engine.outputs import outputs_of
from plugins.hub_i18n.dates import language_name
from plugins.hub_i18n.pages import describe_page
from plugins.hub_i18n.plugin import STATE_KEY
from plugins.hub_typography import typeset

from .absolute import absolutize, absolutize_with_links
from .feed import Enclosure, FeedItem, FeedMeta, render_atom, render_rss, tag_uri

logger = logging.getLogger(__name__)

DEFAULTS = {
    # The tag: URI authority: a domain the hub held on HUB_FEEDS_AUTHORITY_DATE. Never change it:
    # entry ids stay the same when the site moves to another domain.
    "HUB_FEEDS_AUTHORITY": "uclg-digitalcities.org",
    "HUB_FEEDS_AUTHORITY_DATE": "2012-01-01",
    "HUB_FEEDS_MAX_ITEMS": 50,
    "HUB_FEEDS_CONTENT": "full",  # "full": summary and full text; "summary": summary only
    "HUB_FEEDS_DIR": "feeds",
    "HUB_FEEDS_OPML": "feeds.opml",
}
PELICAN_FEED_SETTINGS = (
    "FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS", "CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS",
    "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "TAG_FEED_ATOM", "TAG_FEED_RSS", "TRANSLATION_FEED_ATOM",
    "TRANSLATION_FEED_RSS",
)
DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".odp", ".zip", ".epub"}
FORMATS = (("atom", "application/atom+xml", "Atom"), ("rss", "application/rss+xml", "RSS"))


def N_(message):
    """Mark a message for extraction; it is translated later, in each feed's language."""
    return message


FEED_TITLE_ALL = N_("All news")


class FeedSettingsError(ValueError):
    pass


def check_settings(pelican):
    """initialized: fill defaults, refuse settings that would make Pelican write feeds too."""
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    enabled = [name for name in PELICAN_FEED_SETTINGS if settings.get(name)]
    if enabled:
        raise FeedSettingsError(f"hub_feeds writes the feeds: set {', '.join(enabled)} to None")
    if settings["HUB_FEEDS_CONTENT"] not in ("full", "summary"):
        raise FeedSettingsError(f"HUB_FEEDS_CONTENT must be 'full' or 'summary', not {settings['HUB_FEEDS_CONTENT']!r}")
    if not settings.get("SITEURL", "").startswith(("http://", "https://")):
        raise FeedSettingsError("SITEURL must be an absolute http(s) URL: feeds need absolute links")


TAG_FEED_PREFIX = "tag-"  # tag feeds are /<lang>/feeds/tag-<id>.<kind>.xml, beside the category feeds


def feed_path(settings, lang, name, kind):
    return f"{lang}/{settings['HUB_FEEDS_DIR']}/{name}.{kind}.xml"


def term_feed_name(term):
    """The feed name of a category (its id) or of a tag ("tag-" + its id)."""
    return term.key if term.kind == "categories" else TAG_FEED_PREFIX + term.key


def check_feed_names(taxonomy):
    """A category id starting with "tag-" could take a tag feed's file name: refuse it up front."""
    clashing = sorted(key for key in taxonomy.categories if key.startswith(TAG_FEED_PREFIX))
    if clashing:
        raise FeedSettingsError(f"taxonomy.toml: category id(s) {', '.join(clashing)} start with "
                                f"{TAG_FEED_PREFIX!r}, which names tag feeds; rename them")


def install_templates(generator):
    """generator_init: `feed_links(lang, term)` for <link rel=alternate> discovery on every page,
    `term_feeds(lang, term)` for the "Follow this topic" links of category and tag pages."""
    settings = generator.settings
    state = settings.get(STATE_KEY)
    if state is None:
        return

    def term_feeds(lang, term):
        """(mime, "Atom" or "RSS", absolute URL) of a category's or tag's feeds; every term has them
        in every language (written even while empty), so a link to them never breaks."""
        if getattr(term, "kind", None) not in ("categories", "tags"):
            return []
        return [(mime, label, state.absolute(feed_path(settings, lang, term_feed_name(term), kind)))
                for kind, mime, label in FORMATS]

    def feed_links(lang, term=None):
        links = []
        for kind, mime, label in FORMATS:
            links.append((mime, f"{state.gettext(lang, FEED_TITLE_ALL)} ({label})",
                          state.absolute(feed_path(settings, lang, "all", kind))))
        for mime, label, url in term_feeds(lang, term):
            links.append((mime, f"{term.name} ({label})", url))
        return links

    generator.env.globals.update(feed_links=feed_links, term_feeds=term_feeds,
                                 feeds_page_url=lambda lang: f"{lang}/{settings['HUB_FEEDS_DIR']}/")


def add_generator(pelican):
    return HubFeedsGenerator


class HubFeedsGenerator(Generator):
    def generate_context(self):
        pass  # everything it needs exists only once hub_i18n has grouped the articles

    def static_files(self):
        """Site URL -> source file, for documents linked from articles (feed enclosures)."""
        files = {}
        for static in self.context.get("static_content", {}).values():
            files[self.state.absolute(static.url)] = static.source_path
        return files

    def feed_item(self, article, lang, static_files):
        """One article as a feed entry (built once per language, shared by every feed it is in)."""
        state, settings = self.state, self.settings
        link = state.absolute(article.url)
        content, linked = absolutize_with_links(article.get_content(state.siteurl), link)
        # The featured image (its largest JPEG/PNG: every reader shows those) and the attachments
        # (hub_images) first: RSS carries one enclosure, the first.
        enclosures = []
        picture = getattr(article, "hub_picture", None)
        if picture is not None and picture.fallback_url and picture.fallback_length:
            enclosures.append(Enclosure(picture.fallback_url, picture.fallback_length, picture.fallback_type))
        for attached in getattr(article, "hub_attachments", None) or ():
            enclosures.append(Enclosure(attached["url"], attached["length"], attached["mime"]))
        enclosed = {enclosure.url for enclosure in enclosures}
        for url in sorted(set(linked) - enclosed):
            source = static_files.get(url)
            if source and Path(urlsplit(url).path).suffix.lower() in DOCUMENT_TYPES:
                mime = mimetypes.guess_type(url)[0] or "application/octet-stream"
                enclosures.append(Enclosure(url, os.path.getsize(source), mime))
        categories = []
        if getattr(article, "hub_category", None):
            categories.append((article.hub_category.key, typeset(state.category_in(article, lang).name, lang)))
        categories += [(tag.key, typeset(tag.name, lang)) for tag in getattr(article, "hub_tags", [])]
        return FeedItem(
            id=tag_uri(settings["HUB_FEEDS_AUTHORITY"], article.date, article.translation_key, lang),
            title=article.title,
            link=link,
            published=article.date,
            updated=getattr(article, "modified", None) or article.date,
            source=article.source,
            authors=tuple(author.name for author in getattr(article, "authors", [])),
            categories=tuple(categories),
            summary=absolutize(getattr(article, "summary", None), link),
            content=content if settings["HUB_FEEDS_CONTENT"] == "full" else None,
            enclosures=tuple(enclosures),
        )

    def generate_output(self, writer):
        self.state = state = self.settings[STATE_KEY]
        settings = self.settings
        static_files = self.static_files()
        limit = settings["HUB_FEEDS_MAX_ITEMS"]
        check_feed_names(state.taxonomy)
        opml = []
        for lang in state.languages:
            own = state.published_versions(lang)  # scheduled articles wait for their date
            own.sort(key=lambda article: (article.date, article.translation_key), reverse=True)
            feeds = [("all", "all", state.gettext(lang, FEED_TITLE_ALL), state.home_url(lang), own)]
            for term in state.taxonomy.categories.values():
                feeds.append((term_feed_name(term), "category", term.label(lang), state.term_url(term, lang),
                              [a for a in own if getattr(a, "hub_category", None) and a.hub_category.key == term.key]))
            # Tags: the same rules as categories (every tag, every language, even while empty).
            for term in state.taxonomy.tags.values():
                feeds.append((term_feed_name(term), "tag", term.label(lang), state.term_url(term, lang),
                              [a for a in own if term.key in {tag.key for tag in getattr(a, "hub_tags", [])}]))
            listed = []
            for name, group, title, page_url, articles in feeds:
                articles = articles[:limit]
                site_title = state.site_text(lang, "SITENAME")
                for kind, mime, label in FORMATS:
                    path = feed_path(settings, lang, name, kind)
                    meta = FeedMeta(
                        id=f"tag:{settings['HUB_FEEDS_AUTHORITY']},{settings['HUB_FEEDS_AUTHORITY_DATE']}:feeds/{lang}/{name}/{kind}",
                        # Labels come from taxonomy.toml: French ones in French typography, like the items.
                        title=typeset(f"{site_title} · {title}", lang),
                        subtitle=typeset(state.site_text(lang, "HUB_SITE_SUBTITLE"), lang),
                        lang=lang,
                        self_url=state.absolute(path),
                        alternate_url=state.absolute(page_url),
                        author=typeset(state.site_text(lang, "HUB_SITE_PUBLISHER"), lang),
                        icon=state.absolute("theme/img/favicon.png"),
                        logo=state.absolute("theme/img/logo-144.png"),
                    )
                    # Rendered when written (or asked for, in the live preview); an article's entry is built once.
                    outputs_of(settings).add(path, partial(self.render_feed, kind, meta, articles, lang,
                                                           static_files))
                    listed.append({"name": name, "group": group, "title": title, "kind": kind, "label": label, "mime": mime,
                                   "url": state.absolute(path), "page": state.absolute(page_url),
                                   "count": len(articles)})
            opml.append((lang, listed))
            self.write_pages(writer, lang, listed)
        opml_bytes = opml_document(state, opml)
        outputs_of(settings).add(settings["HUB_FEEDS_OPML"], lambda: opml_bytes)

    def render_feed(self, kind, meta, articles, lang, static_files):
        # An article is in "all" and in its category's and tags' feeds: its entry is built once.
        built = outputs_of(self.settings).memo(f"hub_feeds.entries.{lang}")
        items = [built.get(id(a)) or built.setdefault(id(a), self.feed_item(a, lang, static_files)) for a in articles]
        return render_atom(meta, items) if kind == "atom" else render_rss(meta, items)

    def write_pages(self, writer, lang, listed):
        state, settings = self.state, self.settings
        urls = {code: f"{code}/{settings['HUB_FEEDS_DIR']}/" for code in state.languages}
        writer.write_file(urls[lang] + "index.html", self.get_template("feeds"), self.context,
                          relative_urls=False, url=urls[lang], current_lang=lang,
                          hub_page=describe_page(state, lang, urls[lang], urls), feeds=listed,
                          opml_url=state.absolute(settings["HUB_FEEDS_OPML"]))


def opml_document(state, feeds_by_lang):
    """OPML 2.0 subscription list: one outline per language holding its feeds."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = " / ".join(state.site_text(lang, "SITENAME") for lang in state.languages)
    body = etree.SubElement(opml, "body")
    for lang, listed in feeds_by_lang:
        group = etree.SubElement(body, "outline", text=language_name(lang))
        for feed in listed:
            etree.SubElement(group, "outline", type="rss", text=f"{feed['title']} ({feed['label']})",
                             title=f"{feed['title']} ({feed['label']})", xmlUrl=feed["url"], htmlUrl=feed["page"],
                             language=lang)
    return etree.tostring(opml, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def register():
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(install_templates)
    signals.get_generators.connect(add_generator)
