"""Publish a built site: rsync (SSH or a local directory), an S3-compatible bucket, GitHub Pages.

Each target has a settings object (`RsyncTarget`, `S3Target`, `GhPagesTarget`, each with
`from_settings(settings, environ)`) and a function (`publish_rsync`, `publish_s3`,
`publish_ghpages`) that returns a `PublishPlan`: what was (or, with `dry_run=True`, would be)
uploaded, deleted and left alone. A dry run never changes the destination; it only reads it.

Publish what `hubsite.assets.finalize_output` finished: fingerprinted theme assets are the only
files served with a cache lifetime of a year. Every function refuses a directory that has no
`index.html` at its root, so that a wrong path never empties a web site.

- rsync sends everything, precompressed `.gz`/`.br` variants included (for nginx `gzip_static`,
  `brotli_static` and the like). The S3 and GitHub Pages targets leave those variants out: S3
  serves the plain files (no Content-Encoding games), GitHub Pages compresses by itself.
- Settings come from a mapping (the Pelican settings of publishconf.py, say) and the environment,
  the environment winning. Credentials only ever come from the environment (or boto3's own chain:
  `AWS_PROFILE`, instance roles, ...), never from a settings file.
"""

import base64
import fnmatch
import hashlib
import mimetypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from hubsite.assets import ASSET_DIR, fingerprint_of, is_precompressed_variant, site_files

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class PublishError(RuntimeError):
    """Publishing stopped; the message says what failed and what was (not) changed."""


@dataclass
class PublishPlan:
    """What a publish did or, for a dry run, would do. Paths are relative to the output (posix)."""

    target: str
    dry_run: bool = False
    uploaded: list = field(default_factory=list)  # new or changed files (sent / to send)
    new: list = field(default_factory=list)  # the part of `uploaded` that was not there before
    deleted: list = field(default_factory=list)  # removed from the destination (dirs end with "/")
    unchanged: list = field(default_factory=list)  # already there with the same content
    command: list = None  # the command run (rsync), for the record
    commit: str = None  # the gh-pages commit made (GitHub Pages)

    @property
    def changed(self):
        return bool(self.uploaded or self.deleted)

    def lines(self):
        verb = "would " if self.dry_run else ""
        out, new = [], set(self.new)
        for path in self.uploaded:
            out.append(f"{verb}{'add' if path in new else 'update'} {path}")
        for path in self.deleted:
            out.append(f"{verb}delete {path}")
        if self.commit:
            out.append(f"commit {self.commit}")
        if self.dry_run:
            out.append(f"{self.target} (dry run): {len(self.uploaded)} to upload ({len(self.new)} new), "
                       f"{len(self.deleted)} to delete, {len(self.unchanged)} unchanged")
        else:
            out.append(f"{self.target}: {len(self.uploaded)} uploaded ({len(self.new)} new), "
                       f"{len(self.deleted)} deleted, {len(self.unchanged)} unchanged")
        return out

    def __str__(self):
        return "\n".join(self.lines())


def _check_output(output_dir):
    output_dir = Path(output_dir).resolve()
    if not (output_dir / "index.html").is_file():
        raise PublishError(f"{output_dir} has no index.html: build the site first (nothing was published)")
    return output_dir


def _setting(name, settings, environ, default=None):
    """The environment wins over the settings mapping; empty strings count as unset."""
    for source in (environ, settings):
        if source is not None and source.get(name) not in (None, ""):
            return source.get(name)
    return default


def _split_list(value):
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(value)


def publishable_files(output_dir, precompressed=True):
    """The files of an output directory to publish (sorted), with or without .gz/.br variants."""
    files = site_files(output_dir)
    if precompressed:
        return files
    every = set(files)
    return [path for path in files if not is_precompressed_variant(path, every)]


# --- rsync --------------------------------------------------------------------------------------

RSYNC_BASE = ["rsync", "-avz", "--checksum", "--delete"]


