"""Tags as editors write them: an id or a label of the article's language (any case or accents);
an unknown tag is a free tag with a page in its language only; the taxonomy file gives tags their
translations and aliases, and refuses two labels that make one URL."""

import logging
import pytest

from conftest import LANGUAGES, ROOT, SITEURL, BuiltSite, write_article
from hubsite.build import BuildError, build_site
from hubsite.editing import new_article, status_report
from plugins.hub_check.checks import check_content
from plugins.hub_i18n.taxonomy import match_key, parse_taxonomy

TAXONOMY = (ROOT / "content" / "taxonomy.toml").read_text(encoding="utf-8")
FREE_WARNING = ("content/articles/es/{slug}.md:4: warning: Tags: {tag!r} is a new tag, in es only; it gets its own page. "
                "To give it translations or merge it with an existing tag ({closest}), add it to content/taxonomy.toml")
# A second tag whose Spanish label slugs like open-government's 'Gobierno abierto'.
CLASHING = TAXONOMY + '\n[tags.open-gov-bang]\nfr = "Gouvernement ouvert bis"\nes = "Gobierno abierto!"\nen = "Open government bis"\n'


def tag_links(built, url):
    """{label: URL} of the topics an article page links to."""
    return {a.get_text(strip=True): a["href"] for a in built.soup(url).select(".article-footer .tags a")}


def listed(built, url):
    return [a["href"] for a in built.soup(url).select(".entry-title a")]


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """One build: labels in every case, a free tag in two spellings, one that slugs like a label,
    and a French free tag (shown in the Spanish listings as a French article)."""
    root = tmp_path_factory.mktemp("tags")
    content = root / "content"
    content.mkdir()
    (content / "taxonomy.toml").write_text(TAXONOMY, encoding="utf-8")
    write_article(content, "es", "mayusculas", "Mayúsculas", tags="Datos Abiertos", date="2024-01-01 10:00")
    write_article(content, "es", "gritando", "Gritando", tags="DATOS ABIERTOS, open-data, movilidad urbana",
                  date="2024-01-02 10:00")
    write_article(content, "es", "otra-grafia", "Otra grafía", tags="Movilidad Urbana", date="2024-01-03 10:00")
    write_article(content, "es", "exclamacion", "Exclamación", tags="Gobierno abierto!", date="2024-01-04 10:00")
    write_article(content, "fr", "sans-accents", "Sans accents", tags="donnees ouvertes, mobilité douce",
                  date="2024-01-05 10:00")
    output = root / "output"
    build_site(ROOT / "pelicanconf.py", output=output, PATH=str(content), SITEURL=SITEURL)
    return content, BuiltSite(output)


@pytest.mark.parametrize("written, lang, expected", [
    ("open-data", "es", "open-data"), ("datos abiertos", "es", "open-data"), ("Datos Abiertos", "es", "open-data"),
    ("DATOS  ABIERTOS", "es", "open-data"), ("données ouvertes", "fr", "open-data"), ("donnees ouvertes", "fr", "open-data"),
    ("Open data", "en", "open-data"), ("Gobierno abierto!", "es", "open-government"),
    # A label of another language is not a label of this one: a free tag (the warning names the tag).
    ("Open data", "es", None), ("datos abiertos", "fr", None), ("movilidad urbana", "es", None),
])
def test_a_tag_is_found_by_id_or_by_its_label_in_the_articles_language(written, lang, expected):
    taxonomy = parse_taxonomy(TAXONOMY, LANGUAGES)
    found = taxonomy.find_tag(written, lang)
    assert (found.key if found else None) == expected


def test_matching_ignores_case_accents_and_spaces():
    assert match_key("Données  Ouvertes") == match_key("DONNEES OUVERTES") == "donnees ouvertes"
    assert match_key("Inclusión digital") == match_key("inclusion DIGITAL")
    assert match_key("datos abiertos") != match_key("datos abiertos!")


