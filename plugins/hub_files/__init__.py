"""hub_files: images and files next to an article, linked the way a Markdown editor previews them.

`![alt](chart.png)` and `[report](report.pdf)` beside `content/articles/<lang>/x.md` mean the file
beside it; the built page lives elsewhere (/<lang>/<year>/<slug>/), so such a link is given
Pelican's `{static}` meaning, and Pelican copies the file and writes its URL. Enable it as a
Markdown extension: MARKDOWN["extension_configs"]["plugins.hub_files:RelativeFilesExtension"].
"""

from .relative import RelativeFilesExtension, names_a_file

__all__ = ["RelativeFilesExtension", "names_a_file"]
