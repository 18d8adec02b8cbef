"""French typography: no-break spaces before : ; ! ? and inside « », and ’ for the apostrophe, in
every French page, title, interface string and feed; Spanish and English left as they are."""

import re

import feedparser
import pytest
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction
from icalendar import Calendar
from markupsafe import Markup

from conftest import ROOT
from plugins.hub_i18n import catalogs
from plugins.hub_typography import french_spacing, french_spacing_text, typeset
from plugins.hub_typography.plugin import striptags

NNBSP, NBSP = "\u202f", "\u00a0"


# --- the function, on real French sentences -----------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    # Quotations: narrow no-break spaces inside the guillemets, whatever the editor typed.
    ("Le rapport « Smart Cities Study 2021 » est disponible.",
     f"Le rapport «{NNBSP}Smart Cities Study 2021{NNBSP}» est disponible."),
    ("la notion d'«intelligence» acquiert", f"la notion d\u2019«{NNBSP}intelligence{NNBSP}» acquiert"),
    # Questions and exclamations: a narrow no-break space, added where missing.
    ("Qu'est-ce qu'un flux ?", f"Qu\u2019est-ce qu\u2019un flux{NNBSP}?"),
    ("Comment anticiper ces changements? Participez!",
     f"Comment anticiper ces changements{NNBSP}? Participez{NNBSP}!"),
    ("Vraiment?!", f"Vraiment{NNBSP}?!"),
    ("des rencontres ; des expositions ; ainsi que des dîners",
     f"des rencontres{NNBSP}; des expositions{NNBSP}; ainsi que des dîners"),
    # The colon: a (wider) no-break space.
    ("Date limite : 31 mai", f"Date limite{NBSP}: 31 mai"),
    ("Date limite: 31 mai", f"Date limite{NBSP}: 31 mai"),
    ("FGI 2020 – Atelier n° 360 : Construire des villes",
     f"FGI 2020 – Atelier n° 360{NBSP}: Construire des villes"),
    # Apostrophes.
    ("l'article", "l\u2019article"),
    ("Région d'Oulianovsk, aujourd'hui", "Région d\u2019Oulianovsk, aujourd\u2019hui"),
    # Left alone: times, URLs, and what is not punctuation.
    ("La séance commence à 10:30 précises.", "La séance commence à 10:30 précises."),
    ("Voir https://uclg.org/a?b=1;c=2 et mailto:info@uclg.org",
     "Voir https://uclg.org/a?b=1;c=2 et mailto:info@uclg.org"),
    ("+ existe, − manque, ! plus ancienne", "+ existe, − manque, ! plus ancienne"),
    ("Rien à changer.", "Rien à changer."),
])
def test_french_sentences(source, expected):
    assert french_spacing_text(source) == expected
    assert french_spacing(f"<p>{source}</p>") == f"<p>{expected}</p>"
    assert french_spacing_text(expected) == expected  # idempotent: typeset text stays as it is


def test_code_attributes_and_other_languages_are_left_alone():
    html = ('<p>Tapez <code>a : b ? c\'d</code> puis <kbd>Ctrl : C</kbd>.</p>'
            '<pre>x = {\'a\' : 1} ; y ?</pre>'
            '<p><a href="https://uclg.org/l\'appel?x=1" title="Date limite : 31 mai">l\'appel</a></p>'
            '<script>var q = a ? \'b\' : c;</script><style>a:hover { color : red }</style>'
            '<p lang="es">¿Qué es? Pregunta: «ciudad»</p><p lang="fr-CA">Quoi?</p>')
    assert french_spacing(html) == (
        '<p>Tapez <code>a : b ? c\'d</code> puis <kbd>Ctrl : C</kbd>.</p>'
        '<pre>x = {\'a\' : 1} ; y ?</pre>'
        '<p><a href="https://uclg.org/l\'appel?x=1" title="Date limite : 31 mai">l\u2019appel</a></p>'
        '<script>var q = a ? \'b\' : c;</script><style>a:hover { color : red }</style>'
        f'<p lang="es">¿Qué es? Pregunta: «ciudad»</p><p lang="fr-CA">Quoi{NNBSP}?</p>')


