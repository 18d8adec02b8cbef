"""Serve the built site on localhost, with each language's 404 page for missing URLs."""

import functools
import http.server
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):
        if code == 404:
            first = self.path.lstrip("/").split("/", 1)[0]
            candidates = [Path(self.directory) / first / "404.html", Path(self.directory) / "404.html"]
            for page in candidates:
                if page.is_file():
                    body = page.read_bytes()
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


def make_server(directory, host="127.0.0.1", port=8000):
    handler = functools.partial(SiteHandler, directory=str(directory))
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(directory, host="127.0.0.1", port=8000):
    server = make_server(directory, host, port)
    print(f"Serving {directory} on http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
