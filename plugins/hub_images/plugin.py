"""Pelican glue for hub_images: featured images (Image: header), inline images and attachments.

- generator context (after hub_i18n grouped the versions): each item's Image and Attachments
  headers are resolved (a translation without Image shows its original's) and handed to Pelican's
  static generator, like a text's {static} links.
- static_generator_finalized (every file is known, nothing is written yet): each raster picture a
  page shows is processed (pictures.py) or taken from the cache; the page's <img> become
  <picture>; the original is taken off Pelican's copy list. Raster files of the static folders
  that no page shows through the pipeline are published as clean copies (no metadata).
- generate_output: the variants are linked (or copied) from the cache into the output.

In the live preview, an edit of an article's words only gets its picture markup again from
`dress_text_again` (hub_engine's text_read_again), with the pictures of the run.
"""

import hashlib
import logging
import os
import posixpath
import re
import shutil
from concurrent.futures import ProcessPoolExecutor

from lxml import html as lxml_html
from pelican import signals
from pelican.generators import Generator

from plugins.hub_engine import signals as engine_signals
from plugins.hub_engine.outputs import outputs_of
from plugins.hub_engine.pelican_private import item_html, set_item_html
from plugins.hub_files.relative import content_file
from plugins.hub_i18n.dates import language_name
from plugins.hub_i18n.plugin import RunState

from . import pictures

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_IMAGES_WIDTHS": pictures.WIDTHS,
    "HUB_IMAGES_CACHE_PATH": None,  # default: CACHE_PATH/images (hubsite.build: beside the output's cache)
    "HUB_IMAGES_WORKERS": None,  # processes for a cold build; default: every core
}
CONTENT_LISTS = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages")
# <img ...> tags and the Pelican links in their src (as Markdown and hub_files write them).
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
PELICAN_LINK = re.compile(r"^[{|](?:static|attach|filename)[}|](?P<path>[^?#]+)")
ANCHOR_TO_FILE = re.compile(r"""(<a\b[^>]*?\bhref=")([{|](?:static|attach|filename)[}|][^"?#]+)((?:[?#][^"]*)?")""")
DOCUMENT_TYPES = {"pdf": "application/pdf", "doc": "application/msword",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "odt": "application/vnd.oasis.opendocument.text", "xls": "application/vnd.ms-excel",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "ods": "application/vnd.oasis.opendocument.spreadsheet",
                  "ppt": "application/vnd.ms-powerpoint",
                  "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  "odp": "application/vnd.oasis.opendocument.presentation", "zip": "application/zip",
                  "epub": "application/epub+zip", "csv": "text/csv", "txt": "text/plain"}


def fill_defaults(pelican):
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)


def content_path(item, target):
    """The content file (relative to PATH, POSIX) a header or link of `item` names."""
    return content_file(target, item.get_relative_source_path().replace(os.sep, "/"))


def split_list(value):
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def extension_of(path):
    return posixpath.splitext(path)[1][1:].lower()


def all_items(context):
    seen, items = set(), []
    for name in CONTENT_LISTS:
        for item in context.get(name) or ():
            if id(item) not in seen:
                seen.add(id(item))
                items.append(item)
    return items


def original_of(item):
    """The version of `item` that is not a translation (hub_i18n's grouping), or None."""
    for other in (getattr(item, "hub_versions", None) or {}).values():
        if other is not item and not getattr(other, "is_translation", False):
            return other
    return None


