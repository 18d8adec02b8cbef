"""Same content, same bytes: two builds on different days, from different checkout paths."""

import shutil

from conftest import ROOT, snapshot
from hubsite.build import build_site

PROJECT_PARTS = ("content", "theme", "plugins", "pelicanconf.py")


def checkout(target):
    """A copy of the project's inputs at another path, as a second clone would be."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
        else:
            shutil.copy(source, target / part)
    return target


def test_two_builds_on_different_days_and_paths_are_byte_identical(tmp_path):
    first = checkout(tmp_path / "one" / "hub")
    second = checkout(tmp_path / "elsewhere" / "other-name")
    # Two days on which no call opens or closes and no event starts: only the clock differs.
    build_site(first / "pelicanconf.py", output=first / "output", HUB_NOW="2026-11-23T08:00:00+00:00")
    build_site(second / "pelicanconf.py", output=second / "output", HUB_NOW="2026-11-27T18:30:00+00:00")
    one, other = snapshot(first / "output"), snapshot(second / "output")
    assert sorted(one) == sorted(other)
    different = [name for name in one if one[name] != other[name]]
    assert different == []
    assert len(one) > 250
