"""hub_search: a search page per language and a Pagefind index (one per <html lang>) after each build."""

from .plugin import register

__all__ = ["register"]