def test_an_element_in_another_language_is_left_alone_to_its_end():
    html = ('<div lang="es"><div>¿Qué es?</div> Fecha: hoy</div> Et après ?'
            '<p><img lang="en" alt="it\'s"> Quoi?</p><p>Note:<code>x</code> Vraiment?<code>y</code></p>')
    assert french_spacing(html) == (
        f'<div lang="es"><div>¿Qué es?</div> Fecha: hoy</div> Et après{NNBSP}?'
        f'<p><img lang="en" alt="it\'s"> Quoi{NNBSP}?</p><p>Note{NBSP}:<code>x</code> Vraiment{NNBSP}?<code>y</code></p>')


def test_punctuation_and_its_space_on_either_side_of_a_tag():
    assert french_spacing("<p><a href=\"/x\">Lien</a> : suite</p>") == f"<p><a href=\"/x\">Lien</a>{NBSP}: suite</p>"
    assert french_spacing("<p>« <em>Titre</em> »</p>") == f"<p>«{NNBSP}<em>Titre</em>{NNBSP}»</p>"
    assert french_spacing("<p>Bonjour <strong>!</strong></p>") == f"<p>Bonjour{NNBSP}<strong>!</strong></p>"
    assert french_spacing("<p>l'<em>Union</em></p>") == "<p>l\u2019<em>Union</em></p>"


def test_escaped_text_stays_escaped():
    # Jinja writes ' as &#39;: it is an apostrophe all the same. & and < stay escaped.
    assert french_spacing("<p>R&amp;D&nbsp;: l&#39;équipe &lt;3</p>") == f"<p>R&amp;D{NBSP}: l\u2019équipe &lt;3</p>"


def test_only_french_gets_french_typography():
    assert typeset("Date limite : 31 mai", "fr") == f"Date limite{NBSP}: 31 mai"
    assert typeset("Fecha límite: 31 de mayo ¿y?", "es") == "Fecha límite: 31 de mayo ¿y?"
    assert typeset("The cities' plan: soon!", "en") == "The cities' plan: soon!"


def test_striptags_keeps_no_break_spaces():
    # Jinja2's own would turn them into ordinary spaces in <meta name="description" content="...">.
    assert striptags(Markup(f"<p>Date limite{NBSP}: «{NNBSP}x{NNBSP}» \n <em>fin</em></p>")) == \
        f"Date limite{NBSP}: «{NNBSP}x{NNBSP}» fin"
    assert striptags("a &lt; b") == "a < b"


def test_french_interface_strings_are_typeset_in_the_catalog():
    """The French catalog's own texts follow the rules (a new message with "l'" or " :" fails here)."""
    catalog = catalogs.read_catalog(catalogs.po_path(ROOT / "theme" / "translations", "fr"), locale="fr")
    texts = [text for message in catalog if message.id
             for text in (message.string if isinstance(message.string, (tuple, list)) else [message.string])]
    assert len(texts) > 30
    # Each fault with the text to paste instead (repr shows the no-break spaces: \xa0 and \u202f).
    untypeset = {text: french_spacing_text(text) for text in texts if french_spacing_text(text) != text}
    assert untypeset == {}, "French msgstr texts need ’ and no-break spaces (see the editors' guide)"


# --- the real site, as readers see it ---------------------------------------------------------

VERBATIM = {"code", "pre", "kbd", "samp", "script", "style", "textarea"}
# What French typography never shows: an ordinary space (or line break) after a word and before
# ; ! ? or a colon that is punctuation, or inside guillemets; and a straight apostrophe.
FAULTS = (
    re.compile(r"\w[ \t\r\n]+[;!?]"),
    re.compile(r"\w[ \t\r\n]+:(?=\s|$)"),
    re.compile(r"«[ \t\r\n]"),
    re.compile(r"[ \t\r\n]»"),
    re.compile("'"),
)


def text_in(soup, lang):
    """The text a reader reads in `lang` (by the nearest lang attribute), outside code and scripts."""
    pieces = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if any(parent.name in VERBATIM for parent in node.parents):
            continue
        own = next((parent.get("lang") for parent in node.parents if parent.get("lang")), "")
        if own.split("-")[0] == lang:
            pieces.append(str(node))
    return "".join(pieces)


def faults(text):
    return [text[max(match.start() - 30, 0):match.end() + 10] for pattern in FAULTS for match in pattern.finditer(text)]


