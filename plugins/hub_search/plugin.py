"""Pelican glue for hub_search: write /<lang>/<search word>/ pages, then index the site with Pagefind."""

import json
import logging
import os
import signal
import subprocess
import sys

from pelican import signals
from pelican.generators import Generator

from plugins.hub_engine import signals as engine_signals
from plugins.hub_i18n.pages import describe_page
from plugins.hub_i18n.plugin import STATE_KEY, RunState

from .bundles import plan_bundles, saved_as

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_SEARCH_INDEX": True,  # run Pagefind after the build
    "HUB_SEARCH_WORDS": {"fr": "recherche", "es": "buscar", "en": "search"},
    "HUB_SEARCH_BUNDLES": "pagefind",  # /pagefind/<lang>/, then /pagefind/<lang>-2/, ... (merged)
    # Pagefind holds a bundle in memory while it indexes it (about 0.15 MB per page): a language
    # with more pages is split into bundles of equal size, which the search page merges.
    "HUB_SEARCH_PAGES_PER_BUNDLE": 2500,
}
SEARCH_STATE_KEY = "HUB_SEARCH_STATE"


class SearchIndexError(RuntimeError):
    pass


def prepare(pelican):
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)


def search_url(settings, lang):
    return f"{lang}/{settings['HUB_SEARCH_WORDS'].get(lang, 'search')}/"


def install_templates(generator):
    settings = generator.settings
    if STATE_KEY in settings:
        generator.env.globals["search_url"] = lambda lang: search_url(settings, lang)


class SearchState(RunState):
    """The run's search bundles: {lang: [(bundle directory, [page, ...]), ...]}, primary first."""

    def __init__(self, plan):
        self.plan = plan
        self.started = False  # bundles linked or being written

    def bundle_urls(self, lang):
        return [bundle + "/" for bundle, _ in self.plan.get(lang, [])]


class SearchPagesGenerator(Generator):
    def generate_context(self):
        # Every article and standing page has data-pagefind-body; drafts are not searched.
        items = [item for name in ("articles", "hidden_articles", "pages", "hidden_pages")
                 for item in self.context.get(name, []) if saved_as(item)]
        self.settings[SEARCH_STATE_KEY] = SearchState(plan_bundles(items, self.settings["HUB_SEARCH_BUNDLES"],
                                                                        self.settings["HUB_SEARCH_PAGES_PER_BUNDLE"]))

    def generate_output(self, writer):
        state = self.settings[STATE_KEY]
        search = self.settings[SEARCH_STATE_KEY]
        urls = {lang: search_url(self.settings, lang) for lang in state.languages}
        for lang in state.languages:
            writer.write_file(urls[lang] + "index.html", self.get_template("search"), self.context,
                              relative_urls=False, url=urls[lang], current_lang=lang,
                              hub_page=describe_page(state, lang, urls[lang], urls), noindex=True,
                              search_bundles=search.bundle_urls(lang) if self.settings["HUB_SEARCH_INDEX"] else [])


def add_generator(pelican):
    return SearchPagesGenerator


# The running indexer of each output directory, so that a failed build can stop it.
_RUNNING = {}


def start_bundles(settings, output):
    """Start Pagefind on every bundle (in one helper process, bundles.py), once per run."""
    search = settings.get(SEARCH_STATE_KEY)
    if not settings.get("HUB_SEARCH_INDEX", True) or search is None or search.started:
        return
    search.started = True
    stop_indexing(output)  # a previous run into this directory failed before waiting for it
    jobs = []
    for lang, bundles in search.plan.items():
        # A bundle whose pages were not written is left out (Pagefind refuses an empty site), and
        # the search page does not name it.
        bundles = search.plan[lang] = [
            (bundle, existing) for bundle, files in bundles
            if (existing := [relative for relative in files if os.path.isfile(os.path.join(output, relative))])]
        for position, (bundle, files) in enumerate(bundles):
            jobs.append({"bundle": bundle, "files": files, "primary": position == 0})
    if not jobs:
        return
    command = [sys.executable, os.path.join(os.path.dirname(__file__), "bundles.py")]
    # Its own process group: stopping it stops the Pagefind processes it started.
    process = _RUNNING[output] = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.PIPE, text=True, start_new_session=True)
    process.stdin.write(json.dumps({"site": output, "jobs": jobs}))
    process.stdin.close()
    logger.info("hub_search: indexing %d bundles", len(jobs))


def stop_indexing(output):
    """A build that failed: stop its indexer, which would otherwise write into a discarded directory."""
    process = _RUNNING.pop(str(output), None)
    if process is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        process.stderr.close()


def index_site(pelican):
    """outputs_written: index the written pages, and wait for Pagefind. Once per run (hub_assets
    calls it too, to finish after it)."""
    if not pelican.settings.get("HUB_SEARCH_INDEX", True):
        return
    output = pelican.output_path
    start_bundles(pelican.settings, output)
    process = _RUNNING.pop(output, None)
    if process is None:
        return
    with process.stderr:  # its only pipe (its input was written and closed): no deadlock
        err = process.stderr.read()
    if process.wait() != 0:
        raise SearchIndexError(f"Pagefind failed ({process.returncode}): {err.strip()}")
    logger.info("hub_search: indexed %s", output)


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(install_templates)
    signals.get_generators.connect(add_generator)
    engine_signals.outputs_written.connect(index_site)
