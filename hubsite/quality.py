"""Page weight per page type, and Lighthouse runs: measurements for notes, never test assertions."""

import gzip
import json
import os
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from .serve import make_server

LIGHTHOUSE = "lighthouse@13.5.0"
PAGE_TYPES = {
    "chooser": "",
    "home": "fr/",
    "article": "fr/2021/participez-au-smart-cities-study-2021/",
    "page": "fr/a-propos/",
    "study": "fr/smart-cities-study/",
    "edition": "fr/smart-cities-study/2021/",
    "category": "fr/categorie/actualites/",
    "events": "fr/categorie/evenements/",
    "archives": "fr/archives/",
    "search": "fr/recherche/",
}


def local_file(output, siteurl, url):
    path = urlsplit(url).path if url.startswith(siteurl) or url.startswith("/") else None
    if path is None:
        return None
    path = path.lstrip("/")
    return Path(output) / (path + "index.html" if path == "" or path.endswith("/") else path)


def page_weight(output, siteurl, relative):
    """(raw bytes, gzip bytes, files) of a page and what the browser loads with it (no JS-loaded files)."""
    html_file = local_file(output, siteurl, f"{siteurl}/{relative}")
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    files = [html_file]
    for element in soup.find_all(["link", "script", "img"]):
        rel = element.get("rel", [])
        url = element.get("src") or (element.get("href") if element.name == "link" and {"stylesheet", "icon"} & set(rel) else None)
        target = local_file(output, siteurl, url) if url else None
        if target is not None and target.exists() and target not in files:
            files.append(target)
    raw = sum(path.stat().st_size for path in files)
    zipped = sum(len(gzip.compress(path.read_bytes(), 9, mtime=0)) for path in files)
    return raw, zipped, [str(path.relative_to(output)) for path in files]


def weight_report(output, siteurl):
    rows = []
    for kind, relative in PAGE_TYPES.items():
        raw, zipped, files = page_weight(output, siteurl, relative)
        rows.append((kind, relative or "/", raw, zipped, len(files)))
    return rows


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_lighthouse(output, urls_relative, port, chrome="/usr/bin/chromium"):
    """Serve `output` on loopback and run Lighthouse (npm) on each page; return {page: {category: score}}."""
    server = make_server(output, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scores = {}
    try:
        for relative in urls_relative:
            with tempfile.TemporaryDirectory() as tmp:
                report = Path(tmp) / "report.json"
                command = ["npx", "--yes", LIGHTHOUSE, f"http://127.0.0.1:{port}/{relative}", "--quiet",
                           "--output=json", f"--output-path={report}",
                           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"]
                subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
                data = json.loads(report.read_text())
                scores[relative] = {key: round(value["score"] * 100) for key, value in data["categories"].items()}
    finally:
        server.shutdown()
        server.server_close()
    return scores
