"""Checks over the content folder: one Problem per fault, naming file, line, header, and the fix.

Pure functions over files and plain settings: no Pelican needed, so `invoke check` and tests
run them directly, and the build runs the same code.
"""

import datetime
import difflib
import hashlib
import os
import pickle
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from plugins.hub_engine.outputs import write_atomically
from plugins.hub_files.relative import content_file, file_path, names_a_file
from plugins.hub_i18n.settings import DEFAULTS as I18N_DEFAULTS, unknown_language
from plugins.hub_i18n.taxonomy import TaxonomyError, load_taxonomy, slugify
from plugins.hub_redirects import table as redirects_table

from .front_matter import FrontMatterError, has_front_matter, read_front_matter
from .headers import KNOWN_HEADERS  # the one list of headers, with the content manager (headers.py)

ERROR, WARNING = "error", "warning"
HEADER = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s?(?P<value>.*)$")
LINK = re.compile(r"\{(?P<kind>filename|static|attach)\}(?P<target>[^)\s\"'#?]+)")
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<target>[^)\s]+)")
# Every Markdown image with its alt text, and the targets of plain links and link definitions
# ([report](report.pdf), [1]: report.pdf): hub_files gives relative ones to files {static} meaning.
IMAGE_WITH_ALT = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]*)")
PLAIN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(<?(?P<target>[^)\s>]+)")
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?(?P<target>[^\s>]+)", re.MULTILINE)
# Beyond these an image costs readers on phones seconds and data for nothing a page can show.
MAX_IMAGE_BYTES = 5_000_000
MAX_IMAGE_SIDE = 4000
# What Pillow reads and browsers show: a file with one of these names that Pillow cannot read is broken.
RASTER_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
# Pictures the pipeline (hub_images) makes web variants of, and drawings it passes through.
PICTURE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "avif", "heic", "heif"})
DRAWING_EXTENSIONS = frozenset({"svg"})
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
CANONICAL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?", re.ASCII)  # strptime: ASCII digits
STATUSES = ("published", "draft", "hidden")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    level: str
    field: str
    message: str

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {self.level}: {field}{self.message}"


@dataclass
class Document:
    file: str  # the file's path
    relative: str  # its path relative to the content folder, in POSIX form
    shown: str  # path as messages show it (content/articles/fr/x.md)
    kind: str  # "articles" or "pages"
    folder_lang: str | None
    headers: dict  # lower-case key -> (line, original key, value)
    body_line: int
    links: tuple  # (line, target) of each {filename}/{static}/{attach} link, relative image and relative file link in the body
    images: tuple = ()  # (line, alt text, target) of each Markdown image in the body
    has_text: bool = True  # False when nothing but blank lines follows the headers

    @property
    def path(self):
        return Path(self.file)

    def value(self, key):
        entry = self.headers.get(key)
        return entry[2].strip() if entry else ""

    def line(self, key):
        entry = self.headers.get(key)
        return entry[0] if entry else 1

    @property
    def body(self):
        """The text after the headers, read from the file (the checks need only `links`)."""
        with open(self.file, "rb") as handle:
            lines = handle.read().decode("utf-8").splitlines()
        return "\n".join(lines[self.body_line - 1:])


def parse_document(path, content_root, shown_root="content"):
    """Split a Markdown file into headers (with line numbers) and body; raise UnicodeDecodeError."""
    with open(path, "rb") as handle:
        data = handle.read()
    # Plain strings, not pathlib: this runs for every file of every build.
    return parse_bytes(data, path, os.path.relpath(path, content_root).replace(os.sep, "/"), shown_root)


def parse_bytes(data, path, relative, shown_root="content"):
    """parse_document, for the bytes of the file at `path` (`relative` to the content folder, in
    POSIX form). Raise UnicodeDecodeError, or FrontMatterError for YAML front matter that cannot
    be read."""
    text = data.decode("utf-8")
    headers, body_start = {}, 0
    lines = text.splitlines()
    if has_front_matter(text):
        entries, body_line = read_front_matter(text)
        for line, key, value in entries:
            headers[key.lower()] = (line, key, value)
        body = "\n".join(lines[body_line - 1:])
        return document_at(path, relative, shown_root, headers, body_line, body_links(body, body_line),
                           body_images(body, body_line), bool(body) and not body.isspace())
    last_key = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            body_start = number
            break
        match = HEADER.match(line)
        if match:
            last_key = match["key"].lower()
            headers.setdefault(last_key, (number, match["key"], match["value"]))
        elif line.startswith((" ", "\t")) and last_key:  # continuation of the previous header
            line_no, key, value = headers[last_key]
            headers[last_key] = (line_no, key, f"{value} {line.strip()}")
        else:
            body_start = number - 1
            break
    else:
        body_start = len(lines)
    body = "\n".join(lines[body_start:])
    return document_at(path, relative, shown_root, headers, body_start + 1, body_links(body, body_start + 1),
                       body_images(body, body_start + 1), bool(body) and not body.isspace())


