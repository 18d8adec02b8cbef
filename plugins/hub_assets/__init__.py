"""hub_assets: a public build's last step: content-hashed theme assets and precompressed copies."""

from .plugin import register

__all__ = ["register"]
