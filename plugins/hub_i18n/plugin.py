"""Pelican glue for hub_i18n: settings check, gettext per page, grouping, and per-language listings.

Everything here touches Pelican; the logic it calls lives in the sibling modules.
"""

import datetime
import logging
import os
from dataclasses import dataclass
from functools import partial
from itertools import groupby

from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator

from . import catalogs, dates, leads, views
from .facts import read_facts
from .grouping import ContentError, group_translations, originals_missing
from .pages import describe_page
from .settings import SITE_TEXTS, path_words, unknown_language, validate_settings
from .taxonomy import load_taxonomy, measure_pictures, slugify

logger = logging.getLogger(__name__)

STATE_KEY = "HUB_I18N_STATE"


@dataclass(frozen=True)
class LocalTerm:
    """A category or tag as one language shows it."""

    kind: str
    key: str
    lang: str
    name: str
    url: str
    free: bool = False  # a tag that is not in the taxonomy: it exists in `lang` only, its key is its slug


@dataclass
class Listing:
    """One page of a paginated listing."""

    title: str
    entries: list
    number: int
    count: int
    url: str
    previous_url: str | None
    next_url: str | None


class DetachedState:
    """What a run's state becomes when Pelican pickles cached content (Category objects keep the
    settings): a cache must never carry one run's catalogs or groups into another."""


class RunState:
    def __reduce__(self):
        return (DetachedState, ())


class HubState(RunState):
    """Per-run state (kept in the run's settings, so nothing survives into the next run)."""

    def __init__(self, settings, resolved, translations, taxonomy):
        self.settings = settings
        self.config = resolved
        self.languages = resolved["HUB_I18N_LANGUAGES"]
        self.default_lang = settings["DEFAULT_LANG"]
        self.siteurl = settings["SITEURL"]
        self.translations = translations
        self.taxonomy = taxonomy
        self.page_groups = {}
        self.article_groups = {}
        self.listed_groups = []  # article groups whose original is published: what listings show
        self.listed = {}  # lang -> its listing entries, newest first
        self.listed_by_term = {}  # lang -> {("category", "tag" or "free-tag", key): those entries, in the same order}
        self.free_tags = {}  # lang -> {slug: LocalTerm} of the free tags its own listed entries use
        # One clock per build: "scheduled", "open call" and "upcoming event" are judged at this moment.
        # HUB_NOW (ISO date-time) pins it, to rebuild a past day's site or compare two builds.
        pinned = settings.get("HUB_NOW")
        self.now = (datetime.datetime.fromisoformat(pinned) if pinned
                    else datetime.datetime.now(datetime.timezone.utc))
        if self.now.tzinfo is None:
            self.now = self.now.replace(tzinfo=datetime.timezone.utc)

    def is_scheduled(self, item):
        return item.date > self.now

    def list_groups(self, groups):
        """Listings show `groups` (those whose original is published): sort each language's entries
        once, and file them by category and tag in the same order."""
        self.listed_groups = groups
        policy = self.config["HUB_I18N_UNTRANSLATED"]
        for lang in self.languages:
            entries = self.listed[lang] = views.listing_entries(groups, lang, policy)
            by_term = self.listed_by_term[lang] = {}
            spellings = {}  # free tag slug -> {name as written: how many articles}
            for entry in entries:
                category = getattr(entry.item, "hub_category", None)
                if category:
                    by_term.setdefault(("category", category.key), []).append(entry)
                for tag in getattr(entry.item, "hub_tags", []):
                    if tag.free and entry.fallback:
                        continue  # another language's free tag: it has no page in this one
                    names = spellings.setdefault(tag.key, {}) if tag.free else None
                    if names is not None:
                        names[tag.name] = names.get(tag.name, 0) + 1
                    by_term.setdefault(("free-tag" if tag.free else "tag", tag.key), []).append(entry)
            # A free tag's page is titled by its most used spelling (then the first in sort order).
            self.free_tags[lang] = {
                slug: self.free_tag(min(names, key=lambda name: (-names[name], name)), lang)
                for slug, names in sorted(spellings.items())
            }

    def entries(self, lang, term=None):
        """`lang`'s listing entries (the untranslated policy applied), newest first; with
        term=("category" or "tag", key), those of that term."""
        return self.listed[lang] if term is None else self.listed_by_term[lang].get(term, [])

    def published_versions(self, lang):
        """`lang`'s own published articles whose date has come, in group order (feeds, calendars)."""
        return [item for group in self.article_groups.values()
                if (item := group.versions.get(lang)) is not None and item.status == "published"
                and not self.is_scheduled(item)]

    # URLs (site-relative, ending in '/' for directories)
    def words(self, lang):
        return path_words(self.config, lang)

    def home_url(self, lang):
        return f"{lang}/"

    def archives_url(self, lang):
        return f"{lang}/{self.words(lang)['archives']}/"

    def term_url(self, term, lang):
        word = self.words(lang)["category" if term.kind == "categories" else "tag"]
        return f"{lang}/{word}/{term.slug(lang)}/"

    def local_term(self, term, lang):
        return LocalTerm(term.kind, term.key, lang, term.label(lang), self.term_url(term, lang))

    def free_tag(self, written, lang):
        """A tag the taxonomy does not know, as a `lang` article writes it (None if it has no letter
        or digit to make a URL of). Its key is its slug: spellings that slug alike share one page."""
        slug = slugify(written)
        if not slug:
            return None
        return LocalTerm("tags", slug, lang, written.strip(), f"{lang}/{self.words(lang)['tag']}/{slug}/", free=True)

    def absolute(self, path):
        return views.absolute(self.siteurl, path)

    # Template helpers
    def categories(self, lang):
        return [self.local_term(term, lang) for term in self.taxonomy.categories.values()]

    def category_in(self, item, lang):
        """The item's category as `lang` shows it (listings show other languages' items too)."""
        own = getattr(item, "hub_category", None)
        if own is None:
            return None
        return self.local_term(self.taxonomy.categories[own.key], lang)

    def page_link(self, key, lang):
        """The standing page `key` in `lang` (or None when it has no version there)."""
        group = self.page_groups.get(key)
        return group.in_lang(lang) if group else None

    def gettext(self, lang, message):
        return self.translations[lang].gettext(message)

    def site_text(self, lang, name):
        """One of the hub's texts (settings.SITE_TEXTS: SITENAME, HUB_SITE_*) in `lang`."""
        return self.gettext(lang, self.config[name])


