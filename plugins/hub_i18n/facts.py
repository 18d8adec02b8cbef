"""Typed facts of calls, events and studies, read from plain metadata strings."""

import datetime
from dataclasses import dataclass, field

ONLINE = "online"


@dataclass(frozen=True)
class Facts:
    deadline: datetime.date | None = None
    form_languages: tuple = ()
    form_url: str | None = None
    event_start: datetime.date | None = None
    event_end: datetime.date | None = None
    event_start_time: datetime.time | None = None  # optional: "Event_Start: 2020-04-15 16:00"
    event_end_time: datetime.time | None = None
    event_timezone: str | None = None  # IANA name; the site's TIMEZONE when absent
    location: str | None = None
    event_url: str | None = None
    edition: str | None = None
    document_url: str | None = None
    problems: tuple = field(default=(), compare=False)

    @property
    def online(self):
        return (self.location or "").strip().lower() == ONLINE


def parse_day(value, header, source, problems):
    """A YYYY-MM-DD date, or None with a problem naming file and header."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        problems.append(f"{source}: {header}: {text!r} is not a real date; write it as YYYY-MM-DD, e.g. 2021-05-31")
        return None


def parse_when(value, header, source, problems):
    """'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM': (date, time or None)."""
    if value in (None, ""):
        return None, None
    text = str(value).strip()
    day, _, clock = text.partition(" ")
    date = parse_day(day, header, source, problems)
    if date is None or not clock:
        return date, None
    try:
        return date, datetime.time.fromisoformat(clock.strip())
    except ValueError:
        problems.append(f"{source}: {header}: {clock.strip()!r} is not a time; write it as HH:MM, e.g. 16:00")
        return date, None


def read_facts(metadata, source):
    """Facts from an article's metadata (lower-case keys, as Pelican gives them)."""
    problems = []
    text = {key: str(value).strip() for key, value in metadata.items() if isinstance(value, str)}
    languages = tuple(code.strip().lower() for code in text.get("form_languages", "").split(",") if code.strip())
    start, start_time = parse_when(text.get("event_start"), "Event_Start", source, problems)
    end, end_time = parse_when(text.get("event_end"), "Event_End", source, problems)
    if start and end and end < start:
        problems.append(f"{source}: Event_End: {end.isoformat()} is before Event_Start {start.isoformat()}; swap or fix them")
    return Facts(
        deadline=parse_day(text.get("deadline"), "Deadline", source, problems),
        form_languages=languages,
        form_url=text.get("form_url") or None,
        event_start=start,
        event_end=end or start,
        event_start_time=start_time,
        event_end_time=end_time,
        event_timezone=text.get("event_timezone") or None,
        location=text.get("location") or None,
        event_url=text.get("event_url") or None,
        edition=text.get("edition") or None,
        document_url=text.get("document_url") or None,
        problems=tuple(problems),
    )
