"""Editing in the browser: the content manager at /admin/, its local backend, and the live preview.

`invoke edit` runs `edit()`: the live preview (hubsite.live.live_preview, unchanged) on one port,
and on the next one the editor's server, which serves:

- /admin/: Decap CMS from node_modules (pinned in package-lock.json, installed by `npm ci`),
  its configuration made from the checks' headers (hubsite/cms.py) and the hub's script
  (hubsite/admin/hub-cms.js); nothing is fetched from another site;
- /api/v1: the local backend (hubsite/cms_backend.py), which reads and writes content/;
- /admin/problems.json: the content checks' problems of the files of the entry being edited,
  which the editor shows after each save, with links to the live preview of each version.

Both listen on 127.0.0.1 only: the local backend has no login. None of it is part of a build.
"""

import http.server
import json
import os
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from plugins.hub_check import headers as H
from plugins.hub_check.checks import item_url, read_documents

from .cms import cms_config, config_yaml
from .cms_backend import MAPPED, BackendError, LocalBackend

ADMIN = Path(__file__).with_name("admin")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DECAP_DIST = Path("node_modules/decap-cms/dist")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json",
         ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif", ".pdf": "application/pdf"}
LANGUAGES = ("fr", "es", "en")


def headers_script(default_lang="fr"):
    """hub-headers.js: the checks' headers, for the editor's format (names, widgets, file order)."""
    listed = [{"key": header.key, "name": header.name, "widget": header.widget} for header in H.HEADERS]
    return (f"window.HUB_HEADERS = {json.dumps(listed, ensure_ascii=False)};\n"
            f"window.HUB_DEFAULT_LOCALE = {json.dumps(default_lang)};\n")


class Editor:
    """What the editor's server knows: the project folder and where the live preview is."""

    def __init__(self, root=PROJECT_ROOT, languages=LANGUAGES, default_lang="fr", preview_url=None, backend=None):
        self.root = Path(root).resolve()
        self.languages, self.default_lang = tuple(languages), default_lang
        self.preview_url, self.hosted_backend = preview_url, backend
        self.backend = LocalBackend(self.root)
        self.lock = threading.Lock()
        self.checked = (None, [])  # (signature of content/, problems)

    def config(self, address):
        editions = sorted(self.edition_years())
        return cms_config(self.root / "content", self.languages, self.default_lang, backend=self.hosted_backend,
                          local_backend_url=f"{address}/api/v1", editions=editions)

    def edition_years(self):
        from plugins.hub_check.checks import edition_years

        return edition_years(self.root / "content" / "editions.toml") or set()

    def content_signature(self):
        content = self.root / "content"
        stats = []
        for folder, _, names in os.walk(content):
            for name in names:
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                stats.append((folder, name, stat.st_mtime_ns, stat.st_size))
        return hash(tuple(sorted(stats)))

    def problems(self):
        """Every problem `invoke check` finds, computed again only when a content file changed."""
        from .editing import check

        with self.lock:
            signature = self.content_signature()
            if self.checked[0] != signature:
                self.checked = (signature, check(self.root / "content"))
            return self.checked[1]

    def entry_report(self, collection, key):
        """The problems of the files of one entry (its language versions), and their preview URLs."""
        folder = f"content/{collection}"
        if folder not in MAPPED:
            return {"problems": [], "previews": []}
        versions = {lang: path for (lang, version_key), path in self.backend.versions(folder).items() if version_key == key}
        shown = set(versions.values())
        problems = [{"level": problem.level, "path": problem.path, "line": problem.line, "text": str(problem)}
                    for problem in self.problems() if problem.path in shown]
        previews = []
        if self.preview_url:
            documents, _ = read_documents(self.root / "content")
            for doc in documents:
                if doc.shown in shown:
                    lang = doc.value("lang") or doc.folder_lang
                    url = item_url(doc, lang, doc.value("slug") or doc.path.stem)
                    if url:
                        previews.append({"lang": lang, "url": self.preview_url.rstrip("/") + url})
        order = {lang: index for index, lang in enumerate(self.languages)}
        previews.sort(key=lambda preview: order.get(preview["lang"], 99))
        return {"problems": problems, "previews": previews}


