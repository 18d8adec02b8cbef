"""What the hub relies on in Pelican, checked against the installed release.

plugins/hub_engine/pelican_private.py holds every private name the project uses; the writer and
the Markdown reader re-implement two public methods. A Pelican upgrade that changes any of this
fails here, naming what changed, before it silently changes pages."""

import datetime
import inspect

import pytest
from pelican import signals
from pelican.contents import Article, Content
from pelican.paginator import Paginator
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

from plugins.hub_engine import pelican_private


def article(**metadata):
    settings = dict(DEFAULT_CONFIG)
    return Article("<p>Texte</p>", metadata=dict({"title": "Titre", "date": datetime.datetime(2024, 1, 1)}, **metadata),
                   settings=settings, source_path="x.md", context={"static_links": set(), "generated_content": {},
                                                                   "static_content": {}, "localsiteurl": ""})


def test_the_release_is_one_the_private_names_were_checked_against():
    pelican_private.check_pelican_version()
    with pytest.raises(pelican_private.PelicanVersionError, match="checked against Pelican 4.12, not 5.0.0"):
        pelican_private.check_pelican_version("5.0.0")


def test_an_items_html_can_be_rewritten_before_its_page_shows_it():
    item = article(summary="<p>Résumé</p>")
    assert pelican_private.item_html(item) == "<p>Texte</p>"
    pelican_private.set_item_html(item, "<p>Autre texte</p>")
    pelican_private.set_item_summary(item, "<p>Autre résumé</p>")
    assert item.content == "<p>Autre texte</p>"
    assert item.summary == "<p>Autre résumé</p>"
    assert item.metadata["summary"] == "<p>Autre résumé</p>"


def test_memoized_content_can_be_forgotten():
    item = article()
    assert item.content == "<p>Texte</p>"
    caches = [getattr(vars(Content)[name], "cache", None) for name in ("get_content", "get_summary")]
    assert all(cache is not None and hasattr(cache, "clear") for cache in caches)
    assert len(caches[0]) > 0
    pelican_private.forget_memoized_content()
    assert len(caches[0]) == 0


def test_the_writer_and_paginator_the_engine_calls_as_pelican_does():
    # hub_engine.writer.DescribingWriter.write_file takes Pelican's arguments and paginates as it does.
    assert list(inspect.signature(Writer.write_file).parameters) == [
        "self", "name", "template", "context", "relative_urls", "paginated", "template_name", "override_output",
        "url", "kwargs"]
    assert list(inspect.signature(Paginator).parameters) == ["name", "url", "object_list", "settings", "per_page"]
    for signal in ("initialized", "get_writer", "generator_init", "finalized", "content_written", "readers_init",
                   "content_object_init", "all_generators_finalized", "static_generator_finalized"):
        assert hasattr(signals, signal), signal


def test_the_markdown_reader_turns_headers_into_metadata_as_ours_does():
    # plugins.hub_check.plugin.HubMarkdownReader.metadata_from follows MarkdownReader._parse_metadata.
    source = inspect.getsource(MarkdownReader._parse_metadata)
    for step in ('self.settings["FORMATTED_FIELDS"]', "DUPLICATES_DEFINITIONS_ALLOWED.get(name, True)",
                 "self.process_metadata(name, value[0])", "self.process_metadata(name, value)"):
        assert step in source, step
    assert DUPLICATES_DEFINITIONS_ALLOWED == {"tags": False, "date": False, "modified": False, "status": False,
                                              "category": False, "author": False, "save_as": False, "url": False,
                                              "authors": False, "slug": False}


def test_our_markdown_reader_reads_a_file_as_pelicans_does(tmp_path):
    from plugins.hub_check.plugin import HubMarkdownReader

    source = tmp_path / "x.md"
    source.write_text("Title: Un *titre*\nDate: 2024-03-01 10:00\nTags: a, b\nSummary: Un **résumé**\n"
                      "Category: news\n\n# Texte\n\nUn [lien](https://example.org) et *plus*.\n", encoding="utf-8")
    settings = dict(DEFAULT_CONFIG)
    settings["MARKDOWN"] = {key: value for key, value in DEFAULT_CONFIG["MARKDOWN"].items()}
    theirs = MarkdownReader(settings).read(str(source))
    ours_reader = HubMarkdownReader(settings)
    ours = ours_reader.read(str(source))
    assert ours[0] == theirs[0]
    assert {key: str(value) for key, value in ours[1].items()} == {key: str(value) for key, value in theirs[1].items()}
    assert ours_reader.read(str(source)) == ours  # the converter, reset, reads the next file alike
