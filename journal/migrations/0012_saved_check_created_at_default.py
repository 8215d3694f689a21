# A saved check's time defaults to now, in Python, rather than being set by auto_now_add,
# so an imported result keeps its own time. Nothing changes in the database.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0011_move_user_to_accounts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='savedcheck',
                    name='created_at',
                    field=models.DateTimeField(default=django.utils.timezone.now),
                ),
            ],
            database_operations=[],
        ),
    ]
