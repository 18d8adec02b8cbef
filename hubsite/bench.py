"""Build-time benchmark: our single-pass build against Pelican + pelican-i18n-subsites.

    python -m hubsite.bench                 # N=100 and N=1000 articles per language, 3 runs each
    python -m hubsite.bench --quick         # smoke test: N=20, one run
    python -m hubsite.bench --profile 1000  # where our cold build at N=1000 spends its time

Both builds read one synthetic corpus in the hub's content format, generated from a seed. Each
build runs in its own process, timed from outside; docs/performance.md explains the method.
The corpus generation (`plan_corpus`, `render_*`, `corpus_files`) is pure; the functions below
the "Processes" line create files, venvs and processes.
"""

import argparse
import datetime
import json
import logging
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUBSITES_DIR = Path(__file__).resolve().parent / "bench_subsites"
DEFAULT_WORKDIR = Path(os.environ.get("TMPDIR", "/tmp")) / "hubsite-bench"
LANGS = ("fr", "es", "en")
SITEURL = "http://127.0.0.1:8000"
SUBSITES_REQUIREMENTS = ("pelican==4.12.0", "pelican-i18n-subsites==1.0.0", "markdown==3.11.3")

log = logging.getLogger("hubsite.bench")

# --- Vocabulary -----------------------------------------------------------------------------
# Aligned (fr, es, en) phrases: an item's versions pick the same indices, so they read as
# translations of one another and have about the same length.
SUBJECTS = [  # singular, so the third-person verbs below agree
    ("la ville", "la ciudad", "the city"),
    ("la municipalité", "el municipio", "the municipality"),
    ("le conseil municipal", "el concejo municipal", "the city council"),
    ("la communauté de pratique", "la comunidad de práctica", "the community of practice"),
    ("le secrétariat technique", "la secretaría técnica", "the technical secretariat"),
    ("la stratégie numérique", "la estrategia digital", "the digital strategy"),
    ("l'administration locale", "la administración local", "the local administration"),
    ("le réseau de villes", "la red de ciudades", "the network of cities"),
    ("la plateforme participative", "la plataforma participativa", "the participation platform"),
    ("l'étude", "el estudio", "the study"),
    ("le rapport", "el informe", "the report"),
    ("le questionnaire", "el cuestionario", "the questionnaire"),
    ("la région métropolitaine", "la región metropolitana", "the metropolitan region"),
    ("le gouvernement local", "el gobierno local", "the local government"),
    ("l'équipe de recherche", "el equipo de investigación", "the research team"),
    ("le programme d'apprentissage", "el programa de aprendizaje", "the learning programme"),
    ("la coalition des villes", "la coalición de ciudades", "the coalition of cities"),
    ("le bureau exécutif", "el buró ejecutivo", "the executive bureau"),
    ("l'observatoire urbain", "el observatorio urbano", "the urban observatory"),
    ("la mairie", "la alcaldía", "the mayor's office"),
    ("le comité de pilotage", "el comité directivo", "the steering committee"),
    ("chaque quartier", "cada barrio", "each neighbourhood"),
    ("la nouvelle édition", "la nueva edición", "the new edition"),
    ("le forum annuel", "el foro anual", "the annual forum"),
    ("la délégation", "la delegación", "the delegation"),
    ("l'agence de développement", "la agencia de desarrollo", "the development agency"),
    ("le service des données", "el servicio de datos", "the data office"),
    ("l'atelier", "el taller", "the workshop"),
    ("la feuille de route", "la hoja de ruta", "the roadmap"),
    ("le projet pilote", "el proyecto piloto", "the pilot project"),
]
VERBS = [
    ("renforce", "refuerza", "strengthens"),
    ("améliore", "mejora", "improves"),
    ("soutient", "apoya", "supports"),
    ("présente", "presenta", "presents"),
    ("analyse", "analiza", "analyses"),
    ("accompagne", "acompaña", "accompanies"),
    ("encourage", "fomenta", "encourages"),
    ("développe", "desarrolla", "develops"),
    ("partage", "comparte", "shares"),
    ("organise", "organiza", "organises"),
    ("favorise", "favorece", "promotes"),
    ("mesure", "mide", "measures"),
    ("transforme", "transforma", "transforms"),
    ("publie", "publica", "publishes"),
    ("évalue", "evalúa", "evaluates"),
    ("coordonne", "coordina", "coordinates"),
    ("finance", "financia", "funds"),
    ("simplifie", "simplifica", "simplifies"),
    ("protège", "protege", "protects"),
    ("relance", "relanza", "relaunches"),
    ("met en avant", "destaca", "highlights"),
    ("examine", "examina", "examines"),
    ("défend", "defiende", "defends"),
    ("facilite", "facilita", "facilitates"),
    ("propose", "propone", "proposes"),
    ("rassemble", "reúne", "brings together"),
    ("compare", "compara", "compares"),
    ("documente", "documenta", "documents"),
]
OBJECTS = [
    ("l'inclusion numérique", "la inclusión digital", "digital inclusion"),
    ("la participation citoyenne", "la participación ciudadana", "citizen participation"),
    ("la connectivité des quartiers", "la conectividad de los barrios", "neighbourhood connectivity"),
    ("la fracture numérique", "la brecha digital", "the digital divide"),
    ("la transparence budgétaire", "la transparencia presupuestaria", "budget transparency"),
    ("la gouvernance des données", "la gobernanza de los datos", "data governance"),
    ("les droits numériques", "los derechos digitales", "digital rights"),
    ("la résilience urbaine", "la resiliencia urbana", "urban resilience"),
    ("les services publics en ligne", "los servicios públicos en línea", "online public services"),
    ("les données ouvertes", "los datos abiertos", "open data"),
    ("la mobilité durable", "la movilidad sostenible", "sustainable mobility"),
    ("l'innovation sociale", "la innovación social", "social innovation"),
    ("les compétences numériques", "las competencias digitales", "digital skills"),
    ("la coopération internationale", "la cooperación internacional", "international cooperation"),
    ("les objectifs de développement durable", "los Objetivos de Desarrollo Sostenible", "the Sustainable Development Goals"),
    ("la protection de la vie privée", "la protección de la privacidad", "privacy protection"),
    ("l'accès à internet", "el acceso a internet", "internet access"),
    ("les petites entreprises", "las pequeñas empresas", "small businesses"),
    ("les initiatives locales", "las iniciativas locales", "local initiatives"),
    ("la gestion des déchets", "la gestión de residuos", "waste management"),
    ("l'éclairage public", "el alumbrado público", "street lighting"),
    ("les outils de suivi", "las herramientas de seguimiento", "monitoring tools"),
    ("la qualité de l'air", "la calidad del aire", "air quality"),
    ("le logement social", "la vivienda social", "social housing"),
    ("l'éducation numérique", "la educación digital", "digital education"),
    ("les capteurs urbains", "los sensores urbanos", "urban sensors"),
    ("la planification stratégique", "la planificación estratégica", "strategic planning"),
    ("les marchés publics", "la contratación pública", "public procurement"),
    ("l'intelligence artificielle", "la inteligencia artificial", "artificial intelligence"),
    ("la santé publique", "la salud pública", "public health"),
    ("les bonnes pratiques", "las buenas prácticas", "good practices"),
    ("l'égalité de genre", "la igualdad de género", "gender equality"),
    ("les réseaux à haut débit", "las redes de banda ancha", "broadband networks"),
    ("le dialogue entre villes", "el diálogo entre ciudades", "dialogue between cities"),
    ("les budgets participatifs", "los presupuestos participativos", "participatory budgets"),
]
COMPLEMENTS = [
    ("dans les quartiers populaires", "en los barrios populares", "in working-class neighbourhoods"),
    ("au niveau local", "a nivel local", "at local level"),
    ("depuis la pandémie", "desde la pandemia", "since the pandemic"),
    ("avec les partenaires régionaux", "con los socios regionales", "with regional partners"),
    ("pour les prochaines années", "para los próximos años", "for the coming years"),
    ("en Amérique latine", "en América Latina", "in Latin America"),
    ("en Afrique de l'Ouest", "en África Occidental", "in West Africa"),
    ("en Asie du Sud-Est", "en el Sudeste Asiático", "in Southeast Asia"),
    ("en Europe du Sud", "en el sur de Europa", "in Southern Europe"),
    ("grâce à des outils ouverts", "gracias a herramientas abiertas", "thanks to open tools"),
    ("avec la société civile", "con la sociedad civil", "with civil society"),
    ("dans les villes moyennes", "en las ciudades medianas", "in medium-sized cities"),
    ("sans laisser personne de côté", "sin dejar a nadie atrás", "without leaving anyone behind"),
    ("à partir de données fiables", "a partir de datos fiables", "based on reliable data"),
    ("avant la fin de l'année", "antes de fin de año", "before the end of the year"),
    ("dans le cadre du programme", "en el marco del programa", "within the programme"),
    ("avec le soutien de CGLU", "con el apoyo de CGLU", "with the support of UCLG"),
    ("lors de la session plénière", "durante la sesión plenaria", "during the plenary session"),
    ("pour toutes les générations", "para todas las generaciones", "for all generations"),
    ("dans un esprit de coopération", "con espíritu de cooperación", "in a spirit of cooperation"),
    ("auprès des habitants", "entre los habitantes", "among residents"),
    ("à l'échelle métropolitaine", "a escala metropolitana", "at metropolitan scale"),
    ("de manière transparente", "de forma transparente", "in a transparent way"),
    ("en lien avec les universités", "en colaboración con las universidades", "together with universities"),
]
OPENERS = [
    ("En outre,", "Además,", "Moreover,"),
    ("Par ailleurs,", "Por otra parte,", "In addition,"),
    ("Selon le rapport,", "Según el informe,", "According to the report,"),
    ("Dans ce contexte,", "En este contexto,", "In this context,"),
    ("Cette année,", "Este año,", "This year,"),
    ("Pour la première fois,", "Por primera vez,", "For the first time,"),
    ("De plus,", "Asimismo,", "Furthermore,"),
    ("Enfin,", "Por último,", "Finally,"),
    ("Ainsi,", "Así,", "Thus,"),
    ("Depuis 2017,", "Desde 2017,", "Since 2017,"),
    ("Concrètement,", "En concreto,", "In practice,"),
    ("À cette occasion,", "En esta ocasión,", "On this occasion,"),
    ("D'après les participants,", "Según los participantes,", "According to the participants,"),
    ("Dans la plupart des cas,", "En la mayoría de los casos,", "In most cases,"),
]
AND = ("et", "y", "and")  # the second clause starts with a verb: Spanish never needs "e"
HEADINGS = [
    ("Contexte", "Contexto", "Background"),
    ("Principaux résultats", "Principales resultados", "Main findings"),
    ("Prochaines étapes", "Próximos pasos", "Next steps"),
    ("Méthodologie", "Metodología", "Methodology"),
    ("Villes participantes", "Ciudades participantes", "Participating cities"),
    ("Recommandations", "Recomendaciones", "Recommendations"),
    ("Calendrier", "Calendario", "Timeline"),
    ("Comment participer", "Cómo participar", "How to take part"),
    ("Partenaires", "Socios", "Partners"),
    ("Enseignements", "Lecciones aprendidas", "Lessons learned"),
    ("Objectifs", "Objetivos", "Objectives"),
    ("Programme de la session", "Programa de la sesión", "Session programme"),
    ("Intervenants", "Ponentes", "Speakers"),
    ("Chiffres clés", "Cifras clave", "Key figures"),
    ("Défis", "Desafíos", "Challenges"),
]
LINK_TEXTS = [
    ("le rapport complet", "el informe completo", "the full report"),
    ("la page du programme", "la página del programa", "the programme page"),
    ("le formulaire en ligne", "el formulario en línea", "the online form"),
    ("la présentation", "la presentación", "the presentation"),
    ("l'enregistrement de la session", "la grabación de la sesión", "the session recording"),
]
SEE_ALSO = ("voir aussi", "ver también", "see also")
TABLE_HEADERS = (("Ville", "Pays", "Année", "Indice"), ("Ciudad", "País", "Año", "Índice"), ("City", "Country", "Year", "Index"))
PLACES = [  # (city per language, country per language)
    (("Bilbao",) * 3, ("Espagne", "España", "Spain")),
    (("Montevideo",) * 3, ("Uruguay",) * 3),
    (("Mexico", "Ciudad de México", "Mexico City"), ("Mexique", "México", "Mexico")),
    (("Buenos Aires",) * 3, ("Argentine", "Argentina", "Argentina")),
    (("Séoul", "Seúl", "Seoul"), ("Corée du Sud", "Corea del Sur", "South Korea")),
    (("Dakar",) * 3, ("Sénégal", "Senegal", "Senegal")),
    (("Medellín",) * 3, ("Colombie", "Colombia", "Colombia")),
    (("Strasbourg", "Estrasburgo", "Strasbourg"), ("France", "Francia", "France")),
    (("Chefchaouen",) * 3, ("Maroc", "Marruecos", "Morocco")),
    (("Curitiba",) * 3, ("Brésil", "Brasil", "Brazil")),
    (("Amsterdam", "Ámsterdam", "Amsterdam"), ("Pays-Bas", "Países Bajos", "Netherlands")),
    (("Subang Jaya",) * 3, ("Malaisie", "Malasia", "Malaysia")),
    (("Sfax",) * 3, ("Tunisie", "Túnez", "Tunisia")),
    (("Valparaíso",) * 3, ("Chili", "Chile", "Chile")),
    (("Quito",) * 3, ("Équateur", "Ecuador", "Ecuador")),
]
AUTHORS = [
    ("Communauté de pratique Villes numériques de CGLU", "Comunidad de Práctica Ciudades Digitales de CGLU",
     "UCLG Community of Practice on Digital Cities"),
    ("Secrétariat technique", "Secretaría técnica", "Technical secretariat"),
]
PAGES = [  # (translation key, titles, slugs): the standing pages the theme links to
    ("about", ("À propos", "Acerca de", "About"), ("a-propos", "acerca-de", "about")),
    ("smart-cities-study", ("Smart Cities Study",) * 3, ("smart-cities-study",) * 3),
    ("contact", ("Contact", "Contacto", "Contact"), ("contact", "contacto", "contact")),
    ("legal", ("Mentions légales", "Aviso legal", "Legal notice"), ("mentions-legales", "aviso-legal", "legal-notice")),
]
# How often each category occurs, roughly as on the real hub.
CATEGORY_WEIGHTS = {"news": 40, "publications": 20, "events": 20, "calls": 10, "studies": 10}
TRANSLATED_SHARE = 0.85  # items with a version in all three languages; the rest have one version