class HubImagesGenerator(Generator):
    """Resolves headers before the static generator reads its files; writes the variants."""

    def generate_context(self):
        links = self.context.setdefault("static_links", set())
        for item in all_items(self.context):
            meta = item.metadata
            own = str(meta.get("image") or "").strip()
            source, focus, credit = own, str(meta.get("image_focus") or "").strip(), str(meta.get("image_credit") or "").strip()
            owner = item
            if not own and getattr(item, "is_translation", False):
                original = original_of(item)
                if original is not None and str(original.metadata.get("image") or "").strip():
                    owner = original
                    source = str(original.metadata["image"]).strip()
                    focus = focus or str(original.metadata.get("image_focus") or "").strip()
                    credit = credit or str(original.metadata.get("image_credit") or "").strip()
            item.hub_image_request = None
            if source:
                path = content_path(owner, source)
                item.hub_image_request = (path, str(meta.get("image_alt") or "").strip(), focus, credit)
                links.add(path)
            item.hub_attachment_paths = [content_path(item, name) for name in split_list(meta.get("attachments"))]
            links.update(item.hub_attachment_paths)
            item.hub_picture = None
            item.hub_attachments = []

    def generate_output(self, writer):
        run = self.settings.get("HUB_IMAGES_RUN")
        if run is None:
            return
        outputs = outputs_of(self.settings)
        for cache_file, relative in run.outputs:
            outputs.add(relative, source=cache_file)  # linked: the cache is never written in place
        logger.info("hub_images: %d pictures (%d processed now, %d from the cache), %d files written",
                    run.pictures, run.processed, run.pictures - run.processed, len(run.outputs))


class ImagesRun(RunState):
    """One build's pictures: what to link into the output (cache file, output path)."""

    def __init__(self):
        self.outputs = []
        self.published = {}  # content path -> (processed variants, {variant name: (url, size)})
        self.pictures = self.processed = 0


def cache_dir(settings):
    return settings.get("HUB_IMAGES_CACHE_PATH") or os.path.join(settings.get("CACHE_PATH") or "cache", "images")


def process_pictures(generator):
    """static_generator_finalized: process (or find in the cache) every picture pages show."""
    settings, context = generator.settings, generator.context
    content_root = settings["PATH"]
    statics = {static.get_relative_source_path().replace(os.sep, "/"): static for static in generator.staticfiles}
    items = all_items(context)
    # Every raster file a page shows: featured images, then <img> of the texts.
    wanted = set()
    inline = {}
    for item in items:
        request = getattr(item, "hub_image_request", None)
        if request and extension_of(request[0]) in pictures.RASTER_SOURCES:
            wanted.add(request[0])
        inline[id(item)] = inline_pictures(item, item_html(item))
        wanted.update(inline[id(item)])
    wanted = {path for path in wanted if path in statics}
    widths = tuple(settings["HUB_IMAGES_WIDTHS"])
    signature = pictures.settings_signature(widths)
    root = cache_dir(settings)
    run = ImagesRun()
    settings["HUB_IMAGES_RUN"] = run
    jobs, processed = {}, {}
    first_with_key, same_bytes = {}, {}  # a photo copied beside each translation is processed once
    digest_of = source_digests(settings)
    for path in sorted(wanted):
        source = os.path.join(content_root, *path.split("/"))
        key = pictures.variant_key(digest_of(path), signature)
        entry = os.path.join(root, key[:2], key)
        kept = pictures.cached(entry)
        if kept is not None:
            processed[path] = kept
        elif key in first_with_key:
            same_bytes[path] = first_with_key[key]
        else:
            first_with_key[key] = path
            jobs[path] = (source, entry, key, widths)
    # Raster files of the static folders that no page shows through the pipeline: clean copies.
    clean_jobs, cleaned = {}, {}
    for path, static in statics.items():
        if path in wanted or extension_of(path) not in pictures.RASTER_SOURCES - {"heic", "heif"}:
            continue
        source = os.path.join(content_root, *path.split("/"))
        key = pictures.variant_key(digest_of(path), signature + "|clean")
        entry = os.path.join(root, key[:2], f"{key}.{extension_of(path)}")
        cleaned[path] = entry
        if not os.path.isfile(entry):
            clean_jobs[path] = (source, entry, extension_of(path))
    run_jobs(jobs, clean_jobs, processed, settings)
    processed.update((path, processed[first]) for path, first in same_bytes.items() if first in processed)
    processed = dict(sorted(processed.items()))
    run.pictures, run.processed = len(wanted), len(jobs)
    # The outputs, the pages' markup, and the originals taken off Pelican's copy list.
    siteurl = settings.get("SITEURL", "")
    published = {}
    for path, result in processed.items():
        static = statics[path]
        folder = posixpath.dirname(static.save_as.replace(os.sep, "/"))
        stem = posixpath.splitext(posixpath.basename(static.save_as))[0]
        entry = os.path.join(root, result.key[:2], result.key)
        urls = {}
        for variant in result.variants:
            relative = posixpath.join(folder, pictures.published_name(stem, result.key, variant))
            run.outputs.append((os.path.join(entry, variant.name), relative))
            urls[variant.name] = (f"{siteurl}/{relative}", os.path.getsize(os.path.join(entry, variant.name)))
        published[path] = (result, urls)
    cleaned = {path: entry for path, entry in cleaned.items() if os.path.isfile(entry)}  # else: published as it is
    for path, entry in cleaned.items():
        run.outputs.append((entry, statics[path].save_as.replace(os.sep, "/")))
    taken = set(published) | set(cleaned)
    generator.staticfiles[:] = [s for s in generator.staticfiles
                                if s.get_relative_source_path().replace(os.sep, "/") not in taken]
    generator.context["staticfiles"] = generator.staticfiles
    run.published = published
    for item in items:
        dress_item(item, published, statics, siteurl, inline.get(id(item), []))


