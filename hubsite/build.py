"""Build the site in one Pelican pass into a fresh directory, and swap it in only on success."""

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "plugins"))


class BuildError(RuntimeError):
    """The build stopped; `problems` holds one line per fault, ready for an editor to read."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _ErrorCollector(logging.Handler):
    """Pelican logs some faults (an unreadable file, a broken link) and carries on: count them."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def load_settings(settings_file, overrides=None):
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))


def build_site(settings_file=PROJECT_ROOT / "pelicanconf.py", output=None, **overrides):
    """Build the site; return the output Path. Raise BuildError and leave the old output untouched."""
    from pelican import Pelican

    from hub_check.plugin import ContentCheckError
    from hub_feeds.feed import FeedDataError
    from hub_feeds.plugin import FeedSettingsError
    from hub_i18n.catalogs import CatalogError
    from hub_i18n.grouping import ContentError
    from hub_i18n.settings import SettingsError
    from hub_i18n.taxonomy import TaxonomyError

    if output is not None:
        overrides["OUTPUT_PATH"] = str(output)
    settings = load_settings(settings_file, overrides)
    final = Path(settings["OUTPUT_PATH"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    settings["OUTPUT_PATH"] = str(staging)

    collector = _ErrorCollector()
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    try:
        Pelican(settings).run()
        if collector.messages:
            raise BuildError(collector.messages)
    except (ContentCheckError, ContentError, SettingsError, TaxonomyError, CatalogError, FeedDataError, FeedSettingsError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(str(error).splitlines()) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        root_logger.removeHandler(collector)

    swap_in(staging, final)
    return final


def swap_in(staging, final):
    """Replace `final` by `staging` with two renames, so readers never see a half-written site."""
    old = None
    if final.exists():
        old = final.parent / f".{final.name}.old-{os.getpid()}"
        os.rename(final, old)
    os.rename(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def clean(output):
    """Remove the output directory and leftovers of interrupted builds beside it, nothing else."""
    output = Path(output).resolve()
    removed = []
    if output.is_dir():
        shutil.rmtree(output)
        removed.append(output)
    for leftover in output.parent.glob(f".{output.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    for leftover in output.parent.glob(f".{output.name}.old-*"):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover)
    return removed
