"""Smart Cities Study editions from content/editions.toml."""

import tomllib
from dataclasses import dataclass, field


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
        editions.append(Edition(year, number, {lang: themes[lang] for lang in languages}, entry.get("cities"),
                                entry.get("countries"), tuple(entry.get("languages", ())), tuple(documents)))
    years = [edition.year for edition in editions]
    if len(set(years)) != len(years):
        raise EditionsError(f"{source}: an edition year is listed twice")
    return sorted(editions, key=lambda edition: edition.year)


def load_editions(path, languages):
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_editions(handle.read(), languages, str(path))
    except FileNotFoundError:
        return []
