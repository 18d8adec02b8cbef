"""Pelican glue for hub_engine: pages are described while Pelican runs, written at its end.

- `initialized`: a fresh OutputTable for the run, after checking the Pelican release.
- `get_writer`: Pelican's generators get a DescribingWriter (writer.py): it adds pages to the table.
- `finalized`: `outputs_collected`, then a one-shot build renders every output into the output
  directory (on every core) and sends `outputs_written`. The live preview (hubsite/live.py) sets
  HUB_ENGINE_LIVE and takes the table instead, rendering a page when the browser asks for it.
- In the live preview, the run's items by file (ITEMS_KEY), so that an edit of an article's words
  only can replace its text in place (`read_text_again`) instead of running Pelican again.
"""

import logging

from pelican import signals as pelican_signals
from pelican.contents import Static
from pelican.readers import Readers

from . import signals
from .memo import MEMO_KEY, ReadMemo, read_ahead
from .outputs import OUTPUTS_KEY, OutputTable, render_into
from .pelican_private import check_pelican_version, item_html
from .writer import DescribingWriter

logger = logging.getLogger(__name__)

LIVE_KEY = "HUB_ENGINE_LIVE"  # set by the live preview: keep the outputs, write nothing
TEMPLATE_CACHE_KEY = "HUB_ENGINE_TEMPLATE_CACHE"  # a jinja2 BytecodeCache kept between builds
ENVIRONMENTS_KEY = "HUB_ENGINE_ENVIRONMENTS"  # the run's Jinja2 environments (live preview)
ITEMS_KEY = "HUB_ENGINE_ITEMS"  # live preview: {source path: item} of the run's articles and pages
RUN_MEMO_KEY = "HUB_ENGINE_RUN_MEMO"  # True when the memo is this run's own (not the live preview's)


def start_run(pelican):
    """initialized: a fresh table of outputs; the Markdown read ahead on every core."""
    check_pelican_version()
    settings = pelican.settings
    settings[OUTPUTS_KEY] = OutputTable()
    if settings.get(LIVE_KEY):
        settings[ITEMS_KEY] = {}
    memo = settings.get(MEMO_KEY)
    if memo is None:  # a one-shot build: the memo lives until every file is read
        memo = settings[MEMO_KEY] = ReadMemo(once=True)
        settings[RUN_MEMO_KEY] = True
    read = read_ahead(settings, memo)
    if read:
        logger.info("hub_engine: %d Markdown files read ahead", read)


class RememberedSourcePath:
    """Stands in for an item's get_relative_source_path(): Pelican works that path out (two
    abspath and a relpath) in url_format, save_as, is_valid and more, ten times per item and
    build. Without an argument the answer never changes once the item is read; with one, ask
    Pelican."""

    def __init__(self, item):
        self.item = item
        self.value = type(item).get_relative_source_path(item)

    def __call__(self, source_path=None):
        return self.value if source_path is None else type(self.item).get_relative_source_path(self.item, source_path)


def remember_item(item):
    """content_object_init: the item's source path, once; in the live preview, the item by file
    (the first made from it: read_text_again makes another, to take its text)."""
    item.get_relative_source_path = RememberedSourcePath(item)
    items = item.settings.get(ITEMS_KEY)
    if items is not None and not isinstance(item, Static):
        items.setdefault(item.source_path, item)


def read_text_again(item):
    """The HTML `item` would have if a build read its file now, made as a build makes it: Pelican's
    reader and the content_object_init receivers (French typography) on a new item of its class,
    then the receivers of `text_read_again` (hub_images: picture markup), which may set that new
    item's HTML. For the live preview's edits of words only: the caller makes sure that the file's
    headers, links and pictures are those `item` was made from."""
    settings = item.settings
    fresh = Readers(settings).read_file(base_path=settings["PATH"], path=item.source_path,
                                        content_class=type(item))
    signals.text_read_again.send(item, fresh=fresh)
    return item_html(fresh)


def forget_readings(generators):
    """all_generators_finalized: every file is read, and the items hold their text; a memo that
    no later build will ask is dropped before the pages are rendered (less memory at the peak)."""
    settings = generators[0].settings if generators else {}
    if settings.get(RUN_MEMO_KEY):
        settings[MEMO_KEY].readings.clear()


def get_writer(pelican):
    return DescribingWriter


def keep_compiled_templates(generator):
    """generator_init: Pelican gives each generator its own Jinja2 environment, which compiles the
    templates it loads; a process that builds again keeps the compiled code."""
    cache = generator.settings.get(TEMPLATE_CACHE_KEY)
    if cache is not None:
        generator.env.bytecode_cache = cache
        generator.settings.setdefault(ENVIRONMENTS_KEY, []).append(generator.env)


def load_every_template(settings):
    """The live preview renders its pages later, when asked: load every template now, so that a
    page of this build never meets a template saved (maybe broken) after it. A broken template
    fails this build instead, and the last good one stays served."""
    for env in settings.get(ENVIRONMENTS_KEY, ()):
        for name in env.list_templates(extensions=["html", "xml", "txt"]):
            env.get_template(name)


def write_outputs(pelican):
    outputs = pelican.settings.get(OUTPUTS_KEY)
    if outputs is None:
        return
    signals.outputs_collected.send(pelican)
    if pelican.settings.get(LIVE_KEY):
        load_every_template(pelican.settings)
        return
    render_into(pelican.output_path, outputs)
    logger.info("hub_engine: %d outputs written", len(outputs))
    signals.outputs_written.send(pelican)


def register():
    pelican_signals.initialized.connect(start_run)
    pelican_signals.get_writer.connect(get_writer)
    pelican_signals.content_object_init.connect(remember_item)
    pelican_signals.generator_init.connect(keep_compiled_templates)
    pelican_signals.all_generators_finalized.connect(forget_readings)
    pelican_signals.finalized.connect(write_outputs)