def document_at(path, relative, shown_root, headers, body_line, links, images=(), has_text=True):
    """A Document of the file at `path` (`relative` to the content folder, in POSIX form)."""
    parts = relative.split("/")
    return Document(
        file=str(path),
        relative=relative,
        shown=f"{shown_root}/{relative}",
        kind=parts[0] if parts else "",
        folder_lang=parts[1] if len(parts) > 2 else None,
        headers=headers,
        body_line=body_line,
        links=links,
        images=images,
        has_text=has_text,
    )


def body_links(body, body_line):
    """(line, target) of the body's links to content files, of its relative images and of its
    relative links to files, in order."""
    if "{" not in body and "](" not in body and "]:" not in body:  # most files: nothing to resolve
        return ()
    found = [(m.start(), m["target"]) for m in LINK.finditer(body)]
    found += [(m.start(), m["target"]) for m in IMAGE.finditer(body)
              if not re.match(r"^[a-z][a-z0-9+.-]*:|^\{|^/", m["target"])]
    found += relative_file_links(body)
    return tuple((body_line + body.count("\n", 0, start), target) for start, target in sorted(found))


def relative_file_links(body):
    """(offset, file) of the plain links to files beside the text ([report](report.pdf)), which the
    build copies (hub_files): without their #fragment or ?query, which name no file."""
    return [(m.start(), file_path(m["target"])) for pattern in (PLAIN_LINK, LINK_DEFINITION)
            for m in pattern.finditer(body) if names_a_file(m["target"])]


def body_images(body, body_line):
    """(line, alt text, target) of every Markdown image in the body, in order."""
    if "![" not in body:
        return ()
    return tuple((body_line + body.count("\n", 0, m.start()), m["alt"], m["target"])
                 for m in IMAGE_WITH_ALT.finditer(body))


def parse_datetime(text):
    if not text:
        return None
    canonical = CANONICAL_DATE.fullmatch(text)
    if canonical:  # the usual shape, without strptime's cost (thousands of calls per build)
        try:
            return datetime.datetime(*(int(part) for part in canonical.groups(default="0")))
        except ValueError:
            return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def date_problem(doc, key, label):
    """A problem for a date header that does not parse or does not exist, else None."""
    text = doc.value(key)
    if parse_datetime(text):
        return None
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?: \d{2}:\d{2}(?::\d{2})?)?", text)
    if shape:
        return Problem(doc.shown, doc.line(key), ERROR, label,
                       f"{text!r} does not exist in the calendar; write a real date as YYYY-MM-DD")
    return Problem(doc.shown, doc.line(key), ERROR, label,
                   f"{text!r} is not a date this site reads; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM (e.g. 2021-05-31 10:00)")


def check_document(doc, languages, taxonomy, content_root, editions=None, strict=False):
    """Problems of one file on its own (links and images included)."""
    return (check_headers(doc, languages, taxonomy, editions) + check_time_zone(doc) + check_links(doc, content_root)
            + check_images(doc, content_root, strict) + check_picture_headers(doc, content_root))


def check_headers(doc, languages, taxonomy, editions=None):
    """Problems of one file's headers: they depend on its bytes and on the site's languages,
    taxonomy and editions only (links depend on other files too, and time zones on the system)."""
    problems = []
    add = lambda line, level, field, message: problems.append(Problem(doc.shown, line, level, field, message))
    for key, (line, original, _) in doc.headers.items():
        if key not in KNOWN_HEADERS:
            close = difflib.get_close_matches(key, KNOWN_HEADERS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0].title()}:'?" if close else "remove it or fix its name (see the editors' guide)"
            add(line, ERROR, f"{original}", f"is not a header this site knows, so it would be ignored; {hint}")
    if doc.headers and not doc.has_text:
        add(0, WARNING, "", "the file has headers but no text; write the text below the headers")
    if not doc.value("title"):
        add(1, ERROR, "Title", "missing; add a line 'Title: ...' at the top")
    lang = doc.value("lang") or doc.folder_lang
    problem = unknown_language(lang, languages)
    if problem:
        add(doc.line("lang"), ERROR, "Lang", problem)
    elif doc.folder_lang != lang:
        add(doc.line("lang"), ERROR, "Lang", f"{lang!r} does not match the folder {doc.folder_lang!r}; move the file or fix the header")
    status = doc.value("status").lower()
    if status and status not in STATUSES:
        add(doc.line("status"), ERROR, "Status", f"{status!r} is unknown; use draft, hidden, or leave it out to publish")
    if doc.kind == "articles":
        check_article_headers(doc, taxonomy, add, editions)
    for key in ("modified", "deadline", "event_start", "event_end"):
        if doc.value(key):
            problem = date_problem(doc, key, doc.headers[key][1])
            if problem:
                problems.append(problem)
    if doc.kind == "articles":
        problems.extend(check_deadline_after_date(doc) + check_event_end_after_start(doc))
    if not doc.value("translation_key"):
        add(1, WARNING, "Translation_Key", "missing; add one so translations and feed ids survive a change of slug")
    if not doc.value("summary"):
        add(1, WARNING, "Summary", "missing; lists and feeds will cut the text instead")
    return problems