def test_a_label_in_any_case_links_the_tag_page_of_its_language(tagged):
    _, built = tagged
    page = f"{SITEURL}/es/etiqueta/datos-abiertos/"
    assert tag_links(built, f"{SITEURL}/es/2024/mayusculas/") == {"Datos abiertos": page}
    # Written twice (as label and as id): one link, one entry.
    links = tag_links(built, f"{SITEURL}/es/2024/gritando/")
    assert links["Datos abiertos"] == page and len(links) == 2
    # The French article tagged 'donnees ouvertes' is listed too, as French (untranslated policy 'link').
    assert listed(built, page) == [f"{SITEURL}/fr/2024/sans-accents/", f"{SITEURL}/es/2024/gritando/",
                                   f"{SITEURL}/es/2024/mayusculas/"]
    assert tag_links(built, f"{SITEURL}/fr/2024/sans-accents/")["Données ouvertes"] == f"{SITEURL}/fr/etiquette/donnees-ouvertes/"


def test_a_free_tag_gets_a_page_in_its_language_only(tagged):
    _, built = tagged
    page = f"{SITEURL}/es/etiqueta/movilidad-urbana/"
    assert tag_links(built, f"{SITEURL}/es/2024/gritando/")["movilidad urbana"] == page
    soup = built.soup(page)
    assert soup.h1.get_text(strip=True) == "Tema: Movilidad Urbana"
    assert not (built.output / "fr" / "etiquette" / "movilidad-urbana").exists()
    assert not (built.output / "en" / "tag" / "movilidad-urbana").exists()
    # No alternates in other languages; the switcher goes to their homes and says so.
    assert [link["hreflang"] for link in soup.select('link[rel="alternate"][hreflang]')] == ["es", "x-default"]
    switch = {a["hreflang"]: a for a in soup.select(".lang-switch a")}
    assert switch["fr"]["href"] == f"{SITEURL}/fr/" and switch["fr"].select_one(".switch-note")
    assert switch["en"]["href"] == f"{SITEURL}/en/" and switch["en"].select_one(".switch-note")
    sitemap = (built.output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{page}</loc>" in sitemap


def test_two_spellings_of_a_free_tag_share_one_page(tagged):
    _, built = tagged
    page = f"{SITEURL}/es/etiqueta/movilidad-urbana/"
    assert tag_links(built, f"{SITEURL}/es/2024/otra-grafia/") == {"Movilidad Urbana": page}
    assert listed(built, page) == [f"{SITEURL}/es/2024/otra-grafia/", f"{SITEURL}/es/2024/gritando/"]
    assert sorted(path.name for path in (built.output / "es" / "etiqueta").iterdir() if "movilidad" in path.name) == [
        "movilidad-urbana"]


def test_a_free_tag_that_slugs_like_a_label_is_that_tag(tagged):
    _, built = tagged
    page = f"{SITEURL}/es/etiqueta/gobierno-abierto/"
    assert tag_links(built, f"{SITEURL}/es/2024/exclamacion/") == {"Gobierno abierto": page}
    assert listed(built, page) == [f"{SITEURL}/es/2024/exclamacion/"]
    assert [path.name for path in (built.output / "es" / "etiqueta").iterdir() if "gobierno" in path.name] == ["gobierno-abierto"]


def test_another_languages_free_tag_has_no_page_here(tagged):
    _, built = tagged
    assert (built.output / "fr" / "etiquette" / "mobilite-douce" / "index.html").exists()
    # The French article is listed in Spanish (untranslated policy 'link'), but its free tag stays French.
    assert f"{SITEURL}/fr/2024/sans-accents/" in listed(built, f"{SITEURL}/es/")
    assert not (built.output / "es" / "etiqueta" / "mobilite-douce").exists()
    assert not (built.output / "en" / "tag" / "mobilite-douce").exists()


def test_check_warns_of_each_free_tag_once_per_article(tagged):
    content, _ = tagged
    problems = check_content(content, LANGUAGES)
    assert [str(problem) for problem in problems if problem.field == "Tags"] == [
        FREE_WARNING.format(slug="gritando", tag="movilidad urbana", closest="none looks close"),
        FREE_WARNING.format(slug="otra-grafia", tag="Movilidad Urbana", closest="none looks close"),
        "content/articles/fr/sans-accents.md:4: warning: Tags: 'mobilité douce' is a new tag, in fr only; it gets its "
        "own page. To give it translations or merge it with an existing tag (none looks close), "
        "add it to content/taxonomy.toml",
    ]
    assert {problem.level for problem in problems} == {"warning"}


def test_the_warning_names_the_closest_tags_by_their_label(small_site):
    small_site.write("es", "x", "X", tags="gobernanza digital, datos publicos, Open data")
    assert [str(p) for p in check_content(small_site.path, LANGUAGES) if p.field == "Tags"] == [
        FREE_WARNING.format(slug="x", tag=tag, closest=closest) for tag, closest in [
            # The English label in a Spanish article: a free tag, with that tag named.
            ("Open data", "closest: 'open-data' (Datos abiertos)"),
            ("datos publicos", "closest: 'open-data' (Datos abiertos)"),
            ("gobernanza digital", "closest: 'smart-governance' (Gobernanza inteligente), 'digital-divide' (Brecha digital), "
                                   "'digital-inclusion' (Inclusión digital)"),
        ]]


def test_a_preview_and_a_publish_build_warn_and_keep_the_article(small_site, caplog):
    small_site.write("es", "x", "X", tags="uclg, movilidad urbana")
    with caplog.at_level(logging.WARNING):
        built = small_site.build(HUB_CHECK_STRICT=True)
    assert "content/articles/es/x.md:4: warning: Tags: 'movilidad urbana' is a new tag, in es only" in caplog.text
    assert tag_links(built, f"{SITEURL}/es/2024/x/")["movilidad urbana"] == f"{SITEURL}/es/etiqueta/movilidad-urbana/"
    caplog.clear()
    # Another file (Pelican's log filter drops a message it logged already in this process).
    small_site.write("es", "y", "Y", tags="uclg, movilidad rural")
    with caplog.at_level(logging.WARNING):
        built = small_site.build(output=small_site.output.parent / "preview")
    assert "content/articles/es/y.md:4: warning: Tags: 'movilidad rural' is a new tag, in es only" in caplog.text
    assert "left out" not in caplog.text
    assert listed(built, f"{SITEURL}/es/etiqueta/movilidad-rural/") == [f"{SITEURL}/es/2024/y/"]


def test_status_lists_free_tags_with_their_articles_and_closest_tags(tagged):
    content, built = tagged
    report = status_report(content)
    assert ("  es  'Movilidad Urbana': 2 article(s): content/articles/es/gritando.md, content/articles/es/otra-grafia.md; "
            "closest: none\n") in report
    assert "  fr  'mobilité douce': 1 article(s): content/articles/fr/sans-accents.md" in report
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")]
            for row in built.soup(built.output / "editors" / "status" / "index.html").select("table")[1].select("tbody tr")]
    assert rows == [
        ["mobilité douce", "français", "content/articles/fr/sans-accents.md", ""],
        ["Movilidad Urbana", "espagnol", "content/articles/es/gritando.md , content/articles/es/otra-grafia.md", ""],
    ]


