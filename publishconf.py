"""Settings for the public build: everything from pelicanconf.py, plus what the public site needs."""

import os
import runpy
from pathlib import Path

# pelicanconf.py's settings, read from the file beside this one (no sys.path edit: Pelican loads
# settings files by path, so "from pelicanconf import *" would depend on the working directory).
globals().update({name: value for name, value in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
                  if name.isupper()})

SITEURL = os.environ.get("HUB_SITEURL", "https://www.uclg-digitalcities.org")
RELATIVE_URLS = False
# Any content error stops the build before anything is written.
HUB_CHECK_STRICT = True
# Drafts are never written; a future-dated article waits for a build on or after its date.
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
# Fingerprinted theme assets (cacheable forever) and precompressed .gz/.br copies of text files.
HUB_FINALIZE = True

# Where `invoke publish` sends the site (the environment may override each; credentials only
# ever come from the environment). See README, "Publishing".
HUB_RSYNC_PATH = os.environ.get("HUB_RSYNC_PATH", "/var/www/digital-cities")
HUB_RSYNC_HOST = os.environ.get("HUB_RSYNC_HOST")
HUB_S3_BUCKET = os.environ.get("HUB_S3_BUCKET")
HUB_S3_ENDPOINT = os.environ.get("HUB_S3_ENDPOINT")
HUB_GHPAGES_BRANCH = "gh-pages"
