"""Responsive variants of a picture, and the markup that offers them: pure functions, no Pelican.

A source image (JPEG, PNG, WebP, AVIF, phone HEIC) is turned upright from its EXIF orientation,
converted to sRGB, stripped of every piece of metadata (EXIF and its GPS position, XMP, ICC
profile, maker notes) and written at a few widths in AVIF, WebP and a JPEG (PNG when it has
transparency) fallback. The same bytes and settings give the same files, byte for byte: they are
kept in a cache folder under a key made of both, so an unchanged picture costs a file link.
"""

import hashlib
import io
import json
import os
import re
import warnings
from dataclasses import dataclass
from html import escape

from plugins.hub_engine.outputs import write_atomically

# What the pipeline reads (by file name); SVG is passed through as it is, after its check.
RASTER_SOURCES = frozenset({"jpg", "jpeg", "png", "webp", "avif", "heic", "heif"})
VECTOR_SOURCES = frozenset({"svg"})
WIDTHS = (480, 960, 1440)
# Quality per format: AVIF and WebP reach JPEG's look at fewer bytes.
QUALITY = {"avif": 55, "webp": 75, "jpeg": 82}
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml"}
EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
# The layout width the text column gives a picture (theme/static/css: .wrap's max width).
SIZES = "(max-width: 760px) 100vw, 760px"
FORMAT_VERSION = 1  # change it when the processing changes: every cached variant is made again


def settings_signature(widths=WIDTHS, quality=None):
    """What the variants depend on besides the source's bytes: the widths, the qualities, this
    code's version and the libraries that encode (another libavif may write other bytes)."""
    import PIL

    try:
        from importlib.metadata import version
        heif = version("pillow-heif")
    except Exception:  # not installed: HEIC sources are refused by the checks
        heif = None
    return json.dumps({"widths": list(widths), "quality": quality or QUALITY, "format": FORMAT_VERSION,
                       "pillow": PIL.__version__, "pillow-heif": heif}, sort_keys=True)


def variant_key(source_digest, signature):
    """The cache key of a source's variants: sha256 of its bytes' sha256 (`source_digest`, raw
    bytes) and of the settings."""
    return hashlib.sha256(source_digest + signature.encode()).hexdigest()


def planned_widths(width, widths=WIDTHS):
    """The widths to make for a picture `width` pixels wide: never wider than the original (which
    then comes at its own width, if smaller than the largest)."""
    planned = [w for w in widths if w < width]
    if width <= max(widths):
        planned.append(width)
    else:
        planned.append(max(widths))
    return sorted(set(planned))


@dataclass(frozen=True)
class Variant:
    name: str  # file name in the cache entry: '<width>.<extension>'
    width: int
    height: int
    format: str  # avif, webp, jpeg or png


@dataclass(frozen=True)
class Processed:
    """What the pipeline made of one source: its upright size and its variants."""
    key: str
    width: int
    height: int
    alpha: bool
    variants: tuple  # Variant, by format then width

    def of_format(self, kind):
        return [variant for variant in self.variants if variant.format == kind]

    @property
    def fallback_format(self):
        return "png" if self.alpha else "jpeg"


def _open(data):
    from PIL import Image

    register_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        image.load()
    return image


