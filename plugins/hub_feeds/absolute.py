"""Make every URL in an HTML fragment absolute: feed readers show content out of the site's context.

lxml (C) rather than BeautifulSoup: this runs on every feed entry's full text, in every build.
"""

import re
from html import escape
from urllib.parse import urljoin

import lxml.html

SRCSET_ELEMENTS = "//img[@srcset] | //source[@srcset]"
# Void elements of HTML5 that libxml2's HTML (4) parser does not know: it closes them with an end
# tag (and may nest what follows in them), which HTML5 parsers and the feed validator reject. Without
# the end tag, the text is the one written.
UNKNOWN_VOID_END = re.compile(r"</(?:source|track|wbr)>")


def absolutize_srcset(value, base):
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split()
        if parts:
            parts[0] = urljoin(base, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolutize(html, base):
    """`html` with relative URLs resolved against `base` (the page's own absolute URL)."""
    return absolutize_with_links(html, base)[0]


def absolutize_with_links(html, base):
    """(`html` with absolute URLs, the absolute targets of its <a href>): one parse for both."""
    if not html:
        return html, []
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    # href, src, action, poster, cite, data... (lxml's list of link attributes); mailto: untouched.
    wrapper.make_links_absolute(base, resolve_base_href=False)
    for element in wrapper.xpath(SRCSET_ELEMENTS):
        element.set("srcset", absolutize_srcset(element.get("srcset"), base))
    links = [element.get("href") for element in wrapper.iter("a") if element.get("href")]
    inner = escape(wrapper.text or "", quote=False) + "".join(lxml.html.tostring(child, encoding="unicode") for child in wrapper)
    return UNKNOWN_VOID_END.sub("", inner), links
