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


_LANG = re.compile(r"""\slang\s*=\s*["']?([A-Za-z-]+)""")
_VERBATIM = VERBATIM + ("textarea",)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _tag_name(tag):
    if tag.startswith("<!") or tag.startswith("<?"):
        return ""
    return tag[1:].lstrip("/").split(None, 1)[0].rstrip(">").rstrip("/").lower() if len(tag) > 2 else ""


def _runs(parts):
    """The text parts to set in French, as runs of indices: text that flows from one part to the
    next across tags (<em>, <a>) is one run; code, scripts and elements in another language
    (lang="es") end a run and are left out."""
    runs, run = [], []
    skipping = None  # (tag name, depth) of the verbatim or foreign element being skipped
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if part and skipping is None:
                run.append(index)
            continue
        name = _tag_name(part)
        if not name or name in _VOID or part.endswith("/>"):
            continue
        closing = part.startswith("</")
        if skipping is not None:
            if name == skipping[0]:
                depth = skipping[1] + (-1 if closing else 1)
                skipping = None if depth == 0 else (name, depth)
            continue
        if closing:
            continue
        lang = _LANG.search(part)
        if name in _VERBATIM or (lang and not lang.group(1).lower().startswith("fr")):
            skipping = (name, 1)
            if run:
                runs.append(run)
                run = []
    if run:
        runs.append(run)
    return runs


def french_spacing(html_text):
    """HTML with French typography in its text: never in tags and their attributes (URLs), code,
    preformatted text, scripts, styles, or elements marked as another language."""
    if not html_text:
        return html_text
    parts = TAG.split(html_text)
    for run in _runs(parts):
        texts = [html.unescape(parts[index]) if "&" in parts[index] else parts[index] for index in run]
        done = []
        for position, text in enumerate(texts):
            after = texts[position + 1][:1] if position + 1 < len(texts) else ""
            text = _apply(text, done[-1][-1:] if done else "", after)
            if done and text:
                # A space and its mark on either side of a tag (`<a>lien</a> :`, `« <em>`): the
                # rules above saw one side only.
                space = _space_before(text)
                if space and _TRAILING_SPACE.search(done[-1]):
                    done[-1] = _TRAILING_SPACE.sub(space, done[-1])
                if done[-1].endswith("«"):
                    text = _LEADING_SPACE.sub(NARROW_NBSP, text)
            done.append(text)
        for index, original, text in zip(run, texts, done):
            if text != original:
                parts[index] = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join(parts)


_TRAILING_SPACE = re.compile(f"{_SPACE}+$")
_LEADING_SPACE = re.compile(f"^{_SPACE}+")


def _space_before(text):
    """The space French puts before the mark `text` starts with (None: it starts with no such mark)."""
    if text[0] in ";!?»":
        return NARROW_NBSP
    if text[0] == ":" and (len(text) == 1 or text[1].isspace()):
        return NBSP
    return None


def is_french(lang):
    """Whether `lang` (an ISO 639-1 code, maybe with a region: fr, fr-CA) is French."""
    return bool(lang) and (lang == "fr" or lang.startswith("fr-"))


def typeset(text, lang, is_html=False):
    """`text` set in `lang`'s typography: French gets french_spacing; other languages stay as they are."""
    if not is_french(lang) or not text:
        return text
    return french_spacing(text) if is_html else french_spacing_text(text)
