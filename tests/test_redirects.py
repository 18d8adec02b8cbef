"""The old site's addresses (content/redirects.toml) keep working: a redirect page at each, the same
pairs for Netlify/Cloudflare and nginx, no link left to an old page the hub has, and checks that
name a redirect leading nowhere."""

import re
import tomllib

import pytest

from conftest import LANGUAGES, ROOT, SITEURL
from plugins.hub_check.checks import check_content
from plugins.hub_redirects.table import is_page_path, normalise_old, old_links, parse_table

TABLE_TEXT = (ROOT / "content" / "redirects.toml").read_text(encoding="utf-8")
TABLE = tomllib.loads(TABLE_TEXT)["redirect"]
OLD_PATHS = [normalise_old(entry["old"]) for entry in TABLE]
REFRESH = re.compile(r"^0; url=(?P<url>\S+)$")


def test_the_table_holds_the_addresses_known_from_the_seeds_and_content():
    assert "/fr/smart-cities-study/edition-2021/" in OLD_PATHS  # the seeds' 2021 study item
    assert "/en/smart-cities-study/2019-edition/" in OLD_PATHS  # the seeds' 2019 study item
    assert "/en/la-comision-publica-la-segunda-edicion-del-smart-cities-study-2017/" in OLD_PATHS
    redirects, problems = parse_table(TABLE_TEXT, LANGUAGES)
    assert problems == [] and len(redirects) == len(TABLE)


# Old documents (a path ending in a file name) get server rules only: a page cannot stand there.
@pytest.mark.parametrize("entry", [entry for entry in TABLE if is_page_path(normalise_old(entry["old"]))],
                         ids=lambda entry: entry["old"])
def test_each_old_address_has_a_redirect_page_to_an_existing_page(site, entry):
    old = normalise_old(entry["old"])
    soup = site.soup(site.output / old.lstrip("/") / "index.html")
    assert soup.html["lang"] == entry["lang"]
    refresh = soup.select_one('head meta[http-equiv="refresh"]')
    target = REFRESH.match(refresh["content"])["url"]
    assert target.startswith(f"{SITEURL}/") and site.path_for(target).exists()
    assert site.soup(target).html["lang"] == entry["lang"]
    assert soup.select_one('head link[rel="canonical"]')["href"] == target
    assert soup.select_one('head meta[name="robots"]')["content"] == "noindex"
    assert soup.select_one("main").find("a", href=target)  # for readers whose browser does not go on
    assert site.url_of(site.output / old.lstrip("/") / "index.html") != target


def test_the_targets_are_the_right_items(site):
    def target(old):
        refresh = site.soup(site.output / old.lstrip("/") / "index.html").select_one('meta[http-equiv="refresh"]')
        return REFRESH.match(refresh["content"])["url"]

    assert target("/fr/smart-cities-study/edition-2021/") == f"{SITEURL}/fr/smart-cities-study/2021/"
    assert target("/en/smart-cities-study/2019-edition/") == f"{SITEURL}/en/smart-cities-study/2019/"
    assert target("/en/la-comision-publica-la-segunda-edicion-del-smart-cities-study-2017/") == \
        f"{SITEURL}/en/2017/second-edition-smart-cities-study-2017/"
    assert target("/la-comision/ciudades-digitales-en-cglu/") == f"{SITEURL}/es/acerca-de/"


def server_rules(site):
    netlify = set()
    for line in (site.output / "_redirects").read_text(encoding="utf-8").splitlines():
        old, new, status = line.split()
        assert status == "301"
        netlify.add((old, new))
    nginx = set()
    for line in (site.output / "redirects.map").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'"(?P<old>[^"]+)" "(?P<new>[^"]+)";', line)
        assert match, line
        nginx.add((match["old"], match["new"]))
    return netlify, nginx


def test_redirects_file_and_nginx_map_list_the_same_pairs_for_every_old_address(site):
    netlify, nginx = server_rules(site)
    assert netlify == nginx
    olds = {old for old, _ in netlify}
    for path in OLD_PATHS:
        assert path in olds and path.rstrip("/") in olds
    for old, new in netlify:
        assert site.path_for(new).exists(), new
        if not is_page_path(normalise_old(old)):
            continue
        page = site.output / normalise_old(old).lstrip("/") / "index.html"
        refresh = site.soup(page).select_one('meta[http-equiv="refresh"]')["content"]
        assert REFRESH.match(refresh)["url"] == SITEURL + new


def test_no_link_in_the_built_site_points_to_an_old_page_the_table_maps(site):
    mapped = set(OLD_PATHS)
    files = list(site.output.rglob("*.html")) + list(site.output.rglob("*.xml"))
    assert len(files) > 150
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = [old for _, old in old_links(text) if old in mapped]
        assert found == [], path


def write_table(small_site, text):
    small_site.add_file("redirects.toml", text)


