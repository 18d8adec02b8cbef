"""Read Markdown on every core before Pelican's serial pass: fill its reader cache in parallel.

Pelican reads files one after another, and converting Markdown is most of a cold build. Workers
read the files that have no valid cache entry with Pelican's own Markdown reader and store the
result exactly as Pelican's reader cache does (md5 stamp, then content and metadata; gzip or not,
as GZIP_CACHE says), so Pelican
finds every file already read. A file a worker cannot read is left to Pelican, which reports it.
"""

import gc
import gzip
import hashlib
import logging
import multiprocessing
import os
import pickle
from pathlib import Path

logger = logging.getLogger(__name__)

# (Pelican generator, the setting that lists its folders); cache files are named after generators.
CACHES = (("ArticlesGenerator", "ARTICLE_PATHS"), ("PagesGenerator", "PAGE_PATHS"))
MIN_FILES = 64  # below this, starting processes costs more than it saves

_settings = None  # the worker's settings, inherited through fork


def _stamp(path):
    with open(path, "rb") as handle:
        return hashlib.md5(handle.read()).digest()


def _read_chunk(paths):
    from pelican.readers import _filter_discardable_metadata

    from plugins.hub_check.plugin import FrontMatterMarkdownReader

    reader = FrontMatterMarkdownReader(_settings)  # the reader the build uses (YAML front matter too)
    results = []
    for path in paths:
        try:
            content, metadata = reader.read(path)
        except Exception:  # Pelican reads it again and reports the fault with the file named
            continue
        results.append((path, _stamp(path), (content, _filter_discardable_metadata(metadata))))
    return results


def _load(cache_file, opener):
    try:
        with opener(cache_file, "rb") as handle:
            return pickle.load(handle)
    except Exception:
        return {}


def prefill_reader_cache(settings, workers=None, changed=None, stamps=None):
    """Fill Pelican's reader caches for files not yet cached; return how many files were read.

    `changed`: the files (absolute paths) changed since the last build, if known. Pelican's cache
    holds the others, unless it is new (other settings): then every file is a candidate.
    `stamps`: each file's md5 (absolute path) as the build's input scan took it, so that finding
    what the cache lacks does not read every file again."""
    global _settings
    workers = workers or os.cpu_count() or 1
    if workers < 2 or not (settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE")):
        return 0
    if settings.get("CHECK_MODIFIED_METHOD") != "md5":
        return 0  # the stamps below are Pelican's for md5
    opener = gzip.open if settings.get("GZIP_CACHE", True) else open  # as Pelican's FileDataCacher
    content = Path(settings["PATH"])
    cache_dir = Path(settings["CACHE_PATH"])
    read = 0
    for generator, paths_setting in CACHES:
        cache_file = cache_dir / f"{generator}-Readers"
        folders = tuple(str((content / folder).resolve()) + os.sep for folder in settings[paths_setting])
        if changed is not None and cache_file.exists() and \
                sum(1 for path in changed if path.endswith(".md") and path.startswith(folders)) < MIN_FILES:
            continue  # a few edits: Pelican reads them itself, without this loading its cache twice
        files = sorted(str(path.resolve()) for folder in settings[paths_setting]
                       for path in (content / folder).rglob("*.md"))
        cached = _load(cache_file, opener)
        stamp_of = (lambda path: stamps.get(path) or _stamp(path)) if stamps else _stamp
        todo = [path for path in files if cached.get(path, (None,))[0] != stamp_of(path)]
        if len(todo) < MIN_FILES:
            continue
        chunks = [todo[start::workers * 4] for start in range(workers * 4)]
        _settings = settings
        # Workers collect garbage (Markdown leaves cycles), even if the build paused collection.
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            for results in pool.imap_unordered(_read_chunk, chunks):
                for path, stamp, data in results:
                    cached[path] = (stamp, data)
                    read += 1
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cache_file.with_name(cache_file.name + ".partial")
        with opener(partial, "wb") as handle:
            pickle.dump(cached, handle)
        os.replace(partial, cache_file)
    _settings = None
    return read