def check_article_headers(doc, taxonomy, add, editions=None):
    if not doc.value("date"):
        add(1, ERROR, "Date", "missing; add 'Date: YYYY-MM-DD HH:MM' (the first publication)")
    else:
        problem = date_problem(doc, "date", "Date")
        if problem:
            add(problem.line, problem.level, problem.field, problem.message)
    category = doc.value("category")
    if not category:
        add(1, ERROR, "Category", f"missing; use one of {', '.join(taxonomy.categories)}")
    elif category not in taxonomy.categories:
        add(doc.line("category"), ERROR, "Category", f"{category!r} is not a category of this site; use one of {', '.join(taxonomy.categories)}")
    check_tags(doc, taxonomy, add)
    if category == "calls" and not doc.value("deadline"):
        add(doc.line("category"), ERROR, "Deadline", "a call for participation needs 'Deadline: YYYY-MM-DD'")
    edition = doc.value("edition")
    if edition and not re.fullmatch(r"\d{4}", edition):
        add(doc.line("edition"), ERROR, "Edition", f"{edition!r} is not a year; write the edition's year, e.g. 2021")
    elif edition and editions is None:
        add(doc.line("edition"), ERROR, "Edition",
            f"{edition} is not an edition: this site has no content/editions.toml; remove the header or add the file")
    elif edition and int(edition) not in editions:
        add(doc.line("edition"), ERROR, "Edition",
            f"{edition} is not an edition in content/editions.toml; use one of {', '.join(map(str, sorted(editions)))} or add it there")
    if category == "events" and not doc.value("event_start"):
        add(doc.line("category"), ERROR, "Event_Start", "an event needs 'Event_Start: YYYY-MM-DD' (and Event_End if it lasts several days)")
    return []


def split_tags(value):
    """The tags of a Tags header, as Pelican splits them (on ';' if there is one, else on ',')."""
    return [tag.strip() for tag in value.split(";" if ";" in value else ",") if tag.strip()]


def check_tags(doc, taxonomy, add):
    """A tag is an id, or a label or alias in the article's language (any case or accents). Any
    other tag is a free tag: allowed, with a page in that language only, so only a warning."""
    lang = doc.value("lang") or doc.folder_lang
    warned = set()
    for tag in split_tags(doc.value("tags")):
        if taxonomy.find_tag(tag, lang) is not None:
            continue
        slug = slugify(tag)
        if not slug:
            add(doc.line("tags"), ERROR, "Tags", f"{tag!r} has no letter or digit to make its page's URL; write the tag as a word or remove it")
        elif slug not in warned:
            warned.add(slug)
            add(doc.line("tags"), WARNING, "Tags", free_tag_message(tag, lang, taxonomy))


def free_tag_message(tag, lang, taxonomy):
    close = taxonomy.closest_tags(tag, lang)
    closest = (f"closest: {', '.join(f'{term.key!r} ({term.label(lang)})' for term in close)}" if close
               else "none looks close")
    return (f"{tag!r} is a new tag, in {lang} only; it gets its own page. To give it translations or merge it "
            f"with an existing tag ({closest}), add it to content/taxonomy.toml")


def clash_problems(taxonomy, shown, path_words=None):
    """One error per clash of slugs in the taxonomy file (see taxonomy.Clash)."""
    words = path_words or I18N_DEFAULTS["HUB_I18N_PATH_WORDS"]
    problems = []
    for clash in taxonomy.clashes:
        word = words.get(clash.lang, I18N_DEFAULTS["HUB_I18N_PATH_WORDS"]["en"])["category" if clash.kind == "categories" else "tag"]
        url = f"{clash.lang}/{word}/{clash.slug}/"
        other = f"[{clash.kind}.{clash.other}] {'alias' if clash.other_is_alias else clash.lang + ' label'} {clash.other_text!r}"
        kept = f"[{clash.kind}.{clash.kept}] {clash.kept_text!r}"
        if clash.other_is_alias:
            message = (f"{other} and {kept} both make {url} in {clash.lang}, so a tag written so would match two tags; "
                       f"remove the alias or change the label")
        else:
            message = (f"{other} and {kept} give the same URL in {clash.lang} ({url}); change one of the labels "
                       f"(until then a preview puts {clash.other}'s page at {clash.lang}/{word}/{clash.moved_to}/)")
        problems.append(Problem(shown, clash.line, ERROR, "", message))
    return problems


def check_time_zone(doc):
    """Event_Timezone names a zone of the system's time zone database, which can change between
    builds: checked at every build, like links."""
    zone = doc.value("event_timezone")
    if not zone or doc.kind != "articles":
        return []
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        close = close_zone(zone)
        hint = f"did you mean {close!r}?" if close else "use one like Europe/Madrid or America/Chicago"
        return [Problem(doc.shown, doc.line("event_timezone"), ERROR, "Event_Timezone",
                        f"{zone!r} is not a time zone name; {hint}")]
    return []


