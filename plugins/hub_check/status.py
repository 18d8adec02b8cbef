"""Translation status: per item, which languages exist, which are missing, which are out of date."""

from dataclasses import dataclass, field

from plugins.hub_i18n.taxonomy import slugify

from .checks import parse_datetime, split_tags


@dataclass
class ItemStatus:
    kind: str
    key: str
    original: str | None  # language of the original
    versions: dict = field(default_factory=dict)  # lang -> shown path
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)  # translations older than the original's last change


@dataclass
class FreeTag:
    """A tag that is not in the taxonomy, in one language (spellings that slug alike are one)."""

    name: str  # the most used spelling
    lang: str
    slug: str
    articles: list  # shown paths of the articles using it
    closest: list  # (id, label in `lang`) of the closest taxonomy tags


def free_tags(documents, taxonomy):
    """FreeTag per language and slug, sorted by language (site order) then slug (articles only)."""
    found = {}
    for doc in documents:
        lang = doc.value("lang") or doc.folder_lang
        if doc.kind != "articles" or lang not in taxonomy.languages:
            continue
        for tag in split_tags(doc.value("tags")):
            if taxonomy.find_tag(tag, lang) is None and slugify(tag):
                spellings, articles = found.setdefault((lang, slugify(tag)), ({}, []))
                spellings[tag] = spellings.get(tag, 0) + 1
                if doc.shown not in articles:
                    articles.append(doc.shown)
    rows = []
    for (lang, slug), (spellings, articles) in found.items():
        name = min(spellings, key=lambda text: (-spellings[text], text))
        rows.append(FreeTag(name, lang, slug, sorted(articles),
                            [(term.key, term.label(lang)) for term in taxonomy.closest_tags(name, lang)]))
    return sorted(rows, key=lambda row: (taxonomy.languages.index(row.lang), row.slug))


def last_change(doc):
    return parse_datetime(doc.value("modified")) or parse_datetime(doc.value("date"))


def translation_status(documents, languages):
    """ItemStatus per translation key, articles then pages, sorted by key."""
    groups = {}
    for doc in documents:
        lang = doc.value("lang") or doc.folder_lang
        key = doc.value("translation_key") or doc.value("slug") or doc.path.stem
        groups.setdefault((doc.kind, key), {})[lang] = doc
    rows = []
    for (kind, key), versions in sorted(groups.items()):
        original = next((lang for lang, doc in versions.items() if doc.value("translation").lower() != "true"), None)
        row = ItemStatus(kind, key, original, {lang: versions[lang].shown for lang in languages if lang in versions})
        row.missing = [lang for lang in languages if lang not in versions]
        if original:
            changed = last_change(versions[original])
            for lang, doc in versions.items():
                mine = last_change(doc)
                if lang != original and changed and mine and mine < changed:
                    row.stale.append(lang)
        rows.append(row)
    return rows


def format_status(rows, languages, catalog_stats, free=()):
    """The report `invoke status` prints (`free`: the FreeTag rows)."""
    lines = ["Translations (+ exists, - missing, ! older than the original's last change, * original):"]
    width = max([len(row.key) for row in rows] + [10])
    lines.append(f"  {'item'.ljust(width)}  " + "  ".join(languages))
    for row in rows:
        marks = []
        for lang in languages:
            mark = "-" if lang in row.missing else "!" if lang in row.stale else "+"
            marks.append((mark + ("*" if lang == row.original else "")).ljust(len(lang)))
        lines.append(f"  {row.key.ljust(width)}  " + "  ".join(marks))
    missing = sum(len(row.missing) for row in rows)
    stale = sum(len(row.stale) for row in rows)
    lines.append(f"  {len(rows)} items: {missing} missing translation(s), {stale} out of date")
    if free:
        lines.append("Free tags (not in content/taxonomy.toml: a page in one language only; "
                     "add them there to translate or merge them):")
        for tag in free:
            closest = ", ".join(f"{key!r} ({label})" for key, label in tag.closest) or "none"
            lines.append(f"  {tag.lang}  {tag.name!r}: {len(tag.articles)} article(s): {', '.join(tag.articles)}; closest: {closest}")
    lines.append("Interface catalogs (translated / fuzzy / missing):")
    for lang, (translated, fuzzy, untranslated) in catalog_stats.items():
        total = translated + fuzzy + untranslated
        share = 100 * translated // total if total else 100
        lines.append(f"  {lang}: {translated} / {fuzzy} / {untranslated}  ({share}% complete)")
    return "\n".join(lines)