@dataclass
class RsyncTarget:
    """Where rsync sends the site: `path` on `host` over SSH, or a local directory when no host.

    - `chmod` (default `D755,F644`): modes on the server. The build's directory is made by
      mkdtemp (mode 0700), and `-a` would carry that to the web root, which the web server could
      then not read.
    - `preserve_times` (default False: `--no-times`): with `--checksum` a file whose content did
      not change is left alone, mtime included, so its Last-Modified and ETag (nginx derives it
      from mtime and size) stay the same from one publish to the next and caches keep it.
    - `exclude`: rsync patterns never sent nor deleted on the server (e.g. `.well-known/`).
    """

    path: str
    host: str = None
    user: str = None
    port: int = None
    ssh: str = "ssh"
    chmod: str = "D755,F644"
    preserve_times: bool = False
    exclude: tuple = ()

    @classmethod
    def from_settings(cls, settings=None, environ=None):
        """From HUB_RSYNC_PATH (required), HUB_RSYNC_HOST, _USER, _PORT, _SSH, _EXCLUDE (comma list)."""
        environ = os.environ if environ is None else environ
        path = _setting("HUB_RSYNC_PATH", settings, environ)
        if not path:
            raise PublishError("rsync: set HUB_RSYNC_PATH (and HUB_RSYNC_HOST for a server; without a host the "
                               "path is a local directory)")
        port = _setting("HUB_RSYNC_PORT", settings, environ)
        return cls(
            path=str(path),
            host=_setting("HUB_RSYNC_HOST", settings, environ),
            user=_setting("HUB_RSYNC_USER", settings, environ),
            port=int(port) if port else None,
            ssh=_setting("HUB_RSYNC_SSH", settings, environ, "ssh"),
            exclude=_split_list(_setting("HUB_RSYNC_EXCLUDE", settings, environ)),
        )

    @property
    def remote(self):
        return bool(self.host)

    @property
    def destination(self):
        """`user@host:path/` or an absolute local `path/` (the trailing slash: the folder's content)."""
        if self.remote:
            login = f"{self.user}@{self.host}" if self.user else self.host
            return f"{login}:{self.path.rstrip('/')}/"
        return f"{os.path.abspath(self.path).rstrip('/')}/"

    def describe(self):
        return f"rsync to {self.destination}"


def rsync_command(output_dir, target, dry_run=False):
    """The rsync command line (a list) that publishes output_dir to the target.

    `rsync -avz --checksum --delete` plus: `--delete-after --delay-updates` (new files are in
    place before old ones go, and updated files appear together at the end), `--itemize-changes`
    and `-8` (one parsable line per change, also for real runs, so the plan is exact), the
    `chmod`/`--no-times`/`--exclude` of the target, `-e "ssh -p PORT"` for a server, and
    `--dry-run` for a dry run.
    """
    command = list(RSYNC_BASE) + ["--delete-after", "--delay-updates", "--itemize-changes", "-8"]
    if not target.preserve_times:
        command.append("--no-times")
    if target.chmod:
        command.append(f"--chmod={target.chmod}")
    command += [f"--exclude={pattern}" for pattern in target.exclude]
    if target.remote:
        command += ["-e", f"{target.ssh} -p {int(target.port)}" if target.port else target.ssh]
    if dry_run:
        command.append("--dry-run")
    command += [f"{Path(output_dir).resolve()}/", target.destination]
    return command


_RSYNC_ESCAPE = re.compile(rb"\\#([0-7]{3})")
_ITEMIZED = re.compile(rb"^(?:\*deleting  |[<>ch.][fdLDS][^ ]{9}) ")


def parse_itemized(stdout):
    """rsync --itemize-changes output -> (uploaded, new, deleted, attribute-only) path lists."""
    uploaded, new, deleted, touched = [], [], [], []
    for raw in stdout.splitlines():
        if not _ITEMIZED.match(raw):
            continue
        flags = raw[:11].decode("ascii", "replace")
        path = _RSYNC_ESCAPE.sub(lambda m: bytes([int(m.group(1), 8)]), raw[12:])
        path = path.decode("utf-8", "surrogateescape")
        if flags.startswith("*deleting"):
            deleted.append(path)
        elif flags[1] == "d":
            continue  # directories: created as needed, not content
        elif flags[0] in "<>ch":
            target = path.split(" -> ", 1)[0] if flags[1] == "L" else path
            uploaded.append(target)
            if flags[2:].startswith("+++"):
                new.append(target)
        else:
            touched.append(path)
    return sorted(uploaded), sorted(new), sorted(deleted), sorted(touched)


