"""Pelican glue for hub_reuse: a writer that links unchanged pages from the previous output, and
renders the others on every core.

A page's key (keys.page_key) covers the site-wide inputs (settings, plugins, theme, catalogs,
standing pages and data files, the day and which items are scheduled) and the page's own
arguments, where each content item counts by the bytes of its source file and those of its
translations, and by the URLs its links point to. Same key, same bytes: the previous output's file
is hard-linked into the new output instead of rendered. `hubsite.build` sets the state up and
keeps the keys between builds; without it (a plain `pelican` run) every page is rendered at once.
"""

import logging
import os
import traceback
from zoneinfo import ZoneInfo

from jinja2 import FileSystemBytecodeCache

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.utils import path_to_url, get_relative_path, sanitised_join
from pelican.writers import Writer

from plugins.hub_i18n.plugin import STATE_KEY as I18N_STATE_KEY
from plugins.hub_i18n.plugin import RunState, pin_urls

from .keys import Describer, Unkeyable, digest, linked_files, page_key
from .linker import Linker
from .shelf import Shelf

logger = logging.getLogger(__name__)

STATE_KEY = "HUB_REUSE_STATE"
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")


class RememberedSourcePath:
    """Stands in for an item's get_relative_source_path(): Pelican computes that path (two abspath
    and a relpath) in url_format, save_as, is_valid and more, a dozen times per item and build.
    Without an argument the answer never changes once the item is read; with one, ask Pelican.
    It holds the item, not a bound method, so that a shelved item (shelf.py) pickles."""

    def __init__(self, item):
        self.item = item
        self.value = type(item).get_relative_source_path(item)

    def __call__(self, source_path=None):
        return self.value if source_path is None else type(self.item).get_relative_source_path(self.item, source_path)


def remember_source_path(item):
    """content_object_init."""
    item.get_relative_source_path = RememberedSourcePath(item)


def link_targets(item):
    """The content files the item's text links to ({filename}, {static}...). Worked out from the
    read HTML, where Pelican keeps the links until the page is written, once per item: shelved
    items (ShelvedItems.cache_data) keep it."""
    targets = item.__dict__.get("_hub_link_targets")
    if targets is None:
        text = (getattr(item, "_content", None) or "") + str(item.metadata.get("summary") or "")
        targets = item._hub_link_targets = linked_files(relative_source(item), text)
    return targets


def relative_source(item):
    """The item's source relative to PATH, in POSIX form (remember_source_path keeps it)."""
    return item.get_relative_source_path()


