"""Build the site in one Pelican pass into a fresh directory, and swap it in only on success."""

import datetime
import gzip
import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "plugins"))


class BuildError(RuntimeError):
    """The build stopped; `problems` holds one line per fault, ready for an editor to read."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _ErrorCollector(logging.Handler):
    """Pelican logs some faults (an unreadable file, a broken link) and carries on: count them."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


# Packages whose version can change what a build writes.
BUILD_PACKAGES = ("pelican", "markdown", "jinja2", "babel", "feedgen", "lxml", "beautifulsoup4", "icalendar",
                  "pagefind", "pagefind_bin", "python-dateutil", "tzdata")
DATE_HEADER = re.compile(rb"^Date:\s*(.+)$", re.MULTILINE)


def _tree_files(root):
    return sorted(path for path in Path(root).rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo")


def _hash_tree(digest, root, base, files=None):
    for path in files if files is not None else _tree_files(root):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


def settings_fingerprint(settings_file, overrides):
    """What changes the way content is read: settings files, overrides, plugin code, package versions."""
    digest = hashlib.sha256(Path(settings_file).name.encode())  # preview and publish differ
    settings_dir = Path(settings_file).resolve().parent
    for path in sorted(settings_dir.glob("*conf.py")):
        digest.update(path.name.encode() + path.read_bytes())
    # Not the output path, and not the clock (HUB_NOW): inputs_fingerprint accounts for what it changes.
    digest.update(json.dumps({k: str(v) for k, v in sorted(overrides.items())
                              if k not in ("OUTPUT_PATH", "HUB_NOW")}).encode())
    _hash_tree(digest, PROJECT_ROOT / "plugins", PROJECT_ROOT)
    for package in BUILD_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()[:16]


def inputs_fingerprint(settings, settings_key):
    """Everything a build reads, and what the clock changes: same fingerprint, same output."""
    digest = hashlib.sha256(settings_key.encode())
    content = Path(settings["PATH"])
    content_files = _tree_files(content)
    due_dates = []
    for path in content_files:
        data = path.read_bytes()
        digest.update(path.relative_to(content).as_posix().encode() + b"\0" + data + b"\0")
        if path.suffix == ".md":
            match = DATE_HEADER.search(data, 0, data.find(b"\n\n") + 1 or len(data))  # headers only
            if match:
                due_dates.append(match.group(1).strip().decode("utf-8", "replace"))
    _hash_tree(digest, settings["THEME"], settings["THEME"])
    # The clock matters through scheduled articles (dated in the future) and through the day
    # (open calls, upcoming events): count what is already due, and note the day.
    pinned = settings.get("HUB_NOW")
    now = datetime.datetime.fromisoformat(pinned) if pinned else datetime.datetime.now(datetime.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=datetime.timezone.utc)
    # Date headers are written in the site's time zone: compare them with its wall clock.
    cutoff = now.astimezone(ZoneInfo(settings.get("TIMEZONE") or "UTC")).strftime("%Y-%m-%d %H:%M")
    due = sum(1 for date in due_dates if date <= cutoff)
    digest.update(f"{now.date().isoformat()}|{due}|{settings.get('SITEURL')}".encode())
    return digest.hexdigest()


def load_settings(settings_file, overrides=None):
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))


def build_site(settings_file=PROJECT_ROOT / "pelicanconf.py", output=None, **overrides):
    """Build the site; return the output Path. Raise BuildError and leave the old output untouched."""
    from pelican import Pelican

    from hub_check.plugin import ContentCheckError
    from hub_feeds.feed import FeedDataError
    from hub_feeds.plugin import FeedSettingsError
    from hub_i18n.catalogs import CatalogError
    from hub_search.plugin import SearchIndexError, stop_indexing
    from hub_i18n.grouping import ContentError
    from hub_i18n.settings import SettingsError
    from hub_i18n.taxonomy import TaxonomyError

    if output is not None:
        overrides["OUTPUT_PATH"] = str(output)
    settings = load_settings(settings_file, overrides)
    final = Path(settings["OUTPUT_PATH"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    # The cache sits beside the output, keyed by what changes reading: a stale entry cannot be used.
    cache_root = final.parent / f".{final.name}.cache"
    settings_key = settings_fingerprint(settings_file, overrides)
    settings["CACHE_PATH"] = str(cache_root / settings_key)
    settings.setdefault("CACHE_CONTENT", True)
    settings.setdefault("LOAD_CONTENT_CACHE", True)
    manifest = cache_root / "last-build.json"
    fingerprint = inputs_fingerprint(settings, settings_key)
    if final.is_dir() and manifest.exists() and json.loads(manifest.read_text()).get("inputs") == fingerprint:
        logging.getLogger(__name__).info("Nothing changed since the last build of %s", final)
        return final
    for stale in cache_root.glob("*"):
        if stale.is_dir() and stale.name != settings_key:
            shutil.rmtree(stale, ignore_errors=True)  # caches of other settings: never read again
    discard_unreadable_caches(Path(settings["CACHE_PATH"]))
    from hubsite.prefill import prefill_reader_cache

    prefill_reader_cache(settings)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    settings["OUTPUT_PATH"] = str(staging)

    collector = _ErrorCollector()
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    try:
        Pelican(settings).run()
        if collector.messages:
            raise BuildError(collector.messages)
        if settings.get("HUB_FINALIZE"):
            # Public builds: hashed asset names (cacheable forever) and .gz/.br copies, before the swap.
            from hubsite.assets import finalize_output

            finalize_output(staging, settings["SITEURL"])
    except (ContentCheckError, ContentError, SettingsError, TaxonomyError, CatalogError, FeedDataError, FeedSettingsError,
            SearchIndexError) as error:
        stop_indexing(staging)
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(str(error).splitlines()) from None
    except BaseException:
        stop_indexing(staging)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root_logger.removeHandler(collector)

    swap_in(staging, final)
    cache_root.mkdir(exist_ok=True)
    manifest.write_text(json.dumps({"inputs": fingerprint}))
    return final


def discard_unreadable_caches(cache_dir):
    """A cache file cut short (an interrupted build) makes Pelican fail with EOFError: drop it."""
    if not cache_dir.is_dir():
        return
    for path in cache_dir.iterdir():
        try:
            with gzip.open(path, "rb") as handle:
                pickle.load(handle)
        except Exception:  # any unreadable cache is only lost time, never lost data
            logging.getLogger(__name__).warning("Discarding unreadable cache %s", path)
            path.unlink()


def swap_in(staging, final):
    """Replace `final` by `staging` with two renames, so readers never see a half-written site."""
    old = None
    if final.exists():
        old = final.parent / f".{final.name}.old-{os.getpid()}"
        os.rename(final, old)
    os.rename(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