def register_heif():
    """Let Pillow open phone HEIC/HEIF pictures, if pillow-heif is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def upright_srgb(image):
    """`image` turned upright (EXIF orientation), in sRGB (its ICC profile applied), RGB or RGBA,
    with no metadata at all: (image, has transparency)."""
    from PIL import Image, ImageCms, ImageOps

    image = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if image.mode == "I;16" or image.mode == "I":
        image = image.point(lambda value: value / 256).convert("L")
    target = "RGBA" if alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(target)
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a damaged profile: the pixels as they are
    image = image.convert(target)
    # A new image holding the pixels only: nothing of the source's info (EXIF, XMP, ICC, comments) follows.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean, alpha


def encode(image, kind):
    """`image`'s bytes in `kind`, without metadata; the same pixels give the same bytes."""
    buffer = io.BytesIO()
    image.info = {}
    if kind == "avif":
        image.save(buffer, "AVIF", quality=QUALITY["avif"], speed=6, max_threads=1)
    elif kind == "webp":
        image.save(buffer, "WEBP", quality=QUALITY["webp"], method=4)
    elif kind == "jpeg":
        image.save(buffer, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def process(data, widths=WIDTHS):
    """[(Variant, bytes)] of a source's bytes, and (width, height, alpha) of the upright picture."""
    from PIL import Image

    image, alpha = upright_srgb(_open(data))
    width, height = image.size
    made = []
    for kind in ("avif", "webp", "png" if alpha else "jpeg"):
        for target in planned_widths(width, widths):
            scaled_height = max(1, round(height * target / width))
            scaled = image if target == width else image.resize((target, scaled_height), Image.Resampling.LANCZOS)
            made.append((Variant(f"{target}.{EXTENSION[kind]}", target, scaled_height, kind), encode(scaled, kind)))
    return made, (width, height, alpha)


def clean_copy(data, extension):
    """A published copy of a raster file no page shows through the pipeline (a file of images/
    linked from elsewhere): upright, sRGB, no metadata, in its own format."""
    image, alpha = upright_srgb(_open(data))
    kind = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp", "avif": "avif"}.get(extension)
    if kind == "jpeg" and alpha:
        image = image.convert("RGB")
    return encode(image, kind or "png")


MANIFEST = "variants.json"


def cached(entry):
    """The Processed kept in cache folder `entry`, or None if it is missing or incomplete."""
    try:
        with open(os.path.join(entry, MANIFEST), encoding="utf-8") as handle:
            kept = json.load(handle)
        variants = tuple(Variant(**variant) for variant in kept["variants"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all(os.path.isfile(os.path.join(entry, variant.name)) for variant in variants):
        return None
    return Processed(kept["key"], kept["width"], kept["height"], kept["alpha"], variants)


def make_variants(source, entry, key, widths=WIDTHS):
    """Process the file `source` into cache folder `entry` (written whole or not at all); the
    Processed. Module-level and picklable: a cold build runs it on every core."""
    with open(source, "rb") as handle:
        data = handle.read()
    made, (width, height, alpha) = process(data, widths)
    partial = f"{entry}.{os.getpid()}.partial"
    os.makedirs(partial, exist_ok=True)
    for variant, encoded in made:
        with open(os.path.join(partial, variant.name), "wb") as handle:
            handle.write(encoded)
    processed = Processed(key, width, height, alpha, tuple(variant for variant, _ in made))
    with open(os.path.join(partial, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump({"key": key, "width": width, "height": height, "alpha": alpha,
                   "variants": [variant.__dict__ for variant in processed.variants]}, handle, sort_keys=True)
    os.makedirs(os.path.dirname(entry), exist_ok=True)
    try:
        os.rename(partial, entry)
    except OSError:  # another build made it meanwhile: keep that one
        import shutil
        shutil.rmtree(partial, ignore_errors=True)
    return processed


def make_clean_copy(source, entry, extension):
    """clean_copy of `source` into the cache file `entry`; its path. Picklable, like make_variants."""
    with open(source, "rb") as handle:
        data = clean_copy(handle.read(), extension)
    write_atomically(entry, data)
    return entry


def published_name(stem, key, variant):
    """The output file name of a variant, beside where the original would be: photo-960.1a2b3c4d.webp.
    The key in the name changes with the source's bytes: browsers and caches never keep an old one."""
    return f"{stem}-{variant.width}.{key[:10]}.{EXTENSION[variant.format]}"


@dataclass(frozen=True)
class Picture:
    """What a page needs to show a processed picture (URLs absolute or site-relative, as given)."""
    alt: str
    width: int
    height: int
    avif: str  # srcset
    webp: str
    fallback_srcset: str
    fallback_url: str  # the largest fallback: <img src>, feed enclosures
    fallback_type: str
    fallback_length: int
    focus: str = ""  # CSS object-position ('30% 60%'), if the editor gave one
    credit: str = ""
    sizes: str = SIZES


def srcset(urls_and_variants):
    return ", ".join(f"{url} {variant.width}w" for url, variant in urls_and_variants)


def picture(processed, url_of, alt, sizes_of=None, focus="", credit=""):
    """A Picture of `processed`, with `url_of(variant)` the URL of each variant."""
    fallback = processed.of_format(processed.fallback_format)
    largest = fallback[-1]
    return Picture(
        alt=alt, width=largest.width, height=largest.height,
        avif=srcset((url_of(v), v) for v in processed.of_format("avif")),
        webp=srcset((url_of(v), v) for v in processed.of_format("webp")),
        fallback_srcset=srcset((url_of(v), v) for v in fallback),
        fallback_url=url_of(largest), fallback_type=MIME[processed.fallback_format],
        fallback_length=sizes_of(largest) if sizes_of else 0, focus=focus, credit=credit)


def picture_html(picture, lazy=True, extra_attributes=""):
    """<picture> markup: AVIF, then WebP, then an <img> with its size (no layout shift)."""
    style = f' style="object-position: {escape(picture.focus)}"' if picture.focus else ""
    loading = 'loading="lazy" ' if lazy else 'fetchpriority="high" '
    return (f'<picture>'
            f'<source type="image/avif" srcset="{escape(picture.avif)}" sizes="{SIZES}">'
            f'<source type="image/webp" srcset="{escape(picture.webp)}" sizes="{SIZES}">'
            f'<img src="{escape(picture.fallback_url)}" srcset="{escape(picture.fallback_srcset)}" sizes="{SIZES}" '
            f'width="{picture.width}" height="{picture.height}" alt="{escape(picture.alt)}" '
            f'{loading}decoding="async"{style}{extra_attributes}>'
            f'</picture>')


FOCUS = re.compile(r"^(\d{1,3})% (\d{1,3})%$")


def focus_problem(value):
    """What is wrong with an Image_Focus value ('30% 60%': across, then down), or None."""
    match = FOCUS.fullmatch(value.strip())
    if not match or any(int(part) > 100 for part in match.groups()):
        return (f"{value!r} is not a point of the picture; write how far across, then down, in percent: "
                f"e.g. 'Image_Focus: 30% 60%' (50% 50% is the centre); until then the picture is cut around its centre")
    return None


def svg_problem(data):
    """Why an SVG file cannot be published (a script, an event handler, or a reference to another
    file or site, which a page would fetch or run), or None."""
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"is not a readable SVG file ({error.msg}); export it again from your drawing program"
    if b"<!ENTITY" in data:
        return "declares XML entities, which can fetch other files; export it again as plain SVG"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname.lower()
        if name in ("script", "foreignobject"):
            return f"holds a <{name}> element, which would run in readers' browsers; remove it (export as plain SVG)"
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                return f"has an event handler ({local}=...), which would run in readers' browsers; remove it"
            if local == "href" and value.strip() and not value.strip().startswith("#") \
                    and not value.strip().startswith("data:image/"):
                return f"refers to another file or site ({value.strip()[:60]!r}); embed it or remove the reference"
        if name == "style" and element.text and re.search(r"url\(\s*['\"]?(?!#)|@import", element.text):
            return "its style loads another file or site (url() or @import); remove the reference"
        style = element.get("style") or ""
        if re.search(r"url\(\s*['\"]?(?!#)|@import", style):
            return "its style loads another file or site (url() or @import); remove the reference"
    return None


def svg_size(data):
    """(width, height) in pixels an SVG declares (its width/height, else its viewBox), or None."""
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    number = lambda text: float(re.match(r"^\s*([0-9.]+)\s*(px)?\s*$", text or "").group(1))
    try:
        return round(number(root.get("width"))), round(number(root.get("height")))
    except (AttributeError, ValueError):
        pass
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return round(float(parts[2])), round(float(parts[3]))
    except (IndexError, ValueError):
        return None
