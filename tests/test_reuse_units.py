"""hub_reuse's keys and hub_search's bundle plan: pure functions, without a build."""

import datetime
import io
import os
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from plugins.hub_reuse.keys import Describer, Unkeyable, describe, linked_files, page_key
from plugins.hub_reuse.linker import Linker, LinkError, serve
from plugins.hub_search.bundles import PAGES_SHARD, plan_bundles, shard_order


@dataclass(frozen=True)
class Entry:
    item: object
    fallback: bool


class Item:
    def __init__(self, name, digest):
        self.name, self.digest = name, digest


def special(value):
    return ["item", value.name, value.digest] if isinstance(value, Item) else None


def key(**kwargs):
    return page_key("base", "fr/index.html", "index", kwargs, Describer(special))


def test_same_arguments_same_key_and_any_change_shows():
    listing = [Entry(Item("a.md", "1"), False), Entry(Item("b.md", "2"), True)]
    same = [Entry(Item("a.md", "1"), False), Entry(Item("b.md", "2"), True)]
    assert key(entries=listing, number=1) == key(entries=same, number=1)
    assert key(entries=listing, number=1) != key(entries=listing, number=2)
    assert key(entries=listing) != key(entries=[Entry(Item("a.md", "1*"), False), listing[1]])  # edited source
    assert key(entries=listing) != key(entries=listing[::-1])  # order
    assert key(entries=listing) != key(entries=[listing[0], Entry(Item("b.md", "2"), False)])  # a flag
    assert page_key("base", "a", "index", {}) != page_key("other base", "a", "index", {})
    assert page_key("base", "a", "index", {}) != page_key("base", "b", "index", {})


def test_times_strings_and_mappings_are_described_by_value():
    when = datetime.datetime(2021, 5, 31, 10, 0, tzinfo=datetime.timezone.utc)
    assert describe({"when": when, "n": 3}) == [["when", ["time", "2021-05-31T10:00:00+00:00"]], ["n", 3]]
    assert describe(("a", None, True)) == ["a", None, True]


def test_an_object_it_cannot_describe_makes_the_page_unkeyable():
    with pytest.raises(Unkeyable):
        key(thing=object())


def test_linked_files_resolve_as_pelican_does():
    text = ('<a href="{filename}/articles/en/b.md#top">b</a> <img src="{static}img/c.png"> '
            '<a href="|filename|../es/d.md">d</a> <a href="https://example.org/{filename}">no</a>')
    assert linked_files("articles/fr/a.md", text) == ["articles/en/b.md", "articles/es/d.md", "articles/fr/img/c.png"]
    assert linked_files("articles/fr/a.md", "no links") == []


def article(lang, year, save_as):
    return SimpleNamespace(lang=lang, date=datetime.datetime(year, 1, 1), category="news", save_as=save_as)


def page(lang, save_as):
    return SimpleNamespace(lang=lang, save_as=save_as)


def test_bundles_per_language_pages_first_then_newest_year():
    items = [article("fr", 2017, "fr/2017/a/index.html"), article("fr", 2021, "fr/2021/b/index.html"),
             page("fr", "fr/a-propos/index.html"), article("es", 2017, "es/2017/c/index.html"),
             article("fr", 2017, "fr/2017/0/index.html")]
    assert plan_bundles(items, "pagefind") == {
        "es": [("pagefind/es/2017", ["es/2017/c/index.html"])],
        "fr": [("pagefind/fr/pages", ["fr/a-propos/index.html"]),
               ("pagefind/fr/2021", ["fr/2021/b/index.html"]),
               ("pagefind/fr/2017", ["fr/2017/0/index.html", "fr/2017/a/index.html"])],
    }
    assert shard_order(["2012", PAGES_SHARD, "2024", "2019"]) == [PAGES_SHARD, "2024", "2019", "2012"]


def linker_requests(*requests):
    """The bytes Linker sends for `requests`: ("L", source, target) or ("S",)."""
    return b"".join(b"".join(os.fsencode(str(part)) + b"\0" for part in request) for request in requests)


