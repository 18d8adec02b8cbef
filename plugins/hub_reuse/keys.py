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


def describe(value, special=lambda value: None):
    """A JSON-able description of `value`; `special(value)` describes objects it knows (or None)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return ["time", value.isoformat()]
    known = special(value)
    if known is not None:
        return known
    names = _field_names(type(value))
    if names is not None:
        return [type(value).__name__] + [[name, describe(getattr(value, name), special)] for name in names]
    if isinstance(value, (list, tuple)):
        return [describe(item, special) for item in value]
    if isinstance(value, dict):
        return [[describe(key, special), describe(item, special)] for key, item in value.items()]
    raise Unkeyable(f"cannot summarise a {type(value).__name__}")


_FIELD_NAMES = {}


def _field_names(cls):
    """A dataclass's field names (None for other classes), looked up once per class."""
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = tuple(field.name for field in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
        return _FIELD_NAMES.setdefault(cls, names)


def digest(*parts):
    """One hex key for any JSON-able parts."""
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))  # describe() keeps mapping order
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_key(base, name, template_name, kwargs, special=lambda value: None, extra=None):
    """The key of one output page: the site-wide inputs, the page's name and template, and its
    own arguments. Raises Unkeyable when an argument cannot be summarised."""
    described = [[key, describe(value, special)] for key, value in sorted(kwargs.items())]
    return digest(base, name, template_name, described, describe(extra, special))


def linked_files(source_name, text):
    """The content files `text` (the source at `source_name`, relative to PATH) links to, as Pelican
    resolves them: from PATH if the target starts with '/', else from the source's folder."""
    folder = posixpath.dirname(source_name)
    targets = set()
    for target in INTERNAL_LINK.findall(text):
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets.add(posixpath.normpath(path))
    return sorted(targets)
