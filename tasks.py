"""Tasks for the Digital Cities hub: `invoke --list` shows them. Each only calls hubsite/."""

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent

CONFIG = {
    "settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "output": ROOT / "output",
    "host": "127.0.0.1",
    "port": 8000,
}


def _build(settings_file, output):
    from hubsite.build import BuildError, build_site, log_failure

    try:
        path = build_site(settings_file, output=output)
    except BuildError as error:
        print("The build stopped; the previous site (if any) is unchanged:", file=sys.stderr)
        for line in error.problems:
            print(f"  {line}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # not the content's fault: one line here, the traceback in a file
        sys.exit(log_failure(output, error))
    print(f"Built {path}")


@task
def build(c, output=None):
    """Build the preview site into output/ (all languages, one pass)."""
    _build(CONFIG["settings"], output or CONFIG["output"])


@task
def publish_build(c, output=None):
    """Build the public site with publishconf.py."""
    _build(CONFIG["publish_settings"], output or CONFIG["output"])


@task(help={"target": "rsync, s3 or ghpages", "dry_run": "list what would change, change nothing",
            "push": "ghpages: also push the branch"})
def publish(c, target, dry_run=False, push=False):
    """Build with publishconf.py and publish: rsync over SSH, an S3-compatible bucket, or GitHub Pages."""
    from hubsite import publish as targets
    from hubsite.build import load_settings

    _build(CONFIG["publish_settings"], CONFIG["output"])
    settings = load_settings(CONFIG["publish_settings"])
    try:
        if target == "rsync":
            plan = targets.publish_rsync(CONFIG["output"], targets.RsyncTarget.from_settings(settings), dry_run=dry_run)
        elif target == "s3":
            plan = targets.publish_s3(CONFIG["output"], targets.S3Target.from_settings(settings), dry_run=dry_run)
        elif target == "ghpages":
            plan = targets.publish_ghpages(CONFIG["output"], targets.GhPagesTarget.from_settings(settings),
                                           dry_run=dry_run, push=push)
        else:
            sys.exit(f"Unknown target {target!r}: use rsync, s3 or ghpages")
    except targets.PublishError as error:
        sys.exit(f"Publishing stopped: {error}")
    print(plan)


@task
def serve(c, port=CONFIG["port"]):
    """Serve output/ on http://127.0.0.1:8000 (build first)."""
    from hubsite.build import load_settings
    from hubsite.serve import PortInUseError, serve as serve_site

    try:
        serve_site(CONFIG["output"], CONFIG["host"], int(port), built_for=load_settings(CONFIG["settings"])["SITEURL"])
    except PortInUseError as error:
        sys.exit(error.strerror)


@task
def livereload(c, port=CONFIG["port"]):
    """Preview live: rebuild on every change and reload the browser page."""
    from hubsite.live import live_preview
    from hubsite.serve import PortInUseError

    try:
        live_preview(CONFIG["settings"], CONFIG["output"], CONFIG["host"], int(port))
    except PortInUseError as error:
        sys.exit(error.strerror)


@task(help={"port": "the live preview's port; the editor is on the next one (default 8000 and 8001)"})
def edit(c, port=CONFIG["port"]):
    """Edit in the browser: the content manager at /admin/, its local backend and the live preview."""
    from hubsite.edit import edit as edit_in_browser
    from hubsite.serve import PortInUseError

    try:
        edit_in_browser(CONFIG["settings"], CONFIG["output"], CONFIG["host"], int(port))
    except PortInUseError as error:
        sys.exit(error.strerror)


def _require(task_name, **options):
    """Exit with the option to add when one is missing. Options, not positional arguments: with
    required positional arguments, invoke reads `--help` as their value and fails."""
    missing = [f"--{name}" for name, value in options.items() if value is None]
    if missing:
        sys.exit(f"Not written: give {' and '.join(missing)} (see 'invoke {task_name} --help')")


@task(positional=[], help={
    "title": "the article's title (required)", "lang": "the article's language, one of HUB_I18N_LANGUAGES in pelicanconf.py (required)",
    "category": "studies, publications, calls, events or news (required)",
    "tags": "comma-separated tags: ids or labels in the article's language (e.g. \"datos abiertos, movilidad\"); "
            "a tag not in content/taxonomy.toml is kept as a new tag of that language",
    "date": "YYYY-MM-DD HH:MM (default: now, on the site's clock: TIMEZONE in pelicanconf.py)"})
def new(c, title=None, lang=None, category=None, tags="", date=None):
    """Start an article: writes content/articles/<lang>/<slug>.md with every header."""
    from hubsite.editing import EditingError, new_article

    _require("new", title=title, lang=lang, category=category)
    notes = []
    try:
        path = new_article(title, lang, category, tags, date, notes=notes)
    except EditingError as error:
        sys.exit(f"Not written: {error}")
    print(f"Written {path.relative_to(ROOT)}: fill in the Summary and the text")
    for note in notes:
        print(f"Note: {note}")


@task(positional=[], help={"article": "path of the article to translate (required)",
                           "lang": "the language of the translation (required)"})
def translate(c, article=None, lang=None):
    """Start a translation of an article (linked by its Translation_Key, status draft)."""
    from hubsite.editing import EditingError, translate_article

    _require("translate", article=article, lang=lang)
    try:
        path = translate_article(article, lang)
    except EditingError as error:
        sys.exit(f"Not written: {error}")
    print(f"Written {path.relative_to(ROOT)}: translate what is marked [TO TRANSLATE] and the text, "
          "give it a slug in its language, then remove 'Status: draft'")


@task(help={"content": "content folder to check (default: content/)"})
def check(c, content=None):
    """Check all content: one line per problem (file:line: level: header: what and how to fix)."""
    from hubsite.editing import check as check_all

    problems = check_all(Path(content).resolve()) if content else check_all()
    for problem in problems:
        print(problem)
    errors = sum(1 for problem in problems if problem.level == "error")
    print(f"{errors} error(s), {len(problems) - errors} warning(s)")
    if errors:
        sys.exit(1)


@task
def status(c):
    """Translation status of every item and of the interface catalogs."""
    from hubsite.editing import status_report

    print(status_report())


@task
def clean(c):
    """Remove output/, its cache and leftovers of interrupted builds (nothing else)."""
    from hubsite.build import clean as clean_output

    for path in clean_output(CONFIG["output"]):
        print(f"Removed {path}")


@task
def catalogs(c):
    """Extract interface strings from the theme and update each language's catalog."""
    from hubsite.i18n import update_catalogs

    for path in update_catalogs():
        print(f"Updated {path.relative_to(ROOT)}")


@task
def compile_catalogs(c):
    """Compile the interface catalogs (the build also does this when they changed)."""
    from hubsite.i18n import compile_catalogs as compile_all

    for path in compile_all(force=True):
        print(f"Compiled {path.relative_to(ROOT)}")


@task(help={"quick": "smoke test: N=20, one run", "sizes": "articles per language, e.g. \"1000 10000\" (the default)",
            "runs": "paired runs, medians reported (default 3)", "json": "also write every figure to this file",
            "workdir": "corpora, sites, logs and the plain Pelican venv (default: $TMPDIR/hubsite-bench)",
            "profile": "instead: cProfile of our cold build of N articles per language",
            "no_live": "skip the live preview's edits"})
def bench(c, quick=False, sizes=None, runs=None, json=None, workdir=None, profile=0, no_live=False):
    """Time our build against plain Pelican + i18n-subsites on a synthetic corpus (benchmarks/run.py)."""
    from benchmarks.run import main as bench_main

    argv = ["--quick"] if quick else []
    if sizes:
        argv += ["--sizes", *sizes.replace(",", " ").split()]
    for name, value in (("--runs", runs), ("--json", json), ("--workdir", workdir), ("--profile", profile)):
        if value:
            argv += [name, str(value)]
    if no_live:
        argv.append("--no-live")
    sys.exit(bench_main(argv))


@task
def weight(c):
    """Print each page type's transfer size (HTML + CSS + JS + images), raw and gzipped."""
    from hubsite.build import load_settings
    from hubsite.quality import weight_report

    siteurl = load_settings(CONFIG["settings"])["SITEURL"]
    print(f"{'page type':10} {'path':48} {'bytes':>8} {'gzip':>8} files")
    for kind, path, raw, zipped, count in weight_report(CONFIG["output"], siteurl):
        print(f"{kind:10} {path:48} {raw:8d} {zipped:8d} {count}")


@task
def lighthouse(c):
    """Run Lighthouse (npm, Debian's Chromium) on the home page and an article of the built site."""
    import tempfile

    from hubsite.build import build_site
    from hubsite.quality import PAGE_TYPES, free_port, run_lighthouse

    port = free_port()
    output = Path(tempfile.mkdtemp(prefix="hub-lighthouse-")) / "output"
    # Built for the address it is served at, so every stylesheet and script loads.
    build_site(CONFIG["settings"], output=output, SITEURL=f"http://127.0.0.1:{port}")
    for page, scores in run_lighthouse(output, [PAGE_TYPES["home"], PAGE_TYPES["article"]], port=port).items():
        print(page, " ".join(f"{name}={score}" for name, score in scores.items()))


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=False)
