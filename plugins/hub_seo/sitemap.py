"""sitemap.xml with xhtml:link hreflang alternates, and robots.txt."""

import io

from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(pages):
    """pages: iterable of (url, lastmod or None, [(hreflang, url)]); sorted by URL for stable bytes.
    Yields the file in chunks, entry by entry (lxml's incremental writer): a tree of the whole
    sitemap held a few hundred bytes per element, 0.25 GB at 46,000 pages of four alternates each,
    and the whole file in memory, twice while it was copied out, 60 MB more."""
    out = io.BytesIO()
    url_tag, loc_tag, lastmod_tag = (f"{{{SITEMAP_NS}}}{name}" for name in ("url", "loc", "lastmod"))
    link_tag = f"{{{XHTML_NS}}}link"
    with etree.xmlfile(out, encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS}):
            for number, (url, lastmod, alternates) in enumerate(sorted(pages, key=lambda page: page[0]), 1):
                xml.write("\n  ")
                with xml.element(url_tag):
                    xml.write("\n    ")
                    with xml.element(loc_tag):
                        xml.write(url)
                    if lastmod:
                        xml.write("\n    ")
                        with xml.element(lastmod_tag):
                            xml.write(lastmod)
                    for hreflang, href in alternates:
                        xml.write("\n    ")
                        with xml.element(link_tag, rel="alternate", hreflang=hreflang, href=href):
                            pass
                    xml.write("\n  ")
                if number % 500 == 0:
                    xml.flush()
                    yield _taken(out)
            xml.write("\n")
    out.write(b"\n")
    yield out.getvalue()


def _taken(out):
    """What the BytesIO holds, which it then forgets."""
    data = out.getvalue()
    out.seek(0)
    out.truncate()
    return data


def robots_txt(siteurl, disallow=()):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    lines.append(f"Sitemap: {siteurl.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
