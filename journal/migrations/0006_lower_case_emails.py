from collections import Counter

from django.db import migrations


def lower_case_emails(apps, schema_editor):
    """Store every address as the user manager now makes it: trimmed and in lower case."""
    User = apps.get_model("journal", "User")
    emails = list(User.objects.values_list("pk", "email"))
    clashes = [
        email for email, count in Counter(e.strip().lower() for _, e in emails).items() if count > 1
    ]
    if clashes:
        raise RuntimeError(
            "Cannot lower-case email addresses: these accounts differ only in capital letters, "
            f"so merge or delete one of each first: {', '.join(sorted(clashes))}"
        )
    for pk, email in emails:
        if email != email.strip().lower():
            User.objects.filter(pk=pk).update(email=email.strip().lower())


class Migration(migrations.Migration):
    dependencies = [("journal", "0005_remove_journal_version")]

    operations = [migrations.RunPython(lower_case_emails, migrations.RunPython.noop)]
