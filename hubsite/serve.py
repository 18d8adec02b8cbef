"""Serve the built site on localhost, with each language's 404 page for missing URLs."""

import errno
import functools
import http.server
import json
import mimetypes
import posixpath
import re
import socket
import urllib.parse
from pathlib import Path

from plugins.hub_check.plugin import PROBLEMS_FILE
from plugins.hub_check.report import matches

LIVE_SCRIPT = Path(__file__).with_name("live-reload.js")
PAGE_LANG = re.compile(rb'<html lang="([^"]+)"')


def preview_problems(directory):
    """What a preview build wrote for the server (PROBLEMS_FILE), or None (a publish build writes none)."""
    try:
        return json.loads((Path(directory) / PROBLEMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def with_notice(body, problems):
    """The page with the preview's problem notice (in the page's language) at the top of its main content."""
    notices = (problems or {}).get("notices") or {}
    if not notices:
        return body
    lang = PAGE_LANG.search(body)
    notice = notices.get(lang.group(1).decode() if lang else "") or next(iter(notices.values()))
    return body.replace(b"<main", notice.encode() + b"\n<main", 1)


def output_path(url_path):
    """The output file a URL path names: /fr/2021/x/ -> fr/2021/x/index.html (None: outside the site)."""
    path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0])
    normal = posixpath.normpath(path)
    if normal.startswith("..") or "\0" in normal:
        return None
    normal = normal.lstrip("/")
    if normal in ("", "."):
        return "index.html"
    return normal + "/index.html" if path.endswith("/") else normal


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    live_token = None  # a callable in live preview: the current build's token
    built_for = None  # the SITEURL the pages were built with, when they are served at another address
    live_site = None  # the live preview's hubsite.live.LiveSite: pages rendered from memory

    def do_GET(self):
        if self.live_token is not None:
            if self.path == "/__live/token":
                return self._send(200, "text/plain; charset=utf-8", self.live_token().encode())
            if self.path == "/__live/reload.js":
                return self._send(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.read_bytes())
        if self.live_site is not None and self._send_live():
            return
        page = self._html_file()
        if page is not None:
            return self._send(200, "text/html; charset=utf-8", self._served(page.read_bytes()))
        return super().do_GET()

    def _send_live(self):
        """Send the page the live site has for this URL (or a 404 for one it no longer has); False:
        the file is on disk only (static files)."""
        wanted = output_path(self.path)
        if wanted is None:
            return False
        data = self.live_site.output_bytes(wanted)
        if data is None and not wanted.endswith("index.html") and \
                self.live_site.output_bytes(wanted + "/index.html") is not None:
            self.send_response(301)
            self.send_header("Location", self.path.split("?", 1)[0] + "/")
            self.end_headers()
            return True
        if data is None:
            if self.live_site.gone(wanted):
                self.send_error(404)
                return True
            return False
        if wanted.endswith(".html"):
            self._send(200, "text/html; charset=utf-8", self._served(data))
            return True
        content_type = mimetypes.guess_type(wanted)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type.endswith(("xml", "json", "javascript")):
            content_type += "; charset=utf-8"
        self._send(200, content_type, data)
        return True

    def _problems(self):
        if self.live_site is not None:
            data = self.live_site.output_bytes(PROBLEMS_FILE)
            return json.loads(data) if data else None
        return preview_problems(self.directory)

    def _page_bytes(self, relative):
        """An output's bytes: from the live site, else from disk; None if neither has it."""
        if self.live_site is not None:
            data = self.live_site.output_bytes(relative)
            if data is not None or self.live_site.gone(relative):
                return data
        path = Path(self.directory) / relative
        return path.read_bytes() if path.is_file() else None

    def _served(self, body):
        """An HTML page as the preview shows it: with the problems notice, and the live reload script."""
        body = with_notice(body, self._problems())
        if self.built_for:  # `invoke serve --port 8001` of a site built for port 8000: links must work
            host, port = self.server.server_address[:2]
            body = body.replace(self.built_for.encode(), f"http://{host}:{port}".encode())
        if self.live_token is not None:
            body = body.replace(b"</head>", b'<script src="/__live/reload.js" defer></script></head>', 1)
        return body

    def _html_file(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def _send(self, code, content_type, body):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
    def send_error(self, code, message=None, explain=None):
        if code == 404:
            first = self.path.lstrip("/").split("/", 1)[0]
            candidates = [f"{first}/404.html", "404.html"]
            # The address of a file the preview left out: say why, in the file's language.
            problems = self._problems() or {}
            wanted = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
            candidates[:0] = [item["page"] for item in problems.get("left_out", ())
                              if any(matches(wanted, pattern) for pattern in item["paths"])]
            for page in candidates:
                data = self._page_bytes(page)
                if data is not None:
                    body = self._served(data)
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                    return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # quieter than the default: one short line a request
        print(f"  {self.command} {self.path} -> {args[1] if len(args) > 1 else ''}")


class PortInUseError(OSError):
    """The port is taken (another preview, another program); the message says which port to try."""


def port_is_free(host, port):
    """Can a server listen on `port` now? (Asked as the server binds: with SO_REUSEADDR.)"""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def next_free_port(host, port, tries=100):
    """The first port after `port` that is free, or None."""
    return next((candidate for candidate in range(port + 1, min(port + 1 + tries, 65536))
                 if port_is_free(host, candidate)), None)


def make_server(directory, host="127.0.0.1", port=8000, live_token=None, built_for=None, live_site=None):
    """A server of `directory` on host:port (not yet serving); PortInUseError if the port is taken.

    `built_for`: the SITEURL the site was built with; its pages' links are rewritten to this
    server's address when it differs. `live_site`: a hubsite.live.LiveSite whose pages are served
    from memory (the files of `directory` for the rest)."""
    handler_class = SiteHandler
    if built_for == f"http://{host}:{port}":
        built_for = None
    if live_token is not None or built_for or live_site is not None:
        handler_class = type("PreviewSiteHandler", (SiteHandler,), {
            "live_token": staticmethod(live_token) if live_token else None, "built_for": built_for,
            "live_site": live_site})
    return bind(http.server.ThreadingHTTPServer, host, port, functools.partial(handler_class, directory=str(directory)))


def bind(server_class, host, port, handler, port_option=lambda free: free):
    """server_class listening on host:port (not yet serving), or PortInUseError naming a free port
    to try: `port_option(free)` is the --port that gives it (`invoke edit` serves on --port + 1)."""
    server_class.allow_reuse_address = True
    try:
        return server_class((host, port), handler)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        free = next_free_port(host, port)
        hint = f"try --port {port_option(free)}" if free else "stop the program that uses it or try another --port"
        raise PortInUseError(error.errno, f"port {port} is in use; {hint}") from None


def serve(directory, host="127.0.0.1", port=8000, built_for=None):
    """Serve until Ctrl+C; PortInUseError if the port is taken."""
    server = make_server(directory, host, port, built_for=built_for)
    print(f"Serving {directory} on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