# --- Corpus plan (pure) ---------------------------------------------------------------------
@dataclass
class Item:
    """One article in every language it has; `body` holds vocabulary indices, not text."""

    key: str
    langs: tuple  # the original's language first
    date: datetime.datetime
    category: str
    tags: tuple
    extra: tuple  # (header, value) pairs, the same on every version
    title: tuple
    summary: tuple
    authors: int | None
    body: list = field(default_factory=list)
    slugs: dict = field(default_factory=dict)  # lang -> slug


def slugify(text):
    """Lower case, no accents, words joined by '-': the hub's slug rule."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))


def capitalise(text):
    return text[:1].upper() + text[1:]


def lang_index(lang):
    return LANGS.index(lang)


def random_sentence(rng, with_link=None):
    """A sentence skeleton: (opener, subject, verb, object, complement, second clause, link)."""
    return (
        rng.randrange(len(OPENERS)) if rng.random() < 0.35 else None,
        rng.randrange(len(SUBJECTS)),
        rng.randrange(len(VERBS)),
        rng.randrange(len(OBJECTS)),
        rng.randrange(len(COMPLEMENTS)) if rng.random() < 0.7 else None,
        (rng.randrange(len(VERBS)), rng.randrange(len(OBJECTS))) if rng.random() < 0.3 else None,
        with_link,
    )


def render_sentence(sentence, lang, item_of):
    opener, subject, verb, obj, complement, second, link = sentence
    i = lang_index(lang)
    words = [SUBJECTS[subject][i], VERBS[verb][i], OBJECTS[obj][i]]
    if complement is not None:
        words.append(COMPLEMENTS[complement][i])
    if second is not None:
        words += [AND[i], VERBS[second[0]][i], OBJECTS[second[1]][i]]
    text = " ".join(words)
    text = f"{OPENERS[opener][i]} {text}" if opener is not None else capitalise(text)
    if link is not None:
        kind, value = link
        if kind == "external":
            text += f" ([{LINK_TEXTS[value[0]][i]}]({value[1]}))"
        else:  # an article of the hub in the same language, linked by its file as the guide says
            target = item_of(value)
            text += f" ({SEE_ALSO[i]} [{render_title(target.title, lang)}]({{filename}}/articles/{lang}/{target.slugs[lang]}.md))"
    return text + "."


def render_block(block, lang, item_of):
    kind, data = block
    i = lang_index(lang)
    if kind == "p":
        return " ".join(render_sentence(s, lang, item_of) for s in data)
    if kind == "h":
        return f"## {HEADINGS[data][i]}"
    if kind in ("ul", "ol"):
        marks = ["-"] * len(data) if kind == "ul" else [f"{n}." for n in range(1, len(data) + 1)]
        return "\n".join(f"{mark} {capitalise(OBJECTS[o][i])} {COMPLEMENTS[c][i]}" for mark, (o, c) in zip(marks, data))
    if kind == "quote":
        return "> " + render_sentence(data, lang, item_of)
    if kind == "table":
        head = TABLE_HEADERS[i]
        rows = [f"| {' | '.join(head)} |", "| --- | --- | ---: | ---: |"]
        rows += [f"| {PLACES[p][0][i]} | {PLACES[p][1][i]} | {year} | {score} |" for p, year, score in data]
        return "\n".join(rows)
    raise ValueError(kind)


def render_body(blocks, lang, item_of):
    return "\n\n".join(render_block(block, lang, item_of) for block in blocks) + "\n"


def word_count(text):
    return len(re.findall(r"[^\W\d_]+", text))


def plan_body(rng, key, link_targets, words_target, item_of, max_words=800):
    """Blocks of one item: an introduction, then `##` sections of paragraphs, lists, links and
    now and then a table, until every language version has `words_target` words and none has
    more than `max_words` (French and Spanish run about 20% longer than English)."""
    def paragraph():
        sentences = [random_sentence(rng) for _ in range(rng.randint(3, 5))]
        if rng.random() < 0.4:  # a link in about every other paragraph, internal or external
            where = rng.randrange(len(sentences))
            if link_targets and rng.random() < 0.5:
                link = ("internal", rng.choice(link_targets))
            else:
                link = ("external", (rng.randrange(len(LINK_TEXTS)), f"https://www.example.org/{key}/{rng.randint(1, 99)}"))
            sentences[where] = random_sentence(rng, with_link=link)
        return ("p", sentences)

    def counts():
        words = [word_count(render_body(blocks, lang, item_of)) for lang in LANGS]
        return min(words), max(words)

    blocks = [paragraph()]
    headings = rng.sample(range(len(HEADINGS)), len(HEADINGS))
    table_in = rng.randint(1, 3) if rng.random() < 0.2 else None
    section, section_blocks = 0, 99
    while counts()[0] < words_target:
        if section_blocks >= 3:
            section, section_blocks = section + 1, 0
            blocks += [("h", headings[(section - 1) % len(headings)]), paragraph()]
        elif section == table_in:
            table_in = None
            rows = [(p, rng.choice((2012, 2017, 2019, 2021)), rng.randint(40, 98))
                    for p in rng.sample(range(len(PLACES)), rng.randint(3, 6))]
            blocks.append(("table", rows))
        elif rng.random() < 0.3:
            items = [(rng.randrange(len(OBJECTS)), rng.randrange(len(COMPLEMENTS))) for _ in range(rng.randint(3, 5))]
            blocks.append((rng.choice(("ul", "ul", "ol")), items))
        elif rng.random() < 0.1:
            blocks.append(("quote", random_sentence(rng)))
        else:
            blocks.append(paragraph())
        section_blocks += 1
    while counts()[1] > max_words:  # overshot: drop sentences from the end
        kind, data = blocks[-1]
        if kind == "p" and len(data) > 1:
            blocks[-1] = ("p", data[:-1])
        else:
            blocks.pop()
            if blocks[-1][0] == "h":
                blocks.pop()
    return blocks


def render_title(title, lang):
    subject, verb, obj, complement = title
    i = lang_index(lang)
    words = [SUBJECTS[subject][i], VERBS[verb][i], OBJECTS[obj][i]]
    if complement is not None:
        words.append(COMPLEMENTS[complement][i])
    return capitalise(" ".join(words))


def extra_headers(rng, category, date, edition_years):
    """Headers a category needs (the same on every version), as the editors' guide lists them."""
    day = date.date()
    if category == "calls":
        headers = [("Deadline", (day + datetime.timedelta(days=rng.randint(20, 60))).isoformat()),
                   ("Form_Languages", ", ".join(rng.sample(LANGS, rng.randint(1, 3))))]
        if rng.random() < 0.5:
            headers.append(("Form_Url", f"https://www.example.org/form/{rng.randint(100, 999)}"))
        return tuple(headers)
    if category == "events":
        start = day + datetime.timedelta(days=rng.randint(7, 90))
        headers = [("Event_Start", start.isoformat())]
        if rng.random() < 0.4:
            headers.append(("Event_End", (start + datetime.timedelta(days=rng.randint(1, 3))).isoformat()))
        place = rng.choice(PLACES)
        headers.append(("Location", "online" if rng.random() < 0.3 else f"{place[0][2]}, {place[1][2]}"))
        return tuple(headers)
    if category == "studies" and edition_years and rng.random() < 0.7:
        return (("Edition", str(rng.choice(edition_years))),)
    return ()


