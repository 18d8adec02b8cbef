"""The engine's two moments, after Pelican's `finalized`:

- `outputs_collected(pelican)`: every generator has described its pages; add outputs that sum the
  others up (the sitemap) now.
- `outputs_written(pelican)`: a one-shot build wrote every output into its directory; work on the
  written files (the search index, hashed asset names) now. The live preview never sends it.
"""

from blinker import signal

outputs_collected = signal("hub_outputs_collected")
outputs_written = signal("hub_outputs_written")
