"""hub_i18n: single-pass multilingual publishing for Pelican (one read, every language)."""

from .plugin import register

__all__ = ["register"]
