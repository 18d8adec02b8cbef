"""Every use of Pelican's private names in the project, in one place, for one Pelican release.

Pelican keeps an item's HTML in `_content` and its summary in `_summary`, and memoizes
`get_content`/`get_summary` in caches on the class. We rewrite the HTML of items once read (French
typography, picture markup) and must clear those caches in a process that builds again. A Pelican
release may rename any of these without notice: `check_pelican_version` refuses to run under a
release these functions were not checked against, and tests/test_pelican_contract.py fails on a
release that changes them. To move to a new Pelican: run that test under it, fix this module,
then add the release to CHECKED_RELEASES.
"""

from importlib import metadata

from pelican.contents import Content

CHECKED_RELEASES = ("4.12",)  # major.minor


class PelicanVersionError(RuntimeError):
    pass


def check_pelican_version(version=None):
    version = version or metadata.version("pelican")
    if ".".join(version.split(".")[:2]) not in CHECKED_RELEASES:
        raise PelicanVersionError(
            f"The hub's plugins were checked against Pelican {', '.join(CHECKED_RELEASES)}, not {version}: "
            "install the version pinned in requirements.txt, or port plugins/hub_engine/pelican_private.py "
            "(tests/test_pelican_contract.py says what changed)")


def item_html(item):
    """The item's HTML as read, before Pelican resolves its {filename} links (`_content`); None
    for an item without text (a static file)."""
    return getattr(item, "_content", None)


def set_item_html(item, html):
    item._content = html


def set_item_summary(item, html):
    """The Summary header's HTML: Pelican keeps it in `_summary` and in the metadata."""
    item.metadata["summary"] = item._summary = html


def forget_memoized_content():
    """Pelican memoizes items' content and summary in caches on its Content class (`memoized`'s
    `cache`), keyed by the item: they would keep every build's items alive in a process that
    builds again (the live preview)."""
    for name in ("get_content", "get_summary"):
        cache = getattr(vars(Content).get(name), "cache", None)
        if cache is not None:
            cache.clear()