def close_zone(zone):
    """The zone name nearest to a misspelt one (Europe/Madird, europe/madrid), or None."""
    names = zone_names()
    close = difflib.get_close_matches(zone.lower(), names, n=1, cutoff=0.8)
    return names[close[0]] if close else None


@lru_cache(maxsize=1)
def zone_names():
    """{lower-case name: name} of the zones of the time zone database (read once: it walks folders)."""
    return {name.lower(): name for name in sorted(available_timezones())}


def check_deadline_after_date(doc):
    """A call cannot close before it is published: the Deadline on or after the Date's day."""
    deadline, published = parse_datetime(doc.value("deadline")), parse_datetime(doc.value("date"))
    if deadline is None or published is None or deadline.date() >= published.date():
        return []  # an unreadable date has its own problem
    return [Problem(doc.shown, doc.line("deadline"), ERROR, "Deadline",
                    f"{doc.value('deadline')!r} is before the Date {doc.value('date')!r}; "
                    "a call closes after it is published: fix the Deadline or the Date")]


def check_event_end_after_start(doc):
    """An event ends after it starts: by day, and by time when both have one (16:00 to 15:00 the
    same day is an error; a calendar app would refuse it)."""
    start_text, end_text = doc.value("event_start"), doc.value("event_end")
    start, end = parse_datetime(start_text), parse_datetime(end_text)
    if start is None or end is None:
        return []  # missing, or an unreadable date with its own problem
    timed = " " in start_text and " " in end_text
    if timed and end <= start:
        how = "the same time as" if end == start else "before"
        return [Problem(doc.shown, doc.line("event_end"), ERROR, "Event_End",
                        f"{end_text!r} is {how} Event_Start {start_text!r}; an event ends after it starts: fix the day or the time")]
    if end.date() < start.date():
        return [Problem(doc.shown, doc.line("event_end"), ERROR, "Event_End",
                        f"{end_text!r} is before Event_Start {start_text!r}; an event ends after it starts: fix or swap them")]
    return []


def check_links(doc, content_root):
    problems = []
    for number, target in doc.links:
        base = str(content_root) if target.startswith("/") else os.path.dirname(doc.file)
        # As pathlib (and Pelican) read it: no empty or '.' parts ('y.md/' is the file y.md).
        parts = [part for part in target.split("/") if part not in ("", ".")]
        if not os.path.exists(os.path.join(base, *parts)):
            problems.append(Problem(doc.shown, number, ERROR, "link",
                                    f"{target!r} is not a file of the site; fix the path (from content/, e.g. /articles/fr/x.md) or add the file"))
    return problems


def check_images(doc, content_root, strict=False, measured=None):
    """Problems of the body's images: no alt text (an error where `strict`, as publish builds are:
    a preview or `invoke check` warns and still shows the page), and files too big for a web page.

    `measured`: {file: image_measure(file)}, shared by the documents of one check run."""
    problems = []
    measured = {} if measured is None else measured
    for number, alt, target in doc.images:
        if not alt.strip():
            problems.append(Problem(doc.shown, number, ERROR if strict else WARNING, "image",
                                    f"{target!r} has no alt text; describe it between the brackets: ![what the image shows]({target})"))
        path = image_file(doc, content_root, target)
        if path is None:
            continue
        if path.lower().endswith(".svg"):
            message = svg_message(target, path)
            if message:
                problems.append(Problem(doc.shown, number, ERROR, "image", message))
        if path not in measured:
            measured[path] = image_measure(path)
        message = image_size_message(target, *measured[path])
        if message:
            problems.append(Problem(doc.shown, number, WARNING, "image", message))
    return problems


def header_file(doc, content_root, value):
    """The path a header names (next to the file, or from content/ when it starts with '/')."""
    return os.path.normpath(os.path.join(content_root, *content_file(value, doc.relative).split("/")))


def svg_message(shown_name, path):
    """Why the SVG file at `path` cannot be published (scripts, references to other files), or None."""
    from plugins.hub_images.pictures import svg_problem

    with open(path, "rb") as handle:
        problem = svg_problem(handle.read())
    return f"{shown_name!r} {problem}" if problem else None


