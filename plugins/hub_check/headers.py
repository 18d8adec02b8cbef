"""The headers a content file may have: one description, read by the checks and the content manager.

`invoke check` knows a header by its `key` (KNOWN_HEADERS in checks.py is made from this list) and
the browser editor's configuration (hubsite/cms.py) makes one field of each header with a `widget`,
so a header added here is known to both, and tests/test_cms.py fails if they disagree.
"""

from dataclasses import dataclass

# How the content manager edits a header (hubsite/cms.py turns each into a Decap CMS widget):
TEXT, LONG_TEXT, DATETIME, DATE, DAY_OR_TIME, CATEGORY, TAGS, BOOLEAN, STATUS, LANGUAGES, URL, YEAR, \
    TIME_ZONE, PICTURE, FILES = ("text", "long_text", "datetime", "date", "day_or_time", "category", "tags",
                                 "boolean", "status", "languages", "url", "year", "time_zone", "picture", "files")
# How a header relates across the language versions of one item (Decap's field-level `i18n`):
TRANSLATED = "translate"  # each version has its own value
SHARED = "duplicate"  # the same on every version (written once, copied to the others)


@dataclass(frozen=True)
class Header:
    key: str  # lower case, as the checks compare names
    name: str  # as written in files: `Event_Timezone:`
    label: str  # the field's label in the content manager
    widget: str | None  # one of the kinds above; None: not offered in the content manager
    required: bool = False
    kinds: tuple = ("articles", "pages")  # the content folders it belongs to
    categories: tuple = ()  # articles of these categories only (empty: every category)
    hint: str = ""
    i18n: str = TRANSLATED
    left_out: str = ""  # why it is not offered in the content manager (with widget None)


HEADERS = (
    Header("title", "Title", "Title", TEXT, required=True, hint="In this version's language."),
    Header("date", "Date", "Date", DATETIME, required=True, kinds=("articles",), i18n=SHARED,
           hint="First publication, on the site's clock (Madrid time)."),
    Header("modified", "Modified", "Modified", DATETIME, kinds=("articles",),
           hint="Date of the last significant change (optional)."),
    Header("category", "Category", "Category", CATEGORY, required=True, kinds=("articles",), i18n=SHARED),
    Header("tags", "Tags", "Tags", TAGS, kinds=("articles",),
           hint="Comma-separated: pick a label in this language, or type a new tag."),
    Header("slug", "Slug", "Slug (address)", TEXT, required=True,
           hint="Lower case, no accents, words joined by '-', in this version's language: its address and file name."),
    Header("lang", "Lang", "Language", None,
           left_out="each version is written in its language's folder, which gives its language"),
    Header("translation_key", "Translation_Key", "Translation key", TEXT, required=True, i18n=SHARED,
           hint="The same on every language version: links them (e.g. the original's slug)."),
    Header("translation", "Translation", "This version is a translation", BOOLEAN,
           hint="On every version but the original."),
    Header("summary", "Summary", "Summary", LONG_TEXT, required=True,
           hint="One or two sentences shown in lists and search results."),
    Header("authors", "Authors", "Authors", TEXT, kinds=("articles",)),
    Header("author", "Author", "Author", None, left_out="Pelican's single-author header; the hub writes Authors"),
    Header("status", "Status", "Status", STATUS,
           hint="Draft: previews only, never listed or published. Hidden: published, never listed."),
    Header("template", "Template", "Template", None,
           left_out="a developer's header: articles and pages have their templates"),
    Header("save_as", "Save_As", "Save as", None, left_out="a developer's header: the site gives every page its address"),
    Header("url", "URL", "URL", None, left_out="a developer's header: the site gives every page its address"),
    Header("deadline", "Deadline", "Deadline", DATE, kinds=("articles",), categories=("calls",), i18n=SHARED,
           hint="Calls: open until the end of this day."),
    Header("form_url", "Form_Url", "Form address", URL, kinds=("articles",), categories=("calls",), i18n=SHARED,
           hint="Calls: where to take part."),
    Header("form_languages", "Form_Languages", "Languages of the form", LANGUAGES, kinds=("articles",),
           categories=("calls",), i18n=SHARED),
    Header("event_start", "Event_Start", "Event start", DAY_OR_TIME, kinds=("articles",), categories=("events",),
           i18n=SHARED, hint="YYYY-MM-DD, or YYYY-MM-DD HH:MM as the clock reads where the event happens."),
    Header("event_end", "Event_End", "Event end", DAY_OR_TIME, kinds=("articles",), categories=("events",),
           i18n=SHARED, hint="Same format; leave empty for a one-day event."),
    Header("event_timezone", "Event_Timezone", "Event time zone", TIME_ZONE, kinds=("articles",),
           categories=("events",), i18n=SHARED,
           hint="Continent/City (Europe/Madrid, America/Bogota); empty: the site's (Europe/Madrid)."),
    Header("location", "Location", "Place", TEXT, kinds=("articles",), categories=("events",),
           hint="City, Country, or 'online'."),
    Header("event_url", "Event_Url", "Event address", URL, kinds=("articles",), categories=("events",), i18n=SHARED),
    Header("edition", "Edition", "Study edition", YEAR, kinds=("articles",), categories=("studies",), i18n=SHARED,
           hint="The year of the Smart Cities Study edition the article is about."),
    Header("document_url", "Document_Url", "Document address", URL, kinds=("articles",), categories=("publications",),
           i18n=SHARED, hint="The page or file of the document."),
    Header("image", "Image", "Featured image", PICTURE, kinds=("articles",), i18n=SHARED,
           hint="Shown above the text and when the article is shared; needs its description below."),
    Header("image_alt", "Image_Alt", "Image description (alt text)", TEXT, kinds=("articles",),
           hint="Required with an image: what it shows, for readers who cannot see it, in this language."),
    Header("image_credit", "Image_Credit", "Image credit", TEXT, kinds=("articles",)),
    Header("image_focus", "Image_Focus", "Image focus", TEXT, kinds=("articles",), i18n=SHARED,
           hint="The point to keep when cropped: across, then down, in percent (e.g. 30% 60%)."),
    Header("attachments", "Attachments", "Files to download", FILES, kinds=("articles",), i18n=SHARED),
)

BY_KEY = {header.key: header for header in HEADERS}
KNOWN_HEADERS = frozenset(BY_KEY)


def editable(kind):
    """The headers the content manager offers for `kind` ("articles" or "pages"), in file order."""
    return [header for header in HEADERS if header.widget and kind in header.kinds]
