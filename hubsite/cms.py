"""The browser editor's configuration (Decap CMS), made from the headers the checks know.

`cms_config()` is a pure function of the content folder's taxonomy and the site's languages: each
header of plugins/hub_check/headers.py that has a widget becomes one field of the articles and
pages collections, so there is one list of headers to keep. `invoke edit` serves it as
/admin/config.yml (hubsite/edit.py); tests/test_cms.py checks both lists agree.
"""

from pathlib import Path

import yaml

from plugins.hub_check import headers as H
from plugins.hub_i18n.taxonomy import load_taxonomy

CONTENT = "content"  # the content folder, from the repository's root (the CMS's paths are)
FORMAT = "hub-headers"  # registered by hubsite/admin/hub-cms.js: Pelican's `Key: value` headers
TAXONOMY_FORMAT = "hub-taxonomy"  # the same script: content/taxonomy.toml's tables as lists
EDITIONS_FORMAT = "hub-editions"  # and content/editions.toml, each edition kept as written unless edited
MEDIA_FOLDER = f"{CONTENT}/images/uploads"
PUBLIC_FOLDER = "/images/uploads"  # from content/, as headers and links name a file there
TIME_ZONES = ("Europe/Madrid", "Europe/Paris", "Europe/London", "Europe/Lisbon", "Europe/Brussels",
              "America/Mexico_City", "America/Bogota", "America/Lima", "America/Santiago",
              "America/Argentina/Buenos_Aires", "America/Sao_Paulo", "America/New_York", "America/Chicago",
              "America/Montreal", "Africa/Casablanca", "Africa/Dakar", "Africa/Abidjan", "Africa/Tunis",
              "Africa/Nairobi", "Africa/Johannesburg", "Asia/Seoul", "Asia/Tokyo", "Asia/Kolkata",
              "Asia/Dubai", "Australia/Sydney", "UTC")
STATUSES = ({"label": "Published", "value": "published"}, {"label": "Draft (previews only)", "value": "draft"},
            {"label": "Hidden (published, not listed)", "value": "hidden"})


