"""Pelican glue for hub_check: check all content before anything is read or written.

Publish builds (HUB_CHECK_STRICT = True) stop on any error. Preview builds log every problem as
a warning and leave the broken files out, so an editor still sees the rest of the site.
"""

import json
import logging
import os

from markdown import Markdown

from pelican import signals
from pelican.generators import Generator
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import pelican_open

from plugins.hub_engine.memo import read_memo
from plugins.hub_engine.outputs import outputs_of
from plugins.hub_i18n import catalogs
from plugins.hub_i18n.pages import describe_page
from plugins.hub_i18n.plugin import STATE_KEY, RunState
from plugins.hub_i18n.settings import validate_settings

from .checks import ERROR, OLD_SITE, ParsedFiles, check_content, files_with_errors, parse_bytes, read_documents, \
    theme_templates
from .front_matter import FrontMatterError, as_headers, has_front_matter
from .report import left_out_files, summary_line
from .status import free_tags, translation_status

logger = logging.getLogger(__name__)
# Pelican's loggers drop a warning already logged once in the process (its LimitFilter): the live
# preview rebuilds in one process, and a problem still there must be shown at every build.
if hasattr(logger, "disable_filter"):
    logger.disable_filter()

SKIP_KEY = "HUB_CHECK_SKIP"
DOCUMENTS_KEY = "HUB_CHECK_DOCUMENTS"
DIGESTS_KEY = "HUB_CHECK_DIGESTS"
PARSED_KEY = "HUB_CHECK_PARSED"  # a ParsedFiles kept in memory by the caller (the live preview)
REPORT_KEY = "HUB_CHECK_REPORT"
STATUS_PATH = "editors/status/"
# Read by the preview server (hubsite/serve.py): the notice it shows on every page, and why a
# left-out file's address has no page.
PROBLEMS_FILE = "editors/problems.json"


class ParsedDocuments(RunState):
    """The run's parsed content files (a RunState: never pickled into Pelican's content cache)."""

    def __init__(self, documents):
        self.documents = documents


class ContentCheckError(SystemExit):
    """A publish build stops on content errors. A SystemExit, so that Pelican's own command
    (`pelican content -s publishconf.py`) prints the problems and exits 1 without a traceback;
    hubsite.build catches it like any build error."""

    def __init__(self, problems):
        self.problems = [str(problem) for problem in problems]
        super().__init__("\n".join(self.problems))


class CheckReport(RunState):
    """HUB_CHECK_REPORT: this run's problems, and the files a preview leaves out (report.LeftOut)."""

    def __init__(self, problems, left_out):
        self.problems = problems
        self.left_out = left_out


class ScannedDigests(RunState):
    """HUB_CHECK_DIGESTS: {content file relative to PATH, in POSIX form: sha256 of its bytes}, as
    the build's input scan took them. With it (and a CACHE_PATH), a file whose bytes were parsed
    by an earlier build is not read again."""

    def __init__(self, digests):
        self.digests = digests


def run_checks(pelican):
    settings = pelican.settings
    resolved = validate_settings(settings)
    content = settings["PATH"]
    scanned = settings.get(DIGESTS_KEY)
    parsed = settings.get(PARSED_KEY)
    if parsed is not None:  # kept by the live preview between its builds
        parsed.renew(scanned.digests if scanned is not None else {})
    elif scanned is not None and settings.get("CACHE_PATH"):
        os.makedirs(settings["CACHE_PATH"], exist_ok=True)
        parsed = ParsedFiles(os.path.join(settings["CACHE_PATH"], "hub-check-parsed.pickle"), scanned.digests)
    read = read_documents(content, os.path.basename(content), parsed)
    problems = check_content(content, resolved["HUB_I18N_LANGUAGES"], resolved["HUB_I18N_TAXONOMY_FILE"],
                             resolved["HUB_I18N_REQUIRE_ORIGINAL"], shown_root=os.path.basename(content), read=read,
                             parsed=parsed, strict=settings.get("HUB_CHECK_STRICT", False),
                             templates=theme_templates(settings["THEME"]),
                             path_words=resolved["HUB_I18N_PATH_WORDS"])
    if parsed is not None:
        parsed.save()
    settings[DOCUMENTS_KEY] = ParsedDocuments(read[0])  # for the status page: the files are read once
    errors = [problem for problem in problems if problem.level == ERROR]
    if errors and settings.get("HUB_CHECK_STRICT", False):
        raise ContentCheckError(errors)
    left_out = left_out_files(read[0], problems)
    settings[REPORT_KEY] = CheckReport(problems, left_out)
    # The lines `invoke check` prints: Pelican's own command shows warnings, and so do our builds.
    for problem in problems:
        logger.warning("%s", problem)
    summary = summary_line(left_out, f"{settings['SITEURL']}/{STATUS_PATH}")
    if summary:
        logger.warning("%s", summary)
    base = os.path.dirname(content)
    settings[SKIP_KEY] = {os.path.normpath(os.path.join(base, shown)) for shown in files_with_errors(problems)}
    if settings[SKIP_KEY]:
        # A skipped file is read as 'skip'; caching that would outlive the fault (a duplicate slug is
        # fixed in the *other* file). Neither load nor save the cache while files are left out.
        settings["CACHE_CONTENT"] = settings["LOAD_CONTENT_CACHE"] = False


