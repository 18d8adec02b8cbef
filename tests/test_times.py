"""Time zones: event times shown with their zone and end in each language, <time datetime> with an
offset, .ics files with a VTIMEZONE for each TZID, checks on dates in the wrong order, and
`invoke new` writing the site's clock."""

import datetime
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import icalendar
import pytest

from conftest import ROOT, SITEURL, BuiltSite, write_article
from hubsite.build import build_site
from hubsite.editing import new_article, site_timezone
from plugins.hub_check.checks import check_content

LANGS = ("fr", "es", "en")
UTC = datetime.timezone.utc

# An event in Chicago, 16:00 to 18:00 there (22:00 to 00:00 UTC): what each language shows of it.
WORKSHOP = "Event_Start: 2027-02-10 16:00\nEvent_End: 2027-02-10 18:00\nEvent_Timezone: America/Chicago\nLocation: Chicago"
WORKSHOP_SHOWN = {
    "fr": "10 février 2027, 16:00 – 18:00 UTC-06:00 (Chicago)",
    "es": "10 de febrero de 2027, 16:00–18:00 GMT-06:00 (Chicago)",
    "en": "February 10, 2027, 4:00 – 6:00 PM GMT-06:00 (Chicago)",
}
# Faulty files of the preview build: each is left out, with this problem.
FAULTY = {
    "appel-clos-avant": (
        dict(category="calls", date="2026-03-10 10:00", extra="Deadline: 2026-03-01"),
        "content/articles/fr/appel-clos-avant.md:9: error: Deadline: '2026-03-01' is before the Date "
        "'2026-03-10 10:00'; a call closes after it is published: fix the Deadline or the Date"),
    "fin-avant-debut": (
        dict(category="events", extra="Event_Start: 2027-04-02 16:00\nEvent_End: 2027-04-02 15:00"),
        "content/articles/fr/fin-avant-debut.md:10: error: Event_End: '2027-04-02 15:00' is before Event_Start "
        "'2027-04-02 16:00'; an event ends after it starts: fix the day or the time"),
    "zone-mal-ecrite": (
        dict(category="events", extra="Event_Start: 2027-04-02 16:00\nEvent_Timezone: Europe/Madird"),
        "content/articles/fr/zone-mal-ecrite.md:10: error: Event_Timezone: 'Europe/Madird' is not a time zone "
        "name; did you mean 'Europe/Madrid'?"),
}


def text(element):
    """An element's text as a reader sees it (Babel separates with narrow and thin spaces)."""
    return " ".join(element.get_text(" ").split())


@pytest.fixture(scope="module")
def agenda(tmp_path_factory):
    """A preview build with a timed event in Chicago (three languages), one at the site's time
    (Madrid), a date-only one, a call, and the faulty files above."""
    root = tmp_path_factory.mktemp("times")
    content = root / "content"
    content.mkdir()
    (content / "taxonomy.toml").write_bytes((ROOT / "content" / "taxonomy.toml").read_bytes())
    for lang in LANGS:
        write_article(content, lang, f"atelier-{lang}", f"Atelier {lang}", key="atelier", category="events",
                      date="2026-01-10 10:00", extra=WORKSHOP + ("\nTranslation: true" if lang != "fr" else ""))
    write_article(content, "fr", "a-madrid", "À Madrid", category="events", date="2026-01-11 10:00",
                  extra="Event_Start: 2027-03-04 09:30\nLocation: Madrid")
    write_article(content, "fr", "trois-jours", "Trois jours", category="events", date="2026-01-12 10:00",
                  extra="Event_Start: 2027-05-04\nEvent_End: 2027-05-06\nLocation: Bilbao")
    write_article(content, "fr", "appel", "Appel", category="calls", date="2026-01-13 10:00",
                  extra="Deadline: 2027-01-31")
    for slug, (kwargs, _) in FAULTY.items():
        write_article(content, "fr", slug, slug, **kwargs)
    output = root / "output"
    build_site(ROOT / "pelicanconf.py", output=output, PATH=str(content), SITEURL=SITEURL)
    site = BuiltSite(output)
    site.content = content
    return site


