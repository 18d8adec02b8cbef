"""Share cards: the 1200×630 JPEG a social network shows when a page is posted. No Pelican here.

An article with a picture (its `Image:` header) shares that picture, cropped around its focus
point; any other article gets a card drawn for it: its title and the hub's name in the hub's
colours, with the fonts shipped in theme/fonts (never the system's, so every machine draws the same
bytes). A card is named by a key of everything that makes its bytes (`card_key`): the same key is
the same file, so a rebuild copies it from the cache instead of drawing it again, and a changed
title is a new key, a new file and a new URL (which also makes social networks fetch it again).
"""

import hashlib
import io
import json
import os
import re

from plugins.hub_files.relative import content_file

WIDTH, HEIGHT = 1200, 630
MIME_TYPE = "image/jpeg"
# Drawn at twice the size, then reduced: smooth edges on the circles and the text.
SCALE = 2
MARGIN = 80
TITLE_TOP, TITLE_BOTTOM = 170, 490  # the title's band, between the name and the sun
SKYLINE_LEFT = 900
JPEG_OPTIONS = {"quality": 88, "optimize": True, "subsampling": 0}  # 4:4:4: crisp white text on colour
# Title sizes tried from the largest, with the lines each may take; the last one ends in an ellipsis.
TITLE_SIZES = ((68, 3), (60, 4), (52, 4), (46, 5))
ELLIPSIS = "…"
TRAILING = " ,;:.-–—"  # not left before an ellipsis
FOCUS = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)%\s*[ ,]\s*(\d{1,3}(?:\.\d+)?)%\s*$")

# This file's own bytes are part of every key: a change to the drawing draws every card again.
with open(__file__, "rb") as _handle:
    CODE_DIGEST = hashlib.sha256(_handle.read()).hexdigest()


class CardError(ValueError):
    """A picture that cannot be read or cropped; the message says why."""


def parse_focus(text):
    """`Image_Focus: 30% 60%` -> (0.3, 0.6): the point to keep, from the left and from the top.
    None when absent; ValueError when written another way."""
    if text is None or not str(text).strip():
        return None
    match = FOCUS.match(str(text))
    if not match or not all(0 <= float(value) <= 100 for value in match.groups()):
        raise ValueError(f"{text!r} is not two percentages from the left and the top, like 30% 60%")
    return float(match.group(1)) / 100, float(match.group(2)) / 100


