# Account emails waiting for the worker, and the sessions people are signed in with.
# The sessions already signed in when this runs are recorded from the session table, so
# that deleting an account or changing a password ends them too.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def record_signed_in_sessions(apps, schema_editor):
    # The database engines' own decoding; cached_db keeps every session in the table too.
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    User = apps.get_model("accounts", "User")
    SignedInSession = apps.get_model("accounts", "SignedInSession")
    store = SessionStore()
    now = django.utils.timezone.now()
    live = Session.objects.filter(expire_date__gt=now).values_list("session_key", "session_data")
    batch = {}
    for session_key, session_data in live.iterator(chunk_size=BATCH):
        user_id = store.decode(session_data).get("_auth_user_id")
        if user_id is not None and str(user_id).isdigit():
            batch[session_key] = int(user_id)
        if len(batch) >= BATCH:
            _record(User, SignedInSession, batch, now)
            batch = {}
    _record(User, SignedInSession, batch, now)


def _record(User, SignedInSession, batch, now):
    people = set(User.objects.filter(pk__in=set(batch.values())).values_list("pk", flat=True))
    SignedInSession.objects.bulk_create(
        [
            SignedInSession(session_key=key, user_id=user_id, signed_in_at=now)
            for key, user_id in batch.items()
            if user_id in people
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountEmail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("sign_up", "Open your account"), ("already_open", "You already have an account"), ("password_reset", "Reset your password"), ("password_changed", "Your password was changed")], max_length=20)),
                ("address", models.EmailField(blank=True, max_length=254)),
                ("site_url", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name="SignedInSession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("session_key", models.CharField(max_length=40, unique=True)),
                ("signed_in_at", models.DateTimeField()),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="signed_in_sessions", to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(record_signed_in_sessions, migrations.RunPython.noop),
    ]
