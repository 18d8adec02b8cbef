"""Real-browser gates: Debian's Chromium (playwright) with axe-core, Pagefind search; the Nu Html Checker.

`.ci/run` (through `make test`) installs Chromium, Java and vnu-jar; without them these tests fail
rather than skip, so a missing install step cannot pass unnoticed.
"""

import shutil
import socket
import subprocess
import threading

import pytest

from conftest import LANGUAGES, ROOT, BuiltSite
from hubsite.build import build_site
from hubsite.serve import make_server

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One page of each type, per language.
PAGE_TYPES = {
    "home": {"fr": "fr/", "es": "es/", "en": "en/"},
    "article": {"fr": "fr/2021/participez-au-smart-cities-study-2021/", "es": "es/2017/4a-asamblea-general-de-wego/",
                "en": "en/2020/smart-cities-live-2020/"},
    "page": {"fr": "fr/a-propos/", "es": "es/acerca-de/", "en": "en/about/"},
    "study": {lang: f"{lang}/smart-cities-study/" for lang in LANGUAGES},
    "edition": {lang: f"{lang}/smart-cities-study/2021/" for lang in LANGUAGES},
    "category": {"fr": "fr/categorie/actualites/", "es": "es/categoria/noticias/", "en": "en/category/news/"},
    "calls": {"fr": "fr/categorie/appels-a-participation/", "es": "es/categoria/convocatorias/",
              "en": "en/category/calls-for-participation/"},
    "events": {"fr": "fr/categorie/evenements/", "es": "es/categoria/eventos/", "en": "en/category/events/"},
    "tag": {"fr": "fr/etiquette/covid-19/", "es": "es/etiqueta/covid-19/", "en": "en/tag/covid-19/"},
    "archives": {"fr": "fr/archives/", "es": "es/archivo/", "en": "en/archives/"},
    "feeds": {lang: f"{lang}/feeds/" for lang in LANGUAGES},
    "search": {"fr": "fr/recherche/", "es": "es/buscar/", "en": "en/search/"},
    "not-found": {lang: f"{lang}/404.html" for lang in LANGUAGES},
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The real site built for, and served on, a loopback address (as a reader's browser sees it).
    With search bundles of 8 pages, so that each language's search merges three bundles, as a
    site of more than 2,500 pages per language does."""
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    output = tmp_path_factory.mktemp("served") / "output"
    build_site(ROOT / "pelicanconf.py", output=output, SITEURL=siteurl, HUB_SEARCH_PAGES_PER_BUNDLE=8)
    server = make_server(output, "127.0.0.1", port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield BuiltSite(output, siteurl)
    server.shutdown()
    server.server_close()


def page_cases():
    cases = [("chooser", None, ""), ("root-404", None, "404.html")]
    cases += [(kind, lang, path) for kind, paths in PAGE_TYPES.items() for lang, path in paths.items()]
    return cases


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_21_aa_violation_on_any_page_type(served, browser, width, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=scheme)
    page = context.new_page()
    failures = []
    requests_elsewhere = []
    page.on("request", lambda request: requests_elsewhere.append(request.url)
            if not request.url.startswith((served.siteurl, "data:")) else None)
    try:
        for kind, lang, path in page_cases():
            page.goto(f"{served.siteurl}/{path}", wait_until="load")
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
            for violation in results.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                failures.append(f"{kind}/{lang or '-'} ({width}, {scheme}): {violation['id']}: {violation['help']} {targets}")
    finally:
        context.close()
    assert failures == []
    assert requests_elsewhere == [], "pages made requests to other sites"


PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def main_top(page):
    return page.evaluate("document.getElementById('main').getBoundingClientRect().top")


@pytest.mark.parametrize("kind", ["home", "article", "not-found"])
def test_phone_header_leaves_the_content_in_the_first_quarter_of_the_screen(served, browser, kind):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        for lang in LANGUAGES:
            page.goto(f"{served.siteurl}/{PAGE_TYPES[kind][lang]}")
            assert main_top(page) <= PHONE["height"] * 0.25, f"{kind}/{lang}: the header is too tall"
            assert not page.locator(".site-nav a").first.is_visible(), "the menu starts folded"
            assert page.locator(".site-menu > summary").is_visible()
            codes = page.locator(".lang-switch .lang-code")
            assert [codes.nth(i).inner_text() for i in range(codes.count())] == ["FR", "ES", "EN"]
            assert not page.locator(".lang-switch .lang-name").first.is_visible()
    finally:
        context.close()


def test_menu_button_opens_the_menu_without_javascript(served, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{served.siteurl}/es/")
        archives = page.locator(".site-nav a", has_text="Archivo")
        assert not archives.is_visible()
        page.click(".site-menu > summary")
        assert archives.is_visible()
        top = main_top(page)
        archives.click()
        page.wait_for_url(f"{served.siteurl}/es/archivo/")
        page.goto(f"{served.siteurl}/es/")
        page.click(".site-menu > summary")
        page.click(".site-menu > summary")
        assert not archives.is_visible(), "the button folds the menu again"
        assert main_top(page) < top
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_open_phone_menu(served, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{served.siteurl}/{PAGE_TYPES['article']['fr']}")
        page.click(".site-menu > summary")
        assert page.locator(".site-nav a").first.is_visible()
        results = Axe().run(page, context="header.site-header",
                            options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert [violation["id"] for violation in results.response["violations"]] == []
        assert results.response["passes"], "axe checked the header"
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_menu_of_each_language_shows_open_on_one_row_at_1280px(served, browser, lang):
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    page = context.new_page()
    try:
        for kind in ("home", "article", "search"):
            page.goto(f"{served.siteurl}/{PAGE_TYPES[kind][lang]}")
            assert not page.locator(".site-menu > summary").is_visible(), "no button on wide screens"
            links = page.locator(".site-nav a")
            assert links.count() >= 9
            assert all(links.nth(i).is_visible() for i in range(links.count()))
            tops = page.eval_on_selector_all(".site-nav a", "links => links.map(link => link.offsetTop)")
            assert len(set(tops)) == 1, f"{kind}/{lang}: the menu wraps ({tops})"
            assert page.locator(".lang-switch .lang-name").first.is_visible()
    finally:
        context.close()


def test_print_shows_the_site_name_address_and_date_but_no_navigation(served, browser):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        path = PAGE_TYPES["article"]["fr"]
        page.goto(f"{served.siteurl}/{path}")
        assert not page.locator(".print-masthead").is_visible(), "screens do not show it"
        page.emulate_media(media="print")
        assert page.locator(".print-site").inner_text().startswith("Villes numériques")
        assert page.locator(".print-address").inner_text() == f"{served.siteurl}/{path}"
        date_line = page.locator(".print-date")
        assert date_line.is_visible() and date_line.inner_text().startswith("Imprimé le ")
        assert len(date_line.locator("time").get_attribute("datetime")) == len("2026-01-31")
        for hidden in (".site-header", ".site-nav", ".lang-switch", ".site-footer", ".skip-link"):
            assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
        assert page.locator("main h1").is_visible()
    finally:
        context.close()


def run_search(page, siteurl, path, query):
    """Type `query` into the search page at `path`; wait for the theme's results."""
    page.goto(f"{siteurl}/{path}")
    page.fill("#search-query", query)
    page.locator(".search-result .entry-title a").first.wait_for(timeout=15000)


@pytest.mark.parametrize("lang, word, query, own, other", [
    ("fr", "recherche", "Blueprint", "/fr/2017/connected-city-blueprint-disponible/", "/es/"),
    ("es", "buscar", "Blueprint", "/es/2017/ya-disponible-el-connected-city-blueprint/", "/fr/"),
])
def test_search_in_a_language_finds_that_language_only(served, browser, lang, word, query, own, other):
    page = browser.new_page()
    try:
        run_search(page, served.siteurl, f"{lang}/{word}/", query)
        merged = page.get_attribute("#search", "data-merge").split()
        assert merged == [f"{served.siteurl}/pagefind/{lang}-2/", f"{served.siteurl}/pagefind/{lang}-3/"]
        links = page.eval_on_selector_all(".search-result .entry-title a", "els => els.map(e => e.href)")
        assert f"{served.siteurl}{own}" in links
        assert not [link for link in links if link.startswith(f"{served.siteurl}{other}")]
    finally:
        page.close()


def test_axe_with_best_practices_finds_nothing_on_the_search_page_with_results(served, browser):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    requests_elsewhere = []
    page.on("request", lambda request: requests_elsewhere.append(request.url)
            if not request.url.startswith((served.siteurl, "data:")) else None)
    try:
        run_search(page, served.siteurl, "fr/recherche/", "questionnaire")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA + ["best-practice"]}})
        violations = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
                      for v in results.response["violations"]]
        assert violations == []
        assert requests_elsewhere == []
    finally:
        page.close()


