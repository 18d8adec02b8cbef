"""Pelican glue for hub_redirects: a redirect page at each old address of the table, and the same
pairs as server rules (`_redirects` for Netlify/Cloudflare Pages, `redirects.map` for nginx).

The content checks (hub_check) report a faulty entry or a target that does not exist; the build
leaves such an entry out (a publish build has stopped before)."""

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.generators import Generator

from plugins.hub_engine.outputs import outputs_of
from plugins.hub_i18n.pages import describe_page
from plugins.hub_i18n.plugin import STATE_KEY

from .table import is_page_path, netlify_redirects, nginx_map, parse_table, server_pairs

logger = logging.getLogger(__name__)

DEFAULTS = {
    "HUB_REDIRECTS_FILE": "redirects.toml",  # in the content folder
    "HUB_REDIRECTS_NETLIFY": "_redirects",
    "HUB_REDIRECTS_NGINX": "redirects.map",
}


def prepare(pelican):
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)


def add_generator(pelican):
    return RedirectsGenerator


def resolve(redirect, state, items):
    """(site-relative URL, title) of the hub page a redirect leads to, or None if it has none."""
    lang, value = redirect.lang, redirect.value
    if redirect.kind == "key":
        group = state.article_groups.get(value)
        item = group.versions.get(lang) if group is not None else None
        if item is not None and (item.status != "published" or state.is_scheduled(item)):
            item = None
        if item is None:
            item = state.page_link(value, lang)
            if item is not None and getattr(item, "status", "published") != "published":
                item = None
        return (item.url, item.title) if item is not None else None
    if redirect.kind == "edition":
        if items is None or not value.isdigit() or int(value) not in items.by_year:
            return None
        return items.edition_url(int(value), lang), f"Smart Cities Study {value}"
    if redirect.kind in ("category", "tag"):
        term = state.taxonomy.term("categories" if redirect.kind == "category" else "tags", value)
        return (state.term_url(term, lang), term.label(lang)) if term is not None else None
    if value == "home":
        return state.home_url(lang), state.site_text(lang, "SITENAME")
    return state.archives_url(lang), state.gettext(lang, "Archives")


class RedirectsGenerator(Generator):
    def generate_context(self):
        pass  # the targets exist once hub_i18n and hub_items have grouped the content

    def generate_output(self, writer):
        state = self.settings.get(STATE_KEY)
        table = Path(self.settings["PATH"]) / self.settings["HUB_REDIRECTS_FILE"]
        if state is None or not table.exists():
            return
        redirects, problems = parse_table(table.read_text(encoding="utf-8"), state.languages)
        base = urlsplit(state.siteurl).path.rstrip("/")
        pairs = []
        for redirect in redirects:
            target = resolve(redirect, state, self.settings.get("HUB_ITEMS_STATE"))
            if target is None or "/" + target[0] == redirect.old:
                continue  # hub_check names it; an address the hub serves itself needs no redirect
            url, title = target
            pairs.append((base + redirect.old, f"{base}/{url}"))
            if is_page_path(redirect.old):
                save_as = redirect.old.lstrip("/") + "index.html"
                # (not the folder's files: the live preview's output/ holds an earlier build's pages)
                statics = {static.save_as for static in self.context.get("staticfiles", ())}
                if save_as in outputs_of(self.settings) or save_as in statics:
                    # A hub page already has this address: never overwrite it (nor stop the build).
                    logger.warning("%s: %s is an address of the hub itself; remove this entry",
                                   self.settings["HUB_REDIRECTS_FILE"], redirect.old)
                    pairs.pop()
                    continue
                writer.write_file(save_as, self.get_template("redirect"), self.context, relative_urls=False,
                                  url=redirect.old.lstrip("/"), current_lang=redirect.lang,
                                  hub_page=describe_page(state, redirect.lang, redirect.old.lstrip("/")), noindex=True,
                                  redirect_url=state.absolute(url), redirect_title=title)
        pairs = server_pairs(pairs)
        netlify, nginx = netlify_redirects(pairs), nginx_map(pairs)
        outputs_of(self.settings).add(self.settings["HUB_REDIRECTS_NETLIFY"], lambda: netlify)
        outputs_of(self.settings).add(self.settings["HUB_REDIRECTS_NGINX"], lambda: nginx)


def register():
    signals.initialized.connect(prepare)
    signals.get_generators.connect(add_generator)