def publish_rsync(output_dir, target, dry_run=False):
    """Publish with rsync (SSH or local directory); return a PublishPlan (its `command` included)."""
    output_dir = _check_output(output_dir)
    if shutil.which("rsync") is None:
        raise PublishError("rsync is not installed (Debian: apt-get install rsync)")
    if not target.remote and not dry_run:
        Path(target.path).resolve().parent.mkdir(parents=True, exist_ok=True)
    command = rsync_command(output_dir, target, dry_run)
    result = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise PublishError(f"rsync failed (exit {result.returncode}): "
                           f"{result.stderr.decode('utf-8', 'replace').strip()}\ncommand: {' '.join(command)}")
    uploaded, new, deleted, _ = parse_itemized(result.stdout)
    sent = set(uploaded)
    return PublishPlan(
        target=target.describe(), dry_run=dry_run, uploaded=uploaded, new=new, deleted=deleted,
        unchanged=[path for path in publishable_files(output_dir) if path not in sent], command=command,
    )


# --- S3-compatible bucket -----------------------------------------------------------------------

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_DEFAULT = "public, max-age=300"

# Explicit types for what the site holds; other suffixes go through Python's built-in table only
# (not /etc/mime.types, which differs from machine to machine).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    # Feeds as plain XML, like GitHub Pages and nginx serve them: with application/atom+xml or
    # rss+xml browsers download the feed instead of showing it through its feed.xsl.
    ".xml": "application/xml",
    ".xsl": "application/xml",
    ".opml": "text/x-opml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".zip": "application/zip",
}
_MIMETYPES = mimetypes.MimeTypes()  # built-in table only


def content_type(relpath):
    """The Content-Type an object of this name is served with."""
    suffix = os.path.splitext(str(relpath))[1].lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, encoding = _MIMETYPES.guess_type(str(relpath), strict=False)
    if encoding or not guessed:
        return "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def cache_control(relpath, sha256_hex, immutable=CACHE_IMMUTABLE, default=CACHE_DEFAULT, asset_dir=ASSET_DIR):
    """`immutable` for a theme asset whose name carries the hash of its bytes, `default` otherwise."""
    relpath = str(relpath)
    digest = fingerprint_of(relpath)
    fingerprinted = (digest is not None and relpath.startswith(asset_dir.strip("/") + "/")
                     and sha256_hex.startswith(digest))
    return immutable if fingerprinted else default


@dataclass
class S3Target:
    """An S3-compatible bucket (AWS, Cloudflare R2, MinIO, SeaweedFS, ...) a CDN serves from.

    The bucket (under `prefix`) must hold the site only: objects not in the site are deleted,
    except keys matching a `protect` pattern (fnmatch, relative to the prefix).
    """

    bucket: str
    endpoint_url: str = None
    region: str = None
    prefix: str = ""
    access_key_id: str = field(default=None, repr=False)
    secret_access_key: str = field(default=None, repr=False)
    session_token: str = field(default=None, repr=False)
    addressing_style: str = None  # "path" by default with an endpoint_url, else boto3's "auto"
    cache_immutable: str = CACHE_IMMUTABLE
    cache_default: str = CACHE_DEFAULT
    protect: tuple = ()
    workers: int = 8

    @classmethod
    def from_settings(cls, settings=None, environ=None):
        """From HUB_S3_BUCKET (required), HUB_S3_ENDPOINT, HUB_S3_REGION (or AWS_REGION,
        AWS_DEFAULT_REGION), HUB_S3_PREFIX, HUB_S3_ADDRESSING, HUB_S3_CACHE_DEFAULT,
        HUB_S3_PROTECT (comma list); credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN in the environment, or boto3's usual chain when those are unset."""
        environ = os.environ if environ is None else environ
        bucket = _setting("HUB_S3_BUCKET", settings, environ)
        if not bucket:
            raise PublishError("S3: set HUB_S3_BUCKET (and HUB_S3_ENDPOINT for a provider other than AWS, "
                               "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment)")
        region = (_setting("HUB_S3_REGION", settings, environ) or environ.get("AWS_REGION")
                  or environ.get("AWS_DEFAULT_REGION"))
        return cls(
            bucket=bucket,
            endpoint_url=_setting("HUB_S3_ENDPOINT", settings, environ),
            region=region or None,
            prefix=_setting("HUB_S3_PREFIX", settings, environ, ""),
            access_key_id=environ.get("AWS_ACCESS_KEY_ID") or None,
            secret_access_key=environ.get("AWS_SECRET_ACCESS_KEY") or None,
            session_token=environ.get("AWS_SESSION_TOKEN") or None,
            addressing_style=_setting("HUB_S3_ADDRESSING", settings, environ),
            cache_default=_setting("HUB_S3_CACHE_DEFAULT", settings, environ, CACHE_DEFAULT),
            protect=_split_list(_setting("HUB_S3_PROTECT", settings, environ)),
        )

    @property
    def key_prefix(self):
        prefix = (self.prefix or "").strip("/")
        return f"{prefix}/" if prefix else ""

    def describe(self):
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.key_prefix}{where}"

    def client(self):
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise PublishError("boto3 is not installed (pip install -r requirements.txt)") from None
        style = self.addressing_style or ("path" if self.endpoint_url else "auto")
        config = Config(
            s3={"addressing_style": style},
            retries={"max_attempts": 5, "mode": "standard"},
            # Checksums only where S3 requires them: many S3-compatible servers reject the
            # CRC headers and aws-chunked bodies that boto3 sends by default since 1.36.
            # Uploads carry Content-MD5, which every S3 server checks.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            max_pool_connections=max(10, self.workers),
        )
        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region,
            aws_access_key_id=self.access_key_id, aws_secret_access_key=self.secret_access_key,
            aws_session_token=self.session_token, config=config,
        )