def plan_corpus(n, seed, categories, tags, edition_years):
    """Items giving exactly `n` articles per language: 85% of them belong to items with a
    version in all three languages, the other 15% are the only version of their item."""
    rng = random.Random(seed)
    single_per_lang = round(n * (1 - TRANSLATED_SHARE))
    language_sets = [LANGS] * (n - single_per_lang) + [(lang,) for lang in LANGS for _ in range(single_per_lang)]
    rng.shuffle(language_sets)
    start = datetime.datetime(2012, 1, 1)
    span_minutes = int((datetime.datetime(2025, 12, 31) - start).total_seconds() // 60)
    weights = [CATEGORY_WEIGHTS.get(c, 10) for c in categories]
    items, taken = [], {lang: set() for lang in LANGS}
    for langs in language_sets:
        original = rng.choice(langs)
        langs = (original,) + tuple(lang for lang in LANGS if lang in langs and lang != original)
        date = start + datetime.timedelta(minutes=rng.randrange(0, span_minutes, 30))
        category = rng.choices(categories, weights)[0]
        title = (rng.randrange(len(SUBJECTS)), rng.randrange(len(VERBS)), rng.randrange(len(OBJECTS)),
                 rng.randrange(len(COMPLEMENTS)) if rng.random() < 0.5 else None)
        slugs = {}
        for lang in langs:
            base = slugify(render_title(title, lang))
            slug, number = base, 2
            while slug in taken[lang]:  # two titles alike: the editor would add a number
                slug, number = f"{base}-{number}", number + 1
            taken[lang].add(slug)
            slugs[lang] = slug
        items.append(Item(
            key=slugs[original], langs=langs, date=date, category=category,
            tags=tuple(rng.sample(tags, rng.randint(1, 4))),
            extra=extra_headers(rng, category, date, edition_years),
            title=title, summary=random_sentence(rng),
            authors=rng.randrange(len(AUTHORS)) if rng.random() < 0.6 else None,
            slugs=slugs,
        ))
    by_key = {item.key: item for item in items}
    everywhere = [item.key for item in items if len(item.langs) == len(LANGS)]
    for item in items:
        # Its own random stream: a body does not depend on the order items were planned in.
        body_rng = random.Random(f"{seed}/{item.key}")
        targets = [key for key in everywhere if key != item.key]  # they exist in every language
        item.body = plan_body(body_rng, item.key, targets, body_rng.randint(500, 560),
                              by_key.__getitem__)
    return items


# One item in PHOTO_EVERY has a featured photo (beside its original; its translations show it).
PHOTO_EVERY = 3
PHOTO_SIZE = (1600, 1067)  # a phone photo exported for the web, 3:2
PHOTO_ALT = ("Une rue de la ville au printemps", "Una calle de la ciudad en primavera", "A city street in spring")


def photo_bytes(key, seed):
    """A JPEG photo-like picture (gradients, shapes, grain: what encoders meet in photos), the same
    bytes for the same key and seed."""
    import io

    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(f"{seed}/photo/{key}")
    width, height = PHOTO_SIZE
    channels = [Image.linear_gradient("L").rotate(rng.randrange(360)).resize(PHOTO_SIZE) for _ in range(3)]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 300)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise(PHOTO_SIZE, 24).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def has_photo(item_index):
    return item_index % PHOTO_EVERY == 0


