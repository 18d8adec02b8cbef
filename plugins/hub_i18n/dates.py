"""Dates in a page's language through Babel (CLDR); the OS locale is never touched."""

import datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton


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


def month_year(value, lang):
    """mai 2021 / mayo de 2021 / May 2021."""
    return format_skeleton("yMMMM", value, locale=locale_for(lang))


def language_name(code, in_lang=None):
    """A language's name in itself ('español') or, with in_lang, in another language."""
    name = locale_for(code).get_display_name(locale_for(in_lang or code))
    return name[:1].upper() + name[1:] if in_lang is None else name