def check_picture_headers(doc, content_root, measured=None):
    """Image (with its required Image_Alt, and Image_Focus) and Attachments: the files exist and
    can be published. Checked at every run, like links: they depend on other files."""
    from plugins.hub_images.pictures import focus_problem

    problems = []
    add = lambda key, level, message: problems.append(Problem(doc.shown, doc.line(key), level, doc.headers[key][1]
                                                              if key in doc.headers else key.title(), message))
    image = doc.value("image")
    if image:
        path = header_file(doc, content_root, image)
        extension = os.path.splitext(image)[1][1:].lower()
        if extension not in PICTURE_EXTENSIONS | DRAWING_EXTENSIONS:
            add("image", ERROR, f"{image!r} is not a picture format this site publishes; "
                                f"use a JPEG, PNG, WebP or HEIC photo, or an SVG drawing")
        elif not os.path.isfile(path):
            add("image", ERROR, f"{image!r} is not a file of the site; put the picture next to the text "
                                f"or give its path from content/ (e.g. /images/photo.jpg)")
        elif extension in DRAWING_EXTENSIONS:
            message = svg_message(image, path)
            if message:
                add("image", ERROR, message)
        else:
            measured = {} if measured is None else measured
            if path not in measured:
                measured[path] = image_measure(path)
            message = image_size_message(image, *measured[path])
            if message:
                add("image", ERROR if not measured[path][2] else WARNING, message)
        if not doc.value("image_alt"):
            problems.append(Problem(doc.shown, doc.line("image"), ERROR, "Image_Alt",
                                    f"missing for the picture {image!r}; describe what it shows for readers who "
                                    f"cannot see it: add a line 'Image_Alt: ...' below 'Image:'"))
    elif doc.value("image_alt") and doc.value("translation").lower() != "true":
        add("image_alt", WARNING, "there is no 'Image:' header, so this text describes no picture; add the picture or remove the line")
    focus = doc.value("image_focus")
    if focus:
        message = focus_problem(focus)
        if message:  # harmless for readers (the picture is cut around its centre): a warning
            add("image_focus", WARNING, message)
    for name in (part.strip() for part in doc.value("attachments").split(",")):
        if name and not os.path.isfile(header_file(doc, content_root, name)):
            add("attachments", ERROR, f"{name!r} is not a file of the site; put the file next to the text "
                                      f"or give its path from content/ (e.g. /documents/report.pdf)")
    return problems


def check_inherited_pictures(documents):
    """A translation without its own Image shows its original's: it needs its own Image_Alt, in
    its language."""
    originals = {}
    for doc in documents:
        if doc.value("translation").lower() != "true" and doc.value("image"):
            key = doc.value("translation_key") or doc.value("slug") or doc.path.stem
            originals[(doc.kind, key)] = doc
    problems = []
    for doc in documents:
        if doc.value("translation").lower() != "true" or doc.value("image") or doc.value("image_alt"):
            continue
        key = doc.value("translation_key") or doc.value("slug") or doc.path.stem
        original = originals.get((doc.kind, key))
        if original is not None:
            problems.append(Problem(doc.shown, 1, ERROR, "Image_Alt",
                                    f"missing; this translation shows the picture of {original.shown} "
                                    f"({original.value('image')!r}): describe it in this language with 'Image_Alt: ...'"))
    return problems


def image_file(doc, content_root, target):
    """The content file an image target names ({static}/images/x.png, {attach}x.png, x.png), if it
    exists; None for web addresses and site paths (and missing files: check_links reports those)."""
    kind = LINK.match(target)
    if kind:
        target = kind["target"]
    elif not names_a_file(target):
        return None
    base = str(content_root) if target.startswith("/") else os.path.dirname(doc.file)
    path = os.path.normpath(os.path.join(base, *[part for part in file_path(target).split("/") if part]))
    return path if os.path.isfile(path) else None


def image_measure(path):
    """(bytes, (width, height) or None, readable) of an image file. Only the header is read:
    Pillow's open() parses it and leaves the pixels for a load() that never comes."""
    size = os.path.getsize(path)
    extension = os.path.splitext(path)[1][1:].lower()
    if extension not in RASTER_EXTENSIONS:
        return size, None, True  # SVG, PDF...: their bytes only
    import warnings

    from PIL import Image, UnidentifiedImageError  # only when a page has a picture to measure

    try:
        with warnings.catch_warnings():
            # Pillow warns of (and above twice that, refuses) images over MAX_IMAGE_PIXELS: their size is what we report.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return size, image.size, True
    except Image.DecompressionBombError:
        side = int((2 * Image.MAX_IMAGE_PIXELS) ** 0.5)
        return size, (side + 1, side + 1), True  # at least this much: far above any limit
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return size, None, False


def image_size_message(target, size, dimensions, readable):
    """What is wrong with an image of `size` bytes and `dimensions`, or None."""
    if not readable:
        return (f"{target!r} is not a picture that browsers can show (the file is damaged or not really "
                f"a {os.path.splitext(file_path(target))[1][1:].upper()}); open it and export it again as PNG, JPEG or WebP")
    too_heavy = size > MAX_IMAGE_BYTES
    too_wide = dimensions is not None and max(dimensions) > MAX_IMAGE_SIDE
    if not too_heavy and not too_wide:
        return None
    # "0.0 MB" said nothing about a small file that is only too wide: kilobytes below a megabyte.
    measure = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"
    if dimensions is not None:
        measure += f" and {dimensions[0]}×{dimensions[1]} px"
    fix = (f"resize it to at most {MAX_IMAGE_SIDE} px on its longest side" if dimensions is not None
           else "simplify or compress it")
    return (f"{target!r} is {measure}; every reader downloads it whole: {fix} and keep it under "
            f"{MAX_IMAGE_BYTES // 1_000_000} MB (JPEG at quality 85 suits photos)")