class ReuseState(RunState):
    """One build's view of the previous one: its output, its keys, and the keys written now."""

    def __init__(self, previous_output, previous_keys, file_digests, inputs, workers=1, md5_stamps=None,
                 prefilled=False):
        self.previous_output = previous_output  # the output being replaced, or None
        self.previous_keys = previous_keys if previous_output else {}
        self.file_digests = file_digests  # content file (relative to PATH) -> digest of its bytes
        self.md5_stamps = md5_stamps or {}  # content file (absolute) -> md5, as Pelican's cache stamps it
        self.inputs = inputs  # digest of settings, plugins, theme, catalogs and non-article content
        self.base = None  # set once every generator has read its content
        self.urls = {}  # content and static file (relative to PATH) -> URL
        self.described = {}
        # How the outputs' keys describe values (memo: taken while nothing changes the items).
        self.describer = Describer(self.special, memo={})
        # Pages to render, rendered together on `workers` processes at flush(); None: render at once.
        self.workers = workers
        self.renders = [] if workers > 1 else None
        self.linker = None  # a Linker process, started at the first link
        self.linked_from = {}  # output file queued for linking -> the previous output's file
        self.keys = {}  # output name -> key, for the next build
        # Templates that read more than their arguments say so here: {template: callable(kwargs)}.
        self.extra_inputs = {}
        self.reused = 0
        self.rendered = 0
        self.shelves = []  # the ShelvedItems of each caching generator, saved at the end
        self.shelf_files = {}  # generator class name -> its Shelf, opened at `initialized`
        # The prefill put items into Pelican's reader cache for this build. If not, that cache can
        # only serve items the shelves hold already.
        self.prefilled = prefilled

    # --- describing inputs -------------------------------------------------
    def content(self, item):
        """An item counts by its source's bytes, the URLs its {filename} links point to, what
        pages show of its other versions: their language and URL ("Also available in", the
        switcher, the alternates) and whether each is a translation (which one is x-default), and
        the bytes of the files its pages show besides its text (`hub_files`: pictures processed
        into variants, attachments with their size; hub_images sets it).
        Not their text: editing one version leaves the pages of the others alone."""
        own = relative_source(item)
        described = self.described.get(own)
        if described is None:
            if own not in self.file_digests:
                raise Unkeyable(f"no digest for {own}")
            versions = getattr(item, "hub_versions", None) or {}
            # One short digest: pages listing hundreds of items hash a line each, not their details.
            described = self.described[own] = "content:" + digest(
                own, self.file_digests[own],
                [[lang, other.url, getattr(other, "is_translation", None)] for lang, other in versions.items()],
                [[target, self.urls.get(target)] for target in link_targets(item)],
                [[path, self.file_digests.get(path)] for path in getattr(item, "hub_files", ())])
        return described

    def special(self, value):
        if isinstance(value, Content):
            return self.content(value)
        if isinstance(value, URLWrapper):
            return ["term", type(value).__name__, value.name, value.url]
        return None

    def key(self, name, template_name, kwargs, extra=None):
        """The key of an output, or None when it cannot be keyed (then it is always rendered)."""
        if self.base is None:
            return None
        try:
            return page_key(self.base, name, template_name, kwargs, self.describer, extra)
        except Unkeyable as reason:
            logger.debug("hub_reuse: %s is rendered: %s", name, reason)
            return None

    # --- reusing ------------------------------------------------------------
    def link_previous(self, name, key, output_path, tree=False):
        """Link `name` (a file, or with `tree` a directory) from the previous output if its key is
        unchanged; return whether it will be there. Files are linked by a helper process (the
        system calls overlap the keys being computed): flush() before anything reads them."""
        if key is None or self.previous_keys.get(name) != key:
            return False
        source = os.path.join(self.previous_output, name)
        target = os.path.join(output_path, name)
        if tree:
            if not os.path.isdir(source):
                return False
            for root, _, files in os.walk(source):
                for file_name in files:
                    relative = os.path.relpath(os.path.join(root, file_name), source)
                    self.queue_link(os.path.join(root, file_name), os.path.join(target, relative))
        elif os.path.isfile(source):
            self.queue_link(source, target)
        else:
            return False
        self.reused += 1
        return True

    def queue_link(self, source, target):
        if self.linker is None:
            self.linker = Linker()
        self.linker.link(source, target)
        self.linked_from[target] = source

    def bytes_of(self, path):
        """Where the bytes of output file `path` can be read now (None: nowhere): the file, or the
        previous output's file it is being linked from (the same bytes)."""
        if os.path.isfile(path):
            return path
        return self.linked_from.get(path)

    def settle(self, path):
        """Before `path` is written again: drop its queued render and let queued links land."""
        if self.renders:
            self.renders = [job for job in self.renders if job[0] != path]
        if self.linker is not None:
            self.linker.sync()

    def abandon(self):
        """A failed build: render nothing more, and let queued links finish before the directory goes."""
        self.renders = None
        if self.linker is not None:
            self.linker.close()
            self.linker = None

    def render_queued(self):
        """Render the pages queued so far; raise the first failure."""
        if self.renders:
            renders, self.renders = self.renders, []
            render_in_parallel(renders, self.workers)

    def flush(self):
        """Render the queued pages and wait until every queued file is linked; raise the first failure."""
        self.render_queued()
        if self.linker is not None:
            self.linker.sync()

    def finish(self):
        """The build wrote everything: flush, and end the linking process."""
        try:
            self.flush()
        finally:
            if self.linker is not None:
                self.linker.close()
                self.linker = None

    def record(self, name, key):
        if key is not None:
            self.keys[name] = key

    def reuse_previous(self, name, key, output_path, tree=False):
        """For an output a plugin writes itself: keep its key for the next build, and link it from the
        previous output if the key is unchanged. True: it was linked, there is nothing to write."""
        self.record(name, key)
        return self.link_previous(name, key, output_path, tree)


