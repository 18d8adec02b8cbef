"""Where an article leads a reader next: related articles, the previous and next ones, share links
and its reading time. Pure functions over plain data (no Pelican).

What an article page shows of OTHER articles is copied into `Lead`s (title, URL, language, date).
"""

import math
from dataclasses import dataclass
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


def related(own_key, own_category, own_tags, by_term, count=RELATED_COUNT):
    """Up to `count` articles sharing tags with this one (most shared tags first, then those of
    its category), then others of its category; ties go to the newest (then by key, for stable
    output). Never the article itself. `by_term` maps ("tag" or "category", key) to Candidates,
    newest first (as listings file them), so only articles that share something are looked at."""
    shared = {}  # key -> [tags shared, candidate]
    for tag in frozenset(own_tags):
        for candidate in by_term.get(("tag", tag), ()):
            if candidate.key != own_key:
                shared.setdefault(candidate.key, [0, candidate])[0] += 1
    ranked = sorted(shared.values(), reverse=True,
                    key=lambda pair: (pair[0], pair[1].category == own_category, pair[1].lead.date, pair[1].key))
    chosen = [candidate for _, candidate in ranked[:count]]
    if own_category is not None:
        for candidate in by_term.get(("category", own_category), ()):
            if len(chosen) >= count:
                break
            if candidate.key != own_key and candidate.key not in shared:
                chosen.append(candidate)
    return tuple(candidate.lead for candidate in chosen)


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
