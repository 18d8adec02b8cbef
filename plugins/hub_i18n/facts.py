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


def read_facts(metadata, source):
    """Facts from an article's metadata (lower-case keys, as Pelican gives them)."""
    problems = []
    text = {key: str(value).strip() for key, value in metadata.items() if isinstance(value, str)}
    languages = tuple(code.strip().lower() for code in text.get("form_languages", "").split(",") if code.strip())
    start = parse_day(text.get("event_start"), "Event_Start", source, problems)
    end = parse_day(text.get("event_end"), "Event_End", source, problems)
    if start and end and end < start:
        problems.append(f"{source}: Event_End: {end.isoformat()} is before Event_Start {start.isoformat()}; swap or fix them")
    return Facts(
        deadline=parse_day(text.get("deadline"), "Deadline", source, problems),
        form_languages=languages,
        form_url=text.get("form_url") or None,
        event_start=start,
        event_end=end or start,
        location=text.get("location") or None,
        event_url=text.get("event_url") or None,
        edition=text.get("edition") or None,
        document_url=text.get("document_url") or None,
        problems=tuple(problems),
    )
