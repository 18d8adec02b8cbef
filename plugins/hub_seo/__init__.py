"""hub_seo: what crawlers and link previews read: JSON-LD, OpenGraph data, sitemap.xml, robots.txt."""

from .plugin import register

__all__ = ["register"]
