"""Language-neutral categories and tags with a label per language, from one TOML file."""

import re
import tomllib
from functools import lru_cache
from dataclasses import dataclass, field

from unidecode import unidecode

KINDS = ("categories", "tags")


class TaxonomyError(ValueError):
    """The taxonomy file is unreadable or incomplete; the message names file and entry."""


@lru_cache(maxsize=4096)  # every listing asks again for the same few labels' slugs
def slugify(text):
    """ASCII, lower-case, hyphenated: 'Études & rapports' -> 'etudes-rapports'."""
    ascii_text = unidecode(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


@dataclass(frozen=True)
class Term:
    """A category or tag: a key used in content headers, and its label per language."""

    kind: str
    key: str
    labels: dict = field(hash=False, compare=False)

    def label(self, lang):
        return self.labels.get(lang, self.key)

    def slug(self, lang):
        return slugify(self.label(lang)) or self.key


@dataclass
class Taxonomy:
    categories: dict
    tags: dict

    def term(self, kind, key):
        return getattr(self, kind).get(key)


def parse_taxonomy(text, languages, source="taxonomy.toml"):
    """Parse the taxonomy TOML text; every term needs a label in every language."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TaxonomyError(f"{source}: not valid TOML ({error})") from None
    unknown = set(data) - set(KINDS)
    if unknown:
        raise TaxonomyError(f"{source}: unknown section(s) {sorted(unknown)}; use [categories.<id>] or [tags.<id>]")
    found = {}
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
            terms[key] = Term(kind, key, {lang: str(labels[lang]).strip() for lang in languages})
        found[kind] = terms
    return Taxonomy(categories=found["categories"], tags=found["tags"])


def load_taxonomy(path, languages):
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: file not found; it lists the categories and tags with their labels") from None
    return parse_taxonomy(text, languages, source=str(path))
