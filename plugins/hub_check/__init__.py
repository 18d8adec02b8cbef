"""hub_check: content checks with clear messages, run by `invoke check` and by every build."""

from .plugin import register

__all__ = ["register"]