def test_an_alias_merges_a_spelling_into_a_tag(small_site):
    taxonomy = small_site.path / "taxonomy.toml"
    taxonomy.write_text(TAXONOMY.replace('\n[tags.open-data]\n', '\n[tags.open-data]\naliases = ["datos públicos", "open government data"]\n'),
                        encoding="utf-8")
    small_site.write("es", "x", "X", tags="Datos Publicos")
    small_site.write("fr", "y", "Y", tags="Open Government Data")
    assert [p for p in check_content(small_site.path, LANGUAGES) if p.field == "Tags"] == []
    built = small_site.build()
    assert tag_links(built, f"{SITEURL}/es/2024/x/") == {"Datos abiertos": f"{SITEURL}/es/etiqueta/datos-abiertos/"}
    assert tag_links(built, f"{SITEURL}/fr/2024/y/") == {"Données ouvertes": f"{SITEURL}/fr/etiquette/donnees-ouvertes/"}
    assert not (built.output / "es" / "etiqueta" / "datos-publicos").exists()


def test_adding_a_free_tag_to_the_taxonomy_moves_its_articles_to_the_tag(small_site, caplog):
    """Rebuilds (content cache, reused pages) follow the taxonomy: the warning and the free page go."""
    small_site.write("es", "x", "X", tags="movilidad urbana")
    built = small_site.build()
    assert (built.output / "es" / "etiqueta" / "movilidad-urbana" / "index.html").exists()
    (small_site.path / "taxonomy.toml").write_text(
        TAXONOMY + '\n[tags.mobility]\nfr = "Mobilité"\nes = "Movilidad"\nen = "Mobility"\naliases = ["movilidad urbana"]\n',
        encoding="utf-8")
    caplog.clear()  # what the first build said
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert "is a new tag" not in caplog.text
    assert tag_links(built, f"{SITEURL}/es/2024/x/") == {"Movilidad": f"{SITEURL}/es/etiqueta/movilidad/"}
    assert not (built.output / "es" / "etiqueta" / "movilidad-urbana").exists()
    assert listed(built, f"{SITEURL}/en/tag/mobility/") == [f"{SITEURL}/es/2024/x/"]


