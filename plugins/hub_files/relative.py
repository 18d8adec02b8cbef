"""Relative links to files, read as Pelican's {static} links: pure functions, and the Markdown
extension around them."""

import posixpath
import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # https:, mailto:, data:, C: ...
# Pelican reads these as content: a link to one is a link to a page, not to a file to copy.
SOURCE_EXTENSIONS = frozenset({"md", "markdown", "mkd", "mdown", "html", "htm", "rst"})
# The attribute of each element that names a file.
LINKING = {"img": "src", "a": "href"}


def names_a_file(url):
    """True when `url` is a relative link to a file that is not a page source: 'chart.png',
    'docs/report.pdf#page=2', '../fr/chart.svg'. Not web addresses, anchors, site paths ('/x'),
    Pelican links ('{static}x.png'), folders ('../x/') or other articles ('x.md')."""
    if not url or url.startswith(("/", "#", "?", "{", "|", "\\")) or SCHEME.match(url):
        return False
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    extension = posixpath.splitext(path)[1][1:].lower()
    return bool(extension) and extension not in SOURCE_EXTENSIONS


def content_file(target, source):
    """The content file a header or link names, relative to the content folder (POSIX): from the
    content folder when it starts with '/' ('/images/x.jpg'), else from the folder of `source`, the
    naming file's own path relative to the content folder ('photo.jpg' beside the article), as
    Pelican resolves {static}. One reading for the checks, the image pipeline and the share cards."""
    target = target.strip()
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def file_path(url):
    """The file part of a link: without its query or fragment ('report.pdf#page=2' -> 'report.pdf')."""
    return re.split(r"[?#]", url, maxsplit=1)[0]


class RelativeFilesTreeprocessor(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            attribute = LINKING.get(element.tag)
            url = element.get(attribute) if attribute else None
            if url and names_a_file(url):
                # Pelican resolves {static} from the source file's folder, copies the file and
                # writes its URL; the page (and its feeds) then point to the copy, in every language.
                element.set(attribute, "{static}" + url)
        return None


class RelativeFilesExtension(Extension):
    def extendMarkdown(self, md):
        # After the inline patterns made the links (20) and backslash escapes were restored (0):
        # the URLs as the editor wrote them.
        md.treeprocessors.register(RelativeFilesTreeprocessor(md), "hub_files", -10)


def makeExtension(**kwargs):
    return RelativeFilesExtension(**kwargs)
