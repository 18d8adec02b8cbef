"""Editors' scaffolding: start an article, start a translation, check content, report status."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.hub_check.checks import check_content, parse_document, read_documents, theme_templates
from plugins.hub_check.front_matter import FrontMatterError
from plugins.hub_check.status import format_status, free_tags, translation_status
from plugins.hub_i18n.settings import unknown_language
from plugins.hub_i18n.taxonomy import TaxonomyError, load_taxonomy, slugify

from hubsite.i18n import catalog_report, site_languages, site_text

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CONTENT = PROJECT_ROOT / "content"
TYPE_HEADERS = {
    "calls": ("Deadline: YYYY-MM-DD", "Form_Languages: es, en"),
    "events": ("Event_Start: YYYY-MM-DD", "Event_End: YYYY-MM-DD", "Location: City, Country"),
    "studies": ("Edition: YYYY",),
}
TO_TRANSLATE = "[TO TRANSLATE] "
MAX_SLUG = 80  # characters: an address one can read, and a file name every file system takes


class EditingError(ValueError):
    pass


def site_timezone(settings_file=PROJECT_ROOT / "pelicanconf.py"):
    """The site's time zone (Pelican's TIMEZONE), in which every Date header is written."""
    from hubsite.build import load_settings

    return load_settings(settings_file).get("TIMEZONE") or "UTC"


def site_now(timezone, now=None):
    """'YYYY-MM-DD HH:MM' on the site's wall clock, whatever the machine's own zone (an editor in
    Tokyo writing the machine's local time would schedule the article hours ahead)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return now.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def new_article(title, lang, category, tags="", date=None, content=CONTENT, now=None, timezone=None, notes=None):
    """Write content/articles/<lang>/<slug>.md with every header; refuse to overwrite.

    Without `date`, the Date is `now` (an aware datetime; default: the current time) in `timezone`
    (default: the site's, read from pelicanconf.py).
    A tag is written as its id when it names a taxonomy tag (id, `lang` label or alias), else as
    given: a free tag, for which `notes` (a list, if given) gets a line with the closest tags."""
    languages = site_languages()
    problem = unknown_language(lang, languages)
    if problem:
        raise EditingError(problem)
    taxonomy = load_taxonomy(Path(content) / "taxonomy.toml", languages)
    if category not in taxonomy.categories:
        raise EditingError(f"category {category!r}: use one of {', '.join(taxonomy.categories)}")
    tag_list = []
    for tag in (tag.strip() for tag in tags.split(",")):
        term = taxonomy.find_tag(tag, lang) if tag else None
        written = term.key if term else tag
        if not written or written in tag_list:
            continue
        if term is None:
            if not slugify(tag):
                raise EditingError(f"tag {tag!r} has no letter or digit to make its page's URL; write it as a word")
            if notes is not None:
                close = ", ".join(f"{t.key!r} ({t.label(lang)})" for t in taxonomy.closest_tags(tag, lang)) or "none looks close"
                notes.append(f"{tag!r} is a new tag, in {lang} only (it gets its own page); if you meant an existing "
                             f"tag, use its id or {lang} label: {close}")
        tag_list.append(written)
    slug = short_slug(slugify(title))
    if not slug:
        raise EditingError("the title gives an empty slug; use letters or digits in it")
    when = date or site_now(timezone or site_timezone(), now)
    path = Path(content) / "articles" / lang / f"{slug}.md"
    if path.exists():
        raise EditingError(f"{path.relative_to(Path(content).parent)} exists already; choose another title or edit that file")
    headers = [
        f"Title: {title}", f"Date: {when}", f"Category: {category}", f"Tags: {', '.join(tag_list)}",
        f"Slug: {slug}", f"Lang: {lang}", f"Translation_Key: {slug}", "Summary: ",
        f"Authors: {site_text('HUB_SITE_PUBLISHER', lang)}", *TYPE_HEADERS.get(category, ()),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(headers) + "\n\n", encoding="utf-8")
    return path


def short_slug(slug, limit=MAX_SLUG):
    """`slug` cut to at most `limit` characters, after a whole word when it has one that fits."""
    if len(slug) <= limit:
        return slug
    head = slug[:limit + 1].rsplit("-", 1)[0]  # up to the last word that ends within the limit
    return (head if "-" in slug[:limit + 1] else slug[:limit]).strip("-")


def translate_article(source, lang, content=CONTENT):
    """Start the `lang` version of an article: linked by its Translation_Key, status draft."""
    source = Path(source)
    if not source.is_absolute():
        source = (Path.cwd() / source) if (Path.cwd() / source).exists() else PROJECT_ROOT / source
    if not source.exists():
        raise EditingError(f"{source}: no such article")
    problem = unknown_language(lang, site_languages())
    if problem:
        raise EditingError(problem)
    try:
        doc = parse_document(source, content)
    except FrontMatterError as error:
        raise EditingError(f"{source.name}: line {error.line}: {error.message}") from None
    if doc.value("lang") == lang:
        raise EditingError(f"{doc.shown} is already in {lang}")
    key = doc.value("translation_key") or doc.value("slug") or source.stem
    target = Path(content) / doc.kind / lang / source.name
    if target.exists():
        raise EditingError(f"{target.relative_to(Path(content).parent)} exists already")
    lines = []
    for header_key, (_, original, value) in doc.headers.items():
        value = value.strip()
        if header_key in ("title", "summary", "image_alt"):
            value = TO_TRANSLATE + value
        elif header_key == "lang":
            value = lang
        elif header_key == "authors":
            value = site_text("HUB_SITE_PUBLISHER", lang)
        elif header_key in ("translation", "status", "translation_key"):
            continue
        elif header_key in ("image", "image_focus", "attachments"):
            # The translation shows its original's picture (hub_images) unless it names its own;
            # the original's files are not beside it.
            continue
        lines.append(f"{original}: {value}")
    lines += [f"Translation_Key: {key}", "Translation: true", "Status: draft"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n\n" + doc.body.strip() + "\n", encoding="utf-8")
    return target


def check(content=CONTENT):
    return check_content(content, site_languages(), shown_root=Path(content).name,
                         templates=theme_templates(PROJECT_ROOT / "theme"))


def status_report(content=CONTENT):
    languages = site_languages()
    documents, _ = read_documents(content)  # a file that is not UTF-8 is `invoke check`'s to report
    try:
        free = free_tags(documents, load_taxonomy(Path(content) / "taxonomy.toml", languages))
    except TaxonomyError:
        free = []  # `invoke check` reports it
    return format_status(translation_status(documents, languages), languages, catalog_report(), free)
