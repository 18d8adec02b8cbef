"""Live preview: build, serve, and rebuild on every change; the browser reloads by itself.

The preview keeps the site in memory between builds, as Hugo's server does: what each Markdown
file read to (hub_engine.memo, by the file's stat), the compiled templates, and the description of
every output (hub_engine.outputs). After a change, a rebuild reads only the changed files, runs
Pelican's pipeline over the items, and renders nothing: the server renders a page when the browser
asks for it. The first build writes the whole site to output/, as `invoke build` does (search
index included); later edits are served from memory until the next `invoke build`.

The edit an editor makes most, changing the words of an article, does not even run Pelican again:
when the only change is the text of articles and pages the site shows, with the same headers,
links and pictures (hub_check.plugin.words_only_edit), their items keep their place in the site
and take the new text (hub_engine.plugin.read_text_again). The time that takes does not grow with
the size of the site. Any other change (a header, a new or removed file, a picture, the theme, a
catalog, the day) runs the whole pipeline.

A build that fails prints its problems and keeps the last good site served.
"""

import os
import threading
import time
from pathlib import Path

from jinja2 import BytecodeCache

from plugins.hub_check.checks import ParsedFiles
from plugins.hub_check.plugin import DIGESTS_KEY, PARSED_KEY, ScannedDigests, words_only_edit
from plugins.hub_engine.memo import MEMO_KEY, ReadMemo
from plugins.hub_engine.outputs import OUTPUTS_KEY
from plugins.hub_engine.pelican_private import forget_memoized_content, set_item_html
from plugins.hub_engine.plugin import ITEMS_KEY, LIVE_KEY, TEMPLATE_CACHE_KEY, read_text_again

from .build import PROJECT_ROOT, BuildError, build_site, collection_paused, log_failure, prepare_settings, \
    print_to_stderr, run_pelican, scan_inputs
from .serve import make_server

WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


