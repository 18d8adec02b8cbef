"""hub_reuse: a rebuild copies the pages whose inputs did not change from the previous output."""

from .plugin import register

__all__ = ["register"]