CLASH_ERROR = ("content/taxonomy.toml:{line}: error: [tags.open-gov-bang] es label 'Gobierno abierto!' and "
               "[tags.open-government] 'Gobierno abierto' give the same URL in es (es/etiqueta/gobierno-abierto/); "
               "change one of the labels (until then a preview puts open-gov-bang's page at "
               "es/etiqueta/gobierno-abierto-open-gov-bang/)")


def test_two_labels_with_one_url_are_an_error_naming_the_file_both_ids_and_the_url(small_site):
    (small_site.path / "taxonomy.toml").write_text(CLASHING, encoding="utf-8")
    line = CLASHING.splitlines().index("[tags.open-gov-bang]") + 1
    assert [str(p) for p in check_content(small_site.path, LANGUAGES)] == [CLASH_ERROR.format(line=line)]
    small_site.write("es", "x", "X", tags="open-gov-bang")
    with pytest.raises(BuildError) as caught:
        small_site.build(HUB_CHECK_STRICT=True)
    assert caught.value.problems == [CLASH_ERROR.format(line=line)]
    assert not small_site.output.exists()


def test_a_preview_with_clashing_labels_reports_it_and_moves_the_second_page(small_site, caplog):
    (small_site.path / "taxonomy.toml").write_text(CLASHING, encoding="utf-8")
    small_site.write("es", "x", "X", tags="open-gov-bang", date="2024-01-01 10:00")
    small_site.write("es", "y", "Y", tags="Gobierno abierto", date="2024-01-02 10:00")
    with caplog.at_level(logging.WARNING):
        built = small_site.build()
    assert "content/taxonomy.toml:" in caplog.text and "[tags.open-gov-bang] es label 'Gobierno abierto!'" in caplog.text
    assert "Traceback" not in caplog.text and "left out" not in caplog.text
    moved = f"{SITEURL}/es/etiqueta/gobierno-abierto-open-gov-bang/"
    assert tag_links(built, f"{SITEURL}/es/2024/x/") == {"Gobierno abierto!": moved}
    assert listed(built, moved) == [f"{SITEURL}/es/2024/x/"]
    assert listed(built, f"{SITEURL}/es/etiqueta/gobierno-abierto/") == [f"{SITEURL}/es/2024/y/"]
    # Other languages' labels do not clash: their pages keep their URLs.
    assert (built.output / "fr" / "etiquette" / "gouvernement-ouvert-bis" / "index.html").exists()


def test_an_alias_that_slugs_like_another_tags_label_is_an_error():
    text = TAXONOMY.replace('en = "Survey"\n', 'en = "Survey"\naliases = ["Open Data!"]\n')
    clashes = parse_taxonomy(text, LANGUAGES).clashes
    assert [(c.lang, c.slug, c.kept, c.other, c.other_text) for c in clashes] == [("en", "open-data", "open-data", "survey", "Open Data!")]


def test_new_article_writes_ids_for_labels_and_keeps_new_tags(small_site):
    notes = []
    path = new_article("Nuevo", "es", "news", "datos abiertos, Movilidad, Datos Abiertos, uclg", "2024-05-02 09:30",
                       content=small_site.path, notes=notes)
    assert "Tags: open-data, Movilidad, uclg\n" in path.read_text(encoding="utf-8")
    assert len(notes) == 1 and notes[0].startswith("'Movilidad' is a new tag, in es only (it gets its own page)")
    assert [p.message for p in check_content(small_site.path, LANGUAGES) if p.field == "Tags"] == [
        "'Movilidad' is a new tag, in es only; it gets its own page. To give it translations or merge it with an "
        "existing tag (closest: 'connectivity' (Conectividad)), add it to content/taxonomy.toml"]


