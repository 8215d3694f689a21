"""What the test settings change from production, and that production keeps the rest."""

import os
import subprocess
import sys

from django.contrib.auth.hashers import get_hasher

from config import settings as production


def test_production_hashes_passwords_with_argon2(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert get_hasher("default").algorithm == "argon2"


def test_production_keeps_sessions_in_the_database_without_a_shared_cache():
    if production.REDIS_URL:
        assert production.SESSION_ENGINE == "reliability.sessions.cached_db"
        assert production.CACHES["default"]["BACKEND"].endswith("RedisCache")
        assert production.CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"]
    else:
        assert production.SESSION_ENGINE == "reliability.sessions.db"


def settings_value(name: str, **environ: str) -> str:
    code = f"from config import settings; print(settings.{name})"
    env = {**os.environ, "SECRET_KEY": "k" * 50, **environ}
    ran = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return ran.stdout.strip()


def test_behind_the_proxy_the_visitors_address_is_read_past_one_proxy_by_default():
    assert settings_value("TRUSTED_PROXY_COUNT", BEHIND_PROXY="false") == "0"
    assert settings_value("TRUSTED_PROXY_COUNT", BEHIND_PROXY="true") == "1"
    two = settings_value("TRUSTED_PROXY_COUNT", BEHIND_PROXY="true", TRUSTED_PROXY_COUNT="2")
    assert two == "2"


def test_production_gives_up_on_a_silent_mail_server_after_30_seconds():
    options = 'MAILERS["default"]["OPTIONS"]["timeout"]'
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert settings_value(options, EMAIL_BACKEND=smtp, DEBUG="false") == "30"