def words_only_edit(settings, path):
    """Whether the file at `path` (absolute), read by this run, has changed since in the words of its
    text only (ParsedFiles.words_only_change), and this run found no error in it and no warning in
    its text, nor could find one there now (no link to the old site's addresses). Then the checks
    would find what they found (warnings on its headers, which are the same), and its headers still
    hold: the live preview may replace its text alone. The new parse is kept."""
    parsed, report = settings.get(PARSED_KEY), settings.get(REPORT_KEY)
    content = settings["PATH"]
    relative = os.path.relpath(path, content).replace(os.sep, "/")
    shown = f"{os.path.basename(content)}/{relative}"
    if parsed is None or report is None:
        return False
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        doc = parse_bytes(data, path, relative, os.path.basename(content))
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return False
    if any(problem.path == shown and (problem.level == ERROR or problem.line >= doc.body_line)
           for problem in report.problems):
        return False
    return OLD_SITE not in data and parsed.words_only_change(relative, data, doc)


class HubMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with three differences:
    - YAML front matter (a file starting with '---') is handed to Markdown as the `Key: value`
      headers it stands for, so both styles give the same metadata through the same code;
    - one Markdown converter for all files, reset between them (Pelican makes one per file, which
      cost a tenth of the reading);
    - in the live preview, a file unchanged since the last build is not read again (hub_engine.memo).
    Pelican's formatted headers (Summary) are converted as Pelican does, by a second converter
    without the header extension."""

    def read(self, source_path):
        memo = read_memo(self.settings)
        if memo is not None:
            stat = memo.stat_of(source_path)
            known = memo.get(source_path)
            if known is not None:
                return known
        with pelican_open(source_path) as text:
            if has_front_matter(text):
                text = as_headers(text)
        body = self.converter("body")
        content = body.reset().convert(text)
        reading = content, self.metadata_from(getattr(body, "Meta", {}), source_path)
        if memo is not None:
            memo.put(source_path, stat, reading)
        return reading

    def converter(self, kind):
        converters = self.__dict__.setdefault("hub_converters", {})
        if kind not in converters:
            converters[kind] = Markdown(**self.settings["MARKDOWN"])
            if kind == "fields":  # header values are not documents with headers of their own
                converters[kind].preprocessors.deregister("meta")
        return converters[kind]

    def metadata_from(self, meta, source_path):
        """As Pelican's MarkdownReader turns Markdown's headers into metadata."""
        output = {}
        for name, values in meta.items():
            name = name.lower()
            if name in self.settings["FORMATTED_FIELDS"]:
                output[name] = self.process_metadata(name, self.converter("fields").reset().convert("\n".join(values)))
            elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                if len(values) > 1:
                    logger.warning("Duplicate definition of `%s` for %s. Using first one.", name, source_path)
                output[name] = self.process_metadata(name, values[0])
            else:
                output[name] = self.process_metadata(name, values if len(values) > 1 else values[0])
        return output


class CheckedMarkdownReader(HubMarkdownReader):
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
        # The parsed files are read here only: not kept while the pages are rendered (nor in the
        # context, Pelican's copy of the settings).
        documents = self.settings.pop(DOCUMENTS_KEY).documents
        self.context.pop(DOCUMENTS_KEY, None)
        if self.settings.get("HUB_CHECK_STRICT", False):
            return
        state = self.settings[STATE_KEY]
        catalog_dir = state.config["HUB_I18N_CATALOG_DIR"] or os.path.join(self.settings["THEME"], "translations")
        catalog_rows = {lang: catalogs.catalog_stats(catalogs.po_path(catalog_dir, lang), lang) for lang in state.languages}
        lang = state.default_lang
        report = self.settings[REPORT_KEY]
        writer.write_file(
            STATUS_PATH + "index.html", self.get_template("editors_status"), self.context,
            relative_urls=False, url=STATUS_PATH, current_lang=lang,
            hub_page=describe_page(state, lang, STATUS_PATH), noindex=True,
            status_rows=translation_status(documents, state.languages), catalog_rows=catalog_rows,
            problems=[str(problem) for problem in report.problems], left_out=report.left_out,
            free_tag_rows=free_tags(documents, state.taxonomy),
        )
        self.write_problem_pages(writer, report, state)

    def write_problem_pages(self, writer, report, state):
        """For the preview server: a notice per language, and a page per left-out file saying why
        (in the file's language), both listed in PROBLEMS_FILE."""
        notice = self.get_template("partials/problems_notice")
        data = {"notices": {}, "left_out": []}
        if report.problems:
            for lang in state.languages:
                data["notices"][lang] = notice.render(dict(self.context, current_lang=lang, problems=report.problems,
                                                           left_out=report.left_out, status_url=STATUS_PATH))
        for number, item in enumerate(report.left_out, start=1):
            if not item.paths:
                continue
            lang = item.lang if item.lang in state.languages else state.default_lang
            save_as = f"editors/left-out/{number}/index.html"
            writer.write_file(
                save_as, self.get_template("left_out"), self.context, relative_urls=False,
                url=save_as.removesuffix("index.html"), current_lang=lang,
                hub_page=describe_page(state, lang, save_as.removesuffix("index.html")),
                noindex=True, left=item, status_url=STATUS_PATH,
            )
            data["left_out"].append({"paths": list(item.paths), "page": save_as})
        outputs_of(self.settings).add(PROBLEMS_FILE, lambda: json.dumps(data, ensure_ascii=False, sort_keys=True,
                                                                        indent=1))


def add_generator(pelican):
    return EditorsStatusGenerator


def register():
    signals.initialized.connect(run_checks)
    signals.readers_init.connect(use_checked_reader)
    signals.get_generators.connect(add_generator)
