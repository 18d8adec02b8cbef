"""Language-neutral categories and tags with a label per language, from one TOML file.

An article names a tag by its id or by its label in the article's language (or an alias), written
with any case or accents: `find_tag` does that matching. A tag that matches nothing is a free tag:
it exists in the article's language only, with a page at its own slug.
"""

import difflib
import re
import tomllib
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field, replace

from unidecode import unidecode

from plugins.hub_files.pictures import measured, parse_picture

KINDS = ("categories", "tags")
# difflib's similarity above which an existing tag is worth suggesting: 'datos publicos' finds
# 'Datos abiertos' (0.71), 'smart city' 'Smart Cities Study'; 'movilidad urbana' finds none.
CLOSE_ENOUGH = 0.55


class TaxonomyError(ValueError):
    """The taxonomy file is unreadable or incomplete; the message names file and entry."""


@lru_cache(maxsize=4096)  # every listing asks again for the same few labels' slugs
def slugify(text):
    """ASCII, lower-case, hyphenated: 'Études & rapports' -> 'etudes-rapports'."""
    ascii_text = unidecode(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def match_key(text):
    """How a tag is compared with ids, labels and aliases: without regard to case, accents or runs
    of spaces ('Données  Ouvertes', 'donnees ouvertes' -> 'donnees ouvertes')."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFKC", bare).casefold().split())


@dataclass(frozen=True)
class Term:
    """A category or tag: a key used in content headers, and its label per language."""

    kind: str
    key: str
    labels: dict = field(hash=False, compare=False)
    aliases: tuple = field(default=(), hash=False, compare=False)
    # lang -> URL slug when it is not the label's (two labels clash in that language: see Clash).
    slugs: dict = field(default_factory=dict, hash=False, compare=False)
    # Categories: the illustration of its page (a hub_files Picture: `image` and `image_alt`), or None.
    picture: object = field(default=None, hash=False, compare=False)

    def label(self, lang):
        return self.labels.get(lang, self.key)

    def slug(self, lang):
        return self.slugs.get(lang) or slugify(self.label(lang)) or self.key


@dataclass(frozen=True)
class Clash:
    """Two terms of one kind claim the same slug in one language: two labels (the same URL), or a
    label and an alias, or two aliases (a tag written so would match both). The first one in the
    file keeps it; `moved_to` is the slug the second term's page gets instead (labels only)."""

    kind: str
    lang: str
    slug: str
    kept: str  # id of the term that keeps the slug
    kept_text: str  # its label or alias that gives the slug
    other: str
    other_text: str
    other_is_alias: bool
    moved_to: str | None
    line: int  # line of the second term's [kind.id] in the file (0 if not found)


@dataclass
class Taxonomy:
    categories: dict
    tags: dict
    languages: tuple = ()
    clashes: list = field(default_factory=list)

    def __post_init__(self):
        self._by_text, self._by_slug = {}, {}
        for lang in self.languages:
            by_text = self._by_text[lang] = {}
            for term in self.tags.values():
                for text in (term.key, term.label(lang), *term.aliases):
                    by_text.setdefault(match_key(text), term)
            by_slug = self._by_slug[lang] = {}
            for term in self.tags.values():
                by_slug.setdefault(term.slug(lang), term)
            for term in self.tags.values():
                for text in (term.label(lang), *term.aliases):
                    by_slug.setdefault(slugify(text), term)

    def term(self, kind, key):
        return getattr(self, kind).get(key)

    def find_tag(self, written, lang):
        """The tag `written` names in a `lang` article: by id, by its `lang` label or an alias (any
        case and accents), or by the slug, which is its URL; None for a free tag."""
        text = written.strip()
        if text in self.tags:
            return self.tags[text]
        found = self._by_text.get(lang, {}).get(match_key(text))
        if found is None and slugify(text):
            found = self._by_slug.get(lang, {}).get(slugify(text))
        return found

    def closest_tags(self, written, lang, count=3):
        """Up to `count` tags whose id or `lang` label look like `written`, closest first; a tag
        whose label in another language is `written` comes first (a Spanish article says 'Open data')."""
        wanted = match_key(written)
        found = [term for term in self.tags.values()
                 if any(match_key(term.label(other)) == wanted for other in term.labels)]
        candidates = {}
        for term in self.tags.values():
            for text in (term.label(lang), term.key.replace("-", " "), *term.aliases):
                candidates.setdefault(match_key(text), term)
        for text in difflib.get_close_matches(wanted, list(candidates), n=len(candidates), cutoff=CLOSE_ENOUGH):
            if candidates[text] not in found:
                found.append(candidates[text])
        return found[:count]

    def signature(self):
        """Everything matching reads (for caches of check results)."""
        return repr([(kind, key, sorted(term.labels.items()), term.aliases, sorted(term.slugs.items()))
                     for kind in KINDS for key, term in getattr(self, kind).items()])


def section_line(text, kind, key):
    """Line number of `[kind.key]` in the TOML text (0 if written another way)."""
    pattern = re.compile(rf"^\s*\[\s*{re.escape(kind)}\s*\.\s*[\"']?{re.escape(key)}[\"']?\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 0


def settle_slugs(kind, terms, languages, text):
    """Give every term a slug of its own in each language; report each clash (see Clash).

    The term that comes first in the file keeps a clashing slug; a later term's page moves to
    '<slug>-<id>', so a preview still shows both. Aliases never move anything: they only match."""
    clashes = []
    slugs = {key: {} for key in terms}
    for lang in languages:
        owner = {}  # slug -> (term id, label or alias)
        for term in terms.values():
            label = term.label(lang)
            slug = slugify(label) or term.key
            if slug in owner:
                kept, kept_text = owner[slug]
                moved = f"{slug}-{slugify(term.key) or 'x'}"
                number = 2
                while moved in owner:
                    moved, number = f"{slug}-{slugify(term.key)}-{number}", number + 1
                owner[moved] = (term.key, label)
                slugs[term.key][lang] = moved
                clashes.append(Clash(kind, lang, slug, kept, kept_text, term.key, label, False, moved,
                                     section_line(text, kind, term.key)))
            else:
                owner[slug] = (term.key, label)
        for term in terms.values():
            own = slugify(term.label(lang))
            for alias in term.aliases:
                slug = slugify(alias)
                if slug == own:
                    continue
                if slug in owner and owner[slug][0] != term.key:
                    kept, kept_text = owner[slug]
                    clashes.append(Clash(kind, lang, slug, kept, kept_text, term.key, alias, True, None,
                                         section_line(text, kind, term.key)))
                else:
                    owner.setdefault(slug, (term.key, alias))
    settled = {key: Term(term.kind, key, term.labels, term.aliases, slugs[key], term.picture)
               for key, term in terms.items()}
    return settled, clashes


def parse_taxonomy(text, languages, source="taxonomy.toml"):
    """Parse the taxonomy TOML text; every term needs a label in every language."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TaxonomyError(f"{source}: not valid TOML ({error})") from None
    unknown = set(data) - set(KINDS)
    if unknown:
        raise TaxonomyError(f"{source}: unknown section(s) {sorted(unknown)}; use [categories.<id>] or [tags.<id>]")
    found, clashes = {}, []
    for kind in KINDS:
        terms = {}
        for key, labels in data.get(kind, {}).items():
            if not isinstance(labels, dict):
                raise TaxonomyError(f"{source}: [{kind}.{key}] must be a table of labels, e.g. fr = \"...\"")
            missing = [lang for lang in languages if not str(labels.get(lang, "")).strip()]
            if missing:
                raise TaxonomyError(
                    f"{source}: [{kind}.{key}] has no label for {', '.join(missing)}; add e.g. {missing[0]} = \"...\""
                )
            aliases = labels.get("aliases", [])
            if kind != "tags" and "aliases" in labels:
                raise TaxonomyError(f"{source}: [{kind}.{key}] aliases are for tags only; remove the line")
            if not isinstance(aliases, list) or not all(isinstance(alias, str) and alias.strip() for alias in aliases):
                raise TaxonomyError(
                    f"{source}: [{kind}.{key}] aliases must be a list of texts, e.g. aliases = [\"open government data\"]"
                )
            picture = None
            if "image" in labels or "image_alt" in labels:
                if kind != "categories":
                    raise TaxonomyError(f"{source}: [{kind}.{key}] image is for categories only; remove the line")
                picture, problem = parse_picture(labels.get("image"), labels.get("image_alt"), languages,
                                                 f"{source}: [{kind}.{key}] image")
                if problem:
                    raise TaxonomyError(problem)
            terms[key] = Term(kind, key, {lang: str(labels[lang]).strip() for lang in languages},
                              tuple(alias.strip() for alias in aliases), picture=picture)
        found[kind], kind_clashes = settle_slugs(kind, terms, languages, text)
        clashes.extend(kind_clashes)
    return Taxonomy(categories=found["categories"], tags=found["tags"], languages=tuple(languages), clashes=clashes)


def load_taxonomy(path, languages):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found; it lists the categories and tags with their labels") from None
    return parse_taxonomy(text, languages, source=str(path))


def measure_pictures(taxonomy, content_root, source="taxonomy.toml"):
    """The categories' pictures with their pixel sizes read from their files; a category whose file
    is missing or unreadable shows none. Returns the problems, one line each."""
    problems = []
    for key, term in list(taxonomy.categories.items()):
        if term.picture is None:
            continue
        picture, why = measured(term.picture, content_root)
        if why:
            problems.append(f"{source}: [categories.{key}] image: {why}; the category page shows no picture")
        taxonomy.categories[key] = replace(term, picture=picture)
    return problems
