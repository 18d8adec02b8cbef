"""Where an article leads a reader next: related articles, the previous and next ones, share links
and its reading time. Pure functions over plain data (no Pelican).

What an article page shows of OTHER articles is copied into `Lead`s (title, URL, language, date).
"""

import heapq
import math
from dataclasses import dataclass
from itertools import combinations
from urllib.parse import quote

from .views import plain_text

RELATED_COUNT = 3
WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Lead:
    """Another article as a page links it."""

    title: str
    url: str  # site-relative
    lang: str
    date: object  # datetime
    fallback: bool  # another language's version, shown where the page's language has none


@dataclass(frozen=True)
class Leads:
    related: tuple = ()
    previous: Lead | None = None  # older, in the same language
    next: Lead | None = None  # newer, in the same language


@dataclass(frozen=True)
class Candidate:
    """A listing entry reduced to what ranking needs."""

    key: str  # translation key: an article never leads to itself, in any language
    category: str | None
    tags: frozenset
    lead: Lead


class RelatedIndex:
    """One language's Candidates by term (("tag" or "category", key) -> Candidates, newest first,
    as listings file them), with what ranking asks of them for every article: each term's keys as
    a set, and each candidate's place among all of them by date (newest first, then by key). With
    them, `related` works with set operations, in C, instead of looking at every article that
    shares a tag in Python: at 10,000 articles per language that was most of a build's time."""

    def __init__(self, by_term):
        self.by_term = by_term
        self.sets = {}
        every = {candidate.key: candidate for entries in by_term.values() for candidate in entries}
        newest_first = sorted(every.values(), key=lambda candidate: (candidate.lead.date, candidate.key), reverse=True)
        self.place = {candidate.key: number for number, candidate in enumerate(newest_first)}
        self.candidates = every
        self.by_category = {}  # category key (None: no category) -> keys of its candidates
        for candidate in newest_first:
            self.by_category.setdefault(candidate.category, set()).add(candidate.key)

    def keys(self, term):
        found = self.sets.get(term)
        if found is None:
            found = self.sets[term] = frozenset(candidate.key for candidate in self.by_term.get(term, ()))
        return found


def related(own_key, own_category, own_tags, by_term, count=RELATED_COUNT):
    """Up to `count` articles sharing tags with this one (most shared tags first, then those of
    its category), then others of its category; ties go to the newest (then by key, for stable
    output). Never the article itself. `by_term`: a RelatedIndex, or the mapping one is made of."""
    index = by_term if isinstance(by_term, RelatedIndex) else RelatedIndex(by_term)
    tag_sets = [index.keys(("tag", tag)) for tag in sorted(frozenset(own_tags))]
    same_category = index.by_category.get(own_category, frozenset())
    chosen, sharing = [], frozenset()  # sharing: the articles that share as many tags as this level, or more
    for shared in range(len(tag_sets), 0, -1):  # most shared tags first, with set operations
        if len(chosen) >= count:
            break
        at_least = frozenset().union(*(frozenset.intersection(*group)
                                       for group in combinations(tag_sets, shared))) - {own_key}
        level, sharing = at_least - sharing, at_least
        for part in (level & same_category, level - same_category):
            if len(chosen) < count:
                chosen += heapq.nsmallest(count - len(chosen), part, key=index.place.__getitem__)
    if len(chosen) < count and own_category is not None:  # every level was looked at: sharing holds all
        for candidate in index.by_term.get(("category", own_category), ()):
            if len(chosen) >= count:
                break
            if candidate.key != own_key and candidate.key not in sharing:
                chosen.append(candidate.key)
    return tuple(index.candidates[key].lead for key in chosen)


class LeadsOnDemand:
    """An article's Leads, worked out when its page first shows them: ranking related articles
    costs more than anything else in an article's description, and the live preview renders only
    the pages the browser asks for."""

    def __init__(self, work_out):
        self.__dict__["work_out"], self.__dict__["leads"] = work_out, None

    def __getattr__(self, name):
        if self.leads is None:
            self.__dict__["leads"] = self.work_out()
        return getattr(self.leads, name)


def neighbours(own_key, ordered, positions=None):
    """(previous, next) of the article `own_key` among `ordered` (Candidates of its language, newest
    first): the older one and the newer one, or None at either end or when it is not listed.
    `positions`: {key: index in ordered}, when asked for many articles of one list."""
    if positions is None:
        positions = {candidate.key: index for index, candidate in enumerate(ordered)}
    position = positions.get(own_key)
    if position is None:
        return None, None
    newer = ordered[position - 1].lead if position > 0 else None
    older = ordered[position + 1].lead if position + 1 < len(ordered) else None
    return older, newer


def reading_minutes(html):
    """Minutes a reader takes for an HTML text at WORDS_PER_MINUTE, rounded up; at least 1."""
    words = len(plain_text(html).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def share_links(url, title):
    """Plain links that share `url` (absolute) with `title`: nothing is loaded from those sites
    until the reader follows one. (name, href) pairs, in the order a page shows them.

    Mastodon has no instance-independent share address of its own: Share₂Fedi (free software, no
    account, no tracking) asks the reader for their instance and opens its share form there."""
    text = quote(f"{title} {url}", safe="")
    return [
        ("email", f"mailto:?subject={quote(title, safe='')}&body={quote(url, safe='')}"),
        ("mastodon", f"https://s2f.kytta.dev/?text={text}"),
        ("bluesky", f"https://bsky.app/intent/compose?text={text}"),
        ("linkedin", f"https://www.linkedin.com/sharing/share-offsite/?url={quote(url, safe='')}"),
        ("whatsapp", f"https://wa.me/?text={text}"),
    ]