def test_invoke_new_prints_close_tags_for_a_new_one(small_site, monkeypatch, capsys):
    import functools
    import importlib.util

    import invoke

    import hubsite.editing

    spec = importlib.util.spec_from_file_location("hub_tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    monkeypatch.setattr(hubsite.editing, "new_article", functools.partial(new_article, content=small_site.path))
    monkeypatch.setattr(tasks, "ROOT", small_site.path.parent)
    tasks.new(invoke.Context(), "Prueba", "es", "news", "datos abiertos, datos publicos")
    printed = capsys.readouterr().out
    assert "Note: 'datos publicos' is a new tag, in es only (it gets its own page); if you meant an existing tag, " \
           "use its id or es label: 'open-data' (Datos abiertos)" in printed
    path = small_site.path / "articles" / "es" / "prueba.md"
    assert "Tags: open-data, datos publicos\n" in path.read_text(encoding="utf-8")


def test_every_label_of_the_real_taxonomy_is_found_however_it_is_written():
    from unidecode import unidecode

    taxonomy = parse_taxonomy(TAXONOMY, LANGUAGES)
    assert taxonomy.clashes == []
    for term in taxonomy.tags.values():
        for lang in LANGUAGES:
            label = term.label(lang)
            for written in (label, label.upper(), label.lower(), unidecode(label), f"  {label.swapcase()} ", term.key):
                found = taxonomy.find_tag(written, lang)
                assert found is not None and found.key == term.key, (written, lang)


def test_two_categories_with_one_url_in_a_language_clash_there_only():
    text = TAXONOMY.replace('[categories.news]\nfr = "Actualités"\nes = "Noticias"',
                            '[categories.news]\nfr = "Actualités"\nes = "Estudios"')
    taxonomy = parse_taxonomy(text, LANGUAGES)
    assert [(c.kind, c.lang, c.slug, c.kept, c.other, c.moved_to) for c in taxonomy.clashes] == [
        ("categories", "es", "estudios", "studies", "news", "estudios-news")]
    assert taxonomy.categories["news"].slug("es") == "estudios-news"
    assert taxonomy.categories["news"].slug("fr") == "actualites"
    with pytest.raises(Exception, match=r"\[categories.news\] aliases are for tags only"):
        parse_taxonomy(text.replace('[categories.news]\n', '[categories.news]\naliases = ["x"]\n'), LANGUAGES)
    with pytest.raises(Exception, match=r"\[tags.uclg\] aliases must be a list of texts"):
        parse_taxonomy(TAXONOMY.replace('[tags.uclg]\n', '[tags.uclg]\naliases = "UCLG"\n'), LANGUAGES)


def test_rebuilds_after_free_tag_edits_match_a_build_from_scratch(small_site):
    """Free tag pages and the article pages linking them, after edits in other files only."""
    from conftest import snapshot

    small_site.write("es", "a", "A", tags="Movilidad Urbana", date="2024-01-01 10:00")
    small_site.write("es", "b", "B", tags="movilidad urbana", date="2024-01-02 10:00")
    small_site.write("es", "c", "C", tags="movilidad urbana, uclg", date="2024-01-03 10:00")
    small_site.write("fr", "d", "D", tags="mobilité", date="2024-01-04 10:00")
    first = small_site.build()
    assert (first.output / "es" / "etiqueta" / "cglu" / "index.html").exists()
    assert first.soup(f"{SITEURL}/es/etiqueta/movilidad-urbana/").h1.get_text(strip=True) == "Tema: movilidad urbana"
    # Another spelling wins the page's title, a tag page empties, and a free tag joins the taxonomy.
    small_site.write("es", "a", "A", tags="MOVILIDAD URBANA", date="2024-01-01 10:00")
    (small_site.path / "articles" / "es" / "c.md").unlink()
    (small_site.path / "taxonomy.toml").write_text(
        TAXONOMY + '\n[tags.mobility]\nfr = "Mobilité"\nes = "Movilidad"\nen = "Mobility"\n', encoding="utf-8")
    rebuilt = small_site.build()
    scratch = small_site.build(output=small_site.output.parent / "scratch")
    assert snapshot(rebuilt.output) == snapshot(scratch.output)
    assert rebuilt.soup(f"{SITEURL}/es/etiqueta/movilidad-urbana/").h1.get_text(strip=True) == "Tema: MOVILIDAD URBANA"
    assert not (rebuilt.output / "es" / "etiqueta" / "cglu").exists() and not (rebuilt.output / "es" / "2024" / "c").exists()
    assert tag_links(rebuilt, f"{SITEURL}/fr/2024/d/") == {"Mobilité": f"{SITEURL}/fr/etiquette/mobilite/"}
    assert listed(rebuilt, f"{SITEURL}/en/tag/mobility/") == [f"{SITEURL}/fr/2024/d/"]
