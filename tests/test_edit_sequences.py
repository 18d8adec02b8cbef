"""Incremental builds give, after any sequence of edits, the bytes of a build from scratch.

A small site (articles in three languages with translations, tags written as ids and as labels,
a call, an event, a scheduled article, links between articles, standing pages, the real
taxonomy.toml and a copy of the theme with its catalogs) goes through sequences of the edits an
editor makes, and the clock moving on. After each step:

(a) the site is built incrementally, always into the same output A (so the nothing-changed skip
    and every cache beside A are exercised);
(b) it is built from scratch into a fresh directory B, whose cache dir (beside it) is new, with a
    fresh copy of the theme without compiled catalogs (so .mo files are compiled anew too);
(c) A and B must hold the same files, byte for byte; or both builds must fail the same way, and A
    must still hold the previous output;
(d) when `hubsite.live.LiveSite` exists, a LiveSite kept across the steps is rebuilt and its
    `outputs()` compared with B (see `compare_live`).

Steps are tuples, so that Hypothesis prints a failing sequence as a list of steps to replay; a
target article is a path (the explicit example) or an index into the sorted article paths.
Invalid steps (a catalog, a template or the taxonomy that does not parse) are undone after their
builds, so that the next step starts from the last good state (where A's skip must hold).
"""

import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SITEURL, snapshot
from hubsite.build import BuildError, build_site

SETTINGS_FILE = ROOT / "pelicanconf.py"
LANGS = ("fr", "es", "en")
# The build's clock: the start; the scheduled article (14:00 in Madrid, 13:00 UTC) is due; the
# call (Deadline 2026-12-01) has closed; the event (2027-02-10) is past.
NOWS = ("2026-11-23T12:00:00+00:00", "2026-11-23T15:00:00+00:00", "2026-12-02T09:00:00+00:00",
        "2027-03-01T09:00:00+00:00")

BODIES = (
    "Un texte corrigé.",
    "Texte avec *emphase*, « guillemets » et une liste :\n\n- un\n- deux",
    "Voir [le rapport]({filename}/articles/fr/rapport.md).",  # a link: left out if its target goes
    "Voir [l'appel]({filename}/articles/fr/appel.md) avant la date.",
    "| a | b |\n|---|---|\n| 1 | 2 |",
)
# Ids, labels in one language (es, fr), several, none, and a free tag (a warning, a page in one language).
TAGS = ("open-data", "uclg", "open-data, covid-19", "datos abiertos", "Données ouvertes", "", "movilidad urbana")
CATEGORIES = ("news", "studies", "publications", "calls", "events")
DATES = ("2023-05-04 10:00", "2026-11-23 14:00", "2026-12-15 10:00")  # past, due on the clock's day, future
TAXONOMY_TAGS = ("open-data", "uclg", "covid-19")
TEMPLATES = ("base.html", "partials/footer.html", "partials/entry.html", "partials/facts.html")
MSGIDS = ("Skip to main content", "Latest news", "Also available in:")
INVALID = ("catalog", "template", "taxonomy")


@dataclass
class Article:
    lang: str
    key: str
    title: str
    date: str
    category: str
    tags: str = ""
    body: str = "Le texte."
    slug: str | None = None  # None: from the file name (FILENAME_METADATA)
    translation: bool = False
    extra: tuple = field(default_factory=tuple)  # further header lines

    def text(self):
        lines = [f"Title: {self.title}", f"Date: {self.date}", f"Category: {self.category}"]
        lines += [f"Tags: {self.tags}"] if self.tags else []
        lines += [f"Slug: {self.slug}"] if self.slug else []
        lines += [f"Lang: {self.lang}", f"Translation_Key: {self.key}", f"Summary: Résumé de {self.title}."]
        lines += ["Translation: true"] if self.translation else []
        lines += list(self.extra)
        return "\n".join(lines) + "\n\n" + self.body + "\n"


def needed_headers(category, extra):
    """A call needs a Deadline and an event an Event_Start (else the checks leave the file out)."""
    names = {line.split(":")[0] for line in extra}
    if category == "calls" and "Deadline" not in names:
        extra += ("Deadline: 2026-12-01",)
    if category == "events" and "Event_Start" not in names:
        extra += ("Event_Start: 2027-02-10 16:00", "Event_Timezone: America/Chicago", "Location: Chicago")
    return extra


