"""French typography as pure functions: the spaces French puts around punctuation, and apostrophes.

French sets a narrow no-break space (U+202F) before ; ! ? and inside « », and a no-break space
(U+00A0) before :, so that a line never starts with "»" or ":"; and it writes the apostrophe ’.
Editors type ordinary spaces (or none) and straight apostrophes: these functions put the right
characters in. They are idempotent (applying them twice changes nothing more), and the plain
spaces of other languages are none of their business: callers apply them to French text only.
"""

import html
import re

from .typography import RULES, TAG, VERBATIM

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

# Any run of spaces an editor, a template or a catalog may have put there (or the right ones already).
_SPACE = "[ \\t\\r\\n\u00a0\u202f\u2009\u2007]"
# What may stand right before a punctuation mark that lacks its space: the end of a word, a number,
# a closing quote or bracket. Never a space, a slash or a colon: "10:30" and "https://" keep theirs.
_WORD_END = r"[\w)\]»’”…]"
# What follows a punctuation mark that is one (not part of a URL, an emoticon or "a?b"): a space,
# the end of the text, or other closing punctuation.
_MARK_END = r"(?:$|[\s»)\]”’.,;:!?…])"

_APOSTROPHE_RULES = tuple(rule for rule in RULES if "'" in rule[0].pattern)
_RULES = (
    *_APOSTROPHE_RULES,
    (re.compile("'"), "\u2019"),  # any straight apostrophe left: in French text it is an apostrophe
    # Spaces before ; ! ? become one narrow no-break space; a missing one is added.
    # (After a word only: "manque, ! plus" is a symbol, not punctuation.)
    (re.compile(f"(?<={_WORD_END}){_SPACE}+(?=[;!?])"), NARROW_NBSP),
    (re.compile(f"(?<={_WORD_END})(?=[;!?]{_MARK_END})"), NARROW_NBSP),
    # Before a colon: a no-break space. Only a colon followed by a space or the end is punctuation.
    (re.compile(f"(?<={_WORD_END}){_SPACE}+(?=:(?:$|\\s))"), NBSP),
    (re.compile(f"(?<={_WORD_END})(?=:(?:$|\\s))"), NBSP),
    # Inside guillemets: narrow no-break spaces, added where missing.
    (re.compile(f"«{_SPACE}*(?=\\S)"), "«" + NARROW_NBSP),
    (re.compile(f"(?<=\\S){_SPACE}*»"), NARROW_NBSP + "»"),
)


def is_french(lang):
    """Whether `lang` (an ISO 639-1 code, maybe with a region: fr, fr-CA) is French."""
    return bool(lang) and (lang == "fr" or lang.startswith("fr-"))


def _apply(text, before="", after=""):
    """`text` with French typography; `before` and `after` are the text around it (across tags),
    read by the rules but never changed."""
    whole = before + text + after
    start, end = len(before), len(before) + len(text)
    for pattern, replacement in _RULES:
        def replace(match, replacement=replacement):
            inside = start <= match.start() < end and match.end() <= end
            return replacement if inside else match.group(0)
        changed = pattern.sub(replace, whole)
        end += len(changed) - len(whole)
        whole = changed
    return whole[start:end]


def french_spacing_text(text):
    """Plain text (a title, a label, a catalog message) with French typography."""
    return _apply(text) if text else text


# Where text French typography must not touch starts: code and scripts, or an element in another
# language (lang="es"; its value is checked in Python).
_LEFT_ALONE = re.compile(
    "<(?:(" + "|".join(VERBATIM + ("textarea",)) + r")\b|([A-Za-z][A-Za-z0-9-]*)(?=[^>]*\slang\s*=))[^>]*>",
    re.IGNORECASE,
)
_LANG = re.compile(r"""\slang\s*=\s*["']?([A-Za-z-]*)""")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
# While the rules run, such an element is replaced by a tag of its own, <\ue010number>, which no
# page holds (a "<" in text is always written &lt;): no rule reaches into it or across it.
_STAND_IN = re.compile("<\ue010([0-9]+)>")


