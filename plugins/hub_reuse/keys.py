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
    return Describer(special)(value)


class Describer:
    """describe(), for the many values of one build: how to describe each type is worked out once.

    `special` must answer by type: if it describes one instance of a class, it describes them all.
    `memo` ({}), if given, keeps the descriptions of frozen dataclasses by identity: one listing
    entry shows on several pages (home, category, tags, archives), and is described once. Pass a
    memo only for as long as the objects it saw are not changed (one build's writing)."""

    def __init__(self, special=lambda value: None, memo=None):
        self.special, self.memo = special, memo
        self.handlers = {}  # type -> function(value) -> description

    def __call__(self, value):
        handler = self.handlers.get(type(value))
        if handler is not None:
            return handler(value)
        if value is None or isinstance(value, (str, int, float, bool)):
            handler = _itself
        elif isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            handler = _time
        else:
            described = self.special(value)
            if described is not None:
                self.handlers[type(value)] = self.special
                return described
            handler = self._handler(value)
        self.handlers[type(value)] = handler
        return handler(value)

    def _handler(self, value):
        """For a type `special` does not describe."""
        fields = _fields(type(value))
        if fields is not None:
            return self._dataclass(type(value).__name__, *fields)
        if isinstance(value, (list, tuple)):
            return lambda value: [item if type(item) in PLAIN else self(item) for item in value]
        if isinstance(value, dict):
            return lambda value: [[self(key), self(item)] for key, item in value.items()]
        raise Unkeyable(f"cannot summarise a {type(value).__name__}")

    def _dataclass(self, class_name, names, frozen):
        """A function that describes one dataclass: [class name, [field, description]...]. Written
        out field by field (as dataclasses writes __init__): keys describe tens of thousands of
        these per build, and plain values are taken as they are without a call."""
        lines = [f"def describe_fields(value, describe=describe, PLAIN=PLAIN, class_name=class_name):"]
        for number, name in enumerate(names):
            lines.append(f"    v{number} = value.{name}")
            lines.append(f"    if type(v{number}) not in PLAIN: v{number} = describe(v{number})")
        pairs = ", ".join(f"[{name!r}, v{number}]" for number, name in enumerate(names))
        lines.append(f"    return [class_name, {pairs}]")
        scope = {}
        exec("\n".join(lines), {"describe": self, "PLAIN": PLAIN, "class_name": class_name}, scope)
        describe_fields = scope["describe_fields"]
        memo = self.memo if frozen else None
        if memo is None:
            return describe_fields

        def remembered(value):
            kept = memo.get(id(value))
            if kept is not None and kept[0] is value:
                return kept[1]
            described = describe_fields(value)
            memo[id(value)] = (value, described)  # the value is kept alive, so its id is not reused
            return described

        return remembered


def _itself(value):
    return value


PLAIN = frozenset({str, int, float, bool, type(None)})  # described as themselves


def _time(value):
    return ["time", value.isoformat()]


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


def page_key(base, name, template_name, kwargs, describer=None, extra=None):
    """The key of one output page: the site-wide inputs, the page's name and template, and its
    own arguments, described by `describer` (a Describer; one without `special` if None). Raises
    Unkeyable when an argument cannot be summarised."""
    describer = describer or Describer()
    described = [[key, describer(value)] for key, value in sorted(kwargs.items())]
    return digest(base, name, template_name, described, describer(extra))


def linked_files(source_name, text):
    """The content files `text` (the source at `source_name`, relative to PATH) links to, as Pelican
    resolves them: from PATH if the target starts with '/', else from the source's folder."""
    folder = posixpath.dirname(source_name)
    targets = set()
    for target in INTERNAL_LINK.findall(text):
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets.add(posixpath.normpath(path))
    return sorted(targets)
