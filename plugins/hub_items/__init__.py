"""hub_items: what makes the hub more than a blog: study editions, calls with deadlines, events."""

from .plugin import register

__all__ = ["register"]