@pytest.mark.parametrize("lang", LANGS)
def test_an_event_page_shows_its_times_with_their_zone_and_end(agenda, lang):
    page = agenda.soup(f"/{lang}/2026/atelier-{lang}/")
    when = page.select_one(".facts time")
    assert when["datetime"] == "2027-02-10T16:00-06:00"
    assert text(when) == WORKSHOP_SHOWN[lang]
    # The listing says the same.
    listing = agenda.soup({"fr": "/fr/categorie/evenements/", "es": "/es/categoria/eventos/", "en": "/en/category/events/"}[lang])
    listed = listing.select_one(f'a[href$="/atelier-{lang}/"]').find_parent("article").select_one(".when time")
    assert (listed["datetime"], text(listed)) == ("2027-02-10T16:00-06:00", WORKSHOP_SHOWN[lang])


def test_an_event_without_a_zone_is_at_the_site_time_and_a_date_only_event_has_no_time(agenda):
    madrid = agenda.soup("/fr/2026/a-madrid/").select_one(".facts time")
    assert (madrid["datetime"], text(madrid)) == ("2027-03-04T09:30+01:00", "4 mars 2027, 09:30 UTC+01:00 (Madrid)")
    days = agenda.soup("/fr/2026/trois-jours/").select_one(".facts time")
    assert days["datetime"] == "2027-05-04"
    assert "UTC" not in text(days) and ":" not in text(days)


def rfc5545_problems(data):
    """What RFC 5545 requires of our calendars and a calendar app relies on, checked by hand: no
    validator usable offline was found (see the report of the change that added this)."""
    problems = []
    lines = data.split(b"\r\n")
    if lines[-1] != b"" or any(b"\n" in line or b"\r" in line for line in lines):
        problems.append("lines must end with CRLF")
    problems += [f"line over 75 octets: {line[:30]!r}" for line in lines if len(line) > 75]
    calendar = icalendar.Calendar.from_ical(data)
    if str(calendar.get("version")) != "2.0" or "prodid" not in calendar:
        problems.append("VCALENDAR needs VERSION:2.0 and PRODID")
    zones = {str(zone["tzid"]): zone for zone in calendar.walk("VTIMEZONE")}
    for tzid, zone in zones.items():
        rules = zone.walk("STANDARD") + zone.walk("DAYLIGHT")
        if not rules or not all({"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"} <= set(rule) for rule in rules):
            problems.append(f"VTIMEZONE {tzid}: needs STANDARD or DAYLIGHT with DTSTART, TZOFFSETFROM, TZOFFSETTO")
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid"))
        for name in ("UID", "DTSTAMP", "DTSTART"):
            if name not in event:
                problems.append(f"VEVENT {uid}: no {name}")
        if "DTSTAMP" in event and event.decoded("dtstamp").utcoffset() != datetime.timedelta(0):
            problems.append(f"VEVENT {uid}: DTSTAMP must be in UTC")
        for name in ("DTSTART", "DTEND"):
            tzid = event[name].params.get("TZID") if name in event else None
            if tzid and tzid not in zones:
                problems.append(f"VEVENT {uid}: {name} has TZID {tzid} without a VTIMEZONE")
        if "DTSTART" in event and "DTEND" in event:
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            if type(start) is not type(end) or not end > start:
                problems.append(f"VEVENT {uid}: DTEND must be of DTSTART's type and after it")
    names = [component.name for component in calendar.subcomponents]
    if names != sorted(names, key=lambda name: name != "VTIMEZONE"):
        problems.append("the VTIMEZONEs come before the events that use them")
    return problems


def test_the_hand_made_calendar_checks_can_fail(agenda):
    data = (agenda.output / "fr" / "calendar.ics").read_bytes()
    assert rfc5545_problems(data) == []
    start = data.index(b"BEGIN:VTIMEZONE\r\nTZID:Europe/Madrid")
    without_madrid = data[:start] + data[data.index(b"END:VTIMEZONE\r\n", start) + len(b"END:VTIMEZONE\r\n"):]
    assert rfc5545_problems(without_madrid) == [
        "VEVENT event-a-madrid-fr@uclg-digitalcities.org: DTSTART has TZID Europe/Madrid without a VTIMEZONE",
        "VEVENT event-a-madrid-fr@uclg-digitalcities.org: DTEND has TZID Europe/Madrid without a VTIMEZONE"]
    assert rfc5545_problems(data.replace(b"DTSTAMP:", b"X-DTSTAMP:", 1))[0].endswith(": no DTSTAMP")


