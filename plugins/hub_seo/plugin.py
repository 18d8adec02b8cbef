"""Pelican glue for hub_seo: JSON-LD and share cards for templates; sitemap and robots after writing."""

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pelican import signals

from plugins.hub_engine import signals as engine_signals
from plugins.hub_engine.outputs import outputs_of, write_atomically
from plugins.hub_i18n.plugin import STATE_KEY, RunState
from plugins.hub_i18n.views import plain_text

from . import cards
from .sitemap import robots_txt, sitemap_xml
from .structured import breadcrumb_list, event, news_article, organization, to_script_json

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_SEO_IMAGE": "theme/img/share.png",  # default share image (1200x630), site-relative
    "HUB_SEO_OG_LOCALES": {"fr": "fr_FR", "es": "es_ES", "en": "en_GB"},
    "HUB_SEO_EXCLUDE": ("404.html", "editors/"),  # not pages to index
    # Share cards (1200x630 JPEG): one per article, one per language for every other page.
    "HUB_SEO_CARD_SAVE_AS": "share/{lang}/{key}.jpg",
    "HUB_SEO_CARD_FONTS": ("fonts/DejaVuSans-Bold.ttf", "fonts/DejaVuSans.ttf"),  # in THEME: bold, regular
    # theme/static/css/hub.css and logo.svg: --brand, --brand-dark, white, a pale brand, the logo's sun.
    "HUB_SEO_CARD_COLOURS": {"background": "#0b4f6c", "shade": "#083a50", "text": "#ffffff",
                             "muted": "#cfe3ec", "accent": "#ffd166"},
}
PAGES_KEY = "HUB_SEO_PAGES"
CARDS_KEY = "HUB_SEO_CARDS"


@dataclass(frozen=True)
class ShareCard:
    """What a page's share meta says of its card, and how the card is made."""

    url: str  # absolute
    save_as: str  # in the output
    alt: str
    key: str
    title: str  # drawn cards: the text in the middle
    lang: str
    picture: str | None = None  # the `Image:` file to crop, or None to draw
    focus: tuple | None = None
    source: str = ""  # the article's file, for messages
    width: int = cards.WIDTH
    height: int = cards.HEIGHT
    type: str = cards.MIME_TYPE


