"""One description of a page, which every plugin asks for: its address, its language, its hreflang
alternates and its language switcher."""

from dataclasses import dataclass

from .views import absolute


@dataclass(frozen=True)
class SwitchLink:
    lang: str
    url: str
    current: bool
    fallback: bool  # the page has no version in `lang`: the link goes to a nearby page instead


@dataclass(frozen=True)
class PageDescription:
    """What base.html and the sitemap need of any page."""

    lang: str
    url: str  # site-relative ('fr/2021/x/', 'fr/404.html'; '' for the root)
    alternates: tuple = ()  # (hreflang, absolute URL): every version, self included, then x-default
    switch: tuple = ()  # SwitchLink per site language, in site order


def describe_page(site, lang, url, versions=None, *, elsewhere=None, x_default="", indexed=True, switcher=True):
    """The description of the page at `url` (site-relative) in `lang`. `site` knows the site's
    `languages` (in switcher order), its `siteurl` and each language's `home_url(lang)`: HubState.

    versions: {language: site-relative URL} of the same page in every language it exists in (itself
    included); None for a page of one language only, which has neither alternates nor switcher.
    elsewhere: {language: URL} where the switcher leads for a language without a version; a
    language not in it leads to its home.
    x_default: the hreflang x-default's address ('': the root, which lets the reader choose).
    indexed: False for pages not to index (not-found pages): a switcher and no alternates.
    switcher: False for a page that is itself a choice of language (the root)."""
    if not versions:
        return PageDescription(lang, url)
    alternates = ()
    if indexed:
        alternates = tuple((code, absolute(site.siteurl, versions[code])) for code in site.languages if code in versions)
        alternates += (("x-default", absolute(site.siteurl, x_default)),)
    links = ()
    if switcher:
        elsewhere = elsewhere or {}
        links = tuple(
            SwitchLink(code, versions[code], code == lang, False) if code in versions
            else SwitchLink(code, elsewhere.get(code) or site.home_url(code), False, True)
            for code in site.languages
        )
    return PageDescription(lang, url, alternates, links)

