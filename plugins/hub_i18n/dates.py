"""Dates in a page's language through Babel (CLDR); the OS locale is never touched."""

import datetime
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_timezone_gmt, get_timezone_location


@lru_cache(maxsize=None)
def locale_for(lang):
    return Locale.parse(lang)


def long_date(value, lang):
    """31 mai 2021 / 31 de mayo de 2021 / May 31, 2021."""
    if isinstance(value, datetime.datetime):
        value = value.date()  # what format_date keeps of it
    return _long_date(value, lang)


@lru_cache(maxsize=8192)
def _long_date(day, lang):
    # Archives and listings show the same dates over and over: Babel's formatting is the cost.
    return format_date(day, format="long", locale=locale_for(lang))


def date_range(start, end, lang):
    """4–8 novembre 2024 / 4–8 de noviembre de 2024 / November 4–8, 2024 (one date when equal)."""
    if end is None or end == start:
        return long_date(start, lang)
    return format_interval(start, end, "yMMMMd", locale=locale_for(lang))


def event_moment(day, clock, zone):
    """The event's start as an aware datetime, or None for a date-only event."""
    if clock is None:
        return None
    return datetime.datetime.combine(day, clock, tzinfo=ZoneInfo(zone))


def event_datetime(day, clock, zone):
    """A `<time datetime>` value: 2027-02-10 for a date-only event, 2027-02-10T16:00+01:00 with a
    time (its offset, so a browser or crawler places it right whatever its own zone)."""
    moment = event_moment(day, clock, zone)
    return day.isoformat() if moment is None else moment.isoformat(timespec="minutes")


def event_when(start, end, start_time, end_time, zone, lang):
    """An event's dates, and its times with their zone when it has any, as the page's language
    writes them (CLDR patterns, never the OS locale):

    10 février 2027, 16:00 – 18:00 UTC-06:00 (Chicago) / February 10, 2027, 4:00 – 6:00 PM GMT-06:00 (Chicago)
    """
    if start_time is None:
        return date_range(start, end, lang)
    begins = event_moment(start, start_time, zone)
    if end is None or end == start or end_time is None:
        # One day (a time or a span of hours), or several days from a start time.
        if end_time is None:
            clock = format_time(start_time, "short", locale=locale_for(lang))
        else:
            clock = format_interval(start_time, end_time, _time_skeleton(lang), locale=locale_for(lang))
        return f"{_date_and_time(date_range(start, end, lang), clock, lang)} {zone_label(begins, lang)}"
    ends = event_moment(end, end_time, zone)
    first = _date_and_time(long_date(start, lang), format_time(start_time, "short", locale=locale_for(lang)), lang)
    last = _date_and_time(long_date(end, lang), format_time(end_time, "short", locale=locale_for(lang)), lang)
    if begins.utcoffset() != ends.utcoffset():  # a change to or from summer time in between
        first, last = f"{first} {zone_label(begins, lang)}", f"{last} {zone_label(ends, lang)}"
        return _interval(first, last, lang)
    return f"{_interval(first, last, lang)} {zone_label(begins, lang)}"


def zone_label(moment, lang):
    """The zone of an aware datetime: its UTC offset as the language writes it (UTC+01:00,
    GMT+01:00), then the zone's city when it has one (Madrid, Ciudad de México)."""
    offset = get_timezone_gmt(moment, width="long", locale=locale_for(lang))
    key = getattr(moment.tzinfo, "key", "") or ""
    if "/" not in key or key.startswith("Etc/"):  # UTC, Etc/GMT+5: no city to name
        return offset
    return f"{offset} ({get_timezone_location(moment, locale=locale_for(lang), return_city=True)})"


def _time_skeleton(lang):
    """Hours as the language counts them: 16:00 (fr, es) or 4:00 PM (en)."""
    return "hm" if "h" in locale_for(lang).time_formats["short"].pattern else "Hm"


def _date_and_time(date_text, time_text, lang):
    """A date and a time joined as the language joins them (CLDR's medium date-time pattern)."""
    pattern = re.sub(r"'([^']*)'", r"\1", str(locale_for(lang).datetime_formats["medium"]))
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def _interval(first, last, lang):
    """Two moments as a range, with the language's fallback interval pattern ({0} – {1})."""
    return locale_for(lang).interval_formats[None].replace("{0}", first).replace("{1}", last)


def number(value, lang):
    """A number as the language writes it: 1 234 / 1.234 / 1,234."""
    return format_decimal(value, locale=locale_for(lang))


def month_year(value, lang):
    """mai 2021 / mayo de 2021 / May 2021."""
    return format_skeleton("yMMMM", value, locale=locale_for(lang))


def language_name(code, in_lang=None):
    """A language's name in itself ('español') or, with in_lang, in another language."""
    name = locale_for(code).get_display_name(locale_for(in_lang or code))
    return name[:1].upper() + name[1:] if in_lang is None else name