@pytest.mark.parametrize("lang", LANGS)
def test_the_calendar_defines_each_zone_it_uses_and_events_fall_at_the_right_moment(agenda, lang):
    data = (agenda.output / lang / "calendar.ics").read_bytes()
    assert rfc5545_problems(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(zone["tzid"]): zone for zone in calendar.walk("VTIMEZONE")}
    events = {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}
    used = {event[key].params["TZID"] for event in events.values() for key in ("dtstart", "dtend")
            if "TZID" in event[key].params}
    assert used == set(zones) == ({"America/Chicago", "Europe/Madrid"} if lang == "fr" else {"America/Chicago"})
    workshop = events[f"event-atelier-{lang}"]
    assert workshop["dtstart"].params["TZID"] == "America/Chicago"
    assert workshop.decoded("dtstart").astimezone(UTC) == datetime.datetime(2027, 2, 10, 22, 0, tzinfo=UTC)
    assert workshop.decoded("dtend").astimezone(UTC) == datetime.datetime(2027, 2, 11, 0, 0, tzinfo=UTC)
    if lang == "fr":
        madrid = events["event-a-madrid-fr"]
        assert madrid.decoded("dtstart").astimezone(UTC) == datetime.datetime(2027, 3, 4, 8, 30, tzinfo=UTC)
        days = events["event-trois-jours-fr"]
        assert (days.decoded("dtstart"), days.decoded("dtend")) == (datetime.date(2027, 5, 4), datetime.date(2027, 5, 7))
        assert "TZID" not in days["dtstart"].params


def test_the_calendar_bytes_do_not_depend_on_the_hash_seed():
    """The zones are collected in a set: two runs with other seeds must still write the same bytes."""
    script = (
        "import datetime, sys\n"
        "from plugins.hub_items.calendar import build_calendar, calendar_event\n"
        "stamp = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)\n"
        "zones = ['Europe/Madrid', 'America/Chicago', 'Asia/Tokyo', 'Asia/Kolkata', 'America/Bogota']\n"
        "events = [calendar_event(f'{n}@x', zone, None, stamp, datetime.date(2027, 1, 2), None, datetime.time(9), None, zone)\n"
        "          for n, zone in enumerate(zones)]\n"
        "sys.stdout.buffer.write(build_calendar('C', 'fr', events))\n")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1
    tzids = [str(zone["tzid"]) for zone in icalendar.Calendar.from_ical(outputs.pop()).walk("VTIMEZONE")]
    assert tzids == sorted(tzids) and len(tzids) == 5


def test_a_preview_leaves_out_files_with_dates_in_the_wrong_order_or_an_unknown_zone(agenda):
    for slug in FAULTY:
        assert not (agenda.output / "fr" / "2026" / slug).exists()
    assert (agenda.output / "fr" / "2026" / "a-madrid" / "index.html").exists()
    messages = {str(problem) for problem in check_content(agenda.content, LANGS) if problem.level == "error"}
    assert messages == {message for _, message in FAULTY.values()}


def write(content, name, headers):
    path = content / "articles" / "fr" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Title: {name}\nCategory: events\nSlug: {name}\nTranslation_Key: {name}\nSummary: S.\n"
                    f"{headers}\n\nTexte.\n", encoding="utf-8")


def errors(content):
    return [str(problem) for problem in check_content(content, LANGS) if problem.level == "error"]


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "taxonomy.toml").write_bytes((ROOT / "content" / "taxonomy.toml").read_bytes())
    return folder


