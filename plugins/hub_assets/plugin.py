"""Pelican glue for hub_assets: with HUB_FINALIZE (publishconf.py), finish the output once every
file is written (hub_engine's outputs_written), so that `pelican content -s publishconf.py` and `invoke publish-build` give the
same site. The work itself is hubsite.assets.finalize_output (also used by the publish targets)."""

import logging

from hubsite.assets import finalize_output
from plugins.hub_engine import signals as engine_signals
from plugins.hub_search.plugin import index_site

logger = logging.getLogger(__name__)


def finalize(pelican):
    """outputs_written: its receivers run in no set order, and the hashed names and .gz/.br copies
    must cover the search bundles: index first (once per run; a second call returns at once)."""
    if not pelican.settings.get("HUB_FINALIZE"):
        return
    enabled = pelican.settings.get("PLUGINS", ())
    if "plugins.hub_search" in enabled:
        index_site(pelican)
    summary = finalize_output(pelican.output_path, pelican.settings["SITEURL"])
    logger.info("hub_assets: %d assets fingerprinted, %d files precompressed",
                len(summary.fingerprinted), len(summary.compressed))


def register():
    engine_signals.outputs_written.connect(finalize)
