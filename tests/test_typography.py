"""hub_typography: typographic punctuation in text, never in tags, attributes or code."""

import markdown
import pytest

from plugins.hub_typography import smarten


@pytest.mark.parametrize("source, expected", [
    ("L'étude", "L\u2019étude"),
    ("the cities' plan", "the cities\u2019 plan"),
    ('he said "yes" then', "he said \u201cyes\u201d then"),
    ("2012 -- 2021", "2012 \u2013 2021"),
    ("so --- then", "so \u2014 then"),
    ("wait...", "wait\u2026"),
    ("'quoted'", "\u2018quoted\u2019"),
    ("« déjà »", "« déjà »"),
])
def test_text_gets_typographic_punctuation(source, expected):
    assert smarten(f"<p>{source}</p>") == f"<p>{expected}</p>"


def test_tags_attributes_and_code_are_left_alone():
    html = '<p><a href="/x\'y" title="it\'s">it\'s</a> <code>a\'b "c" --x</code> <pre>d\'e</pre> f\'g</p>'
    assert smarten(html) == '<p><a href="/x\'y" title="it\'s">it\u2019s</a> <code>a\'b "c" --x</code> <pre>d\'e</pre> f\u2019g</p>'


def test_as_a_markdown_extension():
    md = markdown.Markdown(extensions=["extra", "plugins.hub_typography:TypographyExtension"], output_format="html5")
    assert md.convert("L'équipe dit \"bonjour\" -- `l'code`") == \
        "<p>L\u2019équipe dit \u201cbonjour\u201d \u2013 <code>l'code</code></p>"
