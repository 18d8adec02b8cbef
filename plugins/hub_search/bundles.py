"""Search bundles: Pagefind bundles per language, so that a search finds its language only.

A build indexes every bundle (one Pagefind process per language, two at a time: 45 bundles per
language and year cost 60% more CPU). The search page can merge several bundles in the browser
(Pagefind's mergeIndex: merged bundles share the first one's code and WebAssembly).

Also a script, run by the plugin so that Python keeps writing pages meanwhile: `python bundles.py`
reads on standard input {"site": output directory, "jobs": [{"bundle": directory, "files":
[page, ...], "primary": bool}]}; each job indexes its pages (paths relative to the site) into
its bundle.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

# What a merged (not primary) bundle needs: the search code and WebAssembly come from the primary.
MERGED_BUNDLE_FILES = ("pagefind-entry.json", "index", "fragment", "filter")


def saved_as(item):
    """Where the item's page is written: hub_i18n notes it once (Pelican formats it on each access)."""
    return getattr(item, "hub_save_as", None) or item.save_as


def plan_bundles(items, bundles_dir, pages_per_bundle=None):
    """{lang: [(bundle directory, [page path, ...]), ...]} with the primary bundle first.

    One bundle per language, or, past `pages_per_bundle` pages, as few bundles of equal size as
    hold them (pagefind/fr, then pagefind/fr-2, ...), which the search page merges: Pagefind keeps
    a whole bundle in memory while it indexes it, about 0.15 MB per page."""
    by_lang, seen = {}, set()
    for item in items:
        save_as = saved_as(item)
        if save_as in seen:  # an item that overrides another's page (Save_As): one page
            continue
        seen.add(save_as)
        by_lang.setdefault(item.lang, []).append(save_as)
    plan = {}
    for lang, pages in sorted(by_lang.items()):
        pages.sort()
        count = math.ceil(len(pages) / pages_per_bundle) if pages_per_bundle else 1
        plan[lang] = [(f"{bundles_dir}/{lang}" + (f"-{part + 1}" if part else ""),
                       pages[part * len(pages) // count:(part + 1) * len(pages) // count]) for part in range(count)]
    return plan


def sort_entry_file(path):
    """Pagefind writes its languages in hash-map order: sort them so builds give the same bytes."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_bundle(executable, site, job):
    """Index the job's pages alone: they are linked into a scratch site, so Pagefind reads nothing else
    and gives the URLs it would give on the whole site."""
    bundle = os.path.join(site, job["bundle"])
    with tempfile.TemporaryDirectory(prefix="hub-search-") as scratch:
        for relative in job["files"]:
            target = os.path.join(scratch, relative)
            source = os.path.join(site, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        done = subprocess.run([executable, "--site", scratch, "--output-path", bundle, "--silent"],
                              capture_output=True, text=True)
    if done.returncode != 0:
        return f"{job['bundle']}: Pagefind failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
    sort_entry_file(os.path.join(bundle, "pagefind-entry.json"))
    if not job["primary"]:
        for name in os.listdir(bundle):
            if name not in MERGED_BUNDLE_FILES and not name.endswith(".pf_meta"):
                path = os.path.join(bundle, name)
                shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
    return None


def main():
    from pagefind_bin import get_executable

    plan = json.load(sys.stdin)
    executable = str(get_executable())
    # Two Pagefind processes at a time: each is mostly one thread, and a build runs beside them.
    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        failures = [error for error in pool.map(lambda job: write_bundle(executable, plan["site"], job), plan["jobs"])
                    if error]
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