def initial_articles():
    call = ("Deadline: 2026-12-01",)
    event = needed_headers("events", ())
    return {
        "articles/fr/rapport.md": Article("fr", "rapport", "Le rapport", "2024-01-10 10:00", "news", "open-data, uclg",
                                          "Le rapport sur les *données ouvertes*.", slug="rapport"),
        "articles/es/informe.md": Article("es", "rapport", "El informe", "2024-01-10 10:00", "news", "datos abiertos",
                                          "El informe.", slug="informe", translation=True),
        "articles/en/report.md": Article("en", "rapport", "The report", "2024-01-10 10:00", "news", "open-data",
                                         "The report.", translation=True),
        "articles/fr/appel.md": Article("fr", "appel", "Appel à villes", "2026-11-01 10:00", "calls", "uclg",
                                        "Répondez avant la date.", slug="appel", extra=call),
        "articles/en/call.md": Article("en", "appel", "Call for cities", "2026-11-01 10:00", "calls", "uclg",
                                       "Answer before the deadline.", translation=True, extra=call),
        "articles/es/taller.md": Article("es", "taller", "Taller en Chicago", "2026-10-01 10:00", "events", "",
                                         "Un taller.", extra=event),
        "articles/en/due-soon.md": Article("en", "due-soon", "Due soon", "2026-11-23 14:00", "news", "uclg",
                                           "Scheduled; see [the report]({filename}/articles/fr/rapport.md)."),
        "articles/fr/etude.md": Article("fr", "etude", "Une étude", "2025-06-01 10:00", "studies", "covid-19",
                                        "Voir [le rapport]({filename}rapport.md)."),
    }


PAGES = {
    "pages/fr/a-propos.md": ("fr", "about", "À propos"),
    "pages/es/acerca-de.md": ("es", "about", "Acerca de"),
    "pages/en/about.md": ("en", "about", "About"),
    "pages/fr/contact.md": ("fr", "contact", "Contact"),
}


def page_text(lang, key, title, slug):
    return f"Title: {title}\nSlug: {slug}\nLang: {lang}\nTranslation_Key: {key}\nSummary: {title}.\n\nLe texte de la page.\n"


