"""The engine's two moments, after Pelican's `finalized`:

- `outputs_collected(pelican)`: every generator has described its pages; add outputs that sum the
  others up (the sitemap) now.
- `outputs_written(pelican)`: a one-shot build wrote every output into its directory; work on the
  written files (the search index, hashed asset names) now. The live preview never sends it.

And one for the live preview's edits of an article's words only (plugin.read_text_again):

- `text_read_again(item, fresh)`: `fresh` is `item` read again from its changed file, its text
  as Pelican and the content_object_init receivers made it; do to fresh's text what was done to
  item's after reading (hub_images: picture markup), with what was worked out for `item`.
"""

from blinker import signal

outputs_collected = signal("hub_outputs_collected")
outputs_written = signal("hub_outputs_written")
text_read_again = signal("hub_text_read_again")
