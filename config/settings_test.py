"""Test settings: production settings, served over plain HTTP by the test server."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")

from config.settings import *  # noqa: F403

# Tests read static files from their sources; tests/config checks the hashed build.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Hashing a password with Argon2 takes most of a sign-up test's time; production keeps
# Argon2 (tests/config/test_settings.py checks it).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Parallel test processes share one Redis: each gets a database of its own, so one
# process clearing its cache never clears another's.
if REDIS_URL:  # noqa: F405
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw-1").removeprefix("gw")
    CACHES["default"]["LOCATION"] = (  # noqa: F405
        REDIS_URL.rsplit("/", 1)[0] + f"/{int(_worker) % 15 + 1}"  # noqa: F405
    )