def font_digest(paths):
    """One digest of the fonts' bytes (read once per build)."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def card_key(*parts):
    """The key of a card: a hex digest of the drawing code, Pillow's version and `parts`."""
    from PIL import __version__ as pillow_version

    text = json.dumps([CODE_DIGEST, pillow_version, *parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- drawn cards ---------------------------------------------------------------
def wrap(text, font, width, max_lines):
    """`text` as lines no wider than `width` in `font`, greedily by words (a word too long for a
    line is cut); (lines, True) if it fits in `max_lines`, else the first `max_lines` lines, the last
    one ending in an ellipsis, and False."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while font.getlength(current) > width:  # a word longer than a line: cut it
            cut = len(current) - 1
            while cut > 1 and font.getlength(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, True
    kept = lines[:max_lines]
    words = kept[-1].split(" ")
    # Whole words and the ellipsis; a single word too long for it is cut.
    while len(words) > 1 and font.getlength(" ".join(words).rstrip(TRAILING) + ELLIPSIS) > width:
        words.pop()
    last = " ".join(words).rstrip(TRAILING)
    while last and font.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    kept[-1] = last + ELLIPSIS
    return kept, False


def fit_title(title, font_path, width):
    """(font, lines) for the title: the largest size of TITLE_SIZES at which it fits, else the
    smallest one with an ellipsis."""
    from PIL import ImageFont

    for size, max_lines in TITLE_SIZES:
        font = ImageFont.truetype(font_path, size * SCALE)
        lines, fits = wrap(title, font, width * SCALE, max_lines)
        if fits:
            return font, lines
    return font, lines


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[index:index + 2], 16) for index in (0, 2, 4))


def draw_card(title, site_name, tagline, fonts, colours, seed):
    """The JPEG bytes of a drawn card: `site_name` with the hub's mark at the top, `title` (wrapped,
    an ellipsis if too long) in the middle, `tagline` under an accent bar, and a skyline of bars in
    the corner whose heights come from `seed` (a hex text), so that cards differ at a glance.
    `fonts`: (bold TTF path, regular TTF path); `colours`: background, shade, text, muted, accent."""
    from PIL import Image, ImageDraw, ImageFont

    bold, regular = fonts
    paint = {name: _hex(value) for name, value in colours.items()}
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), paint["background"])
    draw = ImageDraw.Draw(image)

    # The skyline: bars rising from the bottom right, in the shade colour, with a sun above them.
    heights = [int(seed[index:index + 2], 16) % 80 for index in range(0, 10, 2)]
    left, bar, gap = SKYLINE_LEFT, 40, 16
    for index, value in enumerate(heights):
        x = left + index * (bar + gap)
        draw.rectangle((x * s, (HEIGHT - 30 - value) * s, (x + bar) * s, HEIGHT * s), fill=paint["shade"])
    lowest = heights.index(min(heights))
    sun_x, sun_y = left + lowest * (bar + gap) + bar // 2, HEIGHT - 30 - heights[lowest] - 26
    draw.ellipse(((sun_x - 12) * s, (sun_y - 12) * s, (sun_x + 12) * s, (sun_y + 12) * s), fill=paint["accent"])

    # The hub's mark (theme/static/img/logo.svg) and name.
    mark = 64
    x0, y0 = MARGIN, 56
    unit = mark / 40  # the logo's viewBox is 40 units wide
    draw.rounded_rectangle((x0 * s, y0 * s, (x0 + mark) * s, (y0 + mark) * s), radius=int(8 * unit * s),
                           fill=paint["shade"])
    stroke = max(1, round(2.4 * unit * s))
    for path in (((8, 30), (8, 18), (14, 18), (14, 30)), ((17, 30), (17, 10), (23, 10), (23, 30)),
                 ((26, 30), (26, 15), (32, 15), (32, 30)), ((6, 31), (34, 31))):
        points = [((x0 + px * unit) * s, (y0 + py * unit) * s) for px, py in path]
        draw.line(points, fill=paint["text"], width=stroke, joint="curve")
    cx, cy, radius = x0 + 20 * unit, y0 + 6.5 * unit, 2 * unit
    draw.ellipse(((cx - radius) * s, (cy - radius) * s, (cx + radius) * s, (cy + radius) * s), fill=paint["accent"])
    name_font = ImageFont.truetype(bold, 34 * s)
    draw.text(((x0 + mark + 22) * s, (y0 + mark / 2) * s), site_name, font=name_font, fill=paint["text"], anchor="lm")

    # The title, centred in the space between the name and the accent bar.
    font, lines = fit_title(title, bold, WIDTH - 2 * MARGIN)
    line_height = font.size * 1.2
    block = line_height * len(lines)
    top = (TITLE_TOP + TITLE_BOTTOM) / 2 * s - block / 2
    for number, line in enumerate(lines):
        draw.text((MARGIN * s, top + number * line_height), line, font=font, fill=paint["text"], anchor="la")

    # The accent bar and the tagline.
    draw.rectangle((MARGIN * s, 530 * s, (MARGIN + 120) * s, 538 * s), fill=paint["accent"])
    tagline_font = ImageFont.truetype(regular, 24 * s)
    shown, _ = wrap(tagline, tagline_font, (left - 40 - MARGIN) * s, 1)
    draw.text((MARGIN * s, 556 * s), shown[0] if shown else "", font=tagline_font, fill=paint["muted"], anchor="la")

    return _jpeg(image.reduce(SCALE))  # a box average of each 2×2: smooth, and fast


# --- pictures ------------------------------------------------------------------
def crop_picture(path, focus=None):
    """The JPEG bytes of the picture at `path` cropped to WIDTH×HEIGHT around `focus` ((x, y) in
    0..1, the centre if None): turned as its camera says, in sRGB, with no metadata. Raises
    CardError when the file is not a picture Pillow can read."""
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    fx, fy = focus or (0.5, 0.5)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise CardError(f"not a picture that can be read ({error})") from None
    image = to_srgb(image)
    width, height = image.size
    scale = max(WIDTH / width, HEIGHT / height)
    crop_width, crop_height = WIDTH / scale, HEIGHT / scale
    left = min(max(fx * width - crop_width / 2, 0), width - crop_width)
    top = min(max(fy * height - crop_height / 2, 0), height - crop_height)
    box = (left, top, left + crop_width, top + crop_height)
    return _jpeg(image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0))


def to_srgb(image):
    """`image` as RGB pixels in sRGB: converted through its embedded colour profile if it has one,
    and laid on white if it is transparent."""
    from PIL import Image, ImageCms

    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(mode)
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: take the pixels as they are
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image):
    """JPEG bytes with no metadata: a fresh image of the pixels carries no EXIF, profile or comment."""
    from PIL import Image

    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", **JPEG_OPTIONS)
    return out.getvalue()


def file_digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def picture_path(written, source, content_root):
    """The file an `Image:` header names ('/images/x.jpg' from the content folder, 'photo.jpg' beside
    the article's file `source`, relative to the content folder); Pelican's {static} or {attach}
    prefix is allowed. None for a web address."""
    target = str(written).strip()
    target = re.sub(r"^[{|](?:static|attach|filename)[}|]", "", target)
    if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        return None
    return os.path.normpath(os.path.join(content_root, *content_file(target, source).split("/")))
