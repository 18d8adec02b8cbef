"""The site's outputs: every file a build writes, described before any is written.

A plugin does not write files: it adds an `Output` (where, and how to make its bytes) to the run's
`OutputTable`. A one-shot build then renders them all, on every core, into a fresh directory; the
live preview keeps the table and renders a page only when the browser asks for it. One place
writes, so one place makes writes safe (`write_atomically`) and parallel (`render_into`).
"""

import ctypes
import math
import os
import secrets
import select
import threading
import traceback
from dataclasses import dataclass
from typing import Callable, Iterator


OUTPUTS_KEY = "HUB_ENGINE_OUTPUTS"  # the run's OutputTable, in Pelican's settings


def outputs_of(settings):
    """The run's OutputTable: where a plugin adds the files it makes."""
    return settings[OUTPUTS_KEY]


@dataclass(slots=True)  # one per file: 150,000 at 10,000 articles per language
class Output:
    path: str  # relative to the output directory, POSIX
    # The file's bytes (str: written as UTF-8), or an iterator of byte chunks: a large file (the
    # sitemap) is then written as it is made, never held whole.
    make: Callable[[], "bytes | str | Iterator[bytes]"] = None
    source: str = None  # or: a file whose bytes these are (a cached picture), linked, not copied

    def data(self):
        return b"".join(self.chunks())

    def chunks(self):
        if self.source is not None:
            with open(self.source, "rb") as handle:
                return [handle.read()]
        made = self.make()
        if isinstance(made, str):
            return [made.encode("utf-8")]
        return [made] if isinstance(made, (bytes, bytearray)) else made


class OutputTable:
    """{path: Output} in the order they were added. Adding a path twice replaces the first."""

    def __init__(self):
        self.outputs = {}
        self.memos = {}

    def memo(self, name):
        """A dict, the same for every call with `name` in this run, for what several outputs work out
        once (a feed entry is in several feeds). The live preview empties them when items change."""
        return self.memos.setdefault(name, {})

    def forget_memos(self):
        self.memos = {}

    def __reduce__(self):  # in the settings, which items' terms carry: never pickled with them
        return (OutputTable, ())

    def add(self, path, make=None, source=None):
        path = path.replace(os.sep, "/").lstrip("/")
        self.outputs[path] = Output(path, make, source)

    def discard(self, path):
        self.outputs.pop(path.replace(os.sep, "/").lstrip("/"), None)

    def get(self, path):
        return self.outputs.get(path)

    def __contains__(self, path):
        return path in self.outputs

    def __iter__(self):
        return iter(self.outputs.values())

    def __len__(self):
        return len(self.outputs)


def write_atomically(path, data):
    """Write `data` (bytes or str) to `path` under another name, then rename it into place: a reader
    (a server, the next build, a crash) sees the old file or the new one, never half of one."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    os.makedirs(folder or ".", exist_ok=True)
    # A hidden name: file watchers, globs and the content scan pass it by.
    partial = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.partial")
    with open(partial, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(partial, path)


def write_if_changed(path, data):
    """write_atomically, unless the file already holds exactly `data` (then not even its times
    change: a watcher sees nothing); True when written."""
    if os.path.isfile(path):
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
    write_atomically(path, data)
    return True


def write_output(directory, output):
    """Into a directory no one reads yet (a build's staging folder): a plain write is safe there."""
    target = os.path.join(directory, *output.path.split("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if output.source is not None:
        try:
            os.link(output.source, target)  # the cache's file: same bytes, nothing copied
            return
        except OSError:  # another file system
            pass
    with open(target, "wb") as handle:
        for chunk in output.chunks():
            handle.write(chunk)


class RenderError(RuntimeError):
    pass


# Outputs per rendering process. Rendering leaves memos and garbage behind in the process that
# renders (Pelican's memoized content, feed entries, fragments of the allocator), in proportion to
# what it rendered; a process that renders a bounded share and exits keeps the build's peak memory
# that of the items plus one share, whatever the size of the site.
OUTPUTS_PER_RENDERER = 3000


def render_into(directory, outputs, workers=None, share=OUTPUTS_PER_RENDERER):
    """Render and write `outputs` into `directory`, in forked processes, `workers` at a time.

    Forked children share the build's objects (items, templates) without copying or pickling. Each
    renders `share` consecutive outputs and exits; the parent only starts them and waits, so its
    memory, which every later child inherits, does not grow. A fork is only safe in a process
    without other threads (a thread holding a lock at the fork leaves it held for ever in the
    child): with threads, or with too few outputs to pay for a fork, the parent renders them all."""
    outputs = list(outputs)
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(outputs) < 100 or threading.active_count() > 1 or not hasattr(os, "fork"):
        for output in outputs:
            write_output(directory, output)
        return
    share = max(1, min(share, math.ceil(len(outputs) / workers)))  # at least one share per worker
    shares = [outputs[start:start + share] for start in range(0, len(outputs), share)]
    running, failures = {}, []  # running: {pipe's read end: [pid, what the child wrote]}
    give_back_free_memory()
    try:
        while shares or running:
            while shares and len(running) < workers and not failures:
                pid, read_end = _start_renderer(directory, shares.pop(0))
                running[read_end] = [pid, b""]
            ready, _, _ = select.select(list(running), [], [])
            for read_end in ready:
                data = os.read(read_end, 65536)
                if data:
                    running[read_end][1] += data
                    continue
                pid, message = running.pop(read_end)
                failure = _reap(pid, read_end, message)
                if failure:
                    failures.append(failure)
            if failures:
                shares = []
    finally:  # an interrupt: wait for the children still running
        for read_end, (pid, message) in running.items():
            _reap(pid, read_end, message)
    if failures:
        raise RenderError("rendering failed in a worker process:\n" + "\n".join(failures))


def give_back_free_memory():
    """Hand the memory the build has freed (the Markdown read ahead, the checks' parses) back to the
    system, where the C library allows it (glibc's malloc_trim). The C library keeps freed memory for
    later, and a forked child counts every page its parent holds: at 10,000 articles per language,
    54 MiB in every renderer, never used again."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # another C library (macOS, musl): nothing to do
        return
    trim(0)


def _start_renderer(directory, share):
    """Fork a child that writes `share` and exits; (its pid, the read end of its error pipe)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: render its share, report, and leave without the parent's exit code
        os.close(read_end)
        code = 0
        try:
            for output in share:
                write_output(directory, output)
        except BaseException:
            os.write(write_end, traceback.format_exc().encode("utf-8", "replace"))
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _reap(pid, read_end, message):
    """Wait for a renderer whose pipe is closed; what went wrong in it, or None."""
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return message.decode("utf-8", "replace") or f"renderer {pid} ended with status {status}"
    return None
