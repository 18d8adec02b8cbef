"""The benchmark's synthetic corpus: N articles per language in the hub's content format, from a seed.

Pure generation (`plan_corpus`, `render_*`, `corpus_files`) and the cached writer
(`ensure_corpus`): a corpus is written once per (N, seed, generator version, taxonomy) under the
work directory and reused by later runs. Nothing here imports the site's build code.
"""

import datetime
import hashlib
import io
import os
import random
import re
import shutil
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Bump when the generated files change: cached corpora of another version are not reused.
GENERATOR_VERSION = 2
LANGS = ("fr", "es", "en")

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

    # A body's word count is the sum of its blocks' (blocks are separated by blank lines): each
    # block is counted once. The memo keeps each block alive, so no id() is ever reused.
    memo = {}

    def block_words(block):
        if id(block) not in memo:
            memo[id(block)] = (block, [word_count(render_block(block, lang, item_of)) for lang in LANGS])
        return memo[id(block)][1]

    def counts():
        words = [sum(column) for column in zip(*(block_words(block) for block in blocks))]
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


# The photos are PHOTO_POOL distinct files (distinct bytes, so a content-addressed picture cache
# processes each one), drawn from PHOTO_BASES pictures: drawing one takes ~0.15 s, so a corpus of
# 10,000 articles per language (~3,900 photos) would spend ten minutes drawing. Each base is drawn
# once; a pool photo is its base with a JPEG comment naming it (same pixels, so the same
# decoding and encoding work for the picture pipeline). Photo k of a corpus is pool photo
# k % PHOTO_POOL, hard-linked: up to N = 1,000 per language every photo is distinct.
PHOTO_BASES = 12
PHOTO_POOL = 500


def base_photo_bytes(base, seed):
    """A JPEG photo-like picture (gradients, shapes, grain: what encoders meet in photos), the same
    bytes for the same base and seed."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(f"{seed}/photo/{base}")
    width, height = PHOTO_SIZE
    channels = [Image.linear_gradient("L").rotate(rng.randrange(360)).resize(PHOTO_SIZE) for _ in range(3)]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(40, 300)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(3))
    # Grain from the seeded stream (Image.effect_noise has a random source of its own): uniform
    # noise narrowed to about the spread of a Gaussian of sigma 24.
    noise = Image.frombytes("L", PHOTO_SIZE, rng.randbytes(width * height))
    grain = noise.point(lambda value: int(128 + (value - 128) * 0.32)).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def with_comment(jpeg, text):
    """`jpeg` with a COM segment right after its start marker: other bytes, the same picture."""
    comment = text.encode("ascii")
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


@dataclass(frozen=True)
class Photo:
    """A featured photo of the corpus: pool photo `index` (its bytes: `PhotoPool.bytes`)."""

    index: int


class PhotoPool:
    """Pool photos of one seed, each drawn (from its base) when first asked for."""

    def __init__(self, seed):
        self.seed = seed
        self.bases = {}

    def bytes(self, photo):
        base = photo.index % PHOTO_BASES
        if base not in self.bases:
            self.bases[base] = base_photo_bytes(base, self.seed)
        return with_comment(self.bases[base], f"benchmark photo {photo.index} of seed {self.seed}")


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
    """{relative path: text, or a Photo} of a whole content folder with `n` articles per
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
    photo_count = 0
    for index, item in enumerate(items):
        photo = photos and has_photo(index)
        for lang in item.langs:
            files[f"articles/{lang}/{item.slugs[lang]}.md"] = render_article(item, lang, item_of, photo)
        if photo:
            files[f"articles/{item.langs[0]}/{item.slugs[item.langs[0]]}.jpg"] = Photo(photo_count % PHOTO_POOL)
            photo_count += 1
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




# --- Writing (cached under the work directory) ----------------------------------------------------
def corpus_key(n, seed, taxonomy_text, editions_text):
    """The name of a corpus' folder: what it is generated from, so a cached one is never stale."""
    inputs = hashlib.sha256(f"{taxonomy_text}\0{editions_text}".encode()).hexdigest()[:10]
    return f"corpus-n{n}-seed{seed}-v{GENERATOR_VERSION}-{inputs}"


def write_files(files, root, pool_dir, pool):
    """Write `files` under `root` (new). Photos are written once into `pool_dir`, then hard-linked."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Photo):
            source = pool_dir / f"photo-{data.index}.jpg"
            if not source.exists():
                pool_dir.mkdir(parents=True, exist_ok=True)
                partial = source.with_suffix(f".{os.getpid()}.partial")
                partial.write_bytes(pool.bytes(data))
                partial.replace(source)
            try:
                os.link(source, path)
            except OSError:  # another file system
                shutil.copyfile(source, path)
        else:
            path.write_text(data, encoding="utf-8")


def ensure_corpus(n, seed, workdir, taxonomy_text, editions_text, photos=True):
    """The corpus of `n` articles per language for our build (with photos) and its text-only copy
    for plain Pelican (`Translation: true` removed, no photos): (ours, plain) folders under
    `workdir`, generated once and reused while N, the seed, this generator and the taxonomy are the same."""
    workdir = Path(workdir)
    key = corpus_key(n, seed, taxonomy_text, editions_text) + ("" if photos else "-nophotos")
    ours, plain = workdir / "corpora" / key, workdir / "corpora" / f"{key}-plain"
    done = workdir / "corpora" / f"{key}.complete"  # written last: a corpus cut short is made again
    if done.exists() and ours.is_dir() and plain.is_dir():
        return ours, plain
    files = corpus_files(n, seed, taxonomy_text, editions_text, photos)
    pool = PhotoPool(seed)
    pool_dir = workdir / "corpora" / f"photos-seed{seed}-v{GENERATOR_VERSION}"
    plain_files = {path: without_translation_headers(text) for path, text in files.items() if isinstance(text, str)}
    for root, content in ((ours, files), (plain, plain_files)):
        partial = root.with_name(root.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)
        write_files(content, partial, pool_dir, pool)
        partial.rename(root)
    done.write_text("")
    return ours, plain


def corpus_stats(root):
    """Articles, their word counts (min, max) and files of a written corpus."""
    articles = sorted(Path(root).glob("articles/*/*.md"))
    words = [word_count(path.read_text(encoding="utf-8").split("\n\n", 1)[1]) for path in articles]
    files = sum(1 for path in Path(root).rglob("*") if path.is_file())
    return {"articles": len(articles), "words_min": min(words), "words_max": max(words), "files": files}
