"""Pelican glue for hub_items: edition pages, call and event helpers for templates, iCalendar files."""

import logging
import os
import posixpath
from zoneinfo import ZoneInfo

from pelican import signals
from pelican.generators import Generator

from plugins.hub_engine.outputs import outputs_of
from plugins.hub_i18n import views
from plugins.hub_i18n.grouping import ContentError
from plugins.hub_i18n.pages import describe_page
from plugins.hub_i18n.plugin import STATE_KEY, RunState
from plugins.hub_i18n.settings import site_languages

from .calendar import build_calendar, calendar_event, call_is_open, calls_open_first, split_events
from .editions import load_editions

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_ITEMS_EDITIONS_FILE": "editions.toml",  # relative to PATH
    "HUB_ITEMS_STUDY_PAGE": "smart-cities-study",  # translation key of the study's standing page
    "HUB_ITEMS_CALENDAR": "calendar.ics",  # per language: /<lang>/calendar.ics
    "HUB_ITEMS_UID_DOMAIN": "uclg-digitalcities.org",
}


def N_(message):
    return message


DEADLINE_SUMMARY = N_("Deadline: %(title)s")
CALENDAR_NAME = N_("%(site)s: events and deadlines")


class ItemsState(RunState):
    def __init__(self, settings, editions):
        self.settings = settings
        self.editions = editions
        self.by_year = {edition.year: edition for edition in editions}
        self.related = {}  # (year, lang) -> listing entries

    @property
    def i18n(self):
        return self.settings[STATE_KEY]

    def today(self):
        zone = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        return self.i18n.now.astimezone(zone).date()

    def edition_url(self, year, lang):
        page = self.i18n.page_link(self.settings["HUB_ITEMS_STUDY_PAGE"], lang)
        base = page.url if page is not None else f"{lang}/{self.settings['HUB_ITEMS_STUDY_PAGE']}/"
        return f"{base}{year}/"

    def edition_of(self, item):
        edition = item.metadata.get("edition") if hasattr(item, "metadata") else None
        return self.by_year.get(int(edition)) if edition and str(edition).isdigit() else None

    def call_open(self, item):
        return call_is_open(item.hub_facts.deadline, self.today())

    def days_left(self, item):
        """Whole days from the build's day to a call's deadline (0 on its last day)."""
        return (item.hub_facts.deadline - self.today()).days

    def events_split(self, entries):
        return split_events(entries, self.today(), lambda item: item.hub_facts)

    def calls_split(self, entries):
        return calls_open_first(entries, self.today(), lambda item: item.hub_facts)

    def calendar_name(self, lang):
        """The name of `lang`'s calendar, as calendar apps list it: the hub's, in `lang`."""
        return self.i18n.gettext(lang, CALENDAR_NAME) % {"site": self.i18n.site_text(lang, "SITENAME")}

    def open_calls(self, lang):
        """Open calls in `lang` (with the untranslated policy), nearest deadline first."""
        return self.calls_split(self.i18n.entries(lang, ("category", "calls")))[0]


def prepare(pelican):
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    languages = site_languages(settings)
    problems = []
    editions = load_editions(os.path.join(settings["PATH"], settings["HUB_ITEMS_EDITIONS_FILE"]), languages,
                             settings["PATH"], problems)
    for problem in problems:
        logger.warning("%s", problem)
    settings["HUB_ITEMS_STATE"] = ItemsState(settings, editions)


def install_templates(generator):
    state = generator.settings.get("HUB_ITEMS_STATE")
    if state is not None:
        generator.env.globals["items"] = state


def add_generator(pelican):
    return HubItemsGenerator


