"""Keys that change whenever what a template can read of a page's inputs changes. No Pelican here."""

import dataclasses
import datetime
import hashlib
import json
import posixpath
import re

# Pelican's internal links in a source: {filename}path, |filename|path, also {static} and {attach}.
INTERNAL_LINK = re.compile(r"""[{|](?:filename|static|attach)[}|]([^\s"'<>)#?]+)""")


class Unkeyable(TypeError):
    """A value this module cannot summarise: the page that receives it is always rendered."""


def describe(value, special=lambda value: None, memo=None):
    """A JSON-able description of `value`; `special(value)` describes objects it knows (or None).

    `memo` ({}), if given, keeps the descriptions of frozen dataclasses by identity: one listing
    entry shows on several pages (home, category, tags, archives), and is described once. Pass a
    memo only for as long as the objects it saw are not changed (one build's writing)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return ["time", value.isoformat()]
    known = special(value)
    if known is not None:
        return known
    fields = _fields(type(value))
    if fields is not None:
        names, frozen = fields
        if frozen and memo is not None:
            kept = memo.get(id(value))
            if kept is not None and kept[0] is value:
                return kept[1]
        described = [type(value).__name__] + [[name, describe(getattr(value, name), special, memo)] for name in names]
        if frozen and memo is not None:
            memo[id(value)] = (value, described)  # the value is kept alive, so its id is not reused
        return described
    if isinstance(value, (list, tuple)):
        return [describe(item, special, memo) for item in value]
    if isinstance(value, dict):
        return [[describe(key, special, memo), describe(item, special, memo)] for key, item in value.items()]
    raise Unkeyable(f"cannot summarise a {type(value).__name__}")


_FIELDS = {}


def _fields(cls):
    """A dataclass's field names and whether it is frozen (None for other classes), once per class."""
    try:
        return _FIELDS[cls]
    except KeyError:
        fields = None
        if dataclasses.is_dataclass(cls):
            fields = (tuple(field.name for field in dataclasses.fields(cls)), cls.__dataclass_params__.frozen)
        return _FIELDS.setdefault(cls, fields)


def digest(*parts):
    """One hex key for any JSON-able parts."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))  # describe() keeps mapping order
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_key(base, name, template_name, kwargs, special=lambda value: None, extra=None, memo=None):
    """The key of one output page: the site-wide inputs, the page's name and template, and its
    own arguments. Raises Unkeyable when an argument cannot be summarised. `memo`: see describe."""
    described = [[key, describe(value, special, memo)] for key, value in sorted(kwargs.items())]
    return digest(base, name, template_name, described, describe(extra, special, memo))


def linked_files(source_name, text):
    """The content files `text` (the source at `source_name`, relative to PATH) links to, as Pelican
    resolves them: from PATH if the target starts with '/', else from the source's folder."""
    folder = posixpath.dirname(source_name)
    targets = set()
    for target in INTERNAL_LINK.findall(text):
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets.add(posixpath.normpath(path))
    return sorted(targets)