@pytest.mark.parametrize("headers, expected", [
    ("Date: 2026-01-01\nEvent_Start: 2027-04-02\nEvent_End: 2027-04-01",
     "content/articles/fr/x.md:8: error: Event_End: '2027-04-01' is before Event_Start '2027-04-02'; an event ends after it starts: fix or swap them"),
    ("Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_End: 2027-04-02 16:00",
     "content/articles/fr/x.md:8: error: Event_End: '2027-04-02 16:00' is the same time as Event_Start '2027-04-02 16:00'; an event ends after it starts: fix the day or the time"),
    ("Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_End: 2027-04-01 18:00",
     "content/articles/fr/x.md:8: error: Event_End: '2027-04-01 18:00' is before Event_Start '2027-04-02 16:00'; an event ends after it starts: fix the day or the time"),
    ("Date: 2026-05-02 10:00\nEvent_Start: 2027-04-02\nDeadline: 2026-05-01",
     "content/articles/fr/x.md:8: error: Deadline: '2026-05-01' is before the Date '2026-05-02 10:00'; a call closes after it is published: fix the Deadline or the Date"),
    ("Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_Timezone: europe/madrid",
     "content/articles/fr/x.md:8: error: Event_Timezone: 'europe/madrid' is not a time zone name; did you mean 'Europe/Madrid'?"),
    ("Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_Timezone: Mars/Olympus",
     "content/articles/fr/x.md:8: error: Event_Timezone: 'Mars/Olympus' is not a time zone name; use one like Europe/Madrid or America/Chicago"),
])
def test_dates_in_the_wrong_order_and_unknown_zones_are_errors_naming_file_line_and_header(content, headers, expected):
    write(content, "x", headers)
    assert errors(content) == [expected]


@pytest.mark.parametrize("headers", [
    "Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_End: 2027-04-02 18:00",  # later the same day
    "Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_End: 2027-04-03 09:00",  # the next morning
    "Date: 2026-01-01\nEvent_Start: 2027-04-02 16:00\nEvent_End: 2027-04-02",  # a day without a time
    "Date: 2026-05-02 10:00\nEvent_Start: 2027-04-02\nDeadline: 2026-05-02",  # closes the day it opens
])
def test_dates_in_order_are_not_errors(content, headers):
    write(content, "x", headers)
    assert errors(content) == []


def test_a_publish_build_and_invoke_check_stop_on_dates_in_the_wrong_order_and_unknown_zones(small_site):
    from hubsite.build import BuildError
    from hubsite.editing import check

    small_site.write("fr", "x", "X", category="events", extra="Event_Start: 2027-04-02 16:00\nEvent_End: 2027-04-02 15:00")
    small_site.write("fr", "y", "Y", category="events", extra="Event_Start: 2027-04-02 16:00\nEvent_Timezone: America/Chicgo")
    expected = ["content/articles/fr/x.md:10: error: Event_End: '2027-04-02 15:00' is before Event_Start '2027-04-02 16:00'; "
                "an event ends after it starts: fix the day or the time",
                "content/articles/fr/y.md:10: error: Event_Timezone: 'America/Chicgo' is not a time zone name; "
                "did you mean 'America/Chicago'?"]
    assert [str(problem) for problem in check(small_site.path) if problem.level == "error"] == expected  # invoke check
    with pytest.raises(BuildError) as failure:
        build_site(ROOT / "publishconf.py", output=small_site.output, PATH=str(small_site.path), SITEURL=SITEURL)
    assert all(line in failure.value.problems for line in expected)
    assert not small_site.output.exists()


def test_a_new_article_is_dated_on_the_site_clock(content):
    now = datetime.datetime(2026, 7, 1, 2, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # 19:30 UTC the day before
    path = new_article("Réunion", "fr", "news", now=now, timezone="Europe/Madrid", content=content)
    assert "Date: 2026-06-30 19:30\n" in path.read_text(encoding="utf-8")  # summer time in Madrid: UTC+2
    assert site_timezone() == "Europe/Madrid"  # pelicanconf.py's TIMEZONE


def test_invoke_new_on_a_machine_in_tokyo_writes_madrid_time(content):
    """Without a date, the article is dated now on the site's clock, not the machine's."""
    script = ("import sys\nfrom pathlib import Path\nfrom hubsite.editing import new_article\n"
              "print(new_article('Tokyo', 'fr', 'news', content=Path(sys.argv[1])))\n")
    before = datetime.datetime.now(UTC).replace(second=0, microsecond=0)
    subprocess.run([sys.executable, "-c", script, str(content)], check=True, env={**os.environ, "TZ": "Asia/Tokyo"})
    after = datetime.datetime.now(UTC)
    line = next(line for line in (content / "articles" / "fr" / "tokyo.md").read_text().splitlines() if line.startswith("Date: "))
    wall = datetime.datetime.strptime(line[len("Date: "):], "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Europe/Madrid"))
    # Either reading of the hour that repeats when summer time ends; Tokyo's clock is 7 or 8 hours ahead.
    assert any(before <= wall.replace(fold=fold) <= after for fold in (0, 1))