def _set_aside(html_text):
    """`html_text` with each element left alone replaced by a stand-in, and those elements."""
    kept, pieces, position = [], [], 0
    for match in _LEFT_ALONE.finditer(html_text):
        if match.start() < position:
            continue  # inside an element set aside already
        name = (match.group(1) or match.group(2)).lower()
        if match.group(2) and (is_french(_LANG.search(match.group(0)).group(1).lower())
                               or name in _VOID or match.group(0).endswith("/>")):
            continue  # French after all, or an element with no text (<img lang="es">)
        end, depth = len(html_text), 0
        for tag in re.compile(rf"<(/?){name}\b[^>]*>", re.IGNORECASE).finditer(html_text, match.start()):
            depth += -1 if tag.group(1) else (0 if tag.group(0).endswith("/>") else 1)
            if depth == 0:
                end = tag.end()
                break
        pieces.append(html_text[position:match.start()])
        pieces.append(f"<\ue010{len(kept)}>")
        kept.append(html_text[match.start():end])
        position = end
    pieces.append(html_text[position:])
    return "".join(pieces), kept


# Text flows across these tags ("l'<em>Union</em>", "<a>lien</a> :"); any other tag ends it.
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "mark", "q", "s", "small",
                     "span", "strong", "sub", "sup", "time", "u"})
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def _neighbour(parts, index, step):
    """The index of the nearest text part before (step -2) or after (+2) `index` that is not empty,
    in the same flow of text: across inline tags only (None: there is none)."""
    while True:
        tag, index = index + step // 2, index + step
        if not 0 <= index < len(parts):
            return None
        name = _TAG_NAME.match(parts[tag])
        if name is None or name.group(1).lower() not in _INLINE:
            return None
        if parts[index]:
            return index


def _unescape(text):
    return html.unescape(text) if "&" in text else text


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MARKS = re.compile("[';:!?«»]")
_TRAILING_SPACE = re.compile(f"{_SPACE}+$")
_LEADING_SPACE = re.compile(f"^{_SPACE}+")


def _space_before(text):
    """The space French puts before the mark `text` starts with (None: it starts with no such mark)."""
    if text[0] in ";!?»":
        return NARROW_NBSP
    if text[0] == ":" and (len(text) == 1 or text[1].isspace()):
        return NBSP
    return None


def french_spacing(html_text):
    """HTML with French typography in its text: never in tags and their attributes (URLs), code,
    preformatted text, scripts, styles, or elements marked as another language."""
    if not html_text:
        return html_text
    prepared, kept = _set_aside(html_text)
    parts = TAG.split(prepared)
    # Most text parts (words, the spaces between tags) hold nothing to set: only those with a mark.
    for index in [index for index in range(0, len(parts), 2) if _MARKS.search(parts[index])]:
        text = _unescape(parts[index])
        previous, following = _neighbour(parts, index, -2), _neighbour(parts, index, 2)
        before = _unescape(parts[previous][-12:])[-1:] if previous is not None else ""
        after = _unescape(parts[following][:12])[:1] if following is not None else ""
        changed = _apply(text, before, after)
        # A space and its mark on either side of a tag (`<a>lien</a> :`, `« <em>`): the rules saw
        # this side only.
        space = _space_before(changed) if changed else None
        if space and previous is not None:
            previous_text = _unescape(parts[previous])
            if _TRAILING_SPACE.search(previous_text):
                parts[previous] = _escape(_TRAILING_SPACE.sub(space, previous_text))
        if changed.endswith("«") and following is not None:
            following_text = _unescape(parts[following])
            if _LEADING_SPACE.match(following_text):
                parts[following] = _escape(_LEADING_SPACE.sub(NARROW_NBSP, following_text))
        if changed != text:
            parts[index] = _escape(changed)
    result = "".join(parts)
    return _STAND_IN.sub(lambda match: kept[int(match.group(1))], result) if kept else result


def typeset(text, lang, is_html=False):
    """`text` set in `lang`'s typography: French gets french_spacing; other languages stay as they are."""
    if not is_french(lang) or not text:
        return text
    return french_spacing(text) if is_html else french_spacing_text(text)