def lang_of(context, state):
    """The language of the page being rendered, from top-level names only (loops are not visible)."""
    lang = context.get("current_lang")
    if lang:
        return lang
    for name in ("article", "page"):
        item = context.get(name)
        if getattr(item, "lang", None):
            return item.lang
    return state.default_lang


def install_templates(generator):
    """generator_init: gettext that follows each page's language, and Babel filters."""
    state = generator.settings.get(STATE_KEY)
    if state is None:
        return
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")

    @pass_context
    def gettext(context, message):
        return state.translations[lang_of(context, state)].gettext(message)

    @pass_context
    def ngettext(context, singular, plural, number):
        return state.translations[lang_of(context, state)].ngettext(singular, plural, number)

    @pass_context
    def pgettext(context, message_context, message):
        return state.translations[lang_of(context, state)].pgettext(message_context, message)

    @pass_context
    def npgettext(context, message_context, singular, plural, number):
        return state.translations[lang_of(context, state)].npgettext(message_context, singular, plural, number)

    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)

    @pass_context
    def long_date(context, value):
        return dates.long_date(value, lang_of(context, state))

    @pass_context
    def month_year(context, value):
        return dates.month_year(value, lang_of(context, state))

    @pass_context
    def date_range(context, start, end=None):
        return dates.date_range(start, end, lang_of(context, state))

    # Event times are written in their Event_Timezone, else in the site's (Pelican's TIMEZONE).
    site_zone = generator.settings.get("TIMEZONE") or "UTC"

    @pass_context
    def event_when(context, facts):
        return dates.event_when(facts.event_start, facts.event_end, facts.event_start_time, facts.event_end_time,
                                facts.event_timezone or site_zone, lang_of(context, state))

    def event_datetime(facts):
        return dates.event_datetime(facts.event_start, facts.event_start_time, facts.event_timezone or site_zone)

    @pass_context
    def number(context, value):
        return dates.number(value, lang_of(context, state))

    env.filters.update(long_date=long_date, month_year=month_year, date_range=date_range, event_when=event_when,
                       event_datetime=event_datetime, number=number, reading_minutes=leads.reading_minutes)
    env.globals.update(
        hub=state,
        _in=state.gettext,
        language_name=dates.language_name,
        share_links=lambda item: leads.share_links(state.absolute(item.url), str(item.title)),
    )


