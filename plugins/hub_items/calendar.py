"""Calls and events in time: open or closed, upcoming or past, and as an iCalendar file."""

import datetime
from zoneinfo import ZoneInfo


def call_is_open(deadline, today):
    """A call stays open through its deadline day."""
    return deadline is not None and today <= deadline


def split_events(entries, today, facts_of):
    """(upcoming soonest first, past newest first) of listing entries whose items are events."""
    upcoming, past = [], []
    for entry in entries:
        facts = facts_of(entry.item)
        if facts.event_start is None:
            continue
        (upcoming if (facts.event_end or facts.event_start) >= today else past).append(entry)
    upcoming.sort(key=lambda e: (facts_of(e.item).event_start, e.item.translation_key))
    past.sort(key=lambda e: (facts_of(e.item).event_start, e.item.translation_key), reverse=True)
    return upcoming, past


def calls_open_first(entries, today, facts_of):
    """Open calls (nearest deadline first), then closed ones (newest deadline first)."""
    open_calls = [e for e in entries if call_is_open(facts_of(e.item).deadline, today)]
    closed = [e for e in entries if e not in open_calls]
    open_calls.sort(key=lambda e: facts_of(e.item).deadline)
    closed.sort(key=lambda e: facts_of(e.item).deadline or datetime.date.min, reverse=True)
    return open_calls, closed


def calendar_event(uid, summary, url, stamp, start, end=None, start_time=None, end_time=None,
                   timezone=None, location=None, description=None):
    """One VEVENT: all-day (end exclusive, as RFC 5545 wants) or timed in its time zone."""
    import icalendar  # here: most builds reuse their calendars, and importing it takes ~40 ms

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(datetime.timezone.utc))
    event.add("summary", summary)
    if start_time is not None:
        zone = ZoneInfo(timezone)
        event.add("dtstart", datetime.datetime.combine(start, start_time, tzinfo=zone))
        finish = datetime.datetime.combine(end or start, end_time or start_time, tzinfo=zone)
        if end_time is None:
            finish += datetime.timedelta(hours=1)
        event.add("dtend", finish)
    else:
        event.add("dtstart", start)
        event.add("dtend", (end or start) + datetime.timedelta(days=1))
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if description:
        event.add("description", description)
    return event


def build_calendar(name, lang, events):
    """An iCalendar file (bytes) holding `events`, sorted by UID so the bytes are stable, after a
    VTIMEZONE for each TZID they use (RFC 5545 3.2.19: an app must not have to guess what a TZID
    means), sorted by TZID."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//UCLG Digital Cities hub//hub_items//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-language", lang)
    for event in sorted(events, key=lambda e: str(e["uid"])):
        calendar.add_component(event)
    years = [moment.year for event in events for key in ("dtstart", "dtend") if key in event
             for moment in [event.decoded(key)] if isinstance(moment, datetime.datetime)]
    if years:
        # Only the years the events span: each zone's rules over them, a few lines (1970-2038 by
        # default, a few hundred).
        calendar.add_missing_timezones(first_date=datetime.date(min(years), 1, 1),
                                       last_date=datetime.date(max(years) + 1, 1, 1))
        # They come in set order, which changes from one run to the next: sort them (sort is
        # stable, so the events keep their order after them).
        calendar.subcomponents.sort(key=lambda c: (c.name != "VTIMEZONE", str(c.get("tzid", ""))))
    return calendar.to_ical()