def field(header, categories, languages, tag_labels, editions):
    """The Decap field of one header."""
    label = header.label
    if header.categories:
        label = f"{label} ({', '.join(header.categories)} only)"
    spec = {"name": header.key, "label": label, "required": header.required, "i18n": header.i18n}
    if header.hint:
        spec["hint"] = header.hint
    widget = header.widget
    if widget in (H.TEXT, H.URL):
        spec["widget"] = "string"
    elif widget == H.LONG_TEXT:
        spec["widget"] = "text"
    elif widget == H.DATETIME:
        spec.update(widget="datetime", format="YYYY-MM-DD HH:mm", date_format="YYYY-MM-DD", time_format="HH:mm",
                    picker_utc=False)
    elif widget == H.DATE:
        spec.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False,
                    picker_utc=False)
    elif widget == H.DAY_OR_TIME:
        spec.update(widget="string", pattern=[r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$", "YYYY-MM-DD or YYYY-MM-DD HH:MM"])
    elif widget == H.CATEGORY:
        spec.update(widget="select", options=[{"label": f"{labels.get('en', key)} · {labels.get('fr', key)} · "
                                                        f"{labels.get('es', key)}", "value": key}
                                              for key, labels in categories.items()])
    elif widget == H.TAGS:
        # hub-cms.js: a text box offering the taxonomy's labels in the pane's language; any other
        # tag is kept as a free tag (the checks warn, naming the closest ones).
        spec.update(widget="hub-tags", labels=tag_labels)
    elif widget == H.BOOLEAN:
        spec.update(widget="boolean", default=False)
    elif widget == H.STATUS:
        spec.update(widget="select", options=list(STATUSES), default="published")
    elif widget == H.LANGUAGES:
        spec.update(widget="select", multiple=True, options=list(languages))
    elif widget == H.YEAR:
        spec.update(widget="select", options=[str(year) for year in editions] or ["2021"])
    elif widget == H.TIME_ZONE:
        spec.update(widget="select", options=list(TIME_ZONES))
    elif widget == H.PICTURE:
        spec.update(widget="image", choose_url=False)
    elif widget == H.FILES:
        spec.update(widget="file", choose_url=False)
    else:
        raise ValueError(f"{header.key}: unknown widget {widget!r}")
    if header.required:
        spec["required"] = True
    return spec


def collection(kind, label, languages, fields):
    return {
        "name": kind, "label": label, "label_singular": label.rstrip("s"),
        "folder": f"{CONTENT}/{kind}", "extension": "md", "format": FORMAT, "create": True,
        # The entry's file name in every language folder: the key that links the versions. The
        # local backend (hubsite/cms_backend.py) finds each version by its Translation_Key and
        # names a new file after its Slug, as `invoke new` does.
        "slug": "{{fields.translation_key}}", "identifier_field": "title",
        "summary": "{{title}}", "sortable_fields": ["title"] + (["date"] if kind == "articles" else []),
        "i18n": True,
        "fields": fields + [{"name": "body", "label": "Text", "widget": "markdown", "i18n": H.TRANSLATED,
                             "modes": ["raw", "rich_text"], "required": False,
                             "hint": "Markdown. Images need a description (alt text)."}],
    }


def taxonomy_collection(languages):
    label_fields = [{"name": lang, "label": f"Label ({lang})", "widget": "string"} for lang in languages]
    id_field = {"name": "id", "label": "Id (used in Tags headers; never change it)", "widget": "string",
                "pattern": [r"^[a-z0-9]+(-[a-z0-9]+)*$", "lower case, digits and '-'"]}
    return {
        # Decap reads `format` on the collection, not on each file.
        "name": "taxonomy", "label": "Taxonomy", "editor": {"preview": False}, "format": TAXONOMY_FORMAT,
        "files": [{
            "name": "taxonomy", "label": "Categories and tags", "file": f"{CONTENT}/taxonomy.toml",
            "fields": [
                {"name": "categories", "label": "Categories", "widget": "list", "allow_add": False, "collapsed": True,
                 "summary": "{{fields.id}}: {{fields.fr}} · {{fields.es}} · {{fields.en}}", "fields": [id_field, *label_fields]},
                {"name": "tags", "label": "Tags", "widget": "list", "collapsed": True,
                 "summary": "{{fields.id}}: {{fields.fr}} · {{fields.es}} · {{fields.en}}",
                 "fields": [id_field, *label_fields,
                            {"name": "aliases", "label": "Other spellings (any language)", "widget": "list",
                             "required": False}]},
            ],
        }],
    }


def editions_collection(languages):
    per_lang = lambda name, label, widget="string": {
        "name": name, "label": label, "widget": "object",
        "fields": [{"name": lang, "label": lang, "widget": widget} for lang in languages]}
    return {
        "name": "editions", "label": "Study editions", "editor": {"preview": False}, "format": EDITIONS_FORMAT,
        "files": [{
            "name": "editions", "label": "Smart Cities Study editions", "file": f"{CONTENT}/editions.toml",
            "fields": [{
                "name": "edition", "label": "Editions", "widget": "list", "summary": "{{fields.year}}", "collapsed": True,
                "fields": [
                    {"name": "year", "label": "Year", "widget": "number", "value_type": "int"},
                    {"name": "number", "label": "Edition number", "widget": "number", "value_type": "int"},
                    {"name": "cities", "label": "Cities", "widget": "number", "value_type": "int", "required": False},
                    {"name": "countries", "label": "Countries", "widget": "number", "value_type": "int",
                     "required": False},
                    {"name": "languages", "label": "Languages of publication", "widget": "select", "multiple": True,
                     "options": list(languages)},
                    {"name": "cover", "label": "Cover (path from content/)", "widget": "string", "required": False},
                    per_lang("cover_alt", "Cover description"),
                    per_lang("theme", "Theme", "text"),
                    {"name": "documents", "label": "Documents", "widget": "list", "required": False,
                     "fields": [{"name": "url", "label": "Address", "widget": "string"},
                                {"name": "lang", "label": "Language", "widget": "string"},
                                {"name": "format", "label": "Format", "widget": "string"},
                                {"name": "size", "label": "Size (bytes)", "widget": "number", "value_type": "int",
                                 "required": False}]},
                ],
            }],
        }],
    }


def cms_config(content=Path(CONTENT), languages=("fr", "es", "en"), default_lang="fr", backend=None,
               local_backend_url=None, editions=()):
    """The Decap CMS configuration (a dict, written as config.yml).

    `backend`: the hosted backend (e.g. {"name": "github", "repo": "org/hub", "branch": "main",
    "base_url": "https://auth.example.org"}); default a Git host placeholder, which the local
    backend (`local_backend_url`, served by `invoke edit`) stands in for on 127.0.0.1."""
    taxonomy = load_taxonomy(Path(content) / "taxonomy.toml", languages)
    categories = {key: {lang: term.label(lang) for lang in languages} for key, term in taxonomy.categories.items()}
    tag_labels = {lang: sorted({term.label(lang) for term in taxonomy.tags.values()}, key=str.casefold)
                  for lang in languages}
    build = lambda kind: [field(header, categories, languages, tag_labels, editions) for header in H.editable(kind)]
    config = {
        "backend": backend or {"name": "github", "repo": "OWNER/REPOSITORY", "branch": "main"},
        "media_folder": MEDIA_FOLDER, "public_folder": PUBLIC_FOLDER,
        "locale": "en", "site_url": None, "display_url": None, "logo_url": None, "search": False,
        "i18n": {"structure": "multiple_folders", "locales": list(languages), "default_locale": default_lang},
        "collections": [
            collection("articles", "Articles", languages, build("articles")),
            collection("pages", "Standing pages", languages, build("pages")),
            editions_collection(languages),
            taxonomy_collection(languages),
        ],
    }
    if local_backend_url:
        config["local_backend"] = {"url": local_backend_url, "allowed_hosts": ["127.0.0.1"]}
    return {key: value for key, value in config.items() if value is not None}


def config_yaml(config):
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)