def inline_pictures(item, text):
    """The raster files (paths relative to PATH) that the <img> of `text`, the item's HTML, show."""
    found = []
    for tag in IMG_TAG.findall(text or ""):
        match = PELICAN_LINK.match(attribute(tag, "src") or "")
        if match:
            path = content_path(item, match["path"])
            if extension_of(path) in pictures.RASTER_SOURCES:
                found.append(path)
    return found


def source_digests(settings):
    """digest_of(path relative to PATH): the sha256 of a content file's bytes, from the build's
    input scan when there is one (hubsite.build: every file was read once already), else read now."""
    scanned = settings.get("HUB_CHECK_DIGESTS")
    known = getattr(scanned, "digests", None) or {}

    def digest_of(path):
        digest = known.get(path)
        if digest is not None:
            return bytes.fromhex(digest)
        with open(os.path.join(settings["PATH"], *path.split("/")), "rb") as handle:
            return hashlib.sha256(handle.read()).digest()

    return digest_of


def run_jobs(jobs, clean_jobs, processed, settings):
    """Process the pictures missing from the cache: on every core when there are several."""
    if not jobs and not clean_jobs:
        return
    workers = settings.get("HUB_IMAGES_WORKERS") or os.cpu_count() or 1
    workers = min(workers, len(jobs) + len(clean_jobs))
    if workers <= 1:
        for path, job in jobs.items():
            processed[path] = guarded(path, pictures.make_variants, *job)
        for path, job in clean_jobs.items():
            guarded(path, pictures.make_clean_copy, *job)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {path: pool.submit(pictures.make_variants, *job) for path, job in jobs.items()}
            cleans = {path: pool.submit(pictures.make_clean_copy, *job) for path, job in clean_jobs.items()}
            for path, future in list(futures.items()) + list(cleans.items()):
                result = guarded(path, future.result)
                if path in futures:
                    processed[path] = result
    for path in [path for path, result in processed.items() if result is None]:
        del processed[path]


def guarded(path, function, *args):
    """function(*args); a picture that cannot be processed is published as it is, with a warning
    (hub_check has told the editor what is wrong with the file)."""
    try:
        return function(*args)
    except Exception as error:  # a damaged file: Pillow raises many kinds
        logger.warning("hub_images: content/%s could not be processed (%s); it is published as it is", path, error)
        return None


def attribute(tag, name):
    """The value of attribute `name` of one HTML start tag (entities decoded), or None."""
    try:
        element = lxml_html.fragment_fromstring(tag)
    except Exception:
        return None
    return element.get(name)