def test_a_redirect_to_an_item_that_does_not_exist_is_a_check_error(small_site):
    small_site.write("fr", "ici", "Ici")
    write_table(small_site, '[[redirect]]\nold = "/fr/ancien/"\nkey = "ici"\nlang = "fr"\n\n'
                            '[[redirect]]\nold = "/fr/perdu/"\nkey = "nulle-part"\nlang = "fr"\n\n'
                            '[[redirect]]\nold = "/en/2012-edition/"\nedition = 2012\nlang = "en"\n')
    problems = [str(p) for p in check_content(small_site.path, LANGUAGES) if p.level == "error"]
    assert problems == [
        "content/redirects.toml:7: error: key: /fr/perdu/: no article or page has the translation key "
        "'nulle-part' in fr; use an existing key or another lang",
        "content/redirects.toml:12: error: edition: /en/2012-edition/: '2012' is not an edition of "
        "content/editions.toml",
    ]
    # A preview leaves the faulty entries out and keeps the good one.
    built = small_site.build()
    assert (built.output / "fr" / "ancien" / "index.html").exists()
    assert not (built.output / "fr" / "perdu").exists()
    assert (built.output / "_redirects").read_text(encoding="utf-8").splitlines() == [
        "/fr/ancien /fr/2024/ici/ 301", "/fr/ancien/ /fr/2024/ici/ 301"]


def test_a_faulty_entry_is_named_with_its_line(small_site):
    small_site.write("fr", "ici", "Ici")
    write_table(small_site, '[[redirect]]\nold = "/fr/a/"\nlang = "fr"\n\n'
                            '[[redirect]]\nold = "/fr/b/"\nkey = "ici"\nlang = "de"\n')
    problems = [str(p) for p in check_content(small_site.path, LANGUAGES)]
    assert problems == [
        "content/redirects.toml:2: error: old: '/fr/a/' needs exactly one target among key, edition, category, "
        "tag, page (it has none)",
        "content/redirects.toml:6: error: lang: '/fr/b/': 'de' is not a language of this site; use one of fr, es, en",
    ]


def test_content_linking_to_an_old_address_the_table_knows_gets_a_warning(small_site):
    small_site.write("fr", "ici", "Ici", body="Voir <http://www.uclg-digitalcities.org/fr/ancien> et "
                                              "<info@uclg-digitalcities.org>.")
    write_table(small_site, '[[redirect]]\nold = "/fr/ancien/"\nkey = "ici"\nlang = "fr"\n')
    problems = [str(p) for p in check_content(small_site.path, LANGUAGES)]
    assert problems == [
        "content/articles/fr/ici.md:10: warning: link: /fr/ancien/ is an address of the old site; the hub has it "
        "as the page of 'ici' (fr): link to that page instead",
    ]


def test_an_old_address_that_is_a_hub_page_leaves_that_page_alone(small_site, caplog):
    small_site.write("fr", "ici", "Ici")
    write_table(small_site, '[[redirect]]\nold = "/fr/archives/"\nkey = "ici"\nlang = "fr"\n')
    built = small_site.build()
    assert built.soup("/fr/archives/").select_one('meta[http-equiv="refresh"]') is None
    assert (built.output / "_redirects").read_text(encoding="utf-8") == ""
    assert "redirects.toml: /fr/archives/ is an address of the hub itself; remove this entry" in caplog.text


@pytest.mark.parametrize("address, path", [
    ("http://www.uclg-digitalcities.org/en/smart-cities-study/2019-edition", "/en/smart-cities-study/2019-edition/"),
    ("www.uclg-digitalcities.org/en/home", "/en/home/"),
    ("/fr/2019/01", "/fr/2019/01/"),
    ("fr/y/#top", "/fr/y/"),
    ("https://uclg-digitalcities.org/wp-content/uploads/study.pdf", "/wp-content/uploads/study.pdf"),
])
def test_old_addresses_are_keyed_by_their_path(address, path):
    assert normalise_old(address) == path
    assert [found for _, found in old_links(f"see <{address}>")] == ([path] if "uclg" in address else [])


def test_the_live_preview_serves_the_same_redirects_over_an_existing_output(tmp_path):
    """The live preview describes the site again over output/ of its first build, where the redirect
    pages are already files: they must not be taken for hub pages (found in review: every old
    address was dropped, with a warning each, after the first edit)."""
    from hubsite.live import LiveSite

    output = tmp_path / "output"
    warnings = []
    site = LiveSite(ROOT / "pelicanconf.py", output, report=warnings.append, SITEURL=SITEURL)
    site.start()
    site.rebuild()
    served = site.outputs()
    for entry in TABLE:
        old = normalise_old(entry["old"])
        if is_page_path(old):
            assert served[old.lstrip("/") + "index.html"] == (output / old.lstrip("/") / "index.html").read_bytes()
    assert served["_redirects"] == (output / "_redirects").read_bytes()
    assert not [line for line in warnings if "address of the hub itself" in line]
