"""Settings for the public build: everything from pelicanconf.py, plus what the public site needs."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("HUB_SITEURL", "https://www.uclg-digitalcities.org")
RELATIVE_URLS = False
# Any content error stops the build before anything is written.
HUB_CHECK_STRICT = True
# Drafts are never written; a future-dated article waits for a build on or after its date.
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
