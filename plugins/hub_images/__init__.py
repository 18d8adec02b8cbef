"""hub_images: responsive, metadata-free pictures (Image: header and inline images) and attachments."""

from .plugin import register

__all__ = ["register"]