def render_article(item, lang, item_of, photo=False):
    """The Markdown file of one version, headers in the order of the editors' guide. `photo`: the
    item has a featured photo (named by its original, described by every version)."""
    i = lang_index(lang)
    headers = [
        ("Title", render_title(item.title, lang)),
        ("Date", item.date.strftime("%Y-%m-%d %H:%M")),
        ("Category", item.category),
        ("Tags", ", ".join(item.tags)),
        ("Slug", item.slugs[lang]),
        ("Lang", lang),
        ("Translation_Key", item.key),
    ]
    if lang != item.langs[0]:
        headers.append(("Translation", "true"))
    headers.append(("Summary", render_sentence(item.summary, lang, item_of)))
    if item.authors is not None:
        headers.append(("Authors", AUTHORS[item.authors][i]))
    headers += list(item.extra)
    if photo:
        if lang == item.langs[0]:
            headers.append(("Image", f"{item.slugs[lang]}.jpg"))
        headers.append(("Image_Alt", PHOTO_ALT[i]))
    head = "\n".join(f"{name}: {value}" for name, value in headers)
    return f"{head}\n\n{render_body(item.body, lang, item_of)}"


def render_page(key, titles, slugs, lang, seed):
    """A standing page (about, the study, ...): French original, two translations."""
    i = lang_index(lang)
    rng = random.Random(f"{seed}/page/{key}")
    blocks = []
    for heading in rng.sample(range(len(HEADINGS)), 3):
        blocks += [("h", heading), ("p", [random_sentence(rng) for _ in range(rng.randint(4, 6))])]
    headers = [("Title", titles[i]), ("Slug", slugs[i]), ("Lang", lang), ("Translation_Key", key),
               ("Summary", render_sentence(random_sentence(rng), lang, None))]
    if lang != "fr":
        headers.append(("Translation", "true"))
    head = "\n".join(f"{name}: {value}" for name, value in headers)
    return f"{head}\n\n{render_body(blocks, lang, None)}"


