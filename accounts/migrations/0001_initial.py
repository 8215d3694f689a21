# The user model and the throttle counts moved here from the journal app. Their tables
# stay where the journal made them ("journal_user" with its "journal_user_groups" and
# "journal_user_user_permissions", and "journal_throttlehit"), so this migration changes
# only Django's record of which app owns them, never the database: on a new database the
# journal's 0001_initial and 0008_throttle_hits make the tables, and on one made before
# the move `manage.py migrate` records this migration as applied before it starts
# (accounts/management/commands/migrate.py). journal's 0011_move_user_to_accounts then
# drops the journal's own record of the two models.

import accounts.models
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        # The table must exist before anything points a foreign key at this model.
        ("journal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="User",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("password", models.CharField(max_length=128, verbose_name="password")),
                        ("last_login", models.DateTimeField(blank=True, null=True, verbose_name="last login")),
                        ("is_superuser", models.BooleanField(default=False, help_text="Designates that this user has all permissions without explicitly assigning them.", verbose_name="superuser status")),
                        ("first_name", models.CharField(blank=True, max_length=150, verbose_name="first name")),
                        ("last_name", models.CharField(blank=True, max_length=150, verbose_name="last name")),
                        ("is_staff", models.BooleanField(default=False, help_text="Designates whether the user can log into this admin site.", verbose_name="staff status")),
                        ("is_active", models.BooleanField(default=True, help_text="Designates whether this user should be treated as active. Unselect this instead of deleting accounts.", verbose_name="active")),
                        ("date_joined", models.DateTimeField(default=django.utils.timezone.now, verbose_name="date joined")),
                        ("email", models.EmailField(max_length=254, unique=True, verbose_name="email address")),
                        ("time_zone", models.CharField(default="Europe/London", max_length=64)),
                        ("groups", models.ManyToManyField(blank=True, help_text="The groups this user belongs to. A user will get all permissions granted to each of their groups.", related_name="user_set", related_query_name="user", to="auth.group", verbose_name="groups")),
                        ("user_permissions", models.ManyToManyField(blank=True, help_text="Specific permissions for this user.", related_name="user_set", related_query_name="user", to="auth.permission", verbose_name="user permissions")),
                    ],
                    options={
                        "verbose_name": "user",
                        "verbose_name_plural": "users",
                        "db_table": "journal_user",
                        "abstract": False,
                    },
                    managers=[
                        ("objects", accounts.models.UserManager()),
                    ],
                ),
                migrations.CreateModel(
                    name="ThrottleHit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=32)),
                        ("key", models.CharField(max_length=64)),
                        ("at", models.DateTimeField()),
                    ],
                    options={
                        "db_table": "journal_throttlehit",
                        "indexes": [models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
