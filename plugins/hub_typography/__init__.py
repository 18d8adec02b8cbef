"""hub_typography: typographic punctuation, and French spacing and apostrophes.

- A Markdown postprocessor (typography.py): typographic quotes, apostrophes, dashes and ellipses in
  every language. Python-Markdown's `smarty` does the same with many inline patterns and was half of
  all Markdown time in a cold build (docs/performance.md); this runs one regular-expression pass over
  the text between tags of the finished HTML, leaving code, preformatted text, scripts and styles
  alone. Enable it as a Markdown extension:
  MARKDOWN["extension_configs"]["plugins.hub_typography:TypographyExtension"].
- French typography (french.py): no-break spaces before : ; ! ? and inside « », and ’ for the
  apostrophe, in French items and pages (plugin.py; add "plugins.hub_typography" to PLUGINS).
"""

from .french import french_spacing, french_spacing_text, typeset
from .plugin import register
from .typography import TypographyExtension, smarten


__all__ = ["TypographyExtension", "french_spacing", "french_spacing_text", "register", "smarten", "typeset"]