class HubItemsGenerator(Generator):
    def generate_context(self):
        state = self.settings["HUB_ITEMS_STATE"]
        i18n = self.settings[STATE_KEY]
        problems = []
        for group in i18n.article_groups.values():
            for item in group.versions.values():
                edition = item.metadata.get("edition")
                item.hub_edition = state.edition_of(item)
                if edition and item.hub_edition is None:
                    problems.append(f"{item.source}: Edition: {edition!r} is not an edition in content/editions.toml; "
                                    f"use one of {', '.join(str(e.year) for e in state.editions)}")
        if problems:
            raise ContentError(problems)
        # Each event's page links its own calendar file, beside the page (every rendered version).
        for group in i18n.article_groups.values():
            for item in group.versions.values():
                if item.hub_facts.event_start:
                    folder = posixpath.dirname(item.hub_save_as)
                    item.hub_calendar_url = f"{folder}/{item.slug}.ics" if folder else f"{item.slug}.ics"
        for edition in state.editions:
            for lang in i18n.languages:
                state.related[(edition.year, lang)] = [
                    entry for entry in i18n.entries(lang)
                    if getattr(entry.item, "hub_edition", None) and entry.item.hub_edition.year == edition.year]

    def generate_output(self, writer):
        state = self.settings["HUB_ITEMS_STATE"]
        i18n = state.i18n
        for index, edition in enumerate(state.editions):
            urls = {lang: state.edition_url(edition.year, lang) for lang in i18n.languages}
            for lang in i18n.languages:
                info = describe_page(i18n, lang, urls[lang], urls, x_default=urls[i18n.default_lang])
                writer.write_file(
                    urls[lang] + "index.html", self.get_template("edition"), self.context, relative_urls=False,
                    url=urls[lang], current_lang=lang, hub_page=info, edition=edition,
                    related=state.related[(edition.year, lang)],
                    previous_edition=state.editions[index - 1] if index > 0 else None,
                    next_edition=state.editions[index + 1] if index + 1 < len(state.editions) else None,
                )
        for lang in i18n.languages:
            self.write_calendar(state, lang)
        for group in i18n.article_groups.values():
            for lang, item in group.versions.items():
                if getattr(item, "hub_calendar_url", None):
                    self.write_event_calendar(state, item, lang)

    def item_events(self, state, item, lang):
        """The VEVENTs of an item in `lang`'s calendars: its event, its call's deadline."""
        i18n = state.i18n
        domain = self.settings["HUB_ITEMS_UID_DOMAIN"]
        zone = self.settings.get("TIMEZONE") or "UTC"
        facts = item.hub_facts
        stamp = getattr(item, "modified", None) or item.date
        url = i18n.absolute(item.url)
        summary_text = views.plain_text(getattr(item, "summary", ""))
        events = []
        if facts.event_start:
            location = i18n.gettext(lang, "Online") if facts.online else facts.location
            events.append(calendar_event(
                f"event-{item.translation_key}-{lang}@{domain}", item.title, url, stamp, facts.event_start,
                facts.event_end, facts.event_start_time, facts.event_end_time, facts.event_timezone or zone,
                location, summary_text))
        if facts.deadline:
            events.append(calendar_event(
                f"deadline-{item.translation_key}-{lang}@{domain}",
                i18n.gettext(lang, DEADLINE_SUMMARY) % {"title": item.title}, url, stamp, facts.deadline,
                description=summary_text))
        return events

    def write_event_calendar(self, state, item, lang):
        """One event's own calendar file ("Add to my calendar" on its page): its VEVENT, as in the
        language's calendar."""
        outputs_of(self.settings).add(item.hub_calendar_url, lambda: build_calendar(
            str(item.title), lang, [self.item_events(state, item, lang)[0]]))

    def write_calendar(self, state, lang):
        """Events and call deadlines in `lang`: its own versions only (calendar apps show one language)."""
        i18n = state.i18n
        dated = [item for item in i18n.published_versions(lang)
                 if item.hub_facts.event_start or item.hub_facts.deadline]
        outputs_of(self.settings).add(f"{lang}/{self.settings['HUB_ITEMS_CALENDAR']}", lambda: build_calendar(
            state.calendar_name(lang), lang,
            [event for item in dated for event in self.item_events(state, item, lang)]))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(install_templates)
    signals.get_generators.connect(add_generator)