def test_the_linker_links_in_order_and_answers_each_sync(tmp_path):
    (tmp_path / "old").mkdir()
    for name in ("a.html", "b.html"):
        (tmp_path / "old" / name).write_text(name)
    requests = linker_requests(("L", tmp_path / "old/a.html", tmp_path / "new/fr/a.html"), ("S",),
                               ("L", tmp_path / "old/b.html", tmp_path / "new/es/deep/b.html"), ("S",))
    answers = io.BytesIO()
    # Requests arrive cut anywhere: a reader giving 7 bytes at a time splits names and commands.
    serve(io.BufferedReader(TrickleReader(requests, 7)), answers)
    assert answers.getvalue() == b"ok\nok\n"
    assert (tmp_path / "new/fr/a.html").read_text() == "a.html"
    assert os.path.samefile(tmp_path / "new/es/deep/b.html", tmp_path / "old/b.html")


def test_the_linker_reports_its_first_failure_and_links_nothing_after_it(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old/a.html").write_text("a")
    requests = linker_requests(("L", tmp_path / "old/missing.html", tmp_path / "new/x.html"),
                               ("L", tmp_path / "old/a.html", tmp_path / "new/a.html"), ("S",))
    answers = io.BytesIO()
    serve(io.BufferedReader(io.BytesIO(requests)), answers)
    assert answers.getvalue().startswith(b"error FileNotFoundError")
    assert not (tmp_path / "new/a.html").exists()


def test_the_linker_process_raises_the_failure_at_sync(tmp_path):
    (tmp_path / "a.html").write_text("a")
    linker = Linker()
    try:
        linker.link(tmp_path / "a.html", tmp_path / "out/a.html")
        linker.sync()
        assert (tmp_path / "out/a.html").read_text() == "a"
        linker.link(tmp_path / "a.html", tmp_path / "out/a.html")  # exists already
        with pytest.raises(LinkError, match="FileExistsError"):
            linker.sync()
    finally:
        linker.close()
    assert linker.process.returncode == 0


class TrickleReader(io.RawIOBase):
    def __init__(self, data, size):
        self.data, self.size = data, size

    def readable(self):
        return True

    def readinto(self, buffer):
        piece, self.data = self.data[:self.size], self.data[self.size:]
        buffer[:len(piece)] = piece
        return len(piece)


def test_cache_entries_are_stamped_with_the_bytes_read_not_the_scanned_ones(tmp_path):
    """A file saved again between the input scan and Pelican's reading: the entry must not carry the
    scanned stamp, or going back to the scanned bytes would bring back the newer content."""
    import copy
    import hashlib

    from pelican.contents import Article
    from pelican.readers import Readers
    from pelican.settings import DEFAULT_CONFIG

    from plugins.hub_reuse.plugin import STATE_KEY, use_scanned_stamps

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=str(tmp_path / "content"), CACHE_PATH=str(tmp_path / "cache"), CACHE_CONTENT=True,
                    LOAD_CONTENT_CACHE=True, CONTENT_CACHING_LAYER="reader", CHECK_MODIFIED_METHOD="md5")
    source = tmp_path / "content" / "a.md"
    source.parent.mkdir()

    def version(name):
        return f"Title: a\nDate: 2020-01-01\n\nversion {name}\n".encode()

    def build(saved_during_build=None):
        scanned = {str(source): hashlib.md5(source.read_bytes()).digest()}  # as scan_inputs does
        if saved_during_build:
            source.write_bytes(saved_during_build)
        generator = SimpleNamespace(settings=dict(settings, **{STATE_KEY: SimpleNamespace(md5_stamps=scanned, shelf_files={})}),
                                    readers=Readers(settings, "ArticlesGenerator-Readers"), _filestamp_func=None)
        use_scanned_stamps(generator)
        article = generator.readers.read_file(settings["PATH"], "a.md", content_class=Article)
        generator.readers.save_cache()
        return article.content.strip()

    source.write_bytes(version("A"))
    assert build() == "<p>version A</p>"
    source.write_bytes(version("B"))
    assert build(saved_during_build=version("C")) == "<p>version C</p>"
    source.write_bytes(version("B"))  # the editor undoes the edit
    assert build() == "<p>version B</p>"
    assert build() == "<p>version B</p>"  # and now from the cache


