"""Hard-links files in a helper process, fed through a pipe while the build goes on.

Thousands of links are thousands of system calls: in a thread, each one waits for the GIL behind
the build's Python work and the links land only when the build stops to wait for them. A process
of its own links them as they come. Run as a script; `Linker` is the build's side of the pipe.

Protocol on stdin, NUL-separated file names (they cannot contain NUL): b"L" source target to link,
b"S" to answer on stdout once everything before it is linked: b"ok\\n", or b"error <message>\\n" with
the first failure (later links are skipped).
"""

import os
import selectors
import shutil
import subprocess
import sys


def make_folder(folder, folders):
    """os.makedirs(folder, exist_ok=True) for many folders in a few trees: `folders` holds those known
    to exist, so a new folder in a known one costs one mkdir (makedirs tries each level again)."""
    if folder in folders:
        return
    parent = os.path.dirname(folder)
    if parent not in folders and parent != folder:
        if os.path.isdir(parent):
            folders.add(parent)
        else:
            make_folder(parent, folders)
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise
    folders.add(folder)


def link(source, target, folders):
    make_folder(os.path.dirname(target), folders)
    try:
        os.link(source, target)
    except (FileNotFoundError, FileExistsError):
        raise
    except OSError:  # another file system, or one without hard links: copy
        shutil.copy2(source, target)


def serve(stdin, stdout):
    """The helper's loop: read requests from `stdin` (binary) until it closes."""
    folders, error, pending = set(), None, b""
    while True:
        chunk = stdin.read1(1 << 16)
        fields = (pending + chunk).split(b"\0")
        pending = fields.pop()  # an incomplete last field waits for the next chunk
        position = 0
        while position < len(fields):
            command = fields[position]
            if command == b"L":
                if position + 2 >= len(fields):  # the file names are still on their way
                    break
                if error is None:
                    try:
                        link(os.fsdecode(fields[position + 1]), os.fsdecode(fields[position + 2]), folders)
                    except OSError as failure:
                        error = f"{type(failure).__name__}: {failure}"
                position += 3
            elif command == b"S":
                stdout.write(b"ok\n" if error is None else b"error " + error.replace("\n", " ").encode() + b"\n")
                stdout.flush()
                position += 1
            else:
                raise ValueError(f"hub_reuse linker: unknown request {command!r}")
        pending = b"\0".join(fields[position:] + [pending])
        if not chunk:
            return


CHUNK = 1 << 16  # bytes of requests worth a write to the pipe
# Links still unsent when the build waits for them, from which a second helper takes half: the build
# does nothing else meanwhile, and a helper process starts in some 30 ms.
SHARE_FROM = 1000


class LinkError(OSError):
    pass


class Linker:
    """The build's side: link() queues, sync() waits until everything queued is linked.

    Requests are written without blocking: when the helper lags (links cost the file system more
    than keys cost Python), they wait in memory (about 150 bytes a file) instead of holding up the
    build, and sync() sends the rest."""

    def __init__(self):
        self.process = self.start()
        self.pipe = self.process.stdin.fileno()
        os.set_blocking(self.pipe, False)
        self.unsent = bytearray()
        self.send_at = CHUNK  # try the pipe again once this much is waiting

    @staticmethod
    def start():
        return subprocess.Popen([sys.executable, os.path.abspath(__file__)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)

    def link(self, source, target):
        self.unsent += b"L\0" + os.fsencode(source) + b"\0" + os.fsencode(target) + b"\0"
        if len(self.unsent) >= self.send_at:
            self._send()
            self.send_at = len(self.unsent) + CHUNK  # a full pipe is not tried again at every link

    def _send(self):
        """Write what the pipe takes now."""
        try:
            while self.unsent:
                del self.unsent[:os.write(self.pipe, self.unsent)]
        except BlockingIOError:
            pass
        except BrokenPipeError:
            raise LinkError(f"the linker process ended (status {self.process.wait()})") from None

    def sync(self):
        """Wait for every queued link; raise LinkError with the helpers' first failure. A long
        backlog is shared with a second helper process, which links its last half."""
        helpers, buffers = [self.process], {}
        if self.unsent.count(b"\0") >= 3 * SHARE_FROM:
            helper = self.start()
            helpers.append(helper)
            os.set_blocking(helper.stdin.fileno(), False)
            buffers[helper.stdin.fileno()] = bytearray(self._take_half() + b"S\0")
        buffers[self.pipe] = self.unsent + b"S\0"
        self.unsent = bytearray()
        try:
            write_all(buffers)
            answers = [helper.stdout.readline() for helper in helpers]
        except BrokenPipeError:
            statuses = ", ".join(str(helper.poll()) for helper in helpers)
            raise LinkError(f"a linker process ended early (status {statuses})") from None
        finally:
            for helper in helpers[1:]:
                helper.stdin.close()
                helper.wait()
                helper.stdout.close()
        for answer in answers:
            if answer != b"ok\n":
                raise LinkError(answer.decode("utf-8", "replace").strip() or "the linker process ended")

    def _take_half(self):
        """The last half of the unsent links (whole requests, each of three NUL-ended fields)."""
        requests = self.unsent.count(b"\0") // 3  # the first may be partly sent: it stays here
        cut = len(self.unsent)
        for _ in range(3 * (requests // 2) + 1):  # the NUL that ends the request before the half
            cut = self.unsent.rfind(b"\0", 0, cut)
        share = bytes(self.unsent[cut + 1:])
        del self.unsent[cut + 1:]
        return share

    def close(self):
        """Let the helper finish what is queued, and end it."""
        try:
            write_all({self.pipe: self.unsent})
            self.unsent = bytearray()
            self.process.stdin.close()
        except OSError:
            pass
        self.process.wait()


def write_all(buffers):
    """Write each buffer ({pipe without blocking: bytearray}) whole, to each pipe as it takes it;
    a pipe whose reader ended raises BrokenPipeError."""
    buffers = {pipe: data for pipe, data in buffers.items() if data}
    with selectors.DefaultSelector() as waiting:
        for pipe in buffers:
            waiting.register(pipe, selectors.EVENT_WRITE)
        while buffers:
            for key, _ in waiting.select():
                try:
                    del buffers[key.fd][:os.write(key.fd, buffers[key.fd])]
                except BlockingIOError:
                    continue
                if not buffers[key.fd]:
                    del buffers[key.fd]
                    waiting.unregister(key.fd)


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
