"""Bad input the hand-written fixtures do not list: articles with generated headers, values,
encodings, links, images and tags, built as a preview. No traceback, ever; every article is
either on the site or named by the content checks with its header."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SITEURL
from hubsite.build import build_site
from plugins.hub_check.checks import ERROR, check_content, theme_templates

LANGUAGES = ("fr", "es", "en")
NOW = "2026-11-23T08:00:00+00:00"

# Values an editor could type, right and wrong, and some no editor would.
header_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=40)
dates = st.one_of(st.sampled_from(["2024-01-10", "2024-01-10 10:00", "2021-02-30", "31/05/2021", "", "2024-13-01",
                                   "2024-01-10 25:00", "demain"]),
                  st.dates().map(lambda day: day.isoformat()), header_text)
categories = st.one_of(st.sampled_from(["news", "calls", "events", "studies", "publications", "", "Gossip"]), header_text)
tags = st.lists(st.one_of(st.sampled_from(["open-data", "uclg", "datos abiertos", "Données ouvertes", "movilidad",
                                           "open data!", ""]), header_text), max_size=4).map(", ".join)
extra_headers = st.lists(st.sampled_from(
    ["Deadline: 2024-02-01", "Deadline: 2023-01-01", "Event_Start: 2024-03-01 10:00", "Event_End: 2024-02-01",
     "Event_Timezone: Europe/Madird", "Event_Timezone: America/Chicago", "Lang: de", "Lang: es", "Status: draft",
     "Status: later", "Translation: true", "Edition: 2019", "Edition: 1999", "Colour: blue", "Summary:",
     "Template: nope", "Slug: ../x", "Save_As: ../../x.html"]), max_size=3, unique=True)
bodies = st.lists(st.sampled_from(
    ["Plain text.", "![A chart](chart.png)", "![](chart.png)", "![Missing](nothing.png)",
     "[Report]({filename}/articles/fr/base.md)", "[Gone]({filename}/articles/fr/gone.md)",
     "![Static]({static}chart.png)", "{static}", "<script>alert(1)</script>", "| a | b |\n|---|---|\n| 1 | 2 |"]),
    max_size=4).map("\n\n".join)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16"])


@st.composite
def articles(draw):
    lang = draw(st.sampled_from(LANGUAGES))
    headers = []
    if draw(st.booleans()) or True:
        headers.append(f"Title: {draw(header_text)}")
    headers.append(f"Date: {draw(dates)}")
    headers.append(f"Category: {draw(categories)}")
    if draw(st.booleans()):
        headers.append(f"Tags: {draw(tags)}")
    headers += draw(extra_headers)
    text = "\n".join(draw(st.permutations(headers))) + "\n\n" + draw(bodies) + "\n"
    return lang, text, draw(encodings)


def encoded(text, encoding):
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(articles(), min_size=1, max_size=4))
def test_generated_articles_are_built_or_named_by_the_checks_and_never_crash(generated):
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        (content / "articles" / "fr").mkdir(parents=True)
        (content / "taxonomy.toml").write_bytes((ROOT / "content" / "taxonomy.toml").read_bytes())
        (content / "articles" / "fr" / "base.md").write_text(
            "Title: Base\nDate: 2024-01-01\nCategory: news\nSummary: S.\nTranslation_Key: base\n\nBase.\n", encoding="utf-8")
        files = {}
        for number, (lang, text, encoding) in enumerate(generated):
            path = content / "articles" / lang / f"generated-{number}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(encoded(text, encoding))
            (path.parent / "chart.png").write_bytes((ROOT / "theme" / "static" / "img" / "favicon.png").read_bytes())
            files[f"content/articles/{lang}/{path.name}"] = (lang, path.stem)
        output = Path(folder) / "output"
        lines = []
        # A preview build: whatever the files hold, it must not raise (a traceback on the editor's terminal).
        build_site(ROOT / "pelicanconf.py", output=output, PATH=str(content), SITEURL=SITEURL, HUB_NOW=NOW,
                   report=lines.append)
        problems = check_content(content, LANGUAGES, shown_root="content", templates=theme_templates(ROOT / "theme"))
        named = {problem.path for problem in problems if problem.level == ERROR and problem.field}
        for shown, (lang, slug) in files.items():
            built = list(output.glob(f"{lang}/*/{slug}/index.html")) + list(output.glob(f"{lang}/drafts/{slug}/index.html"))
            assert bool(built) != (shown in named), (shown, built, [str(p) for p in problems if p.path == shown])
            if shown in named:  # and the preview said so, in the lines it printed
                assert any(line.startswith(shown) for line in lines)
