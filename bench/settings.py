"""Settings for the benchmark: production settings (DEBUG off) with a throw-away database.

bench/run.py sets DATABASE_URL to a fresh temporary SQLite file or a dedicated PostgreSQL
database before Django starts; nothing here touches the project's own database.
"""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# The in-process client speaks plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES  # noqa: E402

# No collectstatic for a benchmark: plain static storage renders the same pages.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Only the benchmark's own officer is created; a fast hasher keeps set-up short (not measured).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
# WhiteNoise warns that there is no collected static folder: expected here.
warnings.filterwarnings("ignore", message="No directory at")
