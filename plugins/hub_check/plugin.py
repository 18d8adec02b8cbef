"""Pelican glue for hub_check: check all content before anything is read or written.

Publish builds (HUB_CHECK_STRICT = True) stop on any error. Preview builds log every problem as
a warning and leave the broken files out, so an editor still sees the rest of the site.
"""

import logging
import os

from markdown import Markdown

from pelican import signals
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from plugins.hub_i18n import catalogs
from plugins.hub_i18n.plugin import STATE_KEY, PageInfo, RunState
from plugins.hub_i18n.settings import validate_settings

from .checks import ERROR, ParsedFiles, check_content, files_with_errors, read_documents
from .front_matter import as_headers, has_front_matter
from .status import translation_status

logger = logging.getLogger(__name__)

SKIP_KEY = "HUB_CHECK_SKIP"
DOCUMENTS_KEY = "HUB_CHECK_DOCUMENTS"
DIGESTS_KEY = "HUB_CHECK_DIGESTS"


class ParsedDocuments(RunState):
    """The run's parsed content files (a RunState: never pickled into Pelican's content cache)."""

    def __init__(self, documents):
        self.documents = documents


class ContentCheckError(ValueError):
    def __init__(self, problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__("\n".join(self.problems))


class ScannedDigests(RunState):
    """HUB_CHECK_DIGESTS: {content file relative to PATH, in POSIX form: sha256 of its bytes}, as
    the build's input scan took them. With it (and CACHE_CONTENT), a file whose bytes were parsed
    by an earlier build is not read again."""

    def __init__(self, digests):
        self.digests = digests


def run_checks(pelican):
    settings = pelican.settings
    resolved = validate_settings(settings)
    content = settings["PATH"]
    scanned = settings.get(DIGESTS_KEY)
    parsed = None
    if scanned is not None and settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH"):
        os.makedirs(settings["CACHE_PATH"], exist_ok=True)
        parsed = ParsedFiles(os.path.join(settings["CACHE_PATH"], "hub-check-parsed.pickle"), scanned.digests)
    read = read_documents(content, os.path.basename(content), parsed)
    problems = check_content(content, resolved["HUB_I18N_LANGUAGES"], resolved["HUB_I18N_TAXONOMY_FILE"],
                             resolved["HUB_I18N_REQUIRE_ORIGINAL"], shown_root=os.path.basename(content), read=read,
                             parsed=parsed)
    if parsed is not None:
        parsed.save()
    settings[DOCUMENTS_KEY] = ParsedDocuments(read[0])  # for the status page: the files are read once
    errors = [problem for problem in problems if problem.level == ERROR]
    if errors and settings.get("HUB_CHECK_STRICT", False):
        raise ContentCheckError(errors)
    for problem in problems:
        logger.warning("%s", problem)
    if errors:
        logger.warning("hub_check: %d file(s) left out of this preview until fixed", len(files_with_errors(problems)))
    base = os.path.dirname(content)
    settings[SKIP_KEY] = {os.path.normpath(os.path.join(base, shown)) for shown in files_with_errors(problems)}
    if settings[SKIP_KEY]:
        # A skipped file is read as 'skip'; caching that would outlive the fault (a duplicate slug is
        # fixed in the *other* file). Neither load nor save the cache while files are left out.
        settings["CACHE_CONTENT"] = settings["LOAD_CONTENT_CACHE"] = False


class FrontMatterMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, which also reads YAML front matter (a file starting with '---'):
    the front matter is handed to Markdown as the `Key: value` headers it stands for, so both
    styles give the same metadata through the same code."""

    def read(self, source_path):
        with pelican_open(source_path) as text:
            if not has_front_matter(text):
                return super().read(source_path)
            # As MarkdownReader.read, on the text with its headers rewritten.
            self._source_path = source_path
            self._md = Markdown(**self.settings["MARKDOWN"])
            content = self._md.convert(as_headers(text))
        return content, self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}


class CheckedMarkdownReader(FrontMatterMarkdownReader):
    """Reads Markdown, except files the checks refused: those become Pelican's 'skip' status."""

    def read(self, source_path):
        if os.path.normpath(source_path) in self.settings.get(SKIP_KEY, ()):
            return "", {"status": "skip"}
        return super().read(source_path)


def use_checked_reader(readers):
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = CheckedMarkdownReader


class EditorsStatusGenerator(Generator):
    """Preview builds only: /editors/status/, the translation status page for editors."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        if self.settings.get("HUB_CHECK_STRICT", False):
            return
        state = self.settings[STATE_KEY]
        documents = self.settings[DOCUMENTS_KEY].documents
        catalog_dir = state.config["HUB_I18N_CATALOG_DIR"] or os.path.join(self.settings["THEME"], "translations")
        catalog_rows = {lang: catalogs.catalog_stats(catalogs.po_path(catalog_dir, lang), lang) for lang in state.languages}
        lang = state.default_lang
        writer.write_file(
            "editors/status/index.html", self.get_template("editors_status"), self.context,
            relative_urls=False, url="editors/status/", current_lang=lang,
            hub_page=PageInfo(lang, [], []), noindex=True,
            status_rows=translation_status(documents, state.languages), catalog_rows=catalog_rows,
        )


def add_generator(pelican):
    return EditorsStatusGenerator


def register():
    signals.initialized.connect(run_checks)
    signals.readers_init.connect(use_checked_reader)
    signals.get_generators.connect(add_generator)