class ShareCards(RunState):
    """The cards of one build: worked out for every article once its content is read (the pages,
    rendered after, ask for them), then each drawn or copied from the cache into the output."""

    def __init__(self, settings, i18n):
        self.settings, self.i18n = settings, i18n
        self.fonts = tuple(os.path.join(settings["THEME"], name) for name in settings["HUB_SEO_CARD_FONTS"])
        self.fonts_digest = cards.font_digest(self.fonts)
        self.colours = dict(settings["HUB_SEO_CARD_COLOURS"])
        self.by_item = {}  # id(item) -> (item, card): the item is kept, so its id is not reused
        self.sites = {}  # lang -> the site card
        self.digests = {}  # picture file -> digest of its bytes

    def save_as(self, lang, key):
        return self.settings["HUB_SEO_CARD_SAVE_AS"].format(lang=lang, key=key[:20])

    def signature(self, lang):
        """The hub's name and, under it, its publisher: what every drawn card says of the site."""
        return self.i18n.site_text(lang, "SITENAME"), self.i18n.site_text(lang, "HUB_SITE_PUBLISHER")

    def drawn(self, title, lang, alt, source=""):
        name, tagline = self.signature(lang)
        key = cards.card_key("drawn", title, lang, name, tagline, self.colours, self.fonts_digest)
        save_as = self.save_as(lang, key)
        return ShareCard(self.i18n.absolute(save_as), save_as, alt, key, title, lang, source=source)

    def site(self, lang):
        """The card of the standing pages and listings of `lang`."""
        card = self.sites.get(lang)
        if card is None:
            card = self.sites[lang] = self.drawn(self.i18n.site_text(lang, "HUB_SITE_SUMMARY"), lang,
                                                 " · ".join(self.signature(lang)))
        return card

    def of(self, item):
        """The card of an article: its `Image:` picture cropped, else its title drawn."""
        kept = self.by_item.get(id(item))
        if kept is not None and kept[0] is item:
            return kept[1]
        card = self.make(item)
        self.by_item[id(item)] = (item, card)
        return card

    def make(self, item):
        lang, title = item.lang, plain_text(item.title)
        metadata = getattr(item, "metadata", {})
        source = getattr(item, "source", "") or item.get_relative_source_path()
        written = metadata.get("image")
        path = (cards.picture_path(written, item.get_relative_source_path().replace(os.sep, "/"), self.settings["PATH"])
                if written else None)
        if path and os.path.isfile(path):
            try:
                focus = cards.parse_focus(metadata.get("image_focus"))
            except ValueError:
                focus = None  # hub_check says so, with the header's line: cropped around the centre
            digest = self.digests.get(path) or self.digests.setdefault(path, cards.file_digest(path))
            key = cards.card_key("picture", digest, focus)
            save_as = self.save_as(lang, key)
            alt = plain_text(str(metadata.get("image_alt") or "")) or title
            return ShareCard(self.i18n.absolute(save_as), save_as, alt, key, title, lang, path, focus, source)
        return self.drawn(title, lang, f"{title} · {self.i18n.site_text(lang, 'SITENAME')}", source)

    def card_bytes(self, card):
        """The card's JPEG bytes: the picture cropped or, if it cannot be read, the title drawn."""
        if card.picture:
            try:
                return cards.crop_picture(card.picture, card.focus)
            except cards.CardError as error:
                logger.warning("%s: Image: %s; the share card shows the title instead", card.source, error)
        name, tagline = self.signature(card.lang)
        return cards.draw_card(card.title, name, tagline, self.fonts, self.colours, card.key)

    def add_all(self, outputs):
        """Every card of this build as an output, drawn into the cache (CACHE_PATH/hub_seo_cards)
        if it is not there yet; cards no longer used leave the cache."""
        cache = os.path.join(self.settings.get("CACHE_PATH") or "cache", "hub_seo_cards")
        os.makedirs(cache, exist_ok=True)
        wanted = {}
        for item, card in self.by_item.values():
            wanted[card.save_as] = card  # (a focus written another way: hub_check says so, with its line)
        for lang in self.i18n.languages:
            card = self.site(lang)
            wanted[card.save_as] = card
        kept = {f"{card.key}.jpg" for card in wanted.values()}
        missing = {card.key: card for card in wanted.values()
                   if not os.path.isfile(os.path.join(cache, f"{card.key}.jpg"))}

        def draw(card):
            write_atomically(os.path.join(cache, f"{card.key}.jpg"), self.card_bytes(card))

        # Threads: Pillow lets go of the GIL while it resizes and encodes, most of a card's time.
        with ThreadPoolExecutor(max_workers=min(len(missing), os.cpu_count() or 1) or 1) as pool:
            for _ in pool.map(draw, [missing[key] for key in sorted(missing)]):
                pass
        for save_as, card in sorted(wanted.items()):
            outputs.add(save_as, source=os.path.join(cache, f"{card.key}.jpg"))
        for name in os.listdir(cache):
            if name not in kept:
                os.remove(os.path.join(cache, name))


def prepare(pelican):
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
    pelican.settings[PAGES_KEY] = []
    pelican.settings.pop(CARDS_KEY, None)


def plan_cards(generators):
    """all_generators_finalized: the card of every article that gets a page (pages render next)."""
    settings = generators[0].settings
    i18n = settings.get(STATE_KEY)
    if i18n is None:
        return
    share = settings[CARDS_KEY] = ShareCards(settings, i18n)
    context = generators[0].context
    for name in ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations"):
        for item in context.get(name, ()):
            share.of(item)


def add_cards(pelican):
    """outputs_collected: the cards of the pages described."""
    share = pelican.settings.get(CARDS_KEY)
    if share is not None:
        share.add_all(outputs_of(pelican.settings))


