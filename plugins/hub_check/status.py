"""Translation status: per item, which languages exist, which are missing, which are out of date."""

from dataclasses import dataclass, field

from .checks import parse_datetime


@dataclass
class ItemStatus:
    kind: str
    key: str
    original: str | None  # language of the original
    versions: dict = field(default_factory=dict)  # lang -> shown path
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)  # translations older than the original's last change


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


def format_status(rows, languages, catalog_stats):
    """The report `invoke status` prints."""
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
    lines.append("Interface catalogs (translated / fuzzy / missing):")
    for lang, (translated, fuzzy, untranslated) in catalog_stats.items():
        total = translated + fuzzy + untranslated
        share = 100 * translated // total if total else 100
        lines.append(f"  {lang}: {translated} / {fuzzy} / {untranslated}  ({share}% complete)")
    return "\n".join(lines)