def test_the_linker_process_links_more_than_its_pipe_holds(tmp_path):
    """Requests beyond what the pipe takes at once (64 KiB) wait in memory; sync() sends them all."""
    (tmp_path / "a.html").write_text("a")
    targets = [tmp_path / "out" / f"page-{n:04d}" / ("x" * 40) / "index.html" for n in range(1500)]
    assert sum(len(str(target)) for target in targets) > 2 * 65536  # more than a pipe's buffer
    linker = Linker()
    try:
        for target in targets:
            linker.link(tmp_path / "a.html", target)
        linker.sync()
    finally:
        linker.close()
    assert all(os.path.samefile(target, tmp_path / "a.html") for target in targets)


def test_a_second_linker_process_shares_a_long_wait_and_its_failure_is_raised(tmp_path, monkeypatch):
    from plugins.hub_reuse import linker as linker_module

    (tmp_path / "a.html").write_text("a")
    targets = [tmp_path / "out" / f"page-{n:04d}" / "index.html" for n in range(3000)]
    started = []
    real_start = Linker.start
    monkeypatch.setattr(Linker, "start", staticmethod(lambda: started.append(1) or real_start()))
    linker = Linker()
    try:
        for target in targets:
            linker.link(tmp_path / "a.html", target)
        linker.sync()
        assert len(started) == 2  # more than SHARE_FROM links were waiting: a second helper took half
        assert all(os.path.samefile(target, tmp_path / "a.html") for target in targets)
        for n in range(linker_module.SHARE_FROM * 2):
            linker.link(tmp_path / "a.html", tmp_path / "more" / f"{n}.html")
        linker.link(tmp_path / "missing.html", tmp_path / "more" / "last.html")  # in the second half
        with pytest.raises(LinkError, match="missing.html"):
            linker.sync()
        assert len(started) == 3
    finally:
        linker.close()


class Term:
    def __init__(self, name, settings):
        self.name, self.settings = name, settings


class Shelved:
    def __init__(self, text, settings, context):
        self.text, self.settings, self._context = text, settings, context
        self.category = Term("news", dict(settings))  # a copy, as terms read in another process hold


def test_a_shelved_item_comes_back_with_this_runs_settings_and_context():
    from plugins.hub_reuse.shelf import dumps, loads

    old_settings, old_context = {"SLUGIFY_SOURCE": "title", "SITEURL": "a"}, {"generated_content": {"x": 1}}
    data = dumps(Shelved("body", old_settings, old_context), {"settings": old_settings, "context": old_context})
    assert b"generated_content" not in data and b"SITEURL" not in data  # stored by name only
    settings, context = {"SLUGIFY_SOURCE": "title", "SITEURL": "b"}, {"generated_content": {}}
    item = loads(data, {"settings": settings, "context": context})
    assert item.text == "body"
    assert item._context is context and item.settings is settings and item.category.settings is settings