def dress_item(item, published, statics, siteurl, inline_paths):
    """Set the item's Picture, attachments and files; rewrite its text's <img> and links."""
    request = getattr(item, "hub_image_request", None)
    if request:
        path, alt, focus, credit = request
        if path in published:
            result, urls = published[path]
            item.hub_picture = pictures.picture(result, lambda v: urls[v.name][0], alt,
                                                sizes_of=lambda v: urls[v.name][1], focus=focus, credit=credit)
        elif path in statics:  # SVG (passed through) or a file that could not be processed
            item.hub_picture = pictures.Picture(alt=alt, width=0, height=0, avif="", webp="", fallback_srcset="",
                                                fallback_url=f"{siteurl}/{statics[path].url}",
                                                fallback_type=pictures.MIME.get(extension_of(path), "image/png"),
                                                fallback_length=os.path.getsize(statics[path].source_path),
                                                focus=focus, credit=credit)
            size = svg_size_of(statics[path].source_path) if extension_of(path) == "svg" else None
            if size:
                item.hub_picture = item.hub_picture.__class__(**dict(item.hub_picture.__dict__, width=size[0], height=size[1]))
    item.hub_attachments = [attachment(item, path, statics[path], siteurl)
                            for path in getattr(item, "hub_attachment_paths", ()) if path in statics]
    set_item_html(item, dressed_text(item, item_html(item), published, inline_paths))


def dressed_text(item, text, published, inline_paths):
    """The item's HTML `text`, its pictures and links to them rewritten (rewrite_text) if it has any."""
    if text and (inline_paths or "{static}" in text or "|static|" in text):
        return rewrite_text(item, text, published, lazy_first=item.hub_picture is not None)
    return text


def dress_text_again(item, fresh):
    """hub_engine's text_read_again: `fresh`'s text dressed as `item`'s was, with this run's pictures
    (the live preview sends it only when the text shows the same pictures as before)."""
    run = item.settings.get("HUB_IMAGES_RUN")
    if run is not None:
        text = item_html(fresh)
        set_item_html(fresh, dressed_text(item, text, run.published, inline_pictures(item, text)))


def svg_size_of(path):
    try:
        with open(path, "rb") as handle:
            return pictures.svg_size(handle.read())
    except OSError:
        return None


def rewrite_text(item, text, published, lazy_first):
    """`text` with each <img> of a processed picture as a <picture>, lazy but for the page's first
    picture (when no featured image comes before it); links to an original go to its largest variant."""
    state = {"first": not lazy_first}

    def picture_tag(match):
        tag = match.group(0)
        target = PELICAN_LINK.match(attribute(tag, "src") or "")
        if not target:
            return tag
        path = content_path(item, target["path"])
        if path not in published:
            return tag
        result, urls = published[path]
        picture = pictures.picture(result, lambda v: urls[v.name][0], attribute(tag, "alt") or "")
        title = attribute(tag, "title")
        extra = f' title="{title}"' if title else ""
        lazy = not state["first"]
        state["first"] = False
        return pictures.picture_html(picture, lazy=lazy, extra_attributes=extra)

    def anchor(match):
        target = PELICAN_LINK.match(match.group(2))
        path = content_path(item, target["path"]) if target else None
        if path not in published:
            return match.group(0)
        result, urls = published[path]
        largest = result.of_format(result.fallback_format)[-1]
        return f"{match.group(1)}{urls[largest.name][0]}{match.group(3)}"

    return ANCHOR_TO_FILE.sub(anchor, IMG_TAG.sub(picture_tag, text))


def attachment(item, path, static, siteurl):
    """What the download box shows of one attached file, in the item's language."""
    from babel.units import format_unit

    size = os.path.getsize(static.source_path)
    lang = item.lang
    parts = path.split("/")
    file_lang = parts[1] if len(parts) > 2 and parts[0] in ("articles", "pages") else lang
    if size >= 1_000_000:
        shown = format_unit(size / 1_000_000, "digital-megabyte", length="short", locale=lang, format="#,##0.#")
    else:
        shown = format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=lang)
    extension = extension_of(path)
    return {
        "url": f"{siteurl}/{static.url}",
        "name": posixpath.basename(path),
        "type": extension.upper(),
        "mime": DOCUMENT_TYPES.get(extension, "application/octet-stream"),
        "length": size,
        "size": shown,
        "lang": file_lang,
        "language": language_name(file_lang, lang),
    }


def add_generator(pelican):
    return HubImagesGenerator


def register():
    signals.initialized.connect(fill_defaults)
    signals.get_generators.connect(add_generator)
    signals.static_generator_finalized.connect(process_pictures)
    engine_signals.text_read_again.connect(dress_text_again)
