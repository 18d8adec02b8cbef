"""Plain items in, feed bytes out: Atom 1.0 and RSS 2.0 through feedgen, with its traps avoided."""

import datetime
import re
from dataclasses import dataclass, field

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
# C0 control characters that XML 1.0 forbids (pasted from word processors): lxml refuses them.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


class FeedDataError(ValueError):
    """An item the feed cannot carry; the message names the item's source and field."""


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str


@dataclass(frozen=True)
class FeedItem:
    id: str
    title: str
    link: str
    published: datetime.datetime
    updated: datetime.datetime
    source: str = ""
    authors: tuple = ()
    categories: tuple = ()  # (term, label) pairs
    summary: str | None = None  # HTML
    content: str | None = None  # HTML
    enclosures: tuple = ()


@dataclass(frozen=True)
class FeedMeta:
    id: str
    title: str
    subtitle: str
    lang: str
    self_url: str
    alternate_url: str
    author: str
    icon: str | None = None
    logo: str | None = None
    generator: tuple = ("Digital Cities hub (Pelican + feedgen)", None, None)
    extra: dict = field(default_factory=dict)


class _EntryWithLinkAttributes(FeedEntry):
    """feedgen 1.0.0 drops rel/type/length from Atom entry links (issue #135): put them back."""

    def atom_entry(self, extensions=True):
        entry = super().atom_entry(extensions)
        for element in list(entry):
            if etree.QName(element).localname == "link":
                entry.remove(element)
        for link in self._FeedEntry__atom_link or []:
            element = etree.SubElement(entry, f"{{{ATOM_NS}}}link" if entry.tag.startswith("{") else "link")
            for name in ("href", "rel", "type", "hreflang", "title", "length"):
                if link.get(name) not in (None, ""):
                    element.set(name, str(link[name]))
        return entry


def clean_text(value, item, field_name):
    if value is None:
        return None
    if not isinstance(value, str):
        raise FeedDataError(f"{item.source}: {field_name}: expected text")
    return XML_FORBIDDEN.sub("", value)


def check_date(value, item, field_name):
    if not isinstance(value, datetime.datetime):
        raise FeedDataError(f"{item.source}: {field_name}: missing or not a date; write it as YYYY-MM-DD HH:MM")
    if value.tzinfo is None:
        raise FeedDataError(f"{item.source}: {field_name}: has no time zone (set TIMEZONE in the settings)")
    return value


def build_feed(meta, items):
    """A FeedGenerator holding `items` in the given order (newest first is the caller's job)."""
    fg = FeedGenerator()
    fg.load_extension("dc")  # dc:creator: RSS <author> would need an e-mail address
    fg.id(meta.id)
    fg.title(meta.title)
    fg.subtitle(meta.subtitle)
    fg.language(meta.lang)
    fg.author({"name": meta.author})
    # RSS takes its channel <link> from the last link added: self first, alternate last.
    fg.link(href=meta.self_url, rel="self")
    fg.link(href=meta.alternate_url, rel="alternate", type="text/html", hreflang=meta.lang)
    name, version, uri = meta.generator
    fg.generator(name, version=version, uri=uri)
    if meta.icon:
        fg.icon(meta.icon)
    if meta.logo:
        fg.logo(meta.logo)
        fg.image(url=meta.logo, title=meta.title, link=meta.alternate_url)
    newest = None
    for item in items:
        published = check_date(item.published, item, "Date")
        updated = check_date(item.updated, item, "Modified")
        newest = updated if newest is None or updated > newest else newest
        entry = fg.add_entry(_EntryWithLinkAttributes(), order="append")
        entry.id(item.id)  # also the RSS guid, isPermaLink="false"
        entry.title(clean_text(item.title, item, "Title"))
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.published(published)
        entry.updated(updated)
        for author in item.authors:
            entry.author({"name": clean_text(author, item, "Authors")})
            entry.dc.dc_creator(clean_text(author, item, "Authors"), replace=False)
        for term, label in item.categories:
            entry.category(term=term, label=clean_text(label, item, "Category"))
        if item.summary:
            entry.summary(clean_text(item.summary, item, "Summary"), type="html")
        if item.content:
            entry.content(clean_text(item.content, item, "content"), type="html")
        for enclosure in item.enclosures:
            entry.link(href=enclosure.url, rel="enclosure", type=enclosure.mime_type, length=str(enclosure.length))
        if item.enclosures:
            # RSS allows one enclosure per item (Atom keeps every link): the first, where feedgen
            # keeps the last one added.
            first = item.enclosures[0]
            entry._FeedEntry__rss_enclosure = {"url": first.url, "type": first.mime_type, "length": str(first.length)}
    # Never the build time: the newest entry's date keeps builds reproducible.
    fg.updated(newest or datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
    return fg


# No xml-stylesheet (XSLT) view: browsers are dropping XSLT; the feeds page explains feeds instead.
def render_atom(meta, items):
    return build_feed(meta, items).atom_str(pretty=True)


def render_rss(meta, items):
    return build_feed(meta, items).rss_str(pretty=True)


def tag_uri(authority, published, key, lang):
    """RFC 4151 id from a fixed authority, the first publication date, the translation key and lang.

    Independent of the domain the site is served from, of the title and of the slug.
    """
    specific = re.sub(r"[^A-Za-z0-9._~:/?#@!$&'()*+,;=-]", "-", f"{key}/{lang}")
    return f"tag:{authority},{published.date().isoformat()}:{specific}"
