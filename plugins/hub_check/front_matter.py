"""YAML front matter, as Hugo, Jekyll and Git-based CMSs write it, read as our `Key: value` headers.

A file whose first line is `---` starts with a YAML mapping closed by a second `---` (or `...`)
line. Each key becomes the header of the same name (case does not matter, as for `Key: value`
headers) and each value the text that header would hold: lists are joined with ", " (Tags,
Authors), dates are kept as written, `true`/`false` and numbers as their usual spelling. The
checks, `invoke status` and the build all read front matter through this module, so a YAML file
and its `Key: value` twin give the same Document and the same page.
"""

import datetime
import re

import yaml

OPENING = "---"
CLOSING = ("---", "...")
HEADER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # what a `Key: value` header may be called
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class FrontMatterError(ValueError):
    """The front matter cannot be read: `line` (1-based, in the file) and what to do."""

    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


class FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that unquoted dates stay the text the editor wrote: a date
    header is read (and checked) as the same string whether it is YAML or `Date: ...`, and an
    impossible date such as 2021-02-30 gets the checks' message instead of a YAML traceback."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def has_front_matter(text):
    """Does the file (its text) start with a YAML front matter line?"""
    if not text.startswith((OPENING, "\ufeff" + OPENING)):  # most files: no copy of the text
        return False
    end = text.find("\n")
    return (text if end < 0 else text[:end]).lstrip("\ufeff").rstrip() == OPENING


def header_text(value):
    """The `Key: value` text of one YAML value (None for a value no header can hold)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):  # explicitly tagged !!timestamp: written as headers are
        shape = "%Y-%m-%d %H:%M:%S" if value.second or value.microsecond else "%Y-%m-%d %H:%M"
        offset = value.strftime("%z") if value.tzinfo else ""
        return value.strftime(shape) + (f"{offset[:3]}:{offset[3:]}" if offset else "")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (str, int, float)):
        # One line, as a header is: a folded or literal block's lines are joined with spaces.
        return " ".join(part.strip() for part in str(value).splitlines() if part.strip())
    if isinstance(value, list) and all(not isinstance(item, (list, dict)) for item in value):
        return ", ".join(text for text in (header_text(item) for item in value) if text)
    return None


def read_front_matter(text):
    """([(line, key, value text), ...] in file order, the line the body starts on), for a file
    that has_front_matter; raise FrontMatterError."""
    lines = text.splitlines()
    closing = next((number for number, line in enumerate(lines[1:], start=2) if line.rstrip() in CLOSING), None)
    if closing is None:
        raise FrontMatterError(1, "the front matter opened by '---' is never closed; "
                                  "add a line '---' after the last header, then the text")
    source = "\n".join(lines[1:closing - 1])
    loader = FrontMatterLoader(source)
    try:
        root = loader.get_single_node()
        if root is None:  # nothing between the two '---' lines
            return [], closing + 1
        if not isinstance(root, yaml.MappingNode):
            raise FrontMatterError(2 + root.start_mark.line,
                                   "the front matter must be 'key: value' lines (e.g. 'title: My title')")
        entries, seen = [], set()
        for key_node, value_node in root.value:
            line = 2 + key_node.start_mark.line
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str) or not HEADER_NAME.fullmatch(key):
                raise FrontMatterError(line, f"{key!r} is not a header name; use letters, digits, '_' or '-' "
                                             "(e.g. 'translation_key')")
            value = header_text(loader.construct_object(value_node, deep=True))
            if value is None:
                raise FrontMatterError(line, f"'{key}' holds a nested mapping or list; "
                                             "give it one value, or a list of values (e.g. tags: [a, b])")
            if key.lower() not in seen:  # the first one counts, as with `Key: value` headers
                seen.add(key.lower())
                entries.append((line, key, value))
        return entries, closing + 1
    except yaml.MarkedYAMLError as error:
        # Where the unclosed bracket or quote opened, if that is the fault, else where it was found.
        mark = error.context_mark or error.problem_mark
        line = 2 + mark.line if mark is not None else 1
        raise FrontMatterError(line, f"the front matter is not valid YAML ({error.problem or error.context}); "
                                     "write one 'key: value' per line and quote values that contain ': ' or start with a "
                                     "special character") from None
    except yaml.YAMLError as error:
        raise FrontMatterError(1, f"the front matter is not valid YAML ({error}); "
                                  "write one 'key: value' per line") from None
    finally:
        loader.dispose()


def as_headers(text):
    """The file's text with its YAML front matter written as `Key: value` headers, for Pelican's
    Markdown reader (its metadata extension reads headers, lower-casing their names)."""
    entries, body_line = read_front_matter(text)
    body = "\n".join(text.splitlines()[body_line - 1:])
    headers = "".join(f"{key}: {value}\n" for _, key, value in entries)
    return f"{headers}\n{body}\n" if headers else f"\n{body}\n"
