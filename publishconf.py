"""Settings for the public build: everything from pelicanconf.py, plus what the public site needs."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("HUB_SITEURL", "https://www.uclg-digitalcities.org")
RELATIVE_URLS = False
HUB_PUBLISH = True