def check_site(documents, languages, require_original=True):
    """Problems between files: duplicate slugs or keys within a language, translations without original.

    Of two files that claim one slug (or key), the newcomer is blamed: the one with the later Date
    (then the later path), so that the article already published keeps its address and a preview,
    which leaves out files with errors, keeps it and its translations' links."""
    problems = []
    by_slug, by_key = {}, {}
    for doc in sorted(documents, key=arrival):
        lang = doc.value("lang") or doc.folder_lang
        slug = doc.value("slug") or doc.path.stem
        key = doc.value("translation_key") or slug
        other = by_slug.setdefault((doc.kind, lang, slug), doc)
        if other is not doc:
            url = item_url(other, lang, slug)
            where = f"at {url}" if url else f"in {lang}"
            problems.append(Problem(doc.shown, doc.line("slug"), ERROR, "Slug",
                                    f"{slug!r} is already the slug of {other.shown}, {where}; "
                                    "give this newer file another slug (the older one keeps its address)"))
        other = by_key.setdefault((doc.kind, lang, key), doc)
        if other is not doc:
            problems.append(Problem(doc.shown, doc.line("translation_key"), ERROR, "Translation_Key",
                                    f"{key!r} is also the key of {other.shown}, in the same language; one item has one version per language"))
    if require_original:
        groups = {}
        for (kind, lang, key), doc in by_key.items():
            groups.setdefault((kind, key), []).append(doc)
        for (kind, key), docs in groups.items():
            if all(d.value("translation").lower() == "true" for d in docs):
                for doc in docs:
                    problems.append(Problem(doc.shown, doc.line("translation"), ERROR, "Translation",
                                            f"this is a translation of {key!r}, but no version is the original; add the original or remove 'Translation: true' from it"))
    return problems


def arrival(doc):
    """Sort key: which of two files came first (by Date; a page, or a date that does not parse,
    counts as last), then by path, so the blame for a clash never depends on the order of reading."""
    date = parse_datetime(doc.value("date")) if doc.kind == "articles" else None
    return (date is None, date or datetime.datetime.min, doc.relative)


def item_url(doc, lang, slug):
    """The address the build gives the file, as pelicanconf.py's *_URL settings make it (None
    when its date does not parse)."""
    draft = doc.value("status").lower() == "draft"
    if doc.kind != "articles":
        return f"/{lang}/drafts/pages/{slug}/" if draft else f"/{lang}/{slug}/"
    if draft:
        return f"/{lang}/drafts/{slug}/"
    date = parse_datetime(doc.value("date"))
    return f"/{lang}/{date:%Y}/{slug}/" if date else None


def read_documents(content_root, shown_root=None, parsed=None):
    """Every article and page parsed: (documents, an encoding problem per file that is not UTF-8).

    `parsed`: a ParsedFiles, which gives a file's parse from an earlier run if its bytes are the same."""
    content_root = Path(content_root)
    shown_root = shown_root or content_root.name
    documents, problems = [], []
    for kind in ("articles", "pages"):
        kind_root = str(content_root / kind)
        found = [os.path.join(folder, name) for folder, _, names in os.walk(kind_root)
                 for name in names if name.endswith(".md")]
        for path in sorted(found, key=lambda path: path.split(os.sep)):  # as pathlib sorts them
            # os.walk's folders start with its root as given: the path relative to the content folder.
            relative = kind + "/" + path[len(kind_root) + len(os.sep):].replace(os.sep, "/")
            kept = parsed.get(relative) if parsed is not None else None
            if kept is not None:
                documents.append(document_at(path, relative, shown_root, *kept))
                continue
            shown = f"{shown_root}/{relative}"
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
                if not data.strip():  # one clear error, not one per missing header
                    problems.append(Problem(shown, 0, ERROR, "", "the file is empty; write its headers and text "
                                                                 "(see the editors' guide, or start it with `invoke new`) or delete it"))
                    continue
                doc = parse_bytes(data, path, relative, shown_root)
            except UnicodeDecodeError as error:
                problems.append(Problem(shown, 0, ERROR, "encoding",
                                        f"the file is not UTF-8 (byte {error.start}); save it again as UTF-8 in your editor"))
                continue
            except FrontMatterError as error:
                problems.append(Problem(shown, error.line, ERROR, "front matter", error.message))
                continue
            documents.append(doc)
            if parsed is not None:
                parsed.put(relative, data, doc)
    return documents, problems


