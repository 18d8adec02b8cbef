"""Typographic punctuation for finished HTML: pure functions, and the Markdown extension around them."""

import re

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

TAG = re.compile(r"(<[^>]*>)")
VERBATIM = ("code", "pre", "kbd", "samp", "script", "style")
RULES = (
    (re.compile(r"(?<=\w)'(?=\w)"), "\u2019"),                  # l'étude, it's -> ’
    (re.compile(r"(?<=[\w.,!?;:)\]])'"), "\u2019"),              # closing single quote, plural possessive
    (re.compile(r"'(?=\w)"), "\u2018"),                          # opening single quote
    (re.compile(r'(?:(?<=^)|(?<=[\s(\[\u2014\u2013/]))"'), "\u201c"),  # opening double quote
    (re.compile(r'"'), "\u201d"),                                # any other double quote closes
    (re.compile(r"(?<!-)---(?!-)"), "\u2014"),                   # em dash
    (re.compile(r"(?<!-)--(?!-)"), "\u2013"),                    # en dash
    (re.compile(r"\.\.\.(?!\.)"), "\u2026"),                     # ellipsis
)


def smarten_text(text):
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def smarten(html):
    """`html` with typographic punctuation in its text; tags, attributes and code untouched."""
    parts = TAG.split(html)
    verbatim = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            if name in VERBATIM and not part.endswith("/>"):
                verbatim += -1 if part.startswith("</") else 1
                verbatim = max(verbatim, 0)
        elif part and not verbatim:
            # Entities written by Markdown (&quot; &#39;) stay as they are: they are not in `part` as quotes.
            parts[index] = smarten_text(part)
    return "".join(parts)


class TypographyPostprocessor(Postprocessor):
    def run(self, text):
        return smarten(text)


class TypographyExtension(Extension):
    def extendMarkdown(self, md):
        # After raw HTML is restored (priority 30), before nothing else: the final text.
        md.postprocessors.register(TypographyPostprocessor(md), "hub_typography", 5)


def makeExtension(**kwargs):
    return TypographyExtension(**kwargs)
