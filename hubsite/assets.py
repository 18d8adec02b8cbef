"""Finish a built output directory for publishing: fingerprint the theme's assets, precompress text.

Run `finalize_output(output_dir, siteurl)` on a successful build, before it is published (and,
when the build pipeline calls it, before the staging directory is swapped in). Every function here
works on the files of one directory and nothing else, and gives the same bytes for the same input:
files are visited in sorted order, gzip headers carry no time and no file name.

Fingerprinting
    Every asset under `theme/` (css, js, svg, png, ico, woff2) gets a copy named with the first
    10 hex digits of the sha256 of its bytes: `theme/css/hub.css` -> `theme/css/hub.3f2a9c1b0d.css`.
    References to an asset in HTML, XML (the feeds) and XSL files are rewritten to the hashed
    name when they are absolute URLs of the site (`https://site/theme/css/hub.css`,
    `//site/theme/...`) or root-relative (`/theme/...`, or
    `/prefix/theme/...` for a SITEURL with a path); a query or fragment is kept. References in CSS
    (`url(...)`, `@import`) to other assets are rewritten too, relative ones included, before the
    stylesheet itself is hashed, so a hashed stylesheet only ever names hashed files.
    Relative references in HTML (Pelican's RELATIVE_URLS, not used by this site) are left alone:
    they still work, since the original stays.

    The unhashed original stays beside its hashed copy, with identical bytes (a stylesheet's
    original is rewritten like its copy). It serves what cannot follow a renamed file: pages and
    feeds cached before the publish, feed readers and other sites that link the plain name. Only
    hashed names may be cached forever (`is_fingerprinted`); the plain names must keep a short
    cache lifetime, since their content changes under the same name.

    Running it again on a finished directory changes nothing: a file whose name already carries
    the hash of its own bytes is not hashed again.

Precompression
    Every text file (html, css, js, xml, xsl, svg, txt, json, opml, ics) gets `NAME.gz` (gzip,
    level 9, mtime 0, no file name) and, when the `brotli` package is importable, `NAME.br`
    (quality 11), for web servers that serve precompressed variants (nginx `gzip_static` /
    `brotli_static`, Caddy `precompressed`). The gzip bytes depend on the zlib the Python links
    against: the same machine image gives the same bytes.
"""

import gzip
import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from plugins.hub_engine.outputs import write_if_changed

try:
    import brotli as _brotli
except ImportError:  # optional: without it only .gz variants are written
    _brotli = None

HASH_LENGTH = 10
ASSET_DIR = "theme"
FINGERPRINT_SUFFIXES = (".css", ".js", ".svg", ".png", ".ico", ".woff2")
REWRITE_SUFFIXES = (".html", ".htm", ".xml", ".xsl", ".xslt")
COMPRESS_SUFFIXES = (".html", ".css", ".js", ".xml", ".xsl", ".svg", ".txt", ".json", ".opml", ".ics")
VARIANT_SUFFIXES = (".gz", ".br")

_HASHED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{%d})(?P<suffix>\.[^./]+)$" % HASH_LENGTH)
# A URL path as it appears in markup: stops at quotes, brackets, whitespace, query, fragment, entity.
_PATH_CHARS = r"[^\s\"'<>()\[\]{}?#,&\\]"
_CSS_REF = re.compile(
    r"""url\(\s*(?P<q1>["']?)(?P<url1>[^"')\s]+)(?P=q1)\s*\)"""
    r"""|@import\s+(?P<q2>["'])(?P<url2>[^"']+)(?P=q2)""",
    re.IGNORECASE,
)


@dataclass
class FinalizeSummary:
    """What `finalize_output` did; every list is sorted, paths are relative to the output (posix)."""

    fingerprinted: dict = field(default_factory=dict)  # original path -> hashed path
    rewritten: list = field(default_factory=list)  # files whose references were rewritten
    compressed: list = field(default_factory=list)  # text files that have precompressed variants
    variants: list = field(default_factory=list)  # the .gz / .br files written or checked
    brotli: bool = False

    def lines(self):
        out = [f"fingerprinted {original} -> {hashed}" for original, hashed in self.fingerprinted.items()]
        out.append(f"{len(self.fingerprinted)} asset(s) fingerprinted, {len(self.rewritten)} file(s) "
                   f"rewritten, {len(self.compressed)} file(s) precompressed "
                   f"({'gzip and brotli' if self.brotli else 'gzip only: brotli is not installed'})")
        return out

    def __str__(self):
        return "\n".join(self.lines())


# --- small helpers -----------------------------------------------------------------------------


def content_hash(data):
    """The fingerprint of some bytes: the first HASH_LENGTH hex digits of their sha256."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(name, digest):
    """`hub.css` -> `hub.<digest>.css` (the hash goes before the last suffix)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return f"{name}.{digest}"
    return f"{stem}.{digest}.{suffix}"