def test_the_shelf_serves_an_item_only_for_its_stamp_and_key(tmp_path):
    from plugins.hub_reuse.shelf import Shelf

    shared = {"settings": {"SLUGIFY_SOURCE": "title"}, "context": {}}
    path = str(tmp_path / "cache" / "shelf.pickle")
    shelf = Shelf(path, "key-1")
    assert shelf.take("/c/a.md", b"s1", shared) is None
    shelf.put("/c/a.md", b"s1", Shelved("A", shared["settings"], shared["context"]), shared)
    shelf.put("/c/b.md", b"s2", Shelved("B", shared["settings"], shared["context"]), shared)
    shelf.save()

    shelf = Shelf(path, "key-1")
    assert shelf.take("/c/a.md", b"s1", shared).text == "A"
    assert shelf.take("/c/b.md", b"other bytes", shared) is None
    shelf.save()  # b.md was neither found nor stored: the next build must not find it
    assert Shelf(path, "key-1").stored.keys() == {"/c/a.md"}
    assert Shelf(path, "key-2").take("/c/a.md", b"s1", shared) is None  # other inputs: nothing is served

    unchanged = Shelf(path, "key-1")
    unchanged.take("/c/a.md", b"s1", shared)
    before = os.stat(path).st_mtime_ns
    unchanged.save()  # found what it keeps: nothing to write
    assert os.stat(path).st_mtime_ns == before

    with open(path, "r+b") as handle:
        handle.truncate(os.path.getsize(path) // 2)  # an interrupted write of an older version
    assert Shelf(path, "key-1").take("/c/a.md", b"s1", shared) is None


@dataclass
class Row:
    item: object


def test_a_memo_describes_frozen_entries_once_and_never_mutable_ones():
    calls = []

    def counting(value):
        if isinstance(value, Item):
            calls.append(value.name)
            return ["item", value.name, value.digest]
        return None

    remembering, entry, row = Describer(counting, memo={}), Entry(Item("a", "1"), False), Row(Item("b", "2"))
    first = page_key("base", "fr/index.html", "index", {"entries": [entry, entry], "row": row}, remembering)
    assert calls == ["a", "b"]  # the second mention of the entry came from the memo
    assert page_key("base", "fr/index.html", "index", {"entries": [entry, entry], "row": row},
                    Describer(counting)) == first
    row.item = Item("c", "3")  # a mutable dataclass is described again: the change shows
    assert page_key("base", "fr/index.html", "index", {"entries": [entry, entry], "row": row},
                    remembering) != first


def test_an_item_counts_by_what_pages_show_of_its_other_versions():
    from plugins.hub_reuse.plugin import ReuseState

    def version(path, url, translation):
        return SimpleNamespace(get_relative_source_path=lambda: path, url=url, is_translation=translation,
                               metadata={}, _content="<p>Texte.</p>")

    fr, es = version("articles/fr/a.md", "fr/a/", False), version("articles/es/a.md", "es/a/", True)
    fr.hub_versions = es.hub_versions = {"fr": fr, "es": es}
    digests = {"articles/fr/a.md": "1", "articles/es/a.md": "1"}

    def described(changed_digests=(), **spanish):
        vars(es).update(spanish)
        return ReuseState(None, {}, dict(digests, **dict(changed_digests)), "inputs").content(fr)

    first = described()
    assert described({"articles/es/a.md": "2"}) == first  # the Spanish text changed: not the French page
    assert described({"articles/fr/a.md": "2"}) != first
    assert described(url="es/b/") != first  # the switcher and the alternates link to it
    assert described(url="es/a/", is_translation=False) != first  # x-default may move to it


def test_a_search_bundle_indexes_pages_still_being_linked_from_where_their_bytes_are(tmp_path):
    import json

    from pagefind_bin import get_executable

    from plugins.hub_search.bundles import write_bundle

    page = ('<!DOCTYPE html><html lang="fr"><head><title>{0}</title></head>'
            '<body><main data-pagefind-body><h1>{0}</h1><p>Texte de la page {0}.</p></main></body></html>')
    site, previous = tmp_path / "site", tmp_path / "previous"
    for root, name in ((site, "un"), (previous, "deux")):
        (root / "fr" / name).mkdir(parents=True)
        (root / "fr" / name / "index.html").write_text(page.format(name), encoding="utf-8")
    job = {"bundle": "pagefind/fr/2024", "files": ["fr/deux/index.html", "fr/un/index.html"], "primary": True,
           "sources": {"fr/deux/index.html": str(previous / "fr" / "deux" / "index.html")}}
    assert write_bundle(str(get_executable()), str(site), job) is None
    entry = json.loads((site / "pagefind" / "fr" / "2024" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == 2
    assert not (site / "fr" / "deux").exists()  # read where it is, not copied into the site


def test_the_linker_makes_folders_as_makedirs_does(tmp_path):
    from plugins.hub_reuse.linker import make_folder

    folders = set()
    make_folder(str(tmp_path / "site" / "fr" / "2024" / "a"), folders)
    make_folder(str(tmp_path / "site" / "fr" / "2024" / "b"), folders)
    (tmp_path / "site" / "es").mkdir()
    make_folder(str(tmp_path / "site" / "es"), set())  # there already
    assert sorted(path.name for path in (tmp_path / "site" / "fr" / "2024").iterdir()) == ["a", "b"]
    (tmp_path / "site" / "file").write_text("x")
    with pytest.raises(FileExistsError):
        make_folder(str(tmp_path / "site" / "file"), folders)


def test_a_dataclass_is_described_field_by_field_in_order():
    from markupsafe import Markup

    @dataclass
    class Link:
        url: str
        label: object
        when: object = None
        extra: list = None

    described = describe(Link("fr/", Markup("<b>Accueil</b>"), datetime.date(2024, 1, 2), [1, None, ("a",)]))
    assert described == ["Link", ["url", "fr/"], ["label", "<b>Accueil</b>"], ["when", ["time", "2024-01-02"]],
                         ["extra", [1, None, ["a"]]]]
