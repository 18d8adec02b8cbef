"""sitemap.xml with xhtml:link hreflang alternates, and robots.txt."""

from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(pages):
    """pages: iterable of (url, lastmod or None, [(hreflang, url)]); sorted by URL for stable bytes."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for url, lastmod, alternates in sorted(pages, key=lambda page: page[0]):
        entry = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = url
        if lastmod:
            etree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
        for hreflang, href in alternates:
            etree.SubElement(entry, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def robots_txt(siteurl, disallow=()):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    lines.append(f"Sitemap: {siteurl.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