def corpus_files(n, seed, taxonomy_text, editions_text, photos=True):
    """{relative path: text, or bytes for photos} of a whole content folder with `n` articles per
    language; with `photos`, one item in PHOTO_EVERY has a featured photo."""
    taxonomy = tomllib.loads(taxonomy_text)
    editions = tomllib.loads(editions_text).get("edition", []) if editions_text else []
    items = plan_corpus(n, seed, list(taxonomy["categories"]), list(taxonomy["tags"]),
                        [int(edition["year"]) for edition in editions])
    by_key = {item.key: item for item in items}
    item_of = by_key.__getitem__
    files = {"taxonomy.toml": taxonomy_text}
    if editions_text:
        files["editions.toml"] = editions_text
    for index, item in enumerate(items):
        photo = photos and has_photo(index)
        for lang in item.langs:
            files[f"articles/{lang}/{item.slugs[lang]}.md"] = render_article(item, lang, item_of, photo)
        if photo:
            files[f"articles/{item.langs[0]}/{item.slugs[item.langs[0]]}.jpg"] = photo_bytes(item.key, seed)
    for key, titles, slugs in PAGES:
        for lang in LANGS:
            files[f"pages/{lang}/{slugs[lang_index(lang)]}.md"] = render_page(key, titles, slugs, lang, seed)
    return files


def without_translation_headers(text):
    """The same file for i18n_subsites: it finds each subsite's version through DEFAULT_LANG.

    Pelican never takes an item marked `Translation: true` as the native version, so with the
    header a subsite would leave out its own-language translations entirely.
    """
    return re.sub(r"^Translation: true\n", "", text, count=1, flags=re.MULTILINE)


def edited(text, run):
    """`text` with one more sentence at the end: the 'one article changed' rebuild."""
    return f"{text.rstrip()}\n\nMise à jour {run} : la ville publie les données ouvertes.\n"


# --- Statistics and report (pure) --------------------------------------------------------------
STEPS = (
    ("ours_cold", "ours: cold (no output, no cache)"),
    ("ours_unchanged", "ours: rebuild, nothing changed"),
    ("ours_one_change", "ours: rebuild, one article edited"),
    ("ours_cold_images_cached", "ours: cold, picture variants cached"),
    ("subsites_cold", "Pelican + i18n-subsites: cold"),
)


def summarise(samples):
    """Medians (wall and CPU seconds) and peak memory of a step's runs."""
    return {
        "median_s": round(statistics.median(s["seconds"] for s in samples), 3),
        "median_cpu_s": round(statistics.median(s["cpu_seconds"] for s in samples), 3),
        "runs_s": [round(s["seconds"], 3) for s in samples],
        "peak_mib": round(max(s["peak_kib"] for s in samples) / 1024, 1),
        "files_written": samples[-1]["files"],
    }