def check_and_prepare(pelican):
    """initialized: validate settings, compile what is out of date, load catalogs and taxonomy."""
    settings = pelican.settings
    resolved = validate_settings(settings)
    languages = resolved["HUB_I18N_LANGUAGES"]
    catalog_dir = resolved["HUB_I18N_CATALOG_DIR"] or os.path.join(settings["THEME"], "translations")
    for path in catalogs.compile_catalogs(catalog_dir, languages):
        logger.info("hub_i18n: compiled %s", path)
    translations = catalogs.load_translations(catalog_dir, languages)
    taxonomy_file = os.path.join(settings["PATH"], resolved["HUB_I18N_TAXONOMY_FILE"])
    taxonomy = load_taxonomy(taxonomy_file, languages)
    shown = f"{os.path.basename(settings['PATH'])}/{resolved['HUB_I18N_TAXONOMY_FILE']}"
    for problem in measure_pictures(taxonomy, settings["PATH"], shown):
        logger.warning("%s", problem)
    settings[STATE_KEY] = HubState(settings, resolved, translations, taxonomy)
    # Templates read them from the context: `_(SITENAME)`, `_(HUB_SITE_SUMMARY)`.
    settings.update({name: resolved[name] for name in SITE_TEXTS})


def add_generator(pelican):
    return HubI18nGenerator


def folder_lang(item):
    """The language folder an item sits in (content/articles/<lang>/...), or None."""
    parts = item.get_relative_source_path().replace(os.sep, "/").split("/")
    return parts[1] if len(parts) > 2 else None


def pin_urls(item):
    """Pelican formats `url` and `save_as` from the settings on every access (thousands per build).
    It honours `override_url`, so pin that once: nothing changes it after the item is read. Not `override_save_as`:
    Pelican takes that for a Save_As header and lets the page overwrite others; `hub_save_as`."""
    if "hub_save_as" not in item.__dict__:
        item.override_url = item.url
        item.hub_save_as = item.save_as