def install_templates(generator):
    settings = generator.settings
    state = settings.get(STATE_KEY)
    if state is None:
        return

    def share_image():
        return state.absolute(settings["HUB_SEO_IMAGE"])

    def share_card(item, lang):
        """An article's own card; the site card of `lang` for any other page."""
        share = settings.get(CARDS_KEY) or settings.setdefault(CARDS_KEY, ShareCards(settings, state))
        return share.of(item) if item is not None and hasattr(item, "category") else share.site(lang)

    def publisher(lang):
        return organization(state.site_text(lang, "HUB_SITE_PUBLISHER"),
                            state.absolute(state.home_url(lang)), state.absolute("theme/img/logo-144.png"))

    def json_ld(article):
        """The JSON-LD of an article: an Event for events, a NewsArticle otherwise."""
        url, lang = state.absolute(article.url), article.lang
        description = plain_text(getattr(article, "summary", ""))
        facts = getattr(article, "hub_facts", None)
        image = share_card(article, lang).url
        if facts is not None and facts.event_start:
            location = facts.location
            data = event(article.title, url, lang, facts.event_start, facts.event_end, facts.online, location,
                         description, image, publisher(lang), facts.event_start_time, facts.event_end_time,
                         facts.event_timezone or settings.get("TIMEZONE") or "UTC")
        else:
            data = news_article(article.title, url, lang, article.date, getattr(article, "modified", None),
                                description, image, [a.name for a in getattr(article, "authors", [])],
                                publisher(lang))
        return to_script_json(data)

    def breadcrumb_ld(article, home):
        """The JSON-LD BreadcrumbList of the breadcrumb an article shows: Home › Category › Article
        (`home`: the home's name as the template writes it, so the catalogs keep the string)."""
        crumbs = [(str(home), state.absolute(state.home_url(article.lang)))]
        category = getattr(article, "hub_category", None)
        if category is not None:
            crumbs.append((category.name, state.absolute(category.url)))
        crumbs.append((plain_text(str(article.title)), state.absolute(article.url)))
        return to_script_json(breadcrumb_list(crumbs))

    generator.env.globals.update(
        json_ld=json_ld,
        breadcrumb_ld=breadcrumb_ld,
        share_image=share_image,
        share_card=share_card,
        og_locale=lambda lang: settings["HUB_SEO_OG_LOCALES"].get(lang, lang),
    )


def record_page(path, context):
    """content_written: remember every HTML page with its alternates, for the sitemap."""
    pages = context.get(PAGES_KEY)  # the run's list: the context is a shallow copy of the settings
    if pages is None or not path.endswith(".html") or context.get("noindex"):
        return
    name = context.get("output_file", "")
    if any(name.endswith(excluded) if excluded.endswith(".html") else name.startswith(excluded)
           for excluded in context.get("HUB_SEO_EXCLUDE", ())):
        return
    info = context.get("hub_page")
    item = context.get("article") or context.get("page")
    if info is None and item is not None:
        info = getattr(item, "hub_page", None)
    if item is not None and getattr(item, "status", "published") != "published":
        return
    lastmod = None
    if item is not None and getattr(item, "date", None):
        lastmod = (getattr(item, "modified", None) or item.date).date().isoformat()
    url = context["SITEURL"].rstrip("/") + "/" + name.removesuffix("index.html")
    pages.append((url, lastmod, list(info.alternates) if info else []))


def add_sitemap(pelican):
    """outputs_collected: every page is described by now, with its alternates."""
    settings = pelican.settings
    pages = settings.get(PAGES_KEY, [])  # sitemap_xml sorts them
    outputs = outputs_of(settings)
    outputs.add("sitemap.xml", lambda: sitemap_xml(pages))
    disallow = () if settings.get("HUB_CHECK_STRICT") else ("/editors/",)
    outputs.add("robots.txt", lambda: robots_txt(settings["SITEURL"], disallow))
    logger.info("hub_seo: sitemap with %d pages", len(pages))


def register():
    signals.initialized.connect(prepare)
    signals.generator_init.connect(install_templates)
    signals.content_written.connect(record_page)
    signals.all_generators_finalized.connect(plan_cards)
    engine_signals.outputs_collected.connect(add_sitemap)
    engine_signals.outputs_collected.connect(add_cards)
