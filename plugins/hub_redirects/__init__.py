"""hub_redirects: the old site's addresses (content/redirects.toml) keep working on the hub."""

from .plugin import register

__all__ = ["register"]