class ParsedFiles:
    """Parses of content files kept between runs, by path (relative to the content folder, in POSIX
    form) and the sha256 of the bytes parsed.

    `digests`: {path: sha256 hex} of the files as they are now (the build's input scan took them);
    a file without one is always parsed. A parse is stored under the digest of the bytes it read,
    so a file saved during a run is never kept under the bytes of before."""

    def __init__(self, path, digests):
        """`path`: the file that keeps them between processes; None: kept in memory only (the live
        preview keeps one ParsedFiles and renews it at each build)."""
        self.path, self.digests = path, digests
        try:
            if path is None:
                raise OSError("in memory")
            with open(path, "rb") as handle:
                self.kept = pickle.load(handle)
            if not isinstance(self.kept, dict):
                raise ValueError("not a dict")
        except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError,
                pickle.UnpicklingError):
            self.kept = {}
        self.now, self.changed = {}, False

    ENTRY_LENGTH = 8  # (digest, headers, body_line, links, images, has_text, context, header problems)

    def get(self, path):
        """(headers, body_line, links, images, has_text) of the file if its bytes are those parsed before, else None."""
        entry = self.kept.get(path)
        digest = self.digests.get(path)
        # An entry of another length was kept by an earlier version of this code: parse again.
        if entry is None or digest is None or len(entry) != self.ENTRY_LENGTH or entry[0] != digest:
            return None
        self.now[path] = entry
        return entry[1:6]

    def put(self, path, data, doc):
        self.now[path] = (hashlib.sha256(data).hexdigest(), doc.headers, doc.body_line, doc.links, doc.images,
                          doc.has_text, None, None)
        self.changed = True

    def header_problems(self, path, context):
        """What check_headers found in the file when it was parsed, if `context` (languages,
        taxonomy, editions, shown root) is the same; else None."""
        entry = self.now.get(path)
        return entry[7] if entry is not None and entry[6] == context else None

    def put_header_problems(self, path, context, problems):
        entry = self.now.get(path)
        if entry is not None:
            self.now[path] = entry[:6] + (context, tuple(problems))
            self.changed = True

    def words_only_change(self, path, data, doc):
        """Whether `doc`, the parse of the new bytes `data` of the file at `path`, differs from this
        run's parse of it in the words of its text only: the same headers on the same lines, the
        same links, pictures and alt texts, still some text. Then it takes that parse's place
        (with its header problems, which depend on the headers only), and True."""
        entry = self.now.get(path)
        if entry is None:
            return False
        _, headers, body_line, links, images, has_text = entry[:6]
        same = (headers == doc.headers and body_line == doc.body_line and has_text == doc.has_text
                and [target for _, target in links] == [target for _, target in doc.links]
                and [(alt, target) for _, alt, target in images] == [(alt, target) for _, alt, target in doc.images])
        if same:
            self.now[path] = (hashlib.sha256(data).hexdigest(), doc.headers, doc.body_line, doc.links, doc.images,
                              doc.has_text) + entry[6:]
        return same

    def __reduce__(self):  # kept in a build's settings, which items' terms carry into pickles: not it
        return (dict, ())

    def renew(self, digests):
        """The next run, in the same process: this run's parses are the kept ones."""
        self.kept, self.now, self.changed, self.digests = self.now, {}, False, digests

    def save(self):
        """Keep this run's parses (and only those: removed files go), if any is new."""
        if self.path is None or (not self.changed and len(self.now) == len(self.kept)):
            return
        write_atomically(self.path, pickle.dumps(self.now, protocol=pickle.HIGHEST_PROTOCOL))


def check_content(content_root, languages, taxonomy_file="taxonomy.toml", require_original=True, shown_root=None,
                  read=None, parsed=None, strict=False, path_words=None, templates=None):
    """Every problem of the content folder, sorted by file and line.

    `strict`: for a publish build, where an image without alt text is an error (elsewhere a warning).
    `path_words`: the site's HUB_I18N_PATH_WORDS (default: hub_i18n's), for the URLs messages name.
    `templates`: the theme's template names (without .html), which a Template header must name;
    None skips that check.

    `read`: what read_documents gave, when the caller needs the documents too (they are read once).
    `parsed`: a ParsedFiles (the one given to read_documents), which also keeps header problems.
    """
    content_root = Path(content_root)
    shown_root = shown_root or content_root.name
    try:
        taxonomy = load_taxonomy(content_root / taxonomy_file, languages)
    except TaxonomyError as error:
        return [Problem(f"{shown_root}/{taxonomy_file}", 0, ERROR, "", str(error).split(": ", 1)[-1])]
    documents, unreadable = read if read is not None else read_documents(content_root, shown_root, parsed)
    editions = edition_years(content_root / "editions.toml")
    problems = list(unreadable) + clash_problems(taxonomy, f"{shown_root}/{taxonomy_file}", path_words)
    measured = {}  # image file -> its measure: a picture shown by several pages is read once
    # What the header checks read besides the file: a kept result holds for this context only.
    context = repr((tuple(languages), taxonomy.signature(),
                    sorted(editions) if editions is not None else None, shown_root))
    for doc in documents:
        own = parsed.header_problems(doc.relative, context) if parsed is not None else None
        if own is None:
            own = check_headers(doc, languages, taxonomy, editions)
            if parsed is not None:
                parsed.put_header_problems(doc.relative, context, own)
        problems.extend(own)
        problems.extend(check_time_zone(doc))
        problems.extend(check_addresses(doc, templates))
        problems.extend(check_links(doc, content_root))
        problems.extend(check_images(doc, content_root, strict, measured))
        problems.extend(check_picture_headers(doc, content_root, measured))
    problems.extend(check_site(documents, languages, require_original))
    problems.extend(check_inherited_pictures(documents))
    problems.extend(check_redirects(content_root, documents, languages, taxonomy, editions, shown_root))
    return sorted(set(problems))


SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_addresses(doc, templates=None):
    """Headers that decide where and how a page is written (Slug, Save_As, URL, Template): a wrong one
    would stop the whole build (a page outside the site, a missing template) or make an address
    no link can reach. Cheap, and the theme can change between builds: checked every build."""
    problems = []
    slug = doc.value("slug")
    if slug and not SLUG.fullmatch(slug):
        suggestion = slugify(slug)
        hint = f"write it as {suggestion!r}" if suggestion else "use lower-case letters, digits and hyphens"
        problems.append(Problem(doc.shown, doc.line("slug"), ERROR, "Slug",
                                f"{slug!r} cannot be a web address (lower-case letters, digits and hyphens only); {hint}"))
    for key in ("save_as", "url"):
        value = doc.value(key)
        parts = value.replace("\\", "/").split("/")
        if value and (value.startswith("/") or ".." in parts or ":" in value):
            problems.append(Problem(doc.shown, doc.line(key), ERROR, doc.headers[key][1],
                                    f"{value!r} would put the page outside the site; remove the header "
                                    "(the site gives every page its address) or write a path inside it, e.g. fr/x/index.html"))
    template = doc.value("template")
    if template and templates is not None and template not in templates:
        problems.append(Problem(doc.shown, doc.line("template"), ERROR, "Template",
                                f"{template!r} is not a template of the theme; remove the header "
                                "(articles and pages have their own) or fix its name"))
    return problems


def theme_templates(theme):
    """The names a Template header may give: the theme's top-level templates, without .html."""
    folder = Path(theme) / "templates"
    return {path.stem for path in folder.glob("*.html")} if folder.is_dir() else None


REDIRECTS_FILE = "redirects.toml"


def check_redirects(content_root, documents, languages, taxonomy, editions, shown_root="content"):
    """The redirects table: each entry well formed and leading to a page the hub has (an error), and
    links in the content to old addresses the table knows (a warning: link to the hub's page)."""
    path = Path(content_root) / REDIRECTS_FILE
    if not path.exists():
        return []
    shown = f"{shown_root}/{REDIRECTS_FILE}"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [Problem(shown, 0, ERROR, "encoding", "the file is not UTF-8; save it again as UTF-8 in your editor")]
    redirects, faults = redirects_table.parse_table(text, languages)
    problems = [Problem(shown, fault.line, ERROR, fault.field, fault.message) for fault in faults]
    statuses = {}
    for doc in documents:
        lang = doc.value("lang") or doc.folder_lang
        key = doc.value("translation_key") or doc.value("slug") or doc.path.stem
        statuses[(key, lang)] = (doc.value("status") or "published").lower()
    known = {}
    for redirect in redirects:
        missing = redirects_table.target_problem(redirect, statuses, editions, taxonomy)
        if missing:
            problems.append(Problem(shown, redirect.line, ERROR, redirect.kind, f"{redirect.old}: {missing}"))
        else:
            known[redirect.old] = redirect
    problems.extend(old_site_links(content_root, documents, known, shown_root))
    return problems


OLD_SITE = b"uclg-digitalcities.org/"  # in a file's bytes: it may link to an address of the old site


def old_site_links(content_root, documents, known, shown_root):
    """Warnings for links to old addresses that the hub has: readers should not go round by the
    redirect (nor leave the site while it is still on the old domain)."""
    sources = [(doc.shown, doc.file) for doc in documents]
    editions_file = Path(content_root) / "editions.toml"
    if editions_file.exists():
        sources.append((f"{shown_root}/editions.toml", str(editions_file)))
    problems = []
    for shown, file in sources:
        with open(file, "rb") as handle:
            data = handle.read()
        if OLD_SITE not in data:
            continue
        text = data.decode("utf-8", errors="replace")
        for offset, old in redirects_table.old_links(text):
            redirect = known.get(old)
            if redirect is not None:
                target = {"key": f"the page of {redirect.value!r}", "edition": f"the edition {redirect.value} page",
                          "category": f"the category {redirect.value!r}", "tag": f"the tag {redirect.value!r}",
                          "page": f"the {redirect.value} page"}[redirect.kind]
                problems.append(Problem(shown, text.count("\n", 0, offset) + 1, WARNING, "link",
                                        f"{old} is an address of the old site; the hub has it as {target} "
                                        f"({redirect.lang}): link to that page instead"))
    return problems


def edition_years(path):
    """Years of the study editions (None when the site keeps no editions file)."""
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None  # reported by the build, which reads the file itself
    return {int(entry["year"]) for entry in data.get("edition", []) if str(entry.get("year", "")).isdigit()}


def files_with_errors(problems):
    return {problem.path for problem in problems if problem.level == ERROR}