class HubI18nGenerator(Generator):
    """Groups translations and writes every language's listings, the chooser and the 404 pages."""

    def generate_context(self):
        self.state = state = self.settings[STATE_KEY]
        ctx = self.context
        published = list(ctx.get("articles", [])) + list(ctx.get("hidden_articles", []))
        pages = list(ctx.get("pages", [])) + list(ctx.get("hidden_pages", []))
        drafts = list(ctx.get("drafts", [])) + list(ctx.get("draft_pages", []))

        problems = []
        for item in published + pages + drafts:
            problems.extend(self.normalise(item))
        for article in published + [d for d in drafts if hasattr(d, "category")]:
            problems.extend(self.attach_terms(article))
            article.hub_facts = read_facts(article.metadata, article.source)
            problems.extend(article.hub_facts.problems)
        try:
            state.article_groups = group_translations(published, state.languages)
            state.page_groups = group_translations(pages, state.languages)
        except ContentError as error:
            problems.extend(error.problems)
        if state.config["HUB_I18N_REQUIRE_ORIGINAL"]:
            orphans = originals_missing(state.article_groups) + originals_missing(state.page_groups)
            if self.settings.get("HUB_CHECK_SKIP"):
                # A preview left broken files out (hub_check): an original may be among them.
                for line in orphans:
                    logger.warning("hub_i18n: %s", line)
            else:
                problems.extend(orphans)
        if problems:
            raise ContentError(problems)

        state.list_groups([group for group in state.article_groups.values() if group.original.status == "published"])
        for groups in (state.article_groups, state.page_groups):
            for group in groups.values():
                self.link_versions(group.versions)
        for draft in drafts:
            groups = state.article_groups if hasattr(draft, "category") else state.page_groups
            group = groups.get(draft.translation_key)
            versions = dict(group.versions) if group else {}
            versions[draft.lang] = draft
            self.link_versions(versions, only=draft)

        attach_leads(state)
        self.listings = self.build_listings()

    # --- content items -------------------------------------------------
    def normalise(self, item):
        """Derive translation_key, is_translation, source; report a language that does not fit."""
        state = self.state
        item.source = os.path.join(os.path.basename(self.settings["PATH"]), item.get_relative_source_path())
        pin_urls(item)
        item.translation_key = str(item.metadata.get("translation_key") or item.slug)
        item.is_translation = str(item.metadata.get("translation", "false")).strip().lower() == "true"
        folder = folder_lang(item)
        problem = unknown_language(item.lang, state.languages)
        if problem:
            return [f"{item.source}: Lang: {problem} and the matching folder"]
        if folder != item.lang:
            return [
                f"{item.source}: Lang: {item.lang!r} does not match the folder {folder!r}; "
                f"move the file to the {item.lang} folder or fix the Lang header"
            ]
        return []

    def attach_terms(self, article):
        state = self.state
        problems = []
        category_key = article.category.name if getattr(article, "category", None) else ""
        term = state.taxonomy.categories.get(category_key)
        if term is None:
            problems.append(
                f"{article.source}: Category: {category_key!r} is not a category of this site; "
                f"use one of {', '.join(state.taxonomy.categories)}"
            )
        else:
            article.hub_category = state.local_term(term, article.lang)
        article.hub_tags = []
        seen = set()
        for tag in getattr(article, "tags", []):
            # By id, or by label or alias in the article's language; else a free tag (hub_check warns).
            term = state.taxonomy.find_tag(tag.name, article.lang)
            local = state.local_term(term, article.lang) if term else state.free_tag(tag.name, article.lang)
            if local is None:
                problems.append(
                    f"{article.source}: Tags: {tag.name!r} has no letter or digit to make its page's URL; "
                    "write the tag as a word or remove it"
                )
            elif (local.free, local.key) not in seen:  # 'open-data, Datos abiertos' is one tag
                seen.add((local.free, local.key))
                article.hub_tags.append(local)
        return problems

    def x_default(self, versions):
        """The version in the default language, else the original (else the root)."""
        chosen = versions.get(self.state.default_lang)
        if chosen is None:
            chosen = next((item for item in versions.values() if not item.is_translation), None)
        return chosen.url if chosen else ""

    def link_versions(self, versions, only=None):
        """Set translations and the page's description on each version (or just on `only`)."""
        state = self.state
        urls = {lang: item.url for lang, item in versions.items()}
        x_default = self.x_default(versions)
        for lang, item in versions.items():
            if only is not None and item is not only:
                continue
            item.translations = [other for other_lang, other in versions.items() if other_lang != lang]
            item.hub_versions = versions
            item.hub_page = describe_page(state, lang, item.url, urls, x_default=x_default)

    # --- listings --------------------------------------------------------
    def build_listings(self):
        """Every listing page of every language: (save_as, template, kwargs)."""
        state = self.state
        per_page = state.config["HUB_I18N_PAGINATION"]
        outputs = []

        def add_listing(kind_key, title_of, base_of, template, extra=None, paginate=True, languages=None):
            """Write one paginated listing in every language (or of `languages`) that has entries
            (home: always)."""
            pages_by_lang = {}
            for lang in languages or state.languages:
                entries = state.entries(lang) if kind_key == ("home",) else state.entries(lang, kind_key)
                if entries or kind_key == ("home",):
                    pages_by_lang[lang] = views.paginate(entries, per_page if paginate else max(len(entries), 1))
            for lang, pages in pages_by_lang.items():
                for number, entries in enumerate(pages, start=1):
                    urls = {
                        other: views.page_path(base_of(other), number, state.words(other)["page"])
                        for other, other_pages in pages_by_lang.items()
                        if number <= len(other_pages)
                    }
                    listing = Listing(
                        title=title_of(lang),
                        entries=entries,
                        number=number,
                        count=len(pages),
                        url=urls[lang],
                        previous_url=(views.page_path(base_of(lang), number - 1, state.words(lang)["page"])
                                      if number > 1 else None),
                        next_url=(views.page_path(base_of(lang), number + 1, state.words(lang)["page"])
                                  if number < len(pages) else None),
                    )
                    kwargs = dict(
                        current_lang=lang,
                        listing=listing,
                        # A language whose listing has no page of this number: its listing's first page.
                        hub_page=describe_page(state, lang, urls[lang], urls,
                                               elsewhere={code: base_of(code) for code in pages_by_lang}),
                        **(extra(lang) if extra else {}),
                    )
                    outputs.append((urls[lang] + "index.html", template, kwargs))

        add_listing(("home",), lambda lang: None, state.home_url, "index")
        own_templates = state.config["HUB_I18N_CATEGORY_TEMPLATES"]
        for term in state.taxonomy.categories.values():
            add_listing(
                ("category", term.key),
                term.label,
                lambda lang, term=term: state.term_url(term, lang),
                own_templates.get(term.key, "category"),
                extra=lambda lang, term=term: {"term": state.local_term(term, lang)},
                paginate=term.key not in own_templates,
            )
        for term in state.taxonomy.tags.values():
            add_listing(
                ("tag", term.key),
                term.label,
                lambda lang, term=term: state.term_url(term, lang),
                "tag",
                extra=lambda lang, term=term: {"term": state.local_term(term, lang)},
            )
        # Free tags: a page in their language only (no alternates; the switcher goes to the homes).
        for lang in state.languages:
            for slug, local in state.free_tags[lang].items():
                add_listing(
                    ("free-tag", slug),
                    lambda _, local=local: local.name,
                    lambda _, local=local: local.url,
                    "tag",
                    extra=lambda _, local=local: {"term": local},
                    languages=[lang],
                )

        # Archives: one page per language, every entry grouped by month.
        for lang in state.languages:
            entries = state.entries(lang)
            months = [
                (month_entries[0].item.date, month_entries)
                for _, month_entries in (
                    (key, list(group)) for key, group in groupby(entries, key=lambda e: (e.item.date.year, e.item.date.month))
                )
            ]
            urls = {code: state.archives_url(code) for code in state.languages}
            outputs.append((
                urls[lang] + "index.html",
                "archives",
                dict(
                    current_lang=lang,
                    months=months,
                    count=len(entries),
                    hub_page=describe_page(state, lang, urls[lang], urls),
                ),
            ))

        # Not-found page per language (no alternates: a 404 is not a page to index); its switcher
        # leads to the other languages' not-found pages, which say the same.
        not_found = {code: f"{code}/404.html" for code in state.languages}
        for lang in state.languages:
            outputs.append((
                not_found[lang],
                "404",
                dict(current_lang=lang, hub_page=describe_page(state, lang, not_found[lang], not_found, indexed=False)),
            ))
        # The root: a language chooser (the x-default of every listing) and a multilingual 404.
        homes = {code: state.home_url(code) for code in state.languages}
        root = state.default_lang
        outputs.append(("index.html", "chooser",
                        dict(current_lang=root, hub_page=describe_page(state, root, "", homes, switcher=False))))
        outputs.append(("404.html", "root_404", dict(current_lang=root, hub_page=describe_page(state, root, "404.html"))))
        return outputs

    def generate_output(self, writer):
        for save_as, template, kwargs in self.listings:
            writer.write_file(
                save_as,
                self.get_template(template),
                self.context,
                relative_urls=False,
                url=save_as.removesuffix("index.html"),
                template_name=template,
                **kwargs,
            )


