"""schema.org JSON-LD for articles and events, from plain values; and what schema.org consumers require."""

import datetime
import json
from zoneinfo import ZoneInfo

# Fields Google's rich results and schema.org consumers need for these types; tests hold us to them.
REQUIRED = {
    "NewsArticle": ("headline", "datePublished", "author", "publisher", "image", "inLanguage", "mainEntityOfPage"),
    "Event": ("name", "startDate", "location", "eventAttendanceMode", "eventStatus", "url"),
    "BreadcrumbList": ("itemListElement",),
}


def organization(name, url, logo=None):
    org = {"@type": "Organization", "name": name, "url": url}
    if logo:
        org["logo"] = {"@type": "ImageObject", "url": logo}
    return org


def news_article(headline, url, lang, published, modified, description, image, authors, publisher):
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline[:110],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": lang,
        "datePublished": published.isoformat(),
        "dateModified": (modified or published).isoformat(),
        "description": description,
        "image": [image],
        "author": [{"@type": "Organization", "name": name} for name in authors] or [publisher],
        "publisher": publisher,
    }


def event(name, url, lang, start, end, online, location, description, image, organizer, start_time=None, end_time=None, zone=None):
    def when(day, clock):
        if clock is None:
            return day.isoformat()
        return datetime.datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).isoformat()

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "url": url,
        "inLanguage": lang,
        "startDate": when(start, start_time),
        "endDate": when(end or start, end_time),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode" if online else "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "VirtualLocation", "url": url} if online else {"@type": "Place", "name": location, "address": location},
        "description": description,
        "image": [image],
        "organizer": organizer,
    }
    return data


def breadcrumb_list(crumbs):
    """A BreadcrumbList of (name, absolute URL) pairs, from the site's home to the page itself."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": position, "name": name, "item": url}
                            for position, (name, url) in enumerate(crumbs, start=1)],
    }


def missing_fields(data):
    """Required fields absent or empty in a JSON-LD object (empty list: complete)."""
    return [name for name in REQUIRED.get(data.get("@type"), ()) if not data.get(name)]


def to_script_json(data):
    """JSON safe inside <script type="application/ld+json">: no '</' can close the element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