def fingerprint_of(relpath):
    """The hash a file name carries (`theme/css/hub.3f2a9c1b0d.css` -> `3f2a9c1b0d`), or None."""
    match = _HASHED_NAME.match(posixpath.basename(str(relpath)))
    return match.group("hash") if match else None


def is_fingerprinted(relpath, data, asset_dir=ASSET_DIR):
    """True for a file under the asset folder whose name carries the hash of its own bytes.

    Only such a file may be cached forever (`immutable`): a new content always gets a new name.
    """
    relpath = str(relpath).replace("\\", "/")
    if not relpath.startswith(asset_dir.strip("/") + "/"):
        return False
    digest = fingerprint_of(relpath)
    return digest is not None and content_hash(data) == digest


def is_precompressed_variant(relpath, all_paths):
    """True for `X.gz` / `X.br` when `X` is a text file of the same tree (what precompress wrote).

    A `.gz` with no plain twin (a compressed download) is ordinary content.
    """
    relpath = str(relpath)
    for suffix in VARIANT_SUFFIXES:
        if relpath.endswith(suffix):
            plain = relpath[: -len(suffix)]
            return plain.lower().endswith(COMPRESS_SUFFIXES) and plain in all_paths
    return False


def site_files(output_dir):
    """Every file under output_dir as sorted posix relative paths (symlinks to files included)."""
    output_dir = Path(output_dir)
    return sorted(path.relative_to(output_dir).as_posix() for path in output_dir.rglob("*") if path.is_file())


def _replace_last_segment(url_path, digest):
    head, slash, last = url_path.rpartition("/")
    return f"{head}{slash}{hashed_name(last, digest)}"


# --- fingerprinting -----------------------------------------------------------------------------


def _site_prefixes(siteurl):
    """(netloc, path prefix) of SITEURL: `https://x.org/sub/` -> ("x.org", "/sub")."""
    parts = urlsplit(siteurl or "")
    return parts.netloc, parts.path.rstrip("/")


def _document_pattern(siteurl, asset_dir):
    netloc, base = _site_prefixes(siteurl)
    origin = rf"(?:(?:https?:)?//{re.escape(netloc)})?" if netloc else ""
    # Not preceded by a character that would make it part of another URL (another host, a path).
    return re.compile(
        rf"(?<![\w.:/%-])(?P<origin>{origin})(?P<path>{re.escape(base)}/{re.escape(asset_dir)}/{_PATH_CHARS}+)"
    )


def _asset_key_for_url(url, css_relpath, siteurl, asset_dir):
    """The output-relative path a reference found in a stylesheet points to, or None if elsewhere."""
    if url.startswith("data:"):
        return None
    netloc, base = _site_prefixes(siteurl)
    parts = urlsplit(url)
    if (parts.scheme or parts.netloc) and (parts.scheme not in ("", "http", "https") or parts.netloc != netloc):
        return None  # another site, or not a URL of a file
    path = unquote(parts.path)
    if path.startswith("/"):
        if base and not (path == base or path.startswith(base + "/")):
            return None
        relpath = path[len(base):].lstrip("/")
    else:
        relpath = posixpath.normpath(posixpath.join(posixpath.dirname(css_relpath), path))
    return relpath if relpath.startswith(asset_dir + "/") else None


def _rewrite_css(text, css_relpath, mapping, siteurl, asset_dir):
    """Point `url()` and `@import` references of a stylesheet at hashed names (mapping: path -> hash)."""

    def replace(match):
        url = match.group("url1") or match.group("url2")
        key = _asset_key_for_url(url, css_relpath, siteurl, asset_dir)
        if key is None or key not in mapping:
            return match.group(0)
        path, sep, rest = url.partition("?") if "?" in url else url.partition("#")
        new_url = _replace_last_segment(path, mapping[key]) + sep + rest
        return match.group(0).replace(url, new_url, 1)

    return _CSS_REF.sub(replace, text)


def _css_dependencies(text, css_relpath, css_paths, siteurl, asset_dir):
    deps = set()
    for match in _CSS_REF.finditer(text):
        key = _asset_key_for_url(match.group("url1") or match.group("url2"), css_relpath, siteurl, asset_dir)
        if key in css_paths and key != css_relpath:
            deps.add(key)
    return deps


def fingerprint_assets(output_dir, siteurl, asset_dir=ASSET_DIR):
    """Copy every asset under `asset_dir` to its hashed name; return {original: hashed} (sorted).

    Stylesheets are rewritten first (their references to other assets point to hashed names),
    in dependency order for `@import`; the original stylesheet gets the same bytes as its copy.
    """
    return _fingerprint(Path(output_dir), siteurl, asset_dir.strip("/"))[0]