class EditorHandler(http.server.BaseHTTPRequestHandler):
    editor = None  # an Editor, set by make_editor_server

    def do_GET(self):
        url = urlsplit(self.path)
        path = url.path
        if path in ("/", "/admin"):
            return self.redirect("/admin/")
        if path in ("/admin/", "/admin/index.html"):
            return self.send_file(ADMIN / "index.html")
        if path == "/admin/config.yml":
            host, port = self.server.server_address[:2]
            body = config_yaml(self.editor.config(f"http://{host}:{port}")).encode("utf-8")
            return self.send(200, "text/yaml; charset=utf-8", body)
        if path == "/admin/hub-headers.js":
            return self.send(200, TYPES[".js"], headers_script(self.editor.default_lang).encode("utf-8"))
        if path == "/admin/problems.json":
            query = parse_qs(url.query)
            report = self.editor.entry_report(query.get("collection", [""])[0], query.get("entry", [""])[0])
            return self.send(200, "application/json", json.dumps(report, ensure_ascii=False).encode("utf-8"))
        if path.startswith("/images/"):  # pictures the editor shows: from content/ (PUBLIC_FOLDER)
            return self.send_under(self.editor.root / "content" / "images", path[len("/images/"):])
        if path == "/favicon.ico":
            return self.send(204, "image/x-icon", b"")
        if path.startswith("/admin/site/"):
            return self.send_under(self.editor.root / "theme" / "static" / "css", path[len("/admin/site/"):])
        if path.startswith("/admin/"):
            name = path[len("/admin/"):]
            if (ADMIN / name).is_file() and "/" not in name:
                return self.send_file(ADMIN / name)
            if name.endswith((".js", ".js.map")) and "/" not in name:
                return self.send_under(self.editor.root / DECAP_DIST, name, missing=(
                    "Decap CMS is not installed: run `npm ci` in the project folder (see the README)"))
        return self.send(404, "text/plain; charset=utf-8", b"not found")

    def do_POST(self):
        if urlsplit(self.path).path != "/api/v1":
            return self.send(404, "text/plain; charset=utf-8", b"not found")
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
            result = self.editor.backend.handle(request.get("action"), request.get("params"))
        except BackendError as error:
            return self.send(422, "application/json", json.dumps({"error": str(error)}).encode("utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as error:
            return self.send(500, "application/json", json.dumps({"error": f"{type(error).__name__}: {error}"}).encode("utf-8"))
        return self.send(200, "application/json", json.dumps(result, ensure_ascii=False).encode("utf-8"))

    def send_under(self, folder, name, missing="not found"):
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents or not path.is_file():
            return self.send(404, "text/plain; charset=utf-8", missing.encode("utf-8"))
        return self.send_file(path)

    def send_file(self, path):
        return self.send(200, TYPES.get(path.suffix, "application/octet-stream"), path.read_bytes())

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, code, content_type, body):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        # The editor page loads nothing from other sites (its scripts, styles and fonts are local).
        self.send_header("Content-Security-Policy", "default-src 'self' blob: data:; script-src 'self' 'unsafe-inline' "
                                                    "'unsafe-eval'; style-src 'self' 'unsafe-inline'")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # the live preview prints its own lines; the editor's requests would drown them


class EditorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):  # a closed tab: nothing to say
            super().handle_error(request, client_address)


def make_editor_server(editor, host="127.0.0.1", port=8001):
    """The editor's server (not yet serving); PortInUseError if the port is taken."""
    from .serve import bind

    handler = type("Handler", (EditorHandler,), {"editor": editor})
    return bind(EditorServer, host, port, handler, port_option=lambda free: free - 1)


def edit(settings_file, output, host="127.0.0.1", port=8000):
    """The live preview on `port`, the editor on `port + 1`, until Ctrl+C."""
    from .build import load_settings
    from .live import live_preview
    from .serve import make_server

    settings = load_settings(settings_file)
    preview_url = f"http://{host}:{port}"
    editor = Editor(Path(settings_file).resolve().parent, settings.get("HUB_I18N_LANGUAGES", LANGUAGES),
                    settings.get("DEFAULT_LANG", "fr"), preview_url=preview_url, backend=settings.get("HUB_CMS_BACKEND"))
    make_server(output, host, port).server_close()  # both ports free, or say so before anything starts
    server = make_editor_server(editor, host, port + 1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Open http://{host}:{port + 1}/admin/ to edit (the live preview is at {preview_url}/; Ctrl+C to stop)")
    try:
        live_preview(settings_file, output, host, port)
    finally:
        server.shutdown()
        server.server_close()