def test_french_search_results_look_like_the_site_with_date_category_and_text_only(served, browser):
    page = browser.new_page()
    try:
        run_search(page, served.siteurl, "fr/recherche/", "questionnaire")
        call = page.locator(".search-result", has=page.locator(
            'a[href$="/fr/2021/participez-au-smart-cities-study-2021/"]'))
        call.wait_for(timeout=15000)
        assert call.locator(".entry-category").text_content() == "Appels à participation"
        assert call.locator(".search-date").inner_text() == "15 avril 2021"
        assert call.locator(".search-language").inner_text().lower() == "français"
        excerpt = call.locator(".search-excerpt").inner_text()
        assert "questionnaire" in excerpt.lower()
        for interface in ("Date limite", "Clos", "Comment participer", "Publié", "Aussi disponible", "Thèmes"):
            assert interface not in excerpt, excerpt
        styles = page.evaluate("""() => {
            const style = (selector) => getComputedStyle(document.querySelector(selector));
            return {body: style("body").fontFamily, bodySize: style("body").fontSize,
                    excerpt: style(".search-excerpt").fontFamily, excerptSize: style(".search-excerpt").fontSize,
                    title: style(".search-result .entry-title a").fontFamily,
                    label: style("label[for=search-query]").display,
                    pagefindUi: document.querySelectorAll("[class*=pagefind-ui]").length};
        }""")
        assert styles["excerpt"] == styles["title"] == styles["body"]  # the site's type, not Pagefind's UI
        assert float(styles["excerptSize"][:-2]) >= 16
        assert styles["label"] != "none" and styles["pagefindUi"] == 0
        assert page.locator("label[for=search-query]").is_visible()
    finally:
        page.close()


