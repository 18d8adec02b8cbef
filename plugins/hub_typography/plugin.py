"""Pelican glue for hub_typography: French typography on French items and French pages.

Two places, one function (french.french_spacing):
- each French item as soon as it is read (content_object_init): its text, title and summary, so that
  everything made from them is right too (feeds, calendars, structured data, <meta> descriptions);
- each page written under the French prefix (fr/...), once rendered: the interface strings, the
  taxonomy's and editions' labels, and the punctuation templates put between them. Pagefind indexes
  these pages, so search excerpts follow.
Spanish and English items and pages are left as they are.
"""

from markupsafe import Markup
from pelican import signals
from pelican.contents import Static

from plugins.hub_engine.pelican_private import item_html, set_item_html, set_item_summary

from .french import french_spacing, french_spacing_text, is_french


def set_french_item(item):
    """content_object_init: a French item's text, title and summary in French typography.

    Items kept between builds (Pelican's caches) are kept after this ran; the functions are
    idempotent, so an item seen twice is the same."""
    if isinstance(item, Static) or not is_french(getattr(item, "lang", None)):
        return
    if isinstance(item_html(item), str):
        set_item_html(item, french_spacing(item_html(item)))
    # Plain-text headers shown as they are written (a place: "Région d'Oulianovsk").
    for name in ("title", "location"):
        value = item.metadata.get(name)
        if isinstance(value, str):
            item.metadata[name] = french_spacing_text(value)
            setattr(item, name, item.metadata[name])
    # Pelican keeps the Summary header (HTML) twice, and writes _summary back to the metadata.
    summary = item.metadata.get("summary")
    if isinstance(summary, str):
        set_item_summary(item, french_spacing(summary))


def page_language(output_file):
    """The language of an output file by its prefix (fr/2021/x/index.html -> fr), for HTML pages only."""
    if not output_file or not output_file.endswith(".html"):
        return None
    return output_file.replace("\\", "/").split("/", 1)[0]


class FrenchPages:
    """A Jinja2 template class whose pages, when written under a French prefix, come out in French
    typography. Pelican's writer (and hub_engine's) renders each page with its `output_file`."""

    def render(self, *args, **kwargs):
        output = super().render(*args, **kwargs)
        context = args[0] if args and isinstance(args[0], dict) else {}
        if is_french(page_language(kwargs.get("output_file") or context.get("output_file"))):
            output = french_spacing(output)
        return output


# Private-use characters standing in for the no-break spaces while `striptags` collapses spaces.
NO_BREAK_STAND_INS = (("\u00a0", "\ue000"), ("\u202f", "\ue001"))


def striptags(value):
    """Jinja2's `striptags`, except that no-break spaces stay: it collapses every space (str.split)
    into an ordinary one, and <meta name="description" content="{{ summary|striptags }}"> would
    lose the French ones. (A no-break space written &nbsp; stays in Jinja2's too.)"""
    text = value.__html__() if hasattr(value, "__html__") else str(value)
    for space, stand_in in NO_BREAK_STAND_INS:
        text = text.replace(space, stand_in)
    text = Markup(text).striptags()
    for space, stand_in in NO_BREAK_STAND_INS:
        text = text.replace(stand_in, space)
    return text


def install_templates(generator):
    """generator_init: every template this generator loads renders French pages in French
    typography, and `striptags` keeps no-break spaces."""
    env = generator.env
    if not issubclass(env.template_class, FrenchPages):
        env.template_class = type("FrenchPages" + env.template_class.__name__, (FrenchPages, env.template_class), {})
    env.filters["striptags"] = striptags


def register():
    signals.content_object_init.connect(set_french_item)
    signals.generator_init.connect(install_templates)