class ReusingWriter(Writer):
    """Pelican's writer, except that a page whose key is unchanged is linked, not rendered."""

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        state = self.settings.get(STATE_KEY)
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        paginates = bool(paginated) and template_name in self.settings.get("PAGINATED_TEMPLATES", {})
        if state is None or not name or paginates:
            return super().write_file(name, template, context, relative_urls, paginated, template_name,
                                      override_output, url, **kwargs)
        path = sanitised_join(self.output_path, name)
        extra_inputs = state.extra_inputs.get(template.name.removesuffix(".html"))
        key = state.key(name, template.name,
                        dict(kwargs, relative_urls=relative_urls, override_output=override_output, url=url),
                        extra_inputs(kwargs) if extra_inputs else None)
        fresh = path not in self._written_files and path not in self._overridden_files
        linked = fresh and state.link_previous(name, key, self.output_path)
        if fresh and (linked or state.renders is not None):
            if override_output:
                self._overridden_files.add(path)
            self._written_files.add(path)
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(get_relative_path(name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = name
            localcontext.update(kwargs)
            if not linked:  # rendered later, on every core (render_in_parallel)
                state.rendered += 1
                state.renders.append((path, template, localcontext, context))
            # What Pelican's writer tells other plugins (the sitemap listens), as if it had written it.
            signals.content_written.send(path, context=localcontext)
        else:
            if override_output and path not in self._overridden_files:
                state.settle(path)  # this write replaces an earlier one: drop what is queued for it
            # Pelican skips a plain write to a file a Save_As page overrode: the file keeps that
            # page, and its key.
            skipped = not override_output and path in self._overridden_files
            state.rendered += 1
            super().write_file(name, template, context, relative_urls, paginated, template_name,
                               override_output, url, **kwargs)
            if skipped:
                return
        state.record(name, key)

    def _open_w(self, filename, encoding, override=False):
        # A linked file shares its bytes with the previous output: never write through it.
        if override and filename in self._written_files and filename not in self._overridden_files:
            if os.path.exists(filename):
                os.unlink(filename)
        return super()._open_w(filename, encoding, override)


def render_page(job):
    """What Pelican's writer does for one page (Writer.write_file's _write_file), without signals."""
    path, template, localcontext, context = job
    if localcontext["localsiteurl"]:
        context["localsiteurl"] = localcontext["localsiteurl"]
    output = template.render(localcontext)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(output)


def render_in_parallel(jobs, workers):
    """Render `jobs` on `workers` processes: forked children (they share the build's objects) take
    every n-th page and the parent the rest. A child's failure is raised here with its traceback."""
    workers = min(workers, max(1, len(jobs) // 6))  # a fork costs more than a few pages
    children = []
    try:
        for part in range(1, workers):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # child: render, report, and leave without running the parent's exit code
                os.close(read_end)
                code = 0
                try:
                    for job in jobs[part::workers]:
                        render_page(job)
                except BaseException:
                    os.write(write_end, traceback.format_exc().encode("utf-8", "replace"))
                    code = 1
                finally:
                    os._exit(code)
            os.close(write_end)
            children.append((pid, read_end))
        for job in jobs[0::workers]:
            render_page(job)
    finally:
        failures = []
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                message = pipe.read().decode("utf-8", "replace")
            _, status = os.waitpid(pid, 0)
            if status != 0:
                failures.append(message or f"renderer {pid} ended with status {status}")
    if failures:
        raise RuntimeError("hub_reuse: rendering failed in a worker process:\n" + "\n".join(failures))


def fix_site_inputs(generators):
    """all_generators_finalized: what every page depends on, now that all content is read.

    Not every item's URL: a page depends on the URLs of the items it shows (their sources' bytes)
    and of those their text links to, so a new article leaves the other articles' pages alone."""
    settings = generators[0].settings
    state, hub = settings.get(STATE_KEY), settings.get(I18N_STATE_KEY)
    if state is None or hub is None:
        return
    items, static = [], []
    for generator in generators:
        for name in CONTENT_LISTS:
            items.extend(getattr(generator, name, None) or [])
        static.extend(getattr(generator, "staticfiles", None) or [])
    state.urls = {relative_source(item): item.url for item in items + static}
    # The clock: the day (open calls, upcoming events) and which items are still scheduled.
    scheduled = sorted(relative_source(item) for item in items if hasattr(item, "date") and hub.is_scheduled(item))
    today = hub.now.astimezone(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date().isoformat()
    # Standing pages are in every page's header and footer, if they made it into the build.
    pages = sorted((relative_source(item), item.url, item.status) for item in items if not hasattr(item, "category"))
    state.base = digest(state.inputs, scheduled, today, pages)


class ScannedStamps:
    """A cache's stamp function for lookups: the md5 the build's input scan took of each file.

    New entries are stamped from the file itself (cache_data): a file saved again between the scan
    and Pelican's reading must not be stored as the bytes the scan saw, or going back to those
    bytes would bring back the newer content."""

    def __init__(self, cacher, stamps):
        self.cacher, self.stamps = cacher, stamps
        self.read_stamp = cacher._filestamp_func
        self.store = cacher.cache_data
        cacher._filestamp_func = self
        cacher.cache_data = self.cache_data

    def __call__(self, filename):
        # A file the scan did not see (written during the build) is read as Pelican would.
        return self.stamps.get(os.path.abspath(filename)) or self.read_stamp(filename)

    def cache_data(self, filename, data):
        self.cacher._filestamp_func = self.read_stamp
        try:
            self.store(filename, data)
        finally:
            self.cacher._filestamp_func = self


SHELVED_GENERATORS = ("ArticlesGenerator", "PagesGenerator")


def open_shelves(pelican):
    """initialized: open the generators' shelves before Pelican builds its generators and readers.

    When the articles' shelf holds this build's items and the prefill read nothing new, Pelican's
    reader cache (the whole site's HTML, loaded and saved again by every build) can only serve what
    the shelves already hold: the generators cache at their level instead, through the shelves."""
    settings = pelican.settings
    state = settings.get(STATE_KEY)
    if state is None or not ShelvedItems.usable(settings):
        return
    for name in SHELVED_GENERATORS:
        state.shelf_files[name] = Shelf(os.path.join(settings["CACHE_PATH"], f"hub-shelf-{name}.pickle"), state.inputs)
    if not state.prefilled and state.shelf_files["ArticlesGenerator"].stored and \
            settings.get("CONTENT_CACHING_LAYER") == "reader":
        settings["CONTENT_CACHING_LAYER"] = "generator"


def use_scanned_stamps(generator):
    """article/page_generator_init: Pelican checks its reader cache by the md5 of each file, which it
    reads twice per file (once for the generator's cache, and once for the reader's). The build's
    input scan read every file already: look entries up with its stamps. And let the generator
    take unchanged items off its shelf instead of building them again."""
    state = generator.settings.get(STATE_KEY)
    if state is None or not state.md5_stamps or generator.settings.get("CHECK_MODIFIED_METHOD") != "md5":
        return
    if generator.readers._filestamp_func is not None:
        ScannedStamps(generator.readers, state.md5_stamps)
    shelf = state.shelf_files.get(type(generator).__name__)
    if shelf is not None and generator._filestamp_func is not None and ShelvedItems.usable(generator.settings):
        state.shelves.append(ShelvedItems(generator, state, shelf))


class ShelvedItems:
    """A generator's item cache (get_cached_data and cache_data, which Pelican calls around reading
    each file) served by a Shelf: an unchanged file's item is unpickled with this build's context
    and settings. The shelf's key is what item construction reads besides the file: the settings
    (CACHE_PATH is per settings and plugin code), and the other inputs (theme, catalogs, data)."""

    def __init__(self, generator, state, shelf):
        self.generator, self.stamps, self.shelf = generator, state.md5_stamps, shelf
        self.read_stamp = generator._filestamp_func
        generator.get_cached_data = self.get_cached_data
        generator.cache_data = self.cache_data
        generator.add_static_links = self.add_static_links

    @staticmethod
    def usable(settings):
        # Read items depend on the clock with WITH_FUTURE_DATES off (future ones become drafts) and
        # on file times with DEFAULT_DATE 'fs'; hub_check turns caching off while it leaves files out.
        return (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")
                and settings.get("WITH_FUTURE_DATES", True) and settings.get("DEFAULT_DATE") != "fs")

    def shared(self):
        return {"settings": self.generator.settings, "context": self.generator.context}

    def source(self, filename):
        return os.path.abspath(os.path.join(self.generator.path, filename))

    def get_cached_data(self, filename, default=None):
        path = self.source(filename)
        stamp = self.stamps.get(path)
        item = self.shelf.take(path, stamp, self.shared()) if stamp else None
        return default if item is None else item

    def cache_data(self, filename, item):
        # Only items that hold this run's context and settings: anything else would be stored whole.
        if getattr(item, "_context", None) is self.generator.context and item.settings is self.generator.settings:
            # Terms work out their slug when first hashed: shelve them worked out.
            terms = [getattr(item, "category", None), getattr(item, "author", None),
                     *(getattr(item, "tags", None) or ()), *(getattr(item, "authors", None) or ())]
            for term in terms:
                if isinstance(term, URLWrapper):
                    term.slug
            # And the files its text links to (Pelican scans the text at every build, and so would
            # the keys), and its URLs (hub_i18n pins them in every build).
            item._hub_static_links = item.get_static_links()
            link_targets(item)
            pin_urls(item)
            path = self.source(filename)
            stamp, scanned = self.read_stamp(path), self.stamps.get(path)
            # The reader cache answers by the scan's stamp: if the file changed since the scan, the
            # item may hold the scanned bytes, not the current ones. Shelve only what both agree on.
            if scanned is None or stamp == scanned:
                self.shelf.put(path, stamp, item, self.shared())

    def add_static_links(self, item):
        """Pelican's add_static_links, with the links an item was shelved with."""
        links = item.__dict__.get("_hub_static_links")
        self.generator.context["static_links"] |= item.get_static_links() if links is None else links

    def save(self):
        self.shelf.save()


def cache_compiled_templates(generator):
    """generator_init: Jinja2 compiles each template in each build (some forty, about 0.25 s). Keep
    the compiled code between builds: Jinja2 checks it against the template's source, and
    CACHE_PATH is per settings and plugin code (environment options, filters)."""
    settings = generator.settings
    if settings.get(STATE_KEY) is None or not settings.get("CACHE_CONTENT"):
        return
    directory = os.path.join(settings["CACHE_PATH"], "jinja")
    os.makedirs(directory, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(directory)


def report(pelican):
    state = pelican.settings.get(STATE_KEY)
    if state is not None:
        state.flush()
        for shelved in state.shelves:
            shelved.save()
        logger.info("hub_reuse: %d outputs reused from the previous build, %d rendered; %d items taken off the shelf, "
                    "%d read from their files", state.reused, state.rendered,
                    sum(shelved.shelf.taken for shelved in state.shelves),
                    sum(shelved.shelf.put_back for shelved in state.shelves))


def get_writer(pelican):
    return ReusingWriter


def register():
    signals.all_generators_finalized.connect(fix_site_inputs)
    signals.get_writer.connect(get_writer)
    signals.content_object_init.connect(remember_source_path)
    signals.article_generator_init.connect(use_scanned_stamps)
    signals.page_generator_init.connect(use_scanned_stamps)
    signals.initialized.connect(open_shelves)
    signals.generator_init.connect(cache_compiled_templates)
    signals.finalized.connect(report)