def read(path):
    return path.read_text(encoding="utf-8")


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class Sandbox:
    """The small site on disk, the model of its articles, and the builds of each step."""

    def __init__(self, root):
        self.root = root
        self.content = root / "content"
        self.theme = root / "theme"
        self.content.mkdir()
        shutil.copy(ROOT / "content" / "taxonomy.toml", self.content / "taxonomy.toml")
        shutil.copytree(ROOT / "content" / "images" / "categories", self.content / "images" / "categories")
        shutil.copytree(ROOT / "theme", self.theme, ignore=shutil.ignore_patterns("*.mo"))
        self.articles = initial_articles()
        for relative, article in self.articles.items():
            write(self.content / relative, article.text())
        for relative, (lang, key, title) in PAGES.items():
            write(self.content / relative, page_text(lang, key, title, Path(relative).stem))
        self.now = NOWS[0]
        self.counter = 0  # makes every inserted text, label and name new
        self.output = root / "A" / "output"
        self.last_good = None  # B's files at the last step that built
        self.live = LiveMirror(self)
        self.log = []  # what each step did, for the failure message

    # -- builds ---------------------------------------------------------------------------------

    def overrides(self, theme=None):
        return dict(PATH=str(self.content), THEME=str(theme or self.theme), SITEURL=SITEURL, HUB_NOW=self.now)

    def check_step(self, description, unchanged=False):
        """Build A incrementally and B from scratch; compare; the same for the live preview. Return
        None if the builds succeeded, else how they failed.

        `unchanged`: the inputs are, byte for byte, those of the last step that built (an invalid
        edit undone): B would be that step's clean build, compared without building it again."""
        self.log.append(description)
        before = snapshot(self.output) if self.output.is_dir() else None
        incremental = attempt(lambda: build_site(SETTINGS_FILE, output=self.output, report=ignore, **self.overrides()))
        if unchanged:
            assert incremental is None, self.failure(f"the build of the last good inputs failed: {incremental}")
            found = tree_differences(snapshot(self.output), self.last_good)
            assert found is None, self.failure(f"incremental output A differs from the last clean build:\n{found}")
            self.live.check(self.last_good, failed=False)
            return
        clean_root = Path(tempfile.mkdtemp(prefix="clean-", dir=self.root))
        try:
            fresh_theme = clean_root / "theme"  # no compiled catalog from an earlier build
            shutil.copytree(self.theme, fresh_theme, ignore=shutil.ignore_patterns("*.mo"))
            clean_output = clean_root / "output"
            clean = attempt(lambda: build_site(SETTINGS_FILE, output=clean_output, report=ignore,
                                               **self.overrides(theme=fresh_theme)))
            clean = clean if clean is None else clean.replace(str(fresh_theme), str(self.theme))
            assert incremental == clean, self.failure(
                f"the incremental build {'failed: ' + incremental if incremental else 'succeeded'}, "
                f"the clean one {'failed: ' + clean if clean else 'succeeded'}")
            if clean is not None:
                if before is not None:
                    assert snapshot(self.output) == before, self.failure("a failed build changed the output")
            else:
                expected = snapshot(clean_output)
                found = tree_differences(snapshot(self.output), expected)
                assert found is None, self.failure(f"incremental output A differs from clean build B:\n{found}")
                self.last_good = expected
        finally:
            shutil.rmtree(clean_root, ignore_errors=True)
        self.live.check(self.last_good, failed=clean is not None)
        return clean

    def failure(self, message):
        steps = "\n".join(f"  {n}. {step}" for n, step in enumerate(self.log))
        return f"{message}\nsteps so far (0 is the first build):\n{steps}"

    # -- edits ------------------------------------------------------------------------------------

    def fresh(self):
        self.counter += 1
        return self.counter

    def target(self, selector):
        """An article path: a path as given, or an index into the sorted paths (None if none is left)."""
        if isinstance(selector, str):
            return selector if selector in self.articles else None
        paths = sorted(self.articles)
        return paths[selector % len(paths)] if paths else None

    def save(self, relative, article):
        self.articles[relative] = article
        write(self.content / relative, article.text())

    def apply(self, step):
        """Make the step's edit; return what undoes it after the builds (invalid steps), or None."""
        op, *args = step
        n = self.fresh()
        if op == "clock":
            self.now = args[0]
            return None
        if op == "add_article":
            lang, category, date, tags = args
            key = f"nouveau-{n}"
            self.save(f"articles/{lang}/{key}.md", Article(lang, key, f"Nouvel article {n}", date, category, tags,
                                                         f"Le texte {n}.", extra=needed_headers(category, ())))
            return None
        if op == "add_translation":
            source, lang = self.target(args[0]), args[1]
            if source is None:
                return None
            original = self.articles[source]
            present = {a.lang for a in self.articles.values() if a.key == original.key}
            # The first language without a version, from the one drawn (all taken: a second
            # version in one language, which the checks leave out).
            lang = next((l for l in LANGS[LANGS.index(lang):] + LANGS if l not in present), lang)
            self.save(f"articles/{lang}/{original.key}-{lang}-{n}.md",
                      replace(original, lang=lang, title=f"{original.title} ({lang} {n})", slug=None,
                              translation=True, body=f"Traduction {n}. {original.body}"))
            return None
        if op == "page_title":
            relative = next(path for path, (lang, _, _) in PAGES.items() if lang == args[0])
            path = self.content / relative
            write(path, re.sub(r"^Title: (.*)$", lambda m: f"Title: {m.group(1)} {n}", read(path), count=1, flags=re.M))
            return None
        if op == "tag_label":
            tag, lang = args
            path = self.content / "taxonomy.toml"
            text = read(path)
            start = text.index(f"[tags.{tag}]\n")
            line = re.compile(rf'^{lang} = "([^"]*)"$', re.M).search(text, start)
            write(path, text[:line.start(1)] + f"{line.group(1)} {n}" + text[line.end(1):])
            return None
        if op == "template":
            path = self.theme / "templates" / args[0]
            text = read(path)
            marker = f"<!-- edit {n} -->"
            write(path, text.replace("</main>", f"</main>\n{marker}", 1) if "</main>" in text else f"{marker}\n{text}")
            return None
        if op == "catalog":
            lang, msgid = args
            path = self.theme / "translations" / lang / "LC_MESSAGES" / "messages.po"
            text = read(path)
            pattern = re.compile(rf'^(msgid "{re.escape(msgid)}"\nmsgstr ")([^"]*)"$', re.M)
            assert pattern.search(text), (msgid, path)
            write(path, pattern.sub(lambda m: f'{m.group(1)}[{n}] {m.group(2)}"', text, count=1))
            return None
        if op == "invalid":
            return self.break_input(args[0])
        relative = self.target(args[0])
        if relative is None:
            return None
        article = self.articles[relative]
        if op == "edit_body":
            self.save(relative, replace(article, body=args[1]))
        elif op == "edit_title":
            self.save(relative, replace(article, title=f"{article.title}, corrigé {n}"))
        elif op == "edit_tags":
            self.save(relative, replace(article, tags=args[1]))
        elif op == "edit_category":
            self.save(relative, replace(article, category=args[1], extra=needed_headers(args[1], article.extra)))
        elif op == "slug":
            self.save(relative, replace(article, slug=f"{article.slug or Path(relative).stem}-{n}"))
        elif op == "rename":
            renamed = str(Path(relative).with_name(f"{Path(relative).stem}-{n}.md"))
            (self.content / relative).rename(self.content / renamed)
            self.articles[renamed] = self.articles.pop(relative)
        elif op == "delete":
            (self.content / relative).unlink()
            del self.articles[relative]
        else:
            raise AssertionError(f"unknown step {step!r}")
        return None

    def break_input(self, what):
        """An input that stops every build; returns what puts the previous bytes back."""
        if what == "catalog":
            path = self.theme / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
            # A line that is no keyword (Babel reads an unterminated string without a word).
            broken = read(path).replace('msgstr "Aller au contenu principal"\n',
                                        'msgstr "Aller au contenu principal"\nnonsense\n', 1)
        elif what == "template":
            path = self.theme / "templates" / "partials" / "footer.html"
            broken = "{% if %}\n" + read(path)
        else:
            path = self.content / "taxonomy.toml"
            broken = read(path) + "\n[tags.broken\n"
        original = read(path)
        assert broken != original
        write(path, broken)
        return lambda: write(path, original)


