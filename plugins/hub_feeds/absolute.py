"""Make every URL in an HTML fragment absolute: feed readers show content out of the site's context."""

from urllib.parse import urljoin

from bs4 import BeautifulSoup

URL_ATTRIBUTES = {
    "a": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "iframe": ("src",), "link": ("href",), "area": ("href",),
    "object": ("data",), "embed": ("src",), "blockquote": ("cite",), "q": ("cite",), "del": ("cite",), "ins": ("cite",),
}


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
    soup = BeautifulSoup(html, "html.parser")
    for tag, attributes in URL_ATTRIBUTES.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                value = element.get(attribute)
                if not value or value.startswith(("mailto:", "tel:", "data:")):
                    continue
                if attribute == "srcset":
                    element[attribute] = absolutize_srcset(value, base)
                else:
                    element[attribute] = urljoin(base, value)
    return str(soup), [a["href"] for a in soup.find_all("a", href=True)]
