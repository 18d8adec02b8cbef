"""Pictures the hub's own data files name (edition covers, category illustrations): a file in the
content folder, its pixel size for <img width height>, and its alt text per language. No Pelican here."""

import os
import re
from dataclasses import dataclass, field, replace

# The root <svg ...> tag and its width and height (plain numbers or px), or its viewBox.
SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
SVG_LENGTH = re.compile(rb"""(?<![-\w:])(width|height)\s*=\s*["']\s*([0-9.]+)\s*(?:px)?\s*["']""", re.IGNORECASE)
SVG_VIEWBOX = re.compile(rb"""\bviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']""", re.IGNORECASE)


@dataclass(frozen=True)
class Picture:
    src: str  # path in the content folder, as the site serves it: images/covers/2012.svg
    alts: dict = field(hash=False, compare=False)  # lang -> alt text
    width: int | None = None
    height: int | None = None

    def alt(self, lang):
        return self.alts[lang]


def parse_picture(path, alts, languages, where):
    """A Picture from a data file's entry: `path` a text, `alts` a table with a text per language.
    Returns (picture or None, problem or None); `where` starts the message."""
    if not isinstance(path, str) or not path.strip() or path.strip().startswith(("/", "http:", "https:")):
        return None, f"{where}: the picture must be a path in the content folder, e.g. \"images/covers/2021.svg\""
    if not isinstance(alts, dict):
        return None, f"{where}: the picture needs its alt text in a table, e.g. {{fr = \"...\", es = \"...\", en = \"...\"}}"
    missing = [lang for lang in languages if not str(alts.get(lang, "")).strip()]
    if missing:
        return None, f"{where}: the picture has no alt text for {', '.join(missing)}; add e.g. {missing[0]} = \"...\""
    return Picture(path.strip(), {lang: str(alts[lang]).strip() for lang in languages}), None


def picture_size(path):
    """(width, height) in pixels of a PNG, JPEG, WebP or GIF (its header), or of an SVG (its root
    width and height, else its viewBox); None when it cannot be told."""
    if path.lower().endswith(".svg"):
        with open(path, "rb") as handle:
            tag = SVG_TAG.search(handle.read(4096))
        if tag is None:
            return None
        lengths = {name.lower(): float(value) for name, value in SVG_LENGTH.findall(tag.group(0))}
        if b"width" in lengths and b"height" in lengths:
            return round(lengths[b"width"]), round(lengths[b"height"])
        box = SVG_VIEWBOX.search(tag.group(0))
        return (round(float(box.group(1))), round(float(box.group(2)))) if box else None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def measured(picture, content_root):
    """`picture` with its size, or (None, why) when its file is missing or unreadable."""
    path = os.path.join(content_root, *picture.src.split("/"))
    if not os.path.isfile(path):
        return None, f"{picture.src!r} is not a file in the content folder"
    size = picture_size(path)
    if size is None:
        return None, f"{picture.src!r} is not a picture whose size can be read"
    return replace(picture, width=size[0], height=size[1]), None