def ignore(line):
    """The builds' warning lines (faulty files a step made): not what these tests compare."""


def attempt(build):
    """None if the build succeeded, else how it failed (type and message, or a BuildError's lines)."""
    try:
        build()
    except BuildError as error:
        return "BuildError: " + "\n".join(error.problems)
    except Exception as error:  # a template that does not parse: the same exception both ways
        return f"{type(error).__name__}: {error}"
    return None


def tree_differences(found, expected, limit=5):
    """None if the two {path: bytes} maps are equal; else the differing paths and a diff excerpt."""
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(name for name in set(found) & set(expected) if found[name] != expected[name])
    if not (missing or extra or changed):
        return None
    lines = [f"missing ({len(missing)}): {missing[:limit]}", f"extra ({len(extra)}): {extra[:limit]}",
             f"changed ({len(changed)}): {changed[:limit]}"]
    for name in changed[:2]:
        try:
            old, new = expected[name].decode("utf-8"), found[name].decode("utf-8")
        except UnicodeDecodeError:
            lines.append(f"{name}: binary, {len(found[name])} bytes instead of {len(expected[name])}")
            continue
        diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"clean/{name}", f"incremental/{name}",
                                         n=1, lineterm=""))
        lines += diff[:40] + ([f"... ({len(diff) - 40} more diff lines)"] if len(diff) > 40 else [])
    return "\n".join(lines)


# What the live preview must produce itself: pages, feeds, calendars, the OPML list, the sitemap
# and the editors' problems list. The rest (theme CSS/JS, pictures, robots.txt, search bundles
# under pagefind/) it may serve from disk; whatever it does return must equal the clean build.
LIVE_REQUIRED = (".html", ".xml", ".ics", ".opml")


def live_required(name):
    return name.endswith(LIVE_REQUIRED) or (name.endswith(".json") and not name.startswith("pagefind/"))


class LiveMirror:
    """(d): a hubsite.live.LiveSite kept across a sequence's steps, when it exists.

    LiveSite takes the clock from its overrides when it is made: a clock step makes a new one
    (what an editor gets by restarting the preview); every other step is a rebuild()."""

    def __init__(self, sandbox):
        import hubsite.live

        self.site_class = getattr(hubsite.live, "LiveSite", None)
        self.sandbox = sandbox
        self.live = None
        self.now = None

    def check(self, expected, failed):
        if self.site_class is None:
            return
        sandbox = self.sandbox
        if self.live is None or self.now != sandbox.now:
            self.now = sandbox.now
            try:
                self.live = self.site_class(SETTINGS_FILE, sandbox.root / "live" / "output", **sandbox.overrides())
                self.live.rebuild()
            except Exception as error:
                assert failed, sandbox.failure(f"LiveSite could not be made or rebuilt, the clean build could: {error!r}")
                self.live = None  # made again at the next step
                return
        else:
            before = self.live.outputs() if failed else None
            try:
                replaced = self.live.rebuild()
            except Exception as error:
                assert failed, sandbox.failure(f"LiveSite.rebuild() failed, the clean build did not: {error!r}")
                replaced = False
            if failed:
                assert not replaced and self.live.outputs() == before, sandbox.failure(
                    "a failed LiveSite.rebuild() changed what it serves")
                return
        if failed or expected is None:
            return
        outputs = self.live.outputs()
        missing = sorted(name for name in expected if live_required(name) and name not in outputs)
        assert not missing, sandbox.failure(f"LiveSite.outputs() lacks {len(missing)} files: {missing[:5]}")
        found = tree_differences(outputs, {name: expected[name] for name in expected if name in outputs})
        assert found is None, sandbox.failure(f"LiveSite.outputs() differs from clean build B:\n{found}")