def test_search_form_without_javascript_leads_to_the_archives(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{served.siteurl}/fr/recherche/")
        page.fill("#search-query", "Madrid")
        page.click("form[role=search] button")
        page.wait_for_url(f"{served.siteurl}/fr/archives/?q=Madrid")
        assert page.locator("h1").inner_text() == "Archives"
    finally:
        context.close()


def test_root_chooser_remembers_a_choice_in_this_browser_only(served, browser):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    try:
        page.goto(f"{served.siteurl}/")
        suggested = page.locator(".choice--suggested")
        assert suggested.get_attribute("data-lang") == "es"  # suggested, not redirected
        assert page.url == f"{served.siteurl}/"
        page.click('a[data-lang="en"]')
        page.wait_for_url(f"{served.siteurl}/en/")
        page.goto(f"{served.siteurl}/")
        page.wait_for_url(f"{served.siteurl}/en/")
    finally:
        context.close()


def test_nu_html_checker_reports_no_error_on_any_page(site):
    assert shutil.which("java"), "Java is missing: `make test` installs it (apt-get install default-jre-headless)"
    assert VNU_JAR.exists(), "vnu.jar is missing: `make test` installs it (npm ci)"
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "gnu",
                             str(site.output)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[:5000] + result.stdout[:5000]
    checked = len(site.html_files())
    assert checked > 150
