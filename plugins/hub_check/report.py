"""What a preview tells editors about faulty files: the files left out, and where their pages would be.

Pure functions over the checks' Problems and Documents, used by the build (terminal and browser)."""

from dataclasses import dataclass

from .checks import ERROR, item_url


@dataclass(frozen=True)
class LeftOut:
    """A file a preview leaves out, with the addresses a reader would try for it."""

    shown: str  # content/articles/es/x.md
    lang: str | None
    paths: tuple  # site paths of its page ("es/2021/x/"), one per address it could have had
    problems: tuple  # its errors, as `invoke check` prints them


def left_out_files(documents, problems):
    """LeftOut for every Markdown file with an error, sorted by file. A file that could not be read at all (not
    UTF-8) still gets one, without addresses."""
    errors = {}
    for problem in problems:
        # Only articles and pages are left out; a fault in a data file (taxonomy.toml) stops the build.
        if problem.level == ERROR and problem.path.endswith(".md"):
            errors.setdefault(problem.path, []).append(str(problem))
    by_shown = {doc.shown: doc for doc in documents}
    return [LeftOut(shown, *page_paths(by_shown.get(shown)), tuple(lines)) for shown, lines in sorted(errors.items())]


def page_paths(doc):
    """(language, site paths) where the file's page would be (checks.item_url, as the duplicate-slug
    message names it); an article whose date does not read could be under any year."""
    if doc is None:
        return None, ()
    lang = doc.folder_lang
    slug = doc.value("slug") or doc.path.stem
    url = item_url(doc, lang, slug)
    return lang, ((url.lstrip("/"),) if url else (f"{lang}/*/{slug}/",))


def matches(path, pattern):
    """Whether a site path (no leading slash) is `pattern`'s, where '*' stands for one segment."""
    parts, wanted = path.strip("/").split("/"), pattern.strip("/").split("/")
    return len(parts) == len(wanted) and all(w in ("*", p) for p, w in zip(parts, wanted))


def summary_line(left_out, status_url):
    """The line a preview prints after the problems."""
    if not left_out:
        return None
    return (f"{len(left_out)} file(s) left out of this preview until fixed: "
            f"{', '.join(item.shown for item in left_out)}. They are listed on {status_url}")
