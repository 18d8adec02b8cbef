"""Make every URL in an HTML fragment absolute: feed readers show content out of the site's context.

lxml (C) rather than BeautifulSoup: this runs on every feed entry's full text, in every build.
"""

from html import escape
from urllib.parse import urljoin

import lxml.html

SRCSET_ELEMENTS = "//img[@srcset] | //source[@srcset]"


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
    return inner, links