def ratios(steps, measure="median_s"):
    cold = steps["ours_cold"][measure]
    return {
        "subsites/ours cold": round(steps["subsites_cold"][measure] / cold, 2),
        "nothing-changed/cold": round(steps["ours_unchanged"][measure] / cold, 2),
        "one-change/cold": round(steps["ours_one_change"][measure] / cold, 2),
    }


def scaling(by_size, measure="median_s"):
    """Cold-build time ratios between the largest and the smallest size, for each tool."""
    if len(by_size) < 2:
        return {}
    small, large = min(by_size), max(by_size)
    return {
        f"{tool} cold N={large}/N={small}": round(by_size[large]["steps"][f"{tool}_cold"][measure]
                                                  / by_size[small]["steps"][f"{tool}_cold"][measure], 2)
        for tool in ("ours", "subsites")
    }


def format_report(result):
    machine = result["machine"]
    lines = [f"Build benchmark: {machine['cpu']}, {machine['nproc']} CPU(s), {machine['ram_gib']} GiB RAM, "
             f"Python {machine['python']}; medians of {result['runs']} run(s); load average "
             f"{machine['load_average_at_start']} at start, {machine['load_average_at_end']} at end", ""]
    header = (f"{'N/lang':>6}  {'step':<36} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} {'files':>6}  "
              "wall s of each run")
    lines += [header, "-" * len(header)]
    for size, data in sorted(result["sizes"].items()):
        for key, label in STEPS:
            step = data["steps"][key]
            runs = " ".join(f"{s:.2f}" for s in step["runs_s"])
            lines.append(f"{size:>6}  {label:<36} {step['median_s']:>8.2f} {step['median_cpu_s']:>8.2f} "
                         f"{step['peak_mib']:>9.1f} {step['files_written']:>6}  {runs}")
        for name in ("ratios", "cpu_ratios"):
            values = ", ".join(f"{key} = {value}" for key, value in data[name].items())
            lines.append(f"{'':>6}  {'wall' if name == 'ratios' else 'CPU '}: {values}")
        lines.append("")
    for name in ("scaling", "cpu_scaling"):
        if result[name]:
            values = ", ".join(f"{key} = {value}" for key, value in result[name].items())
            lines.append(f"{'wall' if name == 'scaling' else 'CPU '}: {values}")
    return "\n".join(lines)


# --- Processes ------------------------------------------------------------------------------------
def machine_info():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    except (OSError, TypeError):
        ram_kib = 0
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(ram_kib / 1024 / 1024, 1),
            "python": sys.version.split()[0], "load_average_at_start": round(os.getloadavg()[0], 2)}


def write_files(files, root):
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def make_corpus(n, seed, workdir, photos=True):
    """Write the corpus for N and its i18n_subsites copy; check it with the hub's own checks."""
    files = corpus_files(n, seed, (PROJECT_ROOT / "content" / "taxonomy.toml").read_text(encoding="utf-8"),
                         (PROJECT_ROOT / "content" / "editions.toml").read_text(encoding="utf-8"), photos)
    ours = write_files(files, Path(workdir) / f"corpus-{n}")
    # i18n_subsites has no picture pipeline: its corpus has the texts only (their Image headers it ignores).
    subsites = write_files({path: without_translation_headers(text) for path, text in files.items()
                            if isinstance(text, str)}, Path(workdir) / f"corpus-{n}-subsites")
    check_corpus(ours)
    articles = [text for path, text in files.items() if path.startswith("articles/") and path.endswith(".md")]
    words = [word_count(text.split("\n\n", 1)[1]) for text in articles]
    log.info("corpus N=%d: %d articles (%d-%d words), written to %s", n, len(articles), min(words), max(words), ours)
    return ours, subsites


def check_corpus(content_root):
    """Every generated file must pass the hub's content checks, as an editor's file would."""
    from plugins.hub_check.checks import ERROR, check_content

    errors = [problem for problem in check_content(content_root, LANGS) if problem.level == ERROR]
    if errors:  # not an assert: it must hold under `python -O` too
        raise AssertionError("the synthetic corpus fails the content checks:\n" + "\n".join(map(str, errors[:20])))


def ensure_subsites_venv(workdir):
    """A separate virtualenv with Pelican + pelican-i18n-subsites, made once per workdir."""
    venv = Path(workdir) / "subsites-venv"
    python = venv / "bin" / "python"
    stamp = venv / ".bench-requirements"
    wanted = "\n".join(SUBSITES_REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    log.info("installing %s into %s", ", ".join(SUBSITES_REQUIREMENTS), venv)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *SUBSITES_REQUIREMENTS], check=True)
    stamp.write_text(wanted)
    return python


