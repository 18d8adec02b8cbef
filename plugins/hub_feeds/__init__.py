"""hub_feeds: per-language Atom and RSS feeds, OPML and a feeds page, built on feedgen."""

from .plugin import register

__all__ = ["register"]
