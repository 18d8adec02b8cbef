"""Build the site in one Pelican pass into a fresh directory, and swap it in only on success."""

import contextlib
import datetime
import gc
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.hub_engine.outputs import write_atomically

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BuildError(RuntimeError):
    """The build stopped; `problems` holds one line per fault, ready for an editor to read."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _LogCollector(logging.Handler):
    """Pelican logs some faults (an unreadable file, a broken link) and carries on: count them as
    errors. Warnings (the content checks' problems in a preview among them) go to `report` as they
    come, one line each, as `invoke check` prints them."""

    def __init__(self, report):
        super().__init__(level=logging.WARNING)
        self.messages, self.warnings = [], []
        self.report = report

    def emit(self, record):
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage())
        else:
            self.warnings.append(record.getMessage())
            self.report(self.warnings[-1])


def print_to_stderr(line):
    print(line, file=sys.stderr)


# Packages whose version can change what a build writes.
BUILD_PACKAGES = ("pelican", "markdown", "jinja2", "babel", "feedgen", "lxml", "beautifulsoup4", "icalendar",
                  "pagefind", "pagefind_bin", "python-dateutil", "tzdata")
# `Date: ...` or YAML front matter's `date: ...` (header names are read case-insensitively).
DATE_HEADER = re.compile(rb"^date[ \t]*:\s*(.+)$", re.MULTILINE | re.IGNORECASE)


def _hash_tree(digest, root, prefix=""):
    """Every file under `root` (its name, after `prefix`, and its bytes) into `digest`."""
    for relative, entry in _tree_files(root):
        with open(entry.path, "rb") as handle:
            digest.update((prefix + relative).encode() + b"\0" + handle.read() + b"\0")


def settings_fingerprint(settings_file, overrides):
    """What changes the way content is read: settings files, overrides, plugin code, package versions."""
    digest = hashlib.sha256(Path(settings_file).name.encode())  # preview and publish differ
    settings_dir = Path(settings_file).resolve().parent
    for path in sorted(settings_dir.glob("*conf.py")):
        digest.update(path.name.encode() + path.read_bytes())
    # Not the output path, and not the clock (HUB_NOW): scan_inputs accounts for what it changes.
    digest.update(json.dumps({k: str(v) for k, v in sorted(overrides.items())
                              if k not in ("OUTPUT_PATH", "HUB_NOW")}).encode())
    _hash_tree(digest, PROJECT_ROOT / "plugins", "plugins/")
    for package in BUILD_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()[:16]


@dataclass
class InputScan:
    """What one read of the inputs tells."""

    fingerprint: str  # everything a build reads, and the clock: same fingerprint, same output
    file_digests: dict  # content file (relative to PATH, POSIX) -> sha256 of its bytes (for hub_check)
    remembered: dict  # what the next scan may take from this one (content_stamps)
    frame: str = ""  # the fingerprint of all but the content files: settings, code, theme, clock


# A file changed this recently may change again within the file system's clock tick without a new
# time: its stat does not vouch for its bytes next time (git's "racily clean" entries).
RACY_NS = 2_000_000_000


def _tree_files(root):
    """(relative POSIX path, os.DirEntry) of every file under `root` but compiled catalogs (.mo) and
    __pycache__, sorted part by part (as Paths sort); symlinked folders are not followed."""
    # A loop over a list of folders, not a nested function that calls itself: such a function is a
    # reference cycle, which would keep every entry found alive for the whole build (collection_paused).
    found, folders = [], [(root, "")]
    while folders:
        directory, prefix = folders.pop()
        try:
            entries = os.scandir(directory)
        except PermissionError:  # as pathlib's rglob (and Pelican's os.walk): a folder it cannot read
            continue
        with entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file() and os.path.splitext(entry.name)[1] != ".mo":
                    found.append((prefix + entry.name, entry))
    found.sort(key=lambda pair: pair[0].split("/"))
    return found


def content_stamps(root, remembered=None, now_ns=None):
    """{relative path: (sha256 hex, Date header or None)} of every content file, and what
    to remember for the next call.

    A file is read only if its stat differs from the one `remembered` (the previous call's second
    value) holds: size, modification and change times, inode and device. The change time cannot
    be set back by any program, so a file written since is always read again, as git does. Files
    changed within RACY_NS of `now_ns` are not remembered."""
    remembered = remembered or {}
    now_ns = time.time_ns() if now_ns is None else now_ns
    stamps, remember = {}, {}
    for relative, entry in _tree_files(root):
        info = entry.stat()
        stat = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
        known = remembered.get(relative)
        if known is not None and known[0] == stat:
            stamp = tuple(known[1:])
        else:
            with open(entry.path, "rb") as handle:
                data = handle.read()
            date = None
            if os.path.splitext(relative)[1] == ".md":
                # Headers only: up to the first empty line, or YAML front matter's closing '---'.
                end = data.find(b"\n---", 3) if data.startswith(b"---") else data.find(b"\n\n")
                match = DATE_HEADER.search(data, 0, end + 1 or len(data))
                if match:
                    date = match.group(1).strip().decode("utf-8", "replace").strip("'\"")
            stamp = (hashlib.sha256(data).hexdigest(), date)
        stamps[relative] = stamp
        if max(info.st_mtime_ns, info.st_ctime_ns) < now_ns - RACY_NS:
            remember[relative] = [stat, *stamp]
    return stamps, remember


def scan_inputs(settings, settings_key, remembered=None):
    """Every input once: the build's fingerprint and each content file's digest. `remembered`: what
    the previous scan remembered (content_stamps)."""
    frame = hashlib.sha256(settings_key.encode())
    _hash_tree(frame, settings["THEME"], "theme/")
    digest = hashlib.sha256()
    content = Path(settings["PATH"])
    file_digests, due_dates = {}, []
    stamps, remember = content_stamps(content, remembered)
    for relative, (sha256, date) in stamps.items():
        file_digests[relative] = sha256
        digest.update(relative.encode() + b"\0" + sha256.encode() + b"\0")
        if date is not None:
            due_dates.append(date)
    # The clock matters through scheduled articles (dated in the future) and through the day
    # (open calls, upcoming events): count what is already due, and note the day.
    pinned = settings.get("HUB_NOW")
    now = datetime.datetime.fromisoformat(pinned) if pinned else datetime.datetime.now(datetime.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=datetime.timezone.utc)
    # Date headers are written in the site's time zone: compare them with its wall clock.
    cutoff = now.astimezone(ZoneInfo(settings.get("TIMEZONE") or "UTC")).strftime("%Y-%m-%d %H:%M")
    due = sum(1 for date in due_dates if date <= cutoff)
    frame.update(f"{now.date().isoformat()}|{due}|{settings.get('SITEURL')}".encode())
    digest.update(frame.digest())
    return InputScan(digest.hexdigest(), file_digests, remember, frame.hexdigest())


def load_remembered_stamps(path):
    """What the last scan remembered (content_stamps), or {} if unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return data["files"] if data.get("version") == 2 and isinstance(data.get("files"), dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def save_remembered_stamps(path, remembered):
    write_atomically(path, json.dumps({"version": 2, "files": remembered}, sort_keys=True))


def load_settings(settings_file, overrides=None):
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))