def compile_subsites_catalogs(workdir):
    """The comparison theme's catalogs as .mo files in the workdir (nothing written in the project)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    locale_dir = Path(workdir) / "subsites-locale"
    for po in sorted((SUBSITES_DIR / "theme" / "translations").glob("*/LC_MESSAGES/messages.po")):
        lang = po.parent.parent.name
        mo = locale_dir / lang / "LC_MESSAGES" / "messages.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as source, mo.open("wb") as target:
            write_mo(target, read_po(source, locale=lang))
    return locale_dir


def measured(command, log_file, cwd, gnu_time=Path("/usr/bin/time")):
    """Run `command`; return wall seconds, CPU seconds (user + system) and peak RSS (KiB).

    CPU time is reported beside wall time because it barely moves when other processes share
    the machine, while wall time does.
    """
    report = Path(f"{log_file}.rusage")
    if gnu_time.exists():
        wrapped = [str(gnu_time), "-v", "-o", str(report), *command]
    else:
        # The wrapper waits for its only child, so RUSAGE_CHILDREN is that child's usage.
        wrapper = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
                   "u = resource.getrusage(resource.RUSAGE_CHILDREN); open(sys.argv[1], 'w').write("
                   "'User time (seconds): %f\\nSystem time (seconds): %f\\nMaximum resident set size (kbytes): %d\\n'"
                   " % (u.ru_utime, u.ru_stime, u.ru_maxrss)); sys.exit(code)")
        wrapped = [sys.executable, "-c", wrapper, str(report), *command]
    with open(log_file, "w") as output:
        started = time.perf_counter()
        code = subprocess.run(wrapped, cwd=cwd, stdout=output, stderr=subprocess.STDOUT).returncode
        seconds = time.perf_counter() - started
    if code != 0:
        tail = Path(log_file).read_text(errors="replace").splitlines()[-15:]
        raise RuntimeError(f"build failed ({code}): {' '.join(command)}\n" + "\n".join(tail))
    usage = report.read_text()

    def value(label):
        return float(re.search(rf"{re.escape(label)}: ([\d.]+)", usage)[1])

    return {"seconds": seconds, "cpu_seconds": value("User time (seconds)") + value("System time (seconds)"),
            "peak_kib": int(value("Maximum resident set size (kbytes)"))}


def count_files(root):
    return sum(1 for path in Path(root).rglob("*") if path.is_file())


def clean_cold(output, cache):
    """No output and no cache: the project's own `clean` also knows where build_site keeps its
    cache (beside the output); the CACHE_PATH the benchmark passes is removed too."""
    from hubsite.build import clean

    clean(output)
    shutil.rmtree(cache, ignore_errors=True)


class Bench:
    """The commands of each build, with their fixed paths under workdir."""

    def __init__(self, workdir, subsites_python, locale_dir, python=sys.executable):
        self.workdir = Path(workdir)
        self.subsites_python = subsites_python
        self.locale_dir = locale_dir
        self.python = python
        self.logs = self.workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)

    def paths(self, n):
        return self.workdir / f"out-ours-{n}", self.workdir / f"cache-ours-{n}", self.workdir / f"out-subsites-{n}"

    def ours(self, n, content, step, run):
        output, cache, _ = self.paths(n)
        if step == "ours_cold":
            clean_cold(output, cache)
        elif step == "ours_cold_images_cached":
            # As cold, but the picture variants (hub_images) stay in their cache: what pictures cost
            # once processed, e.g. a publish build after previews.
            images = output.parent / f".{output.name}.cache" / "images"
            kept = output.parent / f".{output.name}.images-kept"
            shutil.rmtree(kept, ignore_errors=True)
            if images.is_dir():
                images.rename(kept)
            clean_cold(output, cache)
            if kept.is_dir():
                images.parent.mkdir(parents=True, exist_ok=True)
                kept.rename(images)
        command = [self.python, "-m", "hubsite.bench", "_build", str(content), str(output), str(cache)]
        return measured(command, self.logs / f"{step}-{n}-{run}.log", PROJECT_ROOT) | {"files": count_files(output)}

    def subsites(self, n, content, run):
        _, _, output = self.paths(n)
        shutil.rmtree(output, ignore_errors=True)
        command = [str(self.subsites_python), "-m", "pelican", str(content), "-o", str(output),
                   "-s", str(SUBSITES_DIR / "pelicanconf.py"),
                   "-e", f"I18N_GETTEXT_LOCALEDIR={json.dumps(str(self.locale_dir))}",
                   f"CACHE_PATH={json.dumps(str(self.workdir / f'cache-subsites-{n}'))}"]
        return measured(command, self.logs / f"subsites_cold-{n}-{run}.log", self.workdir) | {"files": count_files(output)}


def bench_size(bench, n, runs, seed, photos=True):
    content, subsites_content = make_corpus(n, seed, bench.workdir, photos)
    edited_file = sorted((content / "articles" / "fr").glob("*.md"))[0]
    original_text = edited_file.read_text(encoding="utf-8")
    samples = {key: [] for key, _ in STEPS}
    # Steps interleaved run by run, so a slow spell of the machine hits every step alike.
    for run in range(1, runs + 1):
        for step in ("ours_cold", "ours_unchanged", "ours_one_change", "ours_cold_images_cached"):
            if step == "ours_one_change":
                edited_file.write_text(edited(original_text, run), encoding="utf-8")
            samples[step].append(bench.ours(n, content, step, run))
            log.info("N=%d run %d/%d %s: %.2f s", n, run, runs, step, samples[step][-1]["seconds"])
        samples["subsites_cold"].append(bench.subsites(n, subsites_content, run))
        log.info("N=%d run %d/%d subsites_cold: %.2f s", n, run, runs, samples["subsites_cold"][-1]["seconds"])
    edited_file.write_text(original_text, encoding="utf-8")
    steps = {key: summarise(values) for key, values in samples.items()}
    return {"articles_per_lang": n, "files_in_corpus": count_files(content), "steps": steps,
            "ratios": ratios(steps), "cpu_ratios": ratios(steps, "median_cpu_s")}


def run_benchmark(sizes=(100, 1000), runs=3, workdir=DEFAULT_WORKDIR, seed=2021, photos=True):
    """Time our build (cold, nothing changed, one change) and i18n_subsites' on the same corpus.

    Returns {"machine", "runs", "seed", "sizes": {N: {"steps", "ratios", "cpu_ratios", ...}},
    "scaling", "cpu_scaling"} (ratios of wall and of CPU medians) and prints a table to stdout.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(workdir, ensure_subsites_venv(workdir), compile_subsites_catalogs(workdir))
    # A unit-sized corpus through both builds first: checks fail fast, and the first import of
    # each tool (cold .pyc, disk cache) is not counted in any measured run.
    log.info("sanity run on a 5-article corpus")
    content, subsites_content = make_corpus(5, seed, workdir)
    bench.ours(5, content, "ours_cold", 0)
    bench.subsites(5, subsites_content, 0)
    result = {"machine": machine_info(), "runs": runs, "seed": seed, "sizes": {}}
    for n in sizes:
        result["sizes"][n] = bench_size(bench, n, runs, seed, photos)
    result["scaling"] = scaling(result["sizes"])
    result["cpu_scaling"] = scaling(result["sizes"], "median_cpu_s")
    # Other processes on the machine lengthen wall times: the load average tells if there were any.
    result["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    print(format_report(result))
    return result


# Timed inclusively by `--profile`: (module, attribute). Missing ones (a plugin not in this tree)
# are skipped. Every generator's generate_context/generate_output is timed as well.
PHASE_TARGETS = (
    ("plugins.hub_check.plugin", "run_checks"),
    ("plugins.hub_search.plugin", "index_site"),
    ("pelican.readers", "Readers.read_file"),
    ("markdown.core", "Markdown.convert"),
    ("pelican.writers", "Writer.write_file"),
    ("jinja2.environment", "Template.render"),
)


def profile_cold_build(n, workdir=DEFAULT_WORKDIR, seed=2021, top=25):
    """Where our cold build at N spends its time, two ways, each on a fresh output and cache.

    1. Phases: wall time of the main steps, measured with perf_counter around them (a few
       thousand calls: no visible overhead), plus the peak memory of Python and of its children.
    2. cProfile: the top functions. Its overhead inflates call-heavy code (Markdown's inline
       patterns, Jinja2), so read shares from the phases and names from the profile.
    """
    import pstats

    workdir = Path(workdir).resolve()
    content, _ = make_corpus(n, seed, workdir)
    output, cache = workdir / f"out-profile-{n}", workdir / f"cache-profile-{n}"
    phases_file, profile = workdir / f"phases-{n}.json", workdir / f"ours-{n}.prof"

    clean_cold(output, cache)
    command = [sys.executable, "-m", "hubsite.bench", "_phases", str(content), str(output), str(cache), str(phases_file)]
    seconds = measured(command, workdir / f"phases-{n}.log", PROJECT_ROOT)["seconds"]
    phases = json.loads(phases_file.read_text())
    print(f"Phases of our cold build, N={n} ({seconds:.1f} s in all, process start included)")
    print(format_phases(phases))

    clean_cold(output, cache)
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "hubsite.bench", "_build",
               str(content), str(output), str(cache)]
    seconds = measured(command, workdir / f"profile-{n}.log", PROJECT_ROOT)["seconds"]
    log.info("cProfile of the cold build N=%d: %.1f s with the profiler's overhead, %s", n, seconds, profile)
    stats = pstats.Stats(str(profile))
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return phases