@dataclass
class _LocalObject:
    relpath: str
    path: Path
    md5_hex: str
    md5_b64: str
    sha256_hex: str
    content_type: str
    cache_control: str


def _hash_file(path):
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            md5.update(chunk)
            sha256.update(chunk)
    return md5, sha256


def _local_objects(output_dir, target):
    objects = {}
    for relpath in publishable_files(output_dir, precompressed=False):
        path = output_dir / relpath
        md5, sha256 = _hash_file(path)
        objects[relpath] = _LocalObject(
            relpath=relpath, path=path, md5_hex=md5.hexdigest(),
            md5_b64=base64.b64encode(md5.digest()).decode("ascii"), sha256_hex=sha256.hexdigest(),
            content_type=content_type(relpath),
            cache_control=cache_control(relpath, sha256.hexdigest(), target.cache_immutable, target.cache_default),
        )
    return objects


def _remote_objects(client, target):
    """{relpath: ETag without quotes} for every object under the target's prefix."""
    remote = {}
    prefix = target.key_prefix
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=target.bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            remote[item["Key"][len(prefix):]] = item.get("ETag", "").strip('"')
    return remote


_PLAIN_MD5 = re.compile(r"^[0-9a-f]{32}$")


def _same_content(client, target, local, etag):
    """ETag is the MD5 of a single-part upload; otherwise (multipart, SSE-KMS) our sha256 metadata."""
    if _PLAIN_MD5.match(etag.lower()):
        return etag.lower() == local.md5_hex
    head = client.head_object(Bucket=target.bucket, Key=target.key_prefix + local.relpath)
    return head.get("Metadata", {}).get("sha256") == local.sha256_hex


def _upload_phase(relpath):
    """Upload order: static files first, then stylesheets and scripts, then the documents naming them."""
    suffix = os.path.splitext(relpath)[1].lower()
    if suffix in (".html", ".htm", ".xml", ".xsl", ".opml", ".json", ".ics", ".txt", ".webmanifest"):
        return 2
    if suffix in (".css", ".js", ".mjs"):
        return 1
    return 0


