"""The redirects table (content/redirects.toml): old addresses of uclg-digitalcities.org, the WordPress
site the hub replaces, and the hub item each now is. Pure functions: the content checks and the
build read the same table the same way.

An entry: `old` (the old path, or the old URL) and ONE target — `key` (translation key of an article
or standing page), `edition` (a Smart Cities Study year), `category` or `tag` (a taxonomy id) or
`page` ("home" or "archives") — plus `lang`, the language of the hub page it leads to.
"""

import re
import tomllib
from dataclasses import dataclass
from urllib.parse import urlsplit

from plugins.hub_i18n.settings import unknown_language

OLD_HOSTS = ("uclg-digitalcities.org", "www.uclg-digitalcities.org")
TARGET_KINDS = ("key", "edition", "category", "tag", "page")
PAGES = ("home", "archives")
# Any link to the old site, in Markdown, HTML or a TOML value.
OLD_SITE_URL = re.compile(r"(?:https?://)?(?:www\.)?uclg-digitalcities\.org(?P<path>/[^\s)>\]\"'<]*)?")


@dataclass(frozen=True)
class Redirect:
    old: str  # normalised path: "/fr/smart-cities-study/edition-2021/"
    lang: str
    kind: str  # one of TARGET_KINDS
    value: str
    line: int  # in the table, for messages


@dataclass(frozen=True)
class TableProblem:
    line: int
    field: str
    message: str


def normalise_old(address):
    """The path of an old address, as the table keys it: leading '/', a trailing '/' unless the last
    part names a file ("/wp-content/x.pdf"); no query or fragment. Host and scheme are dropped."""
    address = address.strip()
    match = OLD_SITE_URL.fullmatch(address)
    path = urlsplit((match["path"] or "/") if match else address).path
    path = "/" + path.lstrip("/")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return path


def is_page_path(path):
    """A path that ends in '/' gets a redirect page (old/index.html); a file's path only server rules."""
    return path.endswith("/")


def line_of(text, needle, after=0):
    """1-based line of the first `needle` at or after line `after` (0 when absent)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= after and needle in line:
            return number
    return 0


def parse_table(text, languages):
    """(redirects, problems) of the table's text; a faulty entry is left out and named."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [], [TableProblem(0, "", f"not valid TOML ({error})")]
    entries = data.get("redirect", [])
    if not isinstance(entries, list):
        return [], [TableProblem(0, "redirect", "write each entry as [[redirect]]")]
    redirects, problems, seen = [], [], {}
    previous_line = 0
    for index, entry in enumerate(entries, start=1):
        old = entry.get("old") if isinstance(entry, dict) else None
        line = line_of(text, f'"{old}"', previous_line) if isinstance(old, str) else 0
        previous_line = line or previous_line
        where = line or 0
        if not isinstance(old, str) or not old.strip():
            problems.append(TableProblem(where, "old", f"entry #{index} has no old address; add e.g. old = \"/fr/2021/04/\""))
            continue
        targets = [kind for kind in TARGET_KINDS if kind in entry]
        if len(targets) != 1:
            problems.append(TableProblem(where, "old", f"{old!r} needs exactly one target among {', '.join(TARGET_KINDS)}"
                                         f" (it has {', '.join(targets) or 'none'})"))
            continue
        lang = entry.get("lang")
        problem = unknown_language(lang, languages)
        if problem:
            problems.append(TableProblem(where, "lang", f"{old!r}: {problem}"))
            continue
        kind = targets[0]
        value = str(entry[kind]).strip()
        if kind == "page" and value not in PAGES:
            problems.append(TableProblem(where, "page", f"{old!r}: page must be one of {', '.join(PAGES)}, not {value!r}"))
            continue
        path = normalise_old(old)
        if path in seen:
            problems.append(TableProblem(where, "old", f"{path!r} is already listed (line {seen[path]}); keep one entry"))
            continue
        if path == "/":
            problems.append(TableProblem(where, "old", "the site's root is the hub's own page; it cannot redirect"))
            continue
        seen[path] = where
        redirects.append(Redirect(path, lang, kind, value, where))
    return redirects, problems


def target_problem(redirect, documents, editions, taxonomy):
    """Why the redirect's target does not exist, or None. `documents`: {(translation key, lang):
    status} of articles and pages; `editions`: the study's years; `taxonomy`: hub_i18n's."""
    kind, value, lang = redirect.kind, redirect.value, redirect.lang
    if kind == "key":
        status = documents.get((value, lang))
        if status is None:
            return f"no article or page has the translation key {value!r} in {lang}; use an existing key or another lang"
        if status == "draft":
            return f"the {lang} version of {value!r} is a draft: its page is not published"
    elif kind == "edition":
        if not value.isdigit() or editions is None or int(value) not in editions:
            return f"{value!r} is not an edition of content/editions.toml"
    elif kind in ("category", "tag"):
        terms = taxonomy.categories if kind == "category" else taxonomy.tags
        if value not in terms:
            return f"{value!r} is not a {kind} of content/taxonomy.toml"
    return None


def old_links(text):
    """(offset, normalised old path) of every link to the old site in `text`."""
    return [(match.start(), normalise_old(match.group(0))) for match in OLD_SITE_URL.finditer(text)
            if not text[max(0, match.start() - 1):match.start()] == "@"]  # info@uclg-digitalcities.org is mail


def netlify_redirects(pairs):
    """Netlify/Cloudflare Pages `_redirects`: "old new 301" per line."""
    return "".join(f"{old} {new} 301\n" for old, new in pairs).encode()


def nginx_map(pairs):
    """Lines for an nginx `map $uri $hub_redirect { include redirects.map; }` block."""
    header = "# Old addresses of uclg-digitalcities.org -> the hub (generated from content/redirects.toml).\n"
    return (header + "".join(f'"{old}" "{new}";\n' for old, new in pairs)).encode()


def server_pairs(redirects_with_targets):
    """(old, new) for the server files, sorted: each page path also without its trailing '/', which
    servers see as another address."""
    pairs = set()
    for old, new in redirects_with_targets:
        pairs.add((old, new))
        if old.endswith("/") and len(old) > 1:
            pairs.add((old.rstrip("/"), new))
    return sorted(pairs)
