"""Production settings for benchmarks: a throwaway SQLite file, plain HTTP, a bare view."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 50)
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
