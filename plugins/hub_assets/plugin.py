"""Pelican glue for hub_assets: with HUB_FINALIZE (publishconf.py), finish the output once every
file is written, so that `pelican content -s publishconf.py` and `invoke publish-build` give the
same site. The work itself is hubsite.assets.finalize_output (also used by the publish targets)."""

import logging

from pelican import signals

from hubsite.assets import finalize_output
from plugins.hub_search.plugin import index_site
from plugins.hub_seo.plugin import write_sitemap

logger = logging.getLogger(__name__)


def finalize(pelican):
    """finalized: Pelican calls this signal's receivers in no set order, and the hashed names and
    .gz/.br copies must cover the search bundles and the sitemap: finish those first (both are
    done once per run; a second call returns at once or writes the same bytes)."""
    if not pelican.settings.get("HUB_FINALIZE"):
        return
    enabled = pelican.settings.get("PLUGINS", ())
    if "plugins.hub_search" in enabled:
        index_site(pelican)
    if "plugins.hub_seo" in enabled:
        write_sitemap(pelican)
    summary = finalize_output(pelican.output_path, pelican.settings["SITEURL"])
    logger.info("hub_assets: %d assets fingerprinted, %d files precompressed",
                len(summary.fingerprinted), len(summary.compressed))


def register():
    signals.finalized.connect(finalize)