def attach_leads(state):
    """Give every article version its related articles and its previous and next ones
    (`hub_leads`), from its language's listing entries: the untranslated policy applies as in
    listings (with "link", a related article may be another language's original)."""
    for lang in state.languages:
        made = {}  # one Candidate per listed item, shared by every term that files it

        def candidate(entry):
            found = made.get(id(entry.item))
            if found is None:
                found = made[id(entry.item)] = candidate_of(entry)
            return found

        by_term = leads.RelatedIndex({term: [candidate(entry) for entry in entries]
                                      for term, entries in state.listed_by_term[lang].items()})
        own = [candidate(entry) for entry in state.entries(lang) if not entry.fallback]
        positions = {candidate.key: position for position, candidate in enumerate(own)}
        for group in state.article_groups.values():
            item = group.versions.get(lang)
            if item is not None:
                item.hub_leads = leads.LeadsOnDemand(partial(work_out_leads, item, own, positions, by_term))


def work_out_leads(item, own, positions, by_term):
    category = getattr(item, "hub_category", None)
    previous, following = leads.neighbours(item.translation_key, own, positions)
    return leads.Leads(
        related=leads.related(item.translation_key, category.key if category else None,
                              [tag.key for tag in getattr(item, "hub_tags", [])], by_term),
        previous=previous, next=following)


def candidate_of(entry):
    item = entry.item
    category = getattr(item, "hub_category", None)
    return leads.Candidate(
        key=item.translation_key,
        category=category.key if category else None,
        tags=frozenset(tag.key for tag in getattr(item, "hub_tags", [])),
        lead=leads.Lead(str(item.title), item.url, item.lang, item.date, entry.fallback))


def skip_pelican_term_pages(generator):
    """article_generator_finalized: Pelican's tag, category and author pages are off (this plugin
    writes its own), yet its writer filters every article for each term before finding nothing to
    write. The context keeps the terms; only those empty loops go."""
    settings = generator.settings
    if not any(settings.get(name) for name in ("TAG_SAVE_AS", "CATEGORY_SAVE_AS", "AUTHOR_SAVE_AS")):
        generator.tags, generator.categories, generator.authors = {}, [], []


def register():
    signals.initialized.connect(check_and_prepare)
    signals.article_generator_finalized.connect(skip_pelican_term_pages)
    signals.generator_init.connect(install_templates)
    signals.get_generators.connect(add_generator)