def _fingerprint(output_dir, siteurl, asset_dir):
    """(mapping {original: hashed}, stylesheets rewritten in place)."""
    if not (output_dir / asset_dir).is_dir():
        return {}, []
    assets = []
    for relpath in site_files(output_dir):
        if not relpath.startswith(asset_dir + "/") or not relpath.lower().endswith(FINGERPRINT_SUFFIXES):
            continue
        if is_fingerprinted(relpath, (output_dir / relpath).read_bytes(), asset_dir):
            continue  # a copy made by an earlier run
        assets.append(relpath)

    digests = {}  # original path -> hash of its (final) bytes
    stylesheets = [path for path in assets if path.lower().endswith(".css")]
    for relpath in assets:
        if relpath not in stylesheets:
            digests[relpath] = content_hash((output_dir / relpath).read_bytes())

    # Stylesheets in dependency order: an @import-ed sheet is hashed before the sheet importing it.
    texts = {path: (output_dir / path).read_bytes().decode("utf-8", "surrogateescape") for path in stylesheets}
    pending = {path: _css_dependencies(texts[path], path, set(stylesheets), siteurl, asset_dir) for path in stylesheets}
    rewritten = []
    while pending:
        ready = sorted(path for path, deps in pending.items() if not deps - set(digests))
        if not ready:  # an @import cycle: go on in name order, leaving the cycle's references alone
            ready = sorted(pending)[:1]
        for path in ready:
            data = _rewrite_css(texts[path], path, digests, siteurl, asset_dir).encode("utf-8", "surrogateescape")
            if write_if_changed(output_dir / path, data):
                rewritten.append(path)
            digests[path] = content_hash(data)
            del pending[path]

    mapping = {}
    for relpath in sorted(digests):
        hashed = _replace_last_segment(relpath, digests[relpath])
        write_if_changed(output_dir / hashed, (output_dir / relpath).read_bytes())
        mapping[relpath] = hashed
    return mapping, sorted(rewritten)


def rewrite_references(output_dir, siteurl, mapping, asset_dir=ASSET_DIR, suffixes=REWRITE_SUFFIXES):
    """Rewrite references to fingerprinted assets in HTML/XML/XSL files; return the files changed."""
    output_dir = Path(output_dir)
    if not mapping:
        return []
    pattern = _document_pattern(siteurl, asset_dir.strip("/"))
    _, base = _site_prefixes(siteurl)
    hashed_targets = set(mapping.values())

    def replace(match):
        url_path = match.group("path")
        relpath = unquote(url_path[len(base):]).lstrip("/")
        if relpath not in mapping:
            return match.group(0)
        return match.group("origin") + _replace_last_segment(url_path, fingerprint_of(mapping[relpath]))

    changed = []
    for relpath in site_files(output_dir):
        if not relpath.lower().endswith(suffixes) or relpath in hashed_targets:
            continue
        path = output_dir / relpath
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        new_text = pattern.sub(replace, text)
        if new_text != text:
            write_if_changed(path, new_text.encode("utf-8", "surrogateescape"))
            changed.append(relpath)
    return changed


# --- precompression ----------------------------------------------------------------------------


def gzip_bytes(data):
    """gzip at level 9 with mtime 0 and no file name: the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_available():
    return _brotli is not None


def precompress(output_dir, use_brotli=None):
    """Write NAME.gz (and NAME.br with brotli) beside every text file; return (sources, variants)."""
    output_dir = Path(output_dir)
    if use_brotli is None:
        use_brotli = brotli_available()
    elif use_brotli and not brotli_available():
        raise RuntimeError("brotli precompression asked for, but the brotli package is not installed")
    sources, variants = [], []
    for relpath in site_files(output_dir):
        if not relpath.lower().endswith(COMPRESS_SUFFIXES):
            continue
        data = (output_dir / relpath).read_bytes()
        sources.append(relpath)
        write_if_changed(output_dir / f"{relpath}.gz", gzip_bytes(data))
        variants.append(f"{relpath}.gz")
        if use_brotli:
            write_if_changed(output_dir / f"{relpath}.br", _brotli.compress(data, mode=_brotli.MODE_TEXT, quality=11))
            variants.append(f"{relpath}.br")
    return sources, variants


# --- both ----------------------------------------------------------------------------------------


def finalize_output(output_dir, siteurl, asset_dir=ASSET_DIR, use_brotli=None):
    """Fingerprint the theme's assets, rewrite references to them, then precompress every text file.

    `siteurl` is the SITEURL the output was built with (absolute references to it are rewritten).
    `use_brotli`: None writes .br when the brotli package is importable, True requires it, False
    writes .gz only. Returns a FinalizeSummary. Idempotent; deterministic.
    """
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        raise FileNotFoundError(f"no output directory at {output_dir}")
    if use_brotli is None:
        use_brotli = brotli_available()
    mapping, stylesheets = _fingerprint(output_dir, siteurl, asset_dir.strip("/"))
    rewritten = rewrite_references(output_dir, siteurl, mapping, asset_dir)
    sources, variants = precompress(output_dir, use_brotli)
    return FinalizeSummary(
        fingerprinted=mapping,
        rewritten=sorted(set(rewritten) | set(stylesheets)),
        compressed=sources,
        variants=variants,
        brotli=bool(use_brotli),
    )
