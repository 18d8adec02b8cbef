"""Tasks for the Digital Cities hub: `invoke --list` shows them. Each only calls hubsite/."""

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

CONFIG = {
    "settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "output": ROOT / "output",
    "host": "127.0.0.1",
    "port": 8000,
}


def _build(settings_file, output):
    from hubsite.build import BuildError, build_site

    try:
        path = build_site(settings_file, output=output)
    except BuildError as error:
        print("The build stopped; the previous site (if any) is unchanged:", file=sys.stderr)
        for line in error.problems:
            print(f"  {line}", file=sys.stderr)
        sys.exit(1)
    print(f"Built {path}")


@task
def build(c, output=None):
    """Build the preview site into output/ (all languages, one pass)."""
    _build(CONFIG["settings"], output or CONFIG["output"])


@task
def publish_build(c, output=None):
    """Build the public site with publishconf.py."""
    _build(CONFIG["publish_settings"], output or CONFIG["output"])


@task
def serve(c, port=CONFIG["port"]):
    """Serve output/ on http://127.0.0.1:8000 (build first)."""
    from hubsite.serve import serve as serve_site

    serve_site(CONFIG["output"], CONFIG["host"], int(port))


@task
def clean(c):
    """Remove output/ and leftovers of interrupted builds (nothing else)."""
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


@task
def test(c):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest", pty=False)
