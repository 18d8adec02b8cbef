"""Pelican glue for hub_search: write /<lang>/<search word>/ pages, then index the site with Pagefind."""

import json
import logging
import os
import subprocess
import sys

from pelican import signals
from pelican.generators import Generator

from hub_i18n import views
from hub_i18n.plugin import STATE_KEY, PageInfo

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_SEARCH_INDEX": True,  # run Pagefind after the build
    "HUB_SEARCH_WORDS": {"fr": "recherche", "es": "buscar", "en": "search"},
}


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


class SearchPagesGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        state = self.settings[STATE_KEY]
        urls = {lang: search_url(self.settings, lang) for lang in state.languages}
        for lang in state.languages:
            info = PageInfo(lang,
                            views.alternates({c: state.absolute(u) for c, u in urls.items()}, state.languages,
                                             state.absolute("")),
                            views.switcher(lang, urls, urls, state.languages))
            writer.write_file(urls[lang] + "index.html", self.get_template("search"), self.context,
                              relative_urls=False, url=urls[lang], current_lang=lang, hub_page=info, noindex=True)


def add_generator(pelican):
    return SearchPagesGenerator


# Pagefind runs while Python writes listings and feeds: started once every article and page (the
# only HTML with data-pagefind-body) is written, awaited at the end. Keyed by output directory.
_RUNNING = {}


def start_indexing(generator, writer=None):
    """page_writer_finalized: articles (written first) and pages are on disk; index them meanwhile."""
    if not generator.settings.get("HUB_SEARCH_INDEX", True):
        return
    output = generator.output_path
    stale = _RUNNING.pop(output, None)
    if stale is not None:  # a previous run into this directory failed before waiting for it
        stale.kill()
        stale.wait()
    command = [sys.executable, "-m", "pagefind", "--site", output, "--silent"]
    _RUNNING[output] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop_indexing(output):
    """A build that failed: stop its indexer, which would otherwise write into a discarded directory."""
    process = _RUNNING.pop(str(output), None)
    if process is not None:
        process.kill()
        process.communicate()


def index_site(pelican):
    """finalized: wait for Pagefind (or run it now if no page writer started it)."""
    if not pelican.settings.get("HUB_SEARCH_INDEX", True):
        return
    process = _RUNNING.pop(pelican.output_path, None)
    if process is None:
        command = [sys.executable, "-m", "pagefind", "--site", pelican.output_path, "--silent"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate()
    if process.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({process.returncode}): {err.strip() or out.strip()}")
    sort_entry_file(os.path.join(pelican.output_path, "pagefind", "pagefind-entry.json"))
    logger.info("hub_search: indexed %s", pelican.output_path)


def sort_entry_file(path):
    """Pagefind writes its languages in hash-map order: sort them so builds give the same bytes."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(install_templates)
    signals.get_generators.connect(add_generator)
    signals.page_writer_finalized.connect(start_indexing)
    signals.finalized.connect(index_site)
