"""Per-language views: listings with untranslated fallbacks, pagination; plain text and absolute URLs."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One line of a listing in `lang`: the item's own version, or (fallback) another language's."""

    item: object
    lang: str
    fallback: bool


def listing_entries(groups, lang, policy):
    """Entries for `lang`, newest first: its own versions, plus others' originals when policy is 'link'."""
    entries = []
    for group in groups:
        own = group.in_lang(lang)
        if own is not None:
            entries.append(Entry(own, lang, False))
        elif policy == "link":
            entries.append(Entry(group.original, lang, True))
    entries.sort(key=lambda entry: (entry.item.date, entry.item.translation_key), reverse=True)
    return entries


def paginate(entries, per_page):
    """Split entries into pages; an empty listing still has one (empty) page."""
    pages = [entries[start:start + per_page] for start in range(0, len(entries), per_page)]
    return pages or [[]]


def page_path(base, number, page_word):
    """'fr/categorie/etudes/' + 2 -> 'fr/categorie/etudes/page/2/'; page 1 is the base itself."""
    return base if number == 1 else f"{base}{page_word}/{number}/"


# Elements whose text is not shown as text (as BeautifulSoup's get_text leaves them out).
NOT_TEXT = frozenset({"script", "style", "template", "rt", "rp"})


def plain_text(html):
    """An HTML fragment's text, its pieces trimmed and joined by spaces (descriptions, calendars):
    BeautifulSoup's get_text(" ", strip=True). Parsed with lxml, which hub_feeds loads anyway:
    importing BeautifulSoup (and soupsieve) cost a rebuild that renders one article 0.1 s."""
    if not html or not html.strip():
        return ""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    # Control characters, a doctype, an empty <html> (lxml asserts one <body>): BeautifulSoup's.
    except (ValueError, lxml.etree.ParserError, AssertionError):
        from bs4 import BeautifulSoup

        return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    pieces = (piece.strip() for piece in _texts(root))
    return " ".join(piece for piece in pieces if piece)


def _texts(element):
    """The text pieces of `element` and its descendants, in document order; not comments'."""
    if isinstance(element.tag, str) and element.tag not in NOT_TEXT:
        if element.text:
            yield element.text
        for child in element:
            yield from _texts(child)
            if child.tail:
                yield child.tail


def absolute(siteurl, path):
    """Join the site URL and a site-relative path ('' or 'fr/x/') into an absolute URL."""
    return f"{siteurl.rstrip('/')}/{path.lstrip('/')}"