@contextlib.contextmanager
def collection_paused():
    """No garbage collection inside: a build holds a few hundred thousand objects that live until its
    end (Pelican's items, pages' contexts), and the collector walked them all at each full collection,
    to find little garbage. Restores the collector's state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_site(settings_file=PROJECT_ROOT / "pelicanconf.py", output=None, report=None, memo=None, **overrides):
    """Build the site; return the output Path. Raise BuildError and leave the old output untouched.

    A build is a plain, cold Pelican run into a new directory, swapped in when it succeeded. When
    no input changed since the last build (settings, plugins, theme, content, the day), the output
    is kept as it is. `report`: called with each warning line (a preview's content problems, then
    how many files it left out); by default they go to standard error. `memo`: a
    hub_engine.memo.ReadMemo that keeps what the build read (the live preview's)."""
    with collection_paused():
        return _build_site(settings_file, output, report or print_to_stderr, memo, **overrides)


def prepare_settings(settings_file, output=None, **overrides):
    """The settings of a build into `output`, with its caches beside it: (settings, settings key)."""
    if output is not None:
        overrides["OUTPUT_PATH"] = str(output)
    settings = load_settings(settings_file, overrides)
    final = Path(settings["OUTPUT_PATH"]).resolve()
    cache_root = final.parent / f".{final.name}.cache"
    # Keyed by what changes reading: an entry of other settings or plugin code is never used.
    settings_key = settings_fingerprint(settings_file, overrides)
    settings["CACHE_PATH"] = str(cache_root / settings_key)
    # Picture variants (hub_images) depend on a picture's bytes and the processing settings only:
    # shared by preview and publish builds, kept when the settings change.
    settings.setdefault("HUB_IMAGES_CACHE_PATH", str(cache_root / "images"))
    return settings, settings_key


def build_errors():
    """The exceptions that mean "the content or settings are wrong", each with lines for editors."""
    from plugins.hub_check.plugin import ContentCheckError
    from plugins.hub_feeds.feed import FeedDataError
    from plugins.hub_feeds.plugin import FeedSettingsError
    from plugins.hub_i18n.catalogs import CatalogError
    from plugins.hub_i18n.grouping import ContentError
    from plugins.hub_i18n.settings import SettingsError
    from plugins.hub_i18n.taxonomy import TaxonomyError
    from plugins.hub_items.editions import EditionsError
    from plugins.hub_search.plugin import SearchIndexError

    return (ContentCheckError, ContentError, SettingsError, TaxonomyError, EditionsError, CatalogError, FeedDataError,
            FeedSettingsError, SearchIndexError)


def run_pelican(settings, report):
    """One Pelican run with `settings`; BuildError for faults in the content or in what Pelican logged
    as errors. Returns the warnings logged."""
    from pelican import Pelican

    from plugins.hub_engine.pelican_private import forget_memoized_content

    collector = _LogCollector(report)
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    try:
        pelican = Pelican(settings)
        pelican.run()
        if collector.messages:
            raise BuildError(collector.messages)
    except build_errors() as error:
        raise BuildError(str(error).splitlines()) from None
    finally:
        root_logger.removeHandler(collector)
        forget_memoized_content()
    return collector.warnings


def _build_site(settings_file, output, report, memo, **overrides):
    from plugins.hub_check.plugin import ScannedDigests
    from plugins.hub_engine.memo import MEMO_KEY
    from plugins.hub_search.plugin import stop_indexing

    settings, settings_key = prepare_settings(settings_file, output, **overrides)
    if memo is not None:
        settings[MEMO_KEY] = memo
    final = Path(settings["OUTPUT_PATH"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    cache_root = Path(settings["CACHE_PATH"]).parent
    manifest = cache_root / "last-build.json"
    stamps_file = cache_root / "content-stamps.json"
    remembered = load_remembered_stamps(stamps_file)
    scan = scan_inputs(settings, settings_key, remembered)
    if scan.remembered != remembered:
        save_remembered_stamps(stamps_file, scan.remembered)
    settings["HUB_CHECK_DIGESTS"] = ScannedDigests(scan.file_digests)  # hub_check parses changed files only
    fingerprint = scan.fingerprint
    del remembered, scan  # a few objects per content file: not kept while Pelican runs
    try:
        last_build = json.loads(manifest.read_text())
    except (OSError, ValueError):
        last_build = {}
    if final.is_dir() and last_build.get("inputs") == fingerprint:
        logging.getLogger(__name__).info("Nothing changed since the last build of %s", final)
        for line in last_build.get("warnings", ()):  # the problems are still there: say so again
            report(line)
        return final
    removing = remove_replaced_outputs(final)  # what earlier builds replaced, meanwhile
    try:
        for stale in cache_root.glob("*"):
            if stale.is_dir() and stale.name not in (settings_key, "images"):
                shutil.rmtree(stale, ignore_errors=True)  # caches of other settings: never read again
        # A new folder with the umask's permissions (mkdtemp's 0700 would hide the site from a web server).
        staging = final.parent / f".{final.name}.building-{secrets.token_hex(6)}"
        staging.mkdir()
        settings["OUTPUT_PATH"] = str(staging)
        try:
            warnings = run_pelican(settings, report)
        except BaseException:
            stop_indexing(str(staging))
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_in(staging, final)
        write_atomically(manifest, json.dumps({"inputs": fingerprint, "warnings": warnings}, sort_keys=True))
    finally:
        removing.join()
    return final


def log_failure(output, error):
    """Write the traceback of a build that failed through no fault of the content (a bug in a plugin
    or template, a full disk) beside the output's cache; return one line for the terminal that says
    what failed and where the details are."""
    import traceback

    final = Path(output).resolve()
    log = final.parent / f".{final.name}.cache" / "last-failure.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    try:
        shown = log.relative_to(Path.cwd())
    except ValueError:
        shown = log
    return (f"The build failed ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else 'no message'}); "
            f"this is not a fault in your content. Details for the developers: {shown}")


def swap_in(staging, final):
    """Replace `final` by `staging` with two renames, so readers never see a half-written site.

    The replaced output is left beside it, named .<output>.old-*: the next build removes it while it
    works (remove_replaced_outputs), so the deletion of thousands of files costs no build its time."""
    if final.exists():
        os.rename(final, tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
    os.rename(staging, final)


class _Removal:
    """A process deleting directories while the build works; join() waits for it."""

    def __init__(self, paths):
        # A process, not a thread: each of thousands of unlinks would wait for the GIL behind the build.
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys\nfor path in sys.argv[1:]: shutil.rmtree(path, ignore_errors=True)",
             *map(str, paths)]) if paths else None

    def join(self):
        if self.process is not None:
            self.process.wait()


def remove_replaced_outputs(final):
    """Start removing the outputs earlier builds replaced; join() the removal before returning."""
    return _Removal(sorted(final.parent.glob(f".{final.name}.old-*")))


def clean(output):
    """Remove the output directory and leftovers of interrupted builds beside it, nothing else."""
    output = Path(output).resolve()
    removed = []
    if output.is_dir():
        shutil.rmtree(output)
        removed.append(output)
    for leftover in output.parent.glob(f".{output.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    cache = output.parent / f".{output.name}.cache"
    if cache.is_dir():
        shutil.rmtree(cache)
        removed.append(cache)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed
