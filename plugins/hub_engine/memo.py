"""What a process that builds again (the live preview) keeps of each file it read.

Pelican reads every file at every run. Its own cache (CACHE_CONTENT) is a pickle of the whole site
loaded and saved again by each run, which costs more than it saves at thousands of articles. The
live preview instead keeps each file's reading in memory, under the file's stat: a file whose size,
times and inode are unchanged is not read again. The change time cannot be set back by a program,
so a file written since is always read again (as git does).
"""

import os

MEMO_KEY = "HUB_ENGINE_READ_MEMO"  # in Pelican's settings: the live preview's ReadMemo


class ReadMemo:
    def __init__(self, once=False):
        """`once`: a one-shot build's memo, which hands each reading out once (Pelican reads a file
        once per run) and forgets it then. Each item's text is then held by the item alone: a text
        the build rewrites (French typography) is freed as soon as it is replaced, and its memory
        serves the rest of the build, instead of staying in the memo until every file is read."""
        self.readings = {}  # absolute path -> (stat, reading)
        self.once = once

    def __reduce__(self):  # readings carry the settings, which hold the memo: never pickle it with them
        return (ReadMemo, ())

    @staticmethod
    def stat_of(path):
        info = os.stat(path)
        return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev

    def holds(self, path):
        """Whether `get` would give a reading of the file as it is now."""
        known = self.readings.get(os.path.abspath(path))
        return known is not None and known[0] == self.stat_of(path)

    def get(self, path):
        path = os.path.abspath(path)
        if not self.holds(path):
            return None
        return (self.readings.pop(path) if self.once else self.readings[path])[1]

    def put(self, path, stat, reading):
        self.readings[os.path.abspath(path)] = (stat, reading)


def read_memo(settings):
    return settings.get(MEMO_KEY)


def markdown_files(settings):
    """Every Markdown file under PATH: what Pelican's generators will read (and a few they skip)."""
    found = []
    for root, dirs, files in os.walk(settings["PATH"]):
        dirs.sort()
        found.extend(os.path.join(root, name) for name in sorted(files) if name.endswith(".md"))
    return found


_FORKED_SETTINGS = []  # the build's settings, inherited by forked workers (not pickled to them)


def _read_share(paths):
    """In a worker process: read `paths` with the build's Markdown reader; their readings."""
    from pelican.readers import Readers

    settings = _FORKED_SETTINGS[-1]
    memo = settings[MEMO_KEY] = ReadMemo()
    reader = Readers(settings).readers["md"]
    for path in paths:
        try:
            reader.read(path)
        except Exception:  # the build's own reading says what is wrong, where editors look
            pass
    return memo.readings


def read_ahead(settings, memo, workers=None):
    """Read the Markdown files the memo does not hold yet on every core, before Pelican reads them
    one after the other: Pelican then finds them in the memo. Reading Markdown is most of a cold
    build's Python time. Only in a process without threads (forking one with threads can leave a
    lock held for ever in the child); with few files, a process costs more than it saves."""
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    workers = workers or os.cpu_count() or 1
    wanted = [path for path in markdown_files(settings) if not memo.holds(path)]
    if workers < 2 or len(wanted) < 64 or threading.active_count() > 1:
        return 0
    shares = [wanted[part::workers] for part in range(workers)]
    _FORKED_SETTINGS.append(settings)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            for readings in pool.map(_read_share, shares):
                memo.readings.update(readings)
    finally:
        _FORKED_SETTINGS.pop()
    return len(wanted)
