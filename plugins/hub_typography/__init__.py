"""hub_typography: typographic quotes, apostrophes, dashes and ellipses as one fast Markdown postprocessor.

Python-Markdown's `smarty` does the same with many inline patterns and was half of all Markdown
time in a cold build (docs/performance.md); this runs one regular-expression pass over the text
between tags of the finished HTML, leaving code, preformatted text, scripts and styles alone.
Enable it as a Markdown extension: MARKDOWN["extension_configs"]["hub_typography:TypographyExtension"].
"""

from .typography import TypographyExtension, smarten

__all__ = ["TypographyExtension", "smarten"]