def test_every_french_page_is_in_french_typography(site):
    pages = sorted((site.output / "fr").rglob("*.html"))
    assert len(pages) > 40
    found, typeset_pages = {}, 0
    for path in pages:
        text = text_in(site.soup(path), "fr")
        typeset_pages += NNBSP in text or NBSP in text
        if problems := faults(text):
            found[path.relative_to(site.output).as_posix()] = problems
    assert found == {}
    # The interface alone ("Aussi disponible en :", "Date limite :") puts no-break spaces on most pages.
    assert typeset_pages > len(pages) / 2


def test_french_article_text_title_and_facts(site):
    soup = site.soup("/fr/2017/4e-assemblee-generale-de-wego/")
    text = soup.get_text()
    assert "Région d\u2019Oulianovsk" in text and "d'Oulianovsk" not in text
    assert f"agenda de WeGO{NNBSP}; la Table ronde" in text
    soup = site.soup("/fr/2017/deuxieme-edition-smart-cities-study-2017/")
    assert f"«{NNBSP}Smart Cities Study 2017{NNBSP}»" in soup.get_text()


def test_french_feed_titles_and_summaries(site):
    feed = feedparser.parse((site.output / "fr" / "feeds" / "all.atom.xml").read_bytes())
    assert feed.entries
    titles = [feed.feed.title, feed.feed.subtitle] + [entry.title for entry in feed.entries]
    assert [title for title in titles if faults(title)] == []
    assert any(NBSP in title for title in titles)  # "Atelier n° 360 : Construire…"
    summaries = [BeautifulSoup(entry.summary, "html.parser").get_text() for entry in feed.entries]
    assert [summary for summary in summaries if faults(summary)] == []
    assert any("\u2019" in summary for summary in summaries)


def test_french_calendar_uses_the_typeset_titles(site):
    calendar = Calendar.from_ical((site.output / "fr" / "calendar.ics").read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries and [summary for summary in summaries if "'" in summary or faults(summary)] == []


def test_spanish_and_english_pages_keep_their_own_typography(site):
    soup = site.soup("/es/2024/ciudades-inteligentes-centradas-en-las-personas-fum12/")
    text = text_in(soup, "es")
    assert "nos llevan a preguntarnos: ¿cómo anticipar estos cambios" in text
    # No French spacing anywhere in their text (Babel's own "10:30\u202fAM" is not French spacing).
    french_spacing_marks = re.compile("[\u00a0\u202f][;:!?»]|«[\u00a0\u202f]")
    for lang in ("es", "en"):
        for path in (site.output / lang).rglob("*.html"):
            assert not french_spacing_marks.search(text_in(site.soup(path), lang)), path
    for lang in ("es", "en"):
        feed = feedparser.parse((site.output / lang / "feeds" / "all.atom.xml").read_bytes())
        assert feed.entries
        assert [entry.title for entry in feed.entries if french_spacing_marks.search(entry.title)] == []


def test_a_french_article_as_editors_type_it(small_site):
    small_site.write(
        "fr", "appel", "L'appel : date limite le 31 mai ?",
        summary="Un appel de l'Observatoire : « participez » !",
        body="Rendez-vous à 10:30 sur https://uclg.org/appel?x=1 : `a : b` et [l'inscription](https://uclg.org/l'x).\n",
    )
    small_site.write("es", "convocatoria", "La convocatoria: ¿participas?", key="appel",
                     extra="Translation: true", summary="Un resumen: ¿sí?")
    built = small_site.build()
    soup = built.soup("/fr/2024/appel/")
    title = f"L\u2019appel{NBSP}: date limite le 31 mai{NNBSP}?"
    assert soup.h1.get_text(strip=True) == title
    assert soup.title.get_text().startswith(title)
    assert "Rendez-vous à 10:30 sur https://uclg.org/appel?x=1\u00a0: " in soup.get_text()
    assert soup.find("code").get_text() == "a : b"
    assert soup.find("a", string="l\u2019inscription")["href"] == "https://uclg.org/l'x"
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description == f"Un appel de l\u2019Observatoire{NBSP}: «{NNBSP}participez{NNBSP}»{NNBSP}!"
    feed = feedparser.parse((built.output / "fr" / "feeds" / "all.atom.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == [title]
    spanish = built.soup("/es/2024/convocatoria/")
    assert spanish.h1.get_text(strip=True) == "La convocatoria: ¿participas?"
