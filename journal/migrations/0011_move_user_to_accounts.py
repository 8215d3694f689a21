# The user model and the throttle counts moved to the accounts app, keeping their tables
# (see accounts/migrations/0001_initial.py): the journal stops recording them as its own,
# and their content types (and so the permissions and admin history that name them)
# follow them. No table changes.

from django.db import migrations

MOVED = ("user", "throttlehit")


def to_accounts(apps, schema_editor):
    move_content_types(apps, schema_editor, "journal", "accounts")


def to_journal(apps, schema_editor):
    move_content_types(apps, schema_editor, "accounts", "journal")


def move_content_types(apps, schema_editor, old: str, new: str):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model in MOVED:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):

    dependencies = [
        ("journal", "0010_entry_numbness_label"),
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ThrottleHit"),
                migrations.DeleteModel(name="User"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_accounts, to_journal),
    ]