class CompiledTemplates(BytecodeCache):
    """Jinja2's compiled templates, kept in memory between builds (Jinja2 checks each against its source)."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class LiveSite:
    """The site of `settings_file` (with `overrides`, as build_site takes them), kept in memory."""

    def __init__(self, settings_file, output, report=print_to_stderr, **overrides):
        self.settings_file, self.output, self.report, self.overrides = settings_file, Path(output), report, overrides
        self.memo = ReadMemo()
        self.templates = CompiledTemplates()
        self.parsed = ParsedFiles(None, {})  # the content checks' parses
        self.remembered = {}  # the input scan's stats of the content files
        self.table = None  # the current build's OutputTable
        self.settings = None  # the current build's settings (its items, its checks' report)
        self.served_scan = None  # the input scan of what is served; None after a failed build
        self.rendered = {}  # path -> bytes, rendered from the current table
        self.on_disk = set()  # outputs of the build written to output/
        self.lock = threading.Lock()

    def start(self):
        """The first build: the whole site into output/ (nothing if it is up to date), then the
        site in memory. The files are read once: the memo keeps what the first build read."""
        build_site(self.settings_file, self.output, report=lambda line: None, memo=self.memo, **self.overrides)
        self.rebuild()
        self.on_disk = set(self.table.outputs) if self.table is not None else set()

    def rebuild(self):
        """Read what changed and describe every output again, or give the items whose words changed
        their new text; say which ("the site", "the text of N files"). BuildError if the content is
        unusable (the last good site stays served)."""
        settings, settings_key = prepare_settings(self.settings_file, self.output, **self.overrides)
        scan = scan_inputs(settings, settings_key, self.remembered)  # reads only the files that changed
        self.remembered = scan.remembered
        replaced = self.replace_texts(scan)
        if replaced is not None:
            return f"the text of {replaced} file{'s' if replaced != 1 else ''}"
        self.served_scan = None  # until this build succeeds
        settings.update({LIVE_KEY: True, MEMO_KEY: self.memo, TEMPLATE_CACHE_KEY: self.templates,
                         DIGESTS_KEY: ScannedDigests(scan.file_digests), PARSED_KEY: self.parsed})
        with collection_paused():
            run_pelican(settings, self.report)
        with self.lock:
            self.table, self.settings, self.rendered = settings[OUTPUTS_KEY], settings, {}
        self.served_scan = scan
        return "the site"

    def replace_texts(self, scan):
        """If the only change since the served build is the words of articles and pages it shows,
        give their items the new text and return how many files changed; else None."""
        served = self.served_scan
        if served is None or scan.frame != served.frame or scan.file_digests.keys() != served.file_digests.keys():
            return None
        content = self.settings["PATH"]
        items = self.settings.get(ITEMS_KEY, {})
        changed = [os.path.join(content, *relative.split("/")) for relative, digest in scan.file_digests.items()
                   if digest != served.file_digests[relative]]
        if not all(path in items and words_only_edit(self.settings, path) for path in changed):
            return None
        try:
            texts = {path: read_text_again(items[path]) for path in changed}
        except Exception:  # the whole pipeline says what is wrong, in its own words
            return None
        with self.lock:
            for path, html in texts.items():
                set_item_html(items[path], html)
            forget_memoized_content()  # Pelican's memos of the items' old text
            self.table.forget_memos()
            self.rendered = {}
        self.served_scan = scan
        return len(changed)

    def output_bytes(self, path):
        """The bytes of output `path` (relative, POSIX) in the current build, or None: rendered once
        per build, when first asked for."""
        with self.lock:
            table, rendered = self.table, self.rendered
        if table is None:
            return None
        data = rendered.get(path)
        if data is None:
            output = table.get(path)
            if output is None:
                return None
            data = rendered[path] = output.data()
        return data

    def gone(self, path):
        """Was `path` written to output/ by the first build, and is no longer in the site?"""
        return self.table is not None and path in self.on_disk and path not in self.table

    def outputs(self):
        """{path: bytes} of every output of the current build (for tests: it renders them all)."""
        return {output.path: self.output_bytes(output.path) for output in list(self.table)}


def rebuild(site, report=print):
    """Rebuild `site` once; return True when the site was replaced."""
    started = time.monotonic()
    try:
        rebuilt = site.rebuild()
    except BuildError as error:
        report("Build failed; still serving the last good site:")
        for line in error.problems:
            report(f"  {line}")
        return False
    except Exception as error:  # a template or plugin bug: one line, keep serving
        report(f"{log_failure(site.output, error)}. Still serving the last good site.")
        return False
    report(f"Rebuilt {rebuilt} in {time.monotonic() - started:.2f} s")
    return True


def live_preview(settings_file, output, host="127.0.0.1", port=8000):
    """Build, serve and rebuild until Ctrl+C; PortInUseError (before any build) if the port is taken."""
    import watchfiles

    token = {"value": str(time.time_ns())}
    # Built for the address it is served at: with --port 8001 the pages' links and stylesheet
    # must point there, not at pelicanconf.py's SITEURL.
    site = LiveSite(settings_file, output, report=print, SITEURL=f"http://{host}:{port}")
    # The port first: a taken port is said at once, not after a whole build.
    server = make_server(output, host, port, live_token=lambda: token["value"], live_site=site)
    started = time.monotonic()
    try:
        site.start()  # before the server's thread: the first build may use every core
        print(f"Built in {time.monotonic() - started:.1f} s")
    except BuildError as error:
        print("The build stopped; serving the last good site (if any):")
        for line in error.problems:
            print(f"  {line}")
    except Exception as error:
        print(f"{log_failure(output, error)}. Serving the last good site (if any).")
    Path(output).mkdir(parents=True, exist_ok=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Live preview on http://{host}:{port}/ : edit and save, the page reloads (Ctrl+C to stop)")
    try:
        for changes in watchfiles.watch(*(PROJECT_ROOT / name for name in WATCHED),
                                        watch_filter=lambda change, path: not path.endswith((".mo", "~"))):
            names = sorted({Path(path).name for _, path in changes})
            print(f"Changed: {', '.join(names)}")
            if any(Path(path).suffix == ".py" for _, path in changes):
                print("Plugin or settings code changed: restart the preview (Ctrl+C, then invoke livereload) "
                      "to use it.")
            if rebuild(site):
                token["value"] = str(time.time_ns())
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
