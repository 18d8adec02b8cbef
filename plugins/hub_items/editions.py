"""Smart Cities Study editions from content/editions.toml."""

import os
import tomllib
from dataclasses import dataclass, field, replace

from plugins.hub_files.pictures import measured, parse_picture


class EditionsError(ValueError):
    pass


@dataclass(frozen=True)
class Document:
    url: str
    lang: str
    format: str
    size: int | None = None


@dataclass(frozen=True)
class Edition:
    year: int
    number: int
    themes: dict = field(hash=False, compare=False)
    cities: int | None = None
    countries: int | None = None
    languages: tuple = ()
    documents: tuple = ()
    cover: object = field(default=None, hash=False, compare=False)  # a hub_files Picture, or None

    def theme(self, lang):
        return self.themes[lang]


def parse_editions(text, languages, source="editions.toml"):
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise EditionsError(f"{source}: not valid TOML ({error})") from None
    editions = []
    for index, entry in enumerate(data.get("edition", []), start=1):
        where = f"{source}: edition #{index}"
        try:
            year, number = int(entry["year"]), int(entry["number"])
        except (KeyError, TypeError, ValueError):
            raise EditionsError(f"{where}: needs a whole 'year' and 'number'") from None
        themes = entry.get("theme", {})
        missing = [lang for lang in languages if not themes.get(lang)]
        if missing:
            raise EditionsError(f"{source}: edition {year}: [edition.theme] has no text for {', '.join(missing)}")
        documents = []
        for doc in entry.get("documents", []):
            if not doc.get("url") or doc.get("lang") not in languages or not doc.get("format"):
                raise EditionsError(f"{source}: edition {year}: each document needs url, lang (one of {', '.join(languages)}) and format")
            documents.append(Document(doc["url"], doc["lang"], doc["format"], doc.get("size")))
        cover = None
        if "cover" in entry or "cover_alt" in entry:
            cover, problem = parse_picture(entry.get("cover"), entry.get("cover_alt"), languages,
                                           f"{source}: edition {year}: cover")
            if problem:
                raise EditionsError(problem)
        editions.append(Edition(year, number, {lang: themes[lang] for lang in languages}, entry.get("cities"),
                                entry.get("countries"), tuple(entry.get("languages", ())), tuple(documents), cover))
    years = [edition.year for edition in editions]
    if len(set(years)) != len(years):
        raise EditionsError(f"{source}: an edition year is listed twice")
    return sorted(editions, key=lambda edition: edition.year)


def load_editions(path, languages, content_root=None, problems=None):
    """The editions in the file at `path` ([] if there is none). With `content_root`, covers get their
    pixel sizes; a cover whose file is missing is left out, and said so in `problems` (a list)."""
    try:
        with open(path, encoding="utf-8") as handle:
            editions = parse_editions(handle.read(), languages, str(path))
    except FileNotFoundError:
        return []
    if content_root is None:
        return editions
    sized = []
    for edition in editions:
        cover = edition.cover
        if cover is not None:
            cover, why = measured(cover, content_root)
            if why and problems is not None:
                problems.append(f"{os.path.basename(content_root)}/{os.path.basename(path)}: edition {edition.year}: "
                                f"cover: {why}; the study pages show no cover for it")
        sized.append(replace(edition, cover=cover))
    return sized