def publish_s3(output_dir, target, dry_run=False, force=False, client=None, progress=None):
    """Sync the site to an S3-compatible bucket; return a PublishPlan.

    Uploads (plain files only: no .gz/.br variants, no Content-Encoding) every file that is new
    or whose content differs from the object (MD5 against the ETag; `force` uploads everything,
    e.g. after a change of cache policy), with Content-Type, Cache-Control (a year and
    `immutable` for fingerprinted assets, `target.cache_default` for the rest), Content-MD5 (the
    server refuses a body that changed on the way, or a file rewritten since the plan) and an
    `x-amz-meta-sha256`. Uploads run in parallel, static files first and pages last. Objects that
    are no longer in the site are deleted only after every upload succeeded; if any failed,
    PublishError is raised and nothing is deleted. A dry run only lists the bucket.
    `progress(action, relpath)`, if given, is called before each upload ("upload") and deletion
    ("delete"), from worker threads.
    """
    output_dir = _check_output(output_dir)
    client = client or target.client()
    local = _local_objects(output_dir, target)
    try:
        remote = _remote_objects(client, target)
    except Exception as error:
        raise PublishError(f"S3: cannot list {target.describe()}: {error}") from error

    uploads, new, unchanged = [], [], []
    for relpath, item in local.items():
        if relpath not in remote:
            uploads.append(relpath)
            new.append(relpath)
        elif force or not _same_content(client, target, item, remote[relpath]):
            uploads.append(relpath)
        else:
            unchanged.append(relpath)
    deletions = sorted(relpath for relpath in remote if relpath not in local
                       and not any(fnmatch.fnmatchcase(relpath, pattern) for pattern in target.protect))
    plan = PublishPlan(target=target.describe(), dry_run=dry_run, uploaded=sorted(uploads), new=sorted(new),
                       deleted=deletions, unchanged=sorted(unchanged))
    if dry_run:
        return plan

    def upload(relpath):
        item = local[relpath]
        if progress:
            progress("upload", relpath)
        client.put_object(
            Bucket=target.bucket, Key=target.key_prefix + relpath, Body=item.path.read_bytes(),
            ContentType=item.content_type, CacheControl=item.cache_control, ContentMD5=item.md5_b64,
            Metadata={"sha256": item.sha256_hex},
        )

    failures = []
    for phase in (0, 1, 2):
        batch = [relpath for relpath in plan.uploaded if _upload_phase(relpath) == phase]
        if not batch:
            continue
        with ThreadPoolExecutor(max_workers=max(1, target.workers)) as pool:
            futures = {pool.submit(upload, relpath): relpath for relpath in batch}
            for future in as_completed(futures):
                try:
                    future.result()
                except Exception as error:  # collect them all, then stop before the next phase
                    failures.append(f"{futures[future]}: {error}")
        if failures:
            raise PublishError(f"S3: {len(failures)} upload(s) failed, nothing was deleted; publish again:\n  "
                               + "\n  ".join(sorted(failures)))

    for start in range(0, len(deletions), 1000):
        batch = deletions[start:start + 1000]
        for relpath in batch:
            if progress:
                progress("delete", relpath)
        response = client.delete_objects(Bucket=target.bucket, Delete={
            "Objects": [{"Key": target.key_prefix + relpath} for relpath in batch], "Quiet": True})
        errors = response.get("Errors") or []
        if errors:
            raise PublishError("S3: deletions failed (every upload succeeded):\n  " + "\n  ".join(
                f"{error.get('Key')}: {error.get('Code')} {error.get('Message')}" for error in errors))
    return plan


# --- GitHub Pages -------------------------------------------------------------------------------

EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
FALLBACK_COMMITTER = ("hubsite publish", "hubsite@localhost")


@dataclass
class GhPagesTarget:
    """The branch of a git repository that GitHub Pages serves (pushed to `remote` on request)."""

    repo: str = str(PROJECT_ROOT)
    branch: str = "gh-pages"
    remote: str = "origin"
    message: str = "Publish the site"
    cname: str = None
    committer_name: str = None  # default: GIT_COMMITTER_NAME, git config user.name, "hubsite publish"
    committer_email: str = None

    @classmethod
    def from_settings(cls, settings=None, environ=None):
        """From HUB_GHPAGES_REPO (default: this project), _BRANCH, _REMOTE, _MESSAGE, _CNAME."""
        environ = os.environ if environ is None else environ
        return cls(
            repo=str(_setting("HUB_GHPAGES_REPO", settings, environ, str(PROJECT_ROOT))),
            branch=_setting("HUB_GHPAGES_BRANCH", settings, environ, "gh-pages"),
            remote=_setting("HUB_GHPAGES_REMOTE", settings, environ, "origin"),
            message=_setting("HUB_GHPAGES_MESSAGE", settings, environ, "Publish the site"),
            cname=_setting("HUB_GHPAGES_CNAME", settings, environ),
        )

    def describe(self):
        return f"GitHub Pages: branch {self.branch} of {self.repo}"


