"""hub_feeds' pure functions: plain items in, feed bytes out."""

import datetime

import feedparser
import pytest
from lxml import etree

from plugins.hub_feeds.absolute import absolutize
from plugins.hub_feeds.feed import FeedDataError, FeedItem, FeedMeta, render_atom, render_rss, tag_uri

UTC = datetime.timezone.utc
META = FeedMeta(id="tag:example.org,2012-01-01:feeds/x", title="T", subtitle="S", lang="fr",
                self_url="https://e.org/fr/feeds/all.rss.xml", alternate_url="https://e.org/fr/", author="A")


def item(n, day, **changes):
    values = dict(id=f"tag:example.org,2024-01-{day:02d}:k{n}/fr", title=f"Titre {n}", link=f"https://e.org/fr/{n}/",
                  published=datetime.datetime(2024, 1, day, 10, tzinfo=UTC),
                  updated=datetime.datetime(2024, 1, day, 10, tzinfo=UTC), source=f"content/{n}.md")
    values.update(changes)
    return FeedItem(**values)


def test_entries_keep_the_given_order():
    items = [item(3, 3), item(2, 2), item(1, 1)]
    for render in (render_atom, render_rss):
        assert [e.title for e in feedparser.parse(render(META, items)).entries] == ["Titre 3", "Titre 2", "Titre 1"]


def test_rss_channel_link_is_the_site_not_the_feed():
    parsed = feedparser.parse(render_rss(META, [item(1, 1)]))
    assert parsed.feed.link == "https://e.org/fr/"
    self_link = etree.fromstring(render_rss(META, [item(1, 1)])).find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == META.self_url


def test_feed_updated_comes_from_the_newest_entry():
    items = [item(1, 5, updated=datetime.datetime(2024, 2, 1, 8, tzinfo=UTC)), item(2, 9)]
    parsed = feedparser.parse(render_atom(META, items))
    assert parsed.feed.updated == "2024-02-01T08:00:00+00:00"
    assert render_atom(META, items) == render_atom(META, items)  # same input, same bytes


def test_naive_date_is_refused_with_the_file_named():
    with pytest.raises(FeedDataError, match=r"content/1.md: Date: has no time zone"):
        render_atom(META, [item(1, 1, published=datetime.datetime(2024, 1, 1))])
    with pytest.raises(FeedDataError, match=r"content/1.md: Date: missing"):
        render_atom(META, [item(1, 1, published=None)])


def test_control_characters_from_word_processors_are_dropped():
    parsed = feedparser.parse(render_atom(META, [item(1, 1, title="Ti\x0btre")]))
    assert parsed.entries[0].title == "Titre"


def test_tag_uri_uses_authority_first_date_key_and_language():
    when = datetime.datetime(2021, 4, 15, 10, tzinfo=UTC)
    assert tag_uri("uclg-digitalcities.org", when, "participez-au-smart-cities-study-2021", "es") == \
        "tag:uclg-digitalcities.org,2021-04-15:participez-au-smart-cities-study-2021/es"
    assert tag_uri("a.org", when, "clé été", "fr") == "tag:a.org,2021-04-15:cl---t-/fr"


def test_absolutize_resolves_links_images_and_srcset():
    html = '<a href="../x/">x</a><img src="/i.png" srcset="/i.png 1x, i2.png 2x"><a href="mailto:a@b.c">m</a>'
    out = absolutize(html, "https://e.org/fr/2024/a/")
    assert 'href="https://e.org/fr/2024/x/"' in out and 'src="https://e.org/i.png"' in out
    assert 'srcset="https://e.org/i.png 1x, https://e.org/fr/2024/a/i2.png 2x"' in out
    assert 'href="mailto:a@b.c"' in out
