# The self-check answers a sign-up started from a result carries to the account it opens.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_account_emails_and_signed_in_sessions'),
    ]

    operations = [
        migrations.CreateModel(
            name='SignUpCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('answers', models.JSONField()),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sign_up_check', to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]