def format_phases(phases):
    total = phases["timings"]["build_site"][0]
    lines = [f"{'phase (inclusive: they nest)':<58} {'s':>8} {'share':>6} {'calls':>7}"]
    for name, (seconds, calls) in sorted(phases["timings"].items(), key=lambda entry: -entry[1][0]):
        if seconds >= 0.05:
            lines.append(f"{name:<58} {seconds:>8.2f} {seconds / total:>6.1%} {calls:>7}")
    lines.append(f"peak RSS: Python {phases['peak_mib_self']} MiB, its child processes {phases['peak_mib_children']} MiB")
    return "\n".join(lines)


def _timed(function, name, timings):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            entry = timings.setdefault(name, [0.0, 0])
            entry[0] += time.perf_counter() - started
            entry[1] += 1
    return wrapper


def _phases_child(content, output, cache, report):
    """Child process: `_build_ours` with timers around PHASE_TARGETS and every generator."""
    import importlib
    import resource

    import hubsite.build
    import pelican
    from pelican.generators import Generator

    timings = {}
    for module_name, attribute in PHASE_TARGETS:
        try:
            owner = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            # Patched before Pelican starts, so plugins connect the timed function to signals.
            setattr(owner, name, _timed(getattr(owner, name), f"{attribute} ({module_name})", timings))
        except (ImportError, AttributeError):
            log.info("phase %s.%s not found in this tree: not timed", module_name, attribute)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    original_run = pelican.Pelican.run

    def run(self):
        # Plugins are imported by now: their generators are known.
        for cls in set(subclasses(Generator)):
            for method in ("generate_context", "generate_output"):
                if method in vars(cls):
                    setattr(cls, method, _timed(vars(cls)[method], f"{cls.__name__}.{method}", timings))
        return _timed(original_run, "Pelican.run", timings)(self)

    pelican.Pelican.run = run
    hubsite.build.build_site = _timed(hubsite.build.build_site, "build_site", timings)
    code = _build_ours(content, output, cache)
    Path(report).write_text(json.dumps({
        "timings": timings,
        "peak_mib_self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_mib_children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }))
    return code


def _build_ours(content, output, cache):
    """Child process: one build with the project's settings, as `invoke build` does it.

    CACHE_PATH is per size, under workdir; a build_site that keeps its cache beside the output
    puts it under workdir as well, and `clean_cold` removes both.
    """
    import hubsite.build

    try:
        hubsite.build.build_site(PROJECT_ROOT / "pelicanconf.py", output=output, process_ends=True,  # as `invoke build`
                                 PATH=content, SITEURL=SITEURL, CACHE_PATH=cache)
    except hubsite.build.BuildError as error:
        print("\n".join(error.problems), file=sys.stderr)
        return 1
    return 0


def main(argv=()):
    """Command line; `main()` with no argument runs the full benchmark (N=100 and 1000, 3 runs)."""
    parser = argparse.ArgumentParser(prog="python -m hubsite.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="articles per language (default 100 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step; the median is reported (default 3)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help=f"corpora, outputs, venv (default {DEFAULT_WORKDIR})")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--quick", action="store_true", help="smoke test: N=20, one run")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--no-photos", action="store_true", help="a corpus without featured photos (to see what they cost)")
    parser.add_argument("--profile", type=int, metavar="N", help="instead: where our cold build at N spends its time")
    args = parser.parse_args(list(argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    if args.profile:
        profile_cold_build(args.profile, args.workdir, args.seed)
        return 0
    sizes, runs = ((20,), 1) if args.quick else (tuple(args.sizes), args.runs)
    result = run_benchmark(sizes, runs, args.workdir, args.seed, photos=not args.no_photos)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_build"]:
        sys.exit(_build_ours(*sys.argv[2:5]))
    if sys.argv[1:2] == ["_phases"]:
        sys.exit(_phases_child(*sys.argv[2:6]))
    sys.exit(main(sys.argv[1:]))
