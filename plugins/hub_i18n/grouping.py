"""Translation groups: which items are versions of one another, and which is the original."""

from dataclasses import dataclass, field

from .settings import unknown_language


class ContentError(ValueError):
    """Content hub_i18n cannot publish; `problems` holds one line per fault (file, field, fix)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class TranslationGroup:
    key: str
    versions: dict = field(default_factory=dict)  # lang -> item, in site language order

    @property
    def original(self):
        """The version not marked `Translation: true` (the first one if every version is marked)."""
        for item in self.versions.values():
            if not item.is_translation:
                return item
        return next(iter(self.versions.values()))

    def in_lang(self, lang):
        return self.versions.get(lang)


def group_translations(items, languages):
    """Group items by translation key; return {key: TranslationGroup} or raise ContentError.

    Items need `lang`, `translation_key`, `is_translation` and `source` (a path for messages).
    """
    problems = []
    groups = {}
    for item in items:
        problem = unknown_language(item.lang, languages)
        if problem:
            problems.append(f"{item.source}: Lang: {problem} (and put the file in that language's folder)")
            continue
        group = groups.setdefault(item.translation_key, TranslationGroup(item.translation_key))
        other = group.versions.get(item.lang)
        if other is not None:
            problems.append(
                f"{item.source}: Translation_Key: {item.translation_key!r} is already used by the "
                f"{item.lang} article {other.source}; give one of them its own Translation_Key"
            )
            continue
        group.versions[item.lang] = item
    if problems:
        raise ContentError(problems)
    for group in groups.values():
        group.versions = {lang: group.versions[lang] for lang in languages if lang in group.versions}
    return groups


def originals_missing(groups):
    """Problems for groups whose versions are all marked as translations (their original is missing)."""
    problems = []
    for group in groups.values():
        if all(item.is_translation for item in group.versions.values()):
            files = ", ".join(str(item.source) for item in group.versions.values())
            problems.append(
                f"{files}: Translation: true, but no version of {group.key!r} is the original; "
                "add the original-language file, or remove 'Translation: true' from the original"
            )
    return problems
