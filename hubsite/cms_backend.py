"""The browser editor's local backend: Decap CMS's proxy protocol over the project's files.

Decap CMS talks to a local backend (its own is the npm package decap-server) with one POST
per action (`info`, `entriesByFolder`, `getEntry`, `persistEntry`, `getMedia`, `persistMedia`,
`deleteFile`...). This one does what decap-server does, with one difference that the hub needs:
Decap finds the language versions of an entry at the same file name in each language folder
(`content/articles/<lang>/<name>.md`), while the hub's versions have a file name in their own
language (`fr/participez-au-...md`, `es/participa-en-el-...md`) linked by their Translation_Key.
So the editor is shown each version at `<folder>/<lang>/<Translation_Key>.md`, and this backend
reads and writes the real file: the version with that key, or for a new version a file named
after its `Slug:` (as `invoke new` names files). Files are written exactly as the editor sends
them; no other file is touched.
"""

import base64
import hashlib
import re
from pathlib import Path

from plugins.hub_check.checks import parse_bytes
from plugins.hub_engine.outputs import write_if_changed
from plugins.hub_check.front_matter import FrontMatterError

MAPPED = ("content/articles", "content/pages")  # folders of language versions, from the project root
SLUG_LINE = re.compile(r"^(?:slug|Slug|SLUG)\s*:\s*['\"]?(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)['\"]?\s*$", re.MULTILINE)


class BackendError(ValueError):
    """A request the backend refuses (a path outside the project, a file that would be overwritten)."""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    def __init__(self, root):
        self.root = Path(root).resolve()

    # Paths -----------------------------------------------------------------------------------

    def real(self, relative):
        """The file a project-relative path names; BackendError outside the project."""
        path = (self.root / relative).resolve()
        if path != self.root and self.root not in path.parents:
            raise BackendError(f"{relative}: not a path of the project")
        return path

    def versions(self, folder):
        """{(lang, key): real path relative to the root} of the versions in a mapped folder."""
        found = {}
        base = self.real(folder)
        for path in sorted(base.glob("*/*.md")):
            key = self.key_of(path)
            found.setdefault((path.parent.name, key), path.relative_to(self.root).as_posix())
        return found

    def key_of(self, path):
        """A version's Translation_Key (else its Slug, else its file name), as the checks read it."""
        data = path.read_bytes()
        try:
            doc = parse_bytes(data, str(path), path.name)
            return doc.value("translation_key") or doc.value("slug") or path.stem
        except (UnicodeDecodeError, FrontMatterError):
            return path.stem

    def mapped(self, path):
        """(folder, lang, key) of a path the editor shows for a version, or None for other paths."""
        for folder in MAPPED:
            if path.startswith(folder + "/"):
                parts = path[len(folder) + 1:].split("/")
                if len(parts) == 2 and parts[1].endswith(".md"):
                    return folder, parts[0], parts[1][:-3]
        return None

    def resolve(self, path):
        """The real file (relative to the root) behind a path the editor uses."""
        where = self.mapped(path)
        if where is None:
            return path
        folder, lang, key = where
        return self.versions(folder).get((lang, key), path)

    # Actions ---------------------------------------------------------------------------------

    def handle(self, action, params):
        method = getattr(self, f"do_{action}", None)
        if method is None:
            raise BackendError(f"unknown action {action!r}")
        return method(**(params or {}))

    def do_info(self, **_):
        return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def do_entriesByFolder(self, folder, extension, depth, **_):
        folder = folder.rstrip("/")
        if folder in MAPPED:
            return [self.entry(f"{folder}/{lang}/{key}.{extension}", real)
                    for (lang, key), real in sorted(self.versions(folder).items())]
        base = self.real(folder)
        files = [path for path in base.rglob(f"*{extension}") if len(path.relative_to(base).parts) <= depth]
        return [self.entry(path.relative_to(self.root).as_posix()) for path in sorted(files)]

    def do_entriesByFiles(self, files, **_):
        return [self.entry(item["path"], label=item.get("label")) for item in files]

    def do_getEntry(self, path, **_):
        return self.entry(path)

    def entry(self, path, real=None, label=None):
        real = real or self.resolve(path)
        try:
            data = self.real(real).read_bytes()
        except OSError:
            return {"data": None, "file": {"path": path, "label": label, "id": None}}
        return {"data": data.decode("utf-8"), "file": {"path": path, "label": label, "id": sha256(data)}}

    def do_persistEntry(self, assets=(), entry=None, dataFiles=None, **_):
        for asset in assets:
            self.write(asset["path"], base64.b64decode(asset["content"]))
        for data_file in dataFiles or [entry]:
            target = self.target(data_file["path"], data_file["raw"])
            if not data_file["raw"].strip() and not self.real(target).exists():
                continue  # a language left blank (Decap sends it as one line break): no version there
            self.write(target, data_file["raw"].encode("utf-8"))
        return {"message": "entry persisted"}

    def target(self, path, raw):
        """Where a version the editor saves goes: its file if it has one, else `<lang>/<Slug>.md`."""
        where = self.mapped(path)
        if where is None:
            return path
        folder, lang, key = where
        existing = self.versions(folder).get((lang, key))
        if existing:
            return existing
        slug = SLUG_LINE.search(raw)
        name = f"{folder}/{lang}/{slug['slug'] if slug else key}.md"
        if self.real(name).exists():  # another item's file: never overwritten
            raise BackendError(f"{name} is already the file of another item; give this version another slug")
        return name

    def write(self, relative, data):
        # Unchanged: not even its modification time (the live preview would rebuild).
        write_if_changed(self.real(relative), data)

    def do_getMedia(self, mediaFolder, **_):
        base = self.real(mediaFolder)
        return [self.media(path.relative_to(self.root).as_posix())
                for path in sorted(base.iterdir()) if path.is_file()] if base.is_dir() else []

    def do_getMediaFile(self, path, **_):
        return self.media(path)

    def media(self, relative):
        data = self.real(relative).read_bytes()
        return {"id": sha256(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": relative, "name": Path(relative).name}

    def do_persistMedia(self, asset, **_):
        self.write(asset["path"], base64.b64decode(asset["content"]))
        return self.media(asset["path"])

    def do_deleteFile(self, path, **_):
        self.real(self.resolve(path)).unlink(missing_ok=True)
        return {"message": f"deleted file {path}"}

    def do_deleteFiles(self, paths, **_):
        for path in paths:
            self.do_deleteFile(path)
        return {"message": f"deleted files {', '.join(paths)}"}

    def do_getDeployPreview(self, **_):
        return None
