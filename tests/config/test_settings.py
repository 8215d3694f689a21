"""What the test settings change from production, and that production keeps the rest."""

from django.contrib.auth.hashers import get_hasher

from config import settings as production


def test_production_hashes_passwords_with_argon2(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    assert get_hasher("default").algorithm == "argon2"


def test_production_keeps_sessions_in_the_database_without_a_shared_cache():
    if production.REDIS_URL:
        assert production.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
        assert production.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert production.SESSION_ENGINE == "django.contrib.sessions.backends.db"