def _git(repo, *args, check=True, env=None):
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, stdin=subprocess.DEVNULL, env=env)
    if check and result.returncode != 0:
        raise PublishError(f"git {' '.join(args)} failed in {repo}: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result


def _git_blob_sha(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _ref_exists(repo, ref):
    return _git(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False).returncode == 0


def _tree_entries(repo, ref):
    """{path: (mode, blob sha)} of every file in a commit's tree."""
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", ref).stdout
    entries = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, _kind, sha = meta.decode().split()
        entries[path.decode("utf-8", "surrogateescape")] = (mode, sha)
    return entries


def _wanted_entries(output_dir, files, cname):
    """{path: (mode, blob sha)} the gh-pages tree should hold, as ghp-import writes it."""
    wanted = {}
    for relpath in files:
        path = output_dir / relpath
        mode = "100755" if os.access(path, os.X_OK) else "100644"
        wanted[relpath] = (mode, _git_blob_sha(path.read_bytes()))
    wanted[".nojekyll"] = ("100644", EMPTY_BLOB)
    if cname is not None:
        wanted["CNAME"] = ("100644", _git_blob_sha(cname.encode()))  # ghp-import writes no newline
    return wanted


def _committer_env(target):
    env = dict(os.environ)
    name = target.committer_name or env.get("GIT_COMMITTER_NAME")
    email = target.committer_email or env.get("GIT_COMMITTER_EMAIL")
    if not name:
        name = _git(target.repo, "config", "user.name", check=False).stdout.decode().strip() or FALLBACK_COMMITTER[0]
    if not email:
        email = _git(target.repo, "config", "user.email", check=False).stdout.decode().strip() or FALLBACK_COMMITTER[1]
    env["GIT_COMMITTER_NAME"], env["GIT_COMMITTER_EMAIL"] = name, email
    return env


def _stage_copy(output_dir, files, into):
    """Hard links (or copies) of the files to publish, without the precompressed variants."""
    for relpath in files:
        source, copy = output_dir / relpath, Path(into) / relpath
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, copy)
        except OSError:
            shutil.copy2(source, copy)


def publish_ghpages(output_dir, target, dry_run=False, push=False):
    """Commit the site (plus .nojekyll, and CNAME if set) to the gh-pages branch with ghp-import.

    The plan compares the output with the branch's current tree (the remote-tracking branch when
    there is one, as ghp-import itself starts from it). Nothing to change: no commit is made. A dry
    run only reads the repository. `push=True` pushes the branch to `target.remote`.
    """
    output_dir = _check_output(output_dir)
    if shutil.which("git") is None:
        raise PublishError("git is not installed (Debian: apt-get install git)")
    try:
        import ghp_import  # noqa: F401  (run below as `python -m ghp_import`)
    except ImportError:
        raise PublishError("ghp-import is not installed (pip install ghp-import==2.1.0)") from None
    repo = str(Path(target.repo).resolve())
    if _git(repo, "rev-parse", "--git-dir", check=False).returncode != 0:
        raise PublishError(f"{repo} is not a git repository")

    files = publishable_files(output_dir, precompressed=False)
    wanted = _wanted_entries(output_dir, files, target.cname)
    base = None
    for ref in (f"refs/remotes/{target.remote}/{target.branch}", f"refs/heads/{target.branch}"):
        if _ref_exists(repo, ref):
            base = ref
            break
    current = _tree_entries(repo, base) if base else {}
    uploaded = sorted(path for path, entry in wanted.items() if current.get(path) != entry)
    plan = PublishPlan(
        target=target.describe(), dry_run=dry_run, uploaded=uploaded,
        new=sorted(path for path in uploaded if path not in current),
        deleted=sorted(path for path in current if path not in wanted),
        unchanged=sorted(path for path in wanted if path not in uploaded),
    )
    if dry_run:
        return plan

    branch_ref = f"refs/heads/{target.branch}"
    if plan.changed:
        with tempfile.TemporaryDirectory(prefix=".ghpages-", dir=output_dir.parent) as staging:
            _stage_copy(output_dir, files, staging)
            command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--message", target.message,
                       "--branch", target.branch, "--remote", target.remote]
            if target.cname is not None:
                command += ["--cname", target.cname]
            result = subprocess.run(command + [staging], cwd=repo, capture_output=True,
                                    stdin=subprocess.DEVNULL, env=_committer_env(target))
        if result.returncode != 0:
            raise PublishError(f"ghp-import failed (exit {result.returncode}): "
                               f"{result.stderr.decode('utf-8', 'replace').strip()}")
        # ghp-import reports a failed fast-import only on its output: check the branch itself.
        if not _ref_exists(repo, branch_ref) or _tree_entries(repo, branch_ref) != wanted:
            raise PublishError(f"ghp-import did not write the expected tree to {target.branch}: "
                               f"{result.stdout.decode('utf-8', 'replace').strip()}")
        plan.commit = _git(repo, "rev-parse", branch_ref).stdout.decode().strip()
    if push:
        if not _ref_exists(repo, branch_ref):
            raise PublishError(f"no local branch {target.branch} to push")
        _git(repo, "push", target.remote, f"{branch_ref}:{branch_ref}")
    return plan
