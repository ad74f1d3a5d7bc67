"""Test settings: the production module, only made faster."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 50)

from config.settings import *  # noqa: F403
from config.settings import STORAGES

# The real hasher (Argon2) makes the suite minutes slower; one test checks it is the default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# No collectstatic in tests: WhiteNoise looks for STATIC_ROOT files per request (no warning at start).
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A per-process cache keeps the pinned query counts of pages and the API; the tests of the
# shared counters (accounts/tests/test_lockouts.py) use the database cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Two-factor for managers is tested where it is the subject (accounts/tests/test_mfa_required.py
# turns it on); elsewhere managers sign in without it.
MFA_REQUIRED_FOR_STAFF = False
# Uploaded files (the pairs' shared files) go to a fresh folder, never into var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="meridian-test-media-")