def live_site_available():
    import hubsite.live

    return getattr(hubsite.live, "LiveSite", None) is not None


targets = st.integers(min_value=0, max_value=30)
steps = st.one_of(
    st.tuples(st.just("add_article"), st.sampled_from(LANGS), st.sampled_from(CATEGORIES), st.sampled_from(DATES),
              st.sampled_from(TAGS)),
    st.tuples(st.just("add_translation"), targets, st.sampled_from(LANGS)),
    st.tuples(st.just("edit_body"), targets, st.sampled_from(BODIES)),
    st.tuples(st.just("edit_title"), targets),
    st.tuples(st.just("edit_tags"), targets, st.sampled_from(TAGS)),
    st.tuples(st.just("edit_category"), targets, st.sampled_from(CATEGORIES)),
    st.tuples(st.just("slug"), targets),
    st.tuples(st.just("rename"), targets),
    st.tuples(st.just("delete"), targets),
    st.tuples(st.just("page_title"), st.sampled_from(LANGS)),
    st.tuples(st.just("tag_label"), st.sampled_from(TAXONOMY_TAGS), st.sampled_from(LANGS)),
    st.tuples(st.just("template"), st.sampled_from(TEMPLATES)),
    st.tuples(st.just("catalog"), st.sampled_from(LANGS), st.sampled_from(MSGIDS)),
    st.tuples(st.just("clock"), st.sampled_from(NOWS)),
    st.tuples(st.just("invalid"), st.sampled_from(INVALID)),
)

# Every kind of step once, in the order of the edit chain this test replaces (tests/test_reuse.py):
# a body, a new article, the title of a translation, a category, tags, a deleted translation, the
# slug of a linked article (etude.md and due-soon.md link to it), a standing page's title, a tag
# label, a template, a catalog string; the clock (a scheduled article comes due, a call closes);
# then renames, translations, and inputs that stop the build, undone.
EVERY_KIND_OF_STEP = [
    ("edit_body", "articles/fr/appel.md", BODIES[1]),
    ("add_article", "fr", "news", DATES[0], "open-data"),
    ("edit_title", "articles/en/report.md"),
    ("edit_category", "articles/es/informe.md", "publications"),
    ("edit_tags", "articles/fr/etude.md", "open-data, covid-19"),
    ("delete", "articles/en/call.md"),
    ("slug", "articles/fr/rapport.md"),
    ("page_title", "fr"),
    ("tag_label", "open-data", "es"),
    ("template", "partials/entry.html"),
    ("catalog", "es", "Latest news"),
    ("clock", NOWS[1]),
    ("clock", NOWS[2]),
    ("rename", "articles/en/report.md"),
    ("add_translation", "articles/fr/appel.md", "es"),
    ("invalid", "catalog"),
    ("invalid", "template"),
]


@settings(derandomize=True, database=None, max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(steps, min_size=1, max_size=5))
@example(EVERY_KIND_OF_STEP)
def test_after_every_edit_the_incremental_build_equals_a_clean_build(sequence):
    with tempfile.TemporaryDirectory(prefix="edit-sequence-") as folder:
        sandbox = Sandbox(Path(folder))
        sandbox.check_step("the first build")
        for step in sequence:
            last_good = sandbox.last_good
            undo = sandbox.apply(step)
            failure = sandbox.check_step(step)
            if undo is not None:
                assert failure, sandbox.failure(f"{step}: the build did not fail")
                undo()
                sandbox.last_good = last_good
                sandbox.check_step(f"undo {step}", unchanged=True)


def test_live_site_is_checked_when_it_exists():
    """Says, in the test report, whether step (d) ran: it needs hubsite.live.LiveSite."""
    if not live_site_available():
        pytest.skip("hubsite.live has no LiveSite yet: the edit sequences compare build_site's "
                    "incremental output with clean builds only; step (d) runs once LiveSite exists")
