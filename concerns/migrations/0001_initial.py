# Concern and ConcernNote move here from moderation (issue 9). State only: their tables,
# moderation_concern and moderation_concernnote, stay as they are, with every row; the content
# types follow the models, so permissions and admin history keep pointing at them.

import concerns.models
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models

from core.content_types import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalogue', '0008_search_and_exposure_move_to_discovery'),
        ('moderation', '0004_concern_notice'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Concern',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('category', models.CharField(choices=[('human_rights_development', "Credible grounds of human-rights violations in the tool's development"), ('human_rights_use', "Credible grounds of human-rights violations in the tool's use"), ('inaccurate_information', 'Inaccurate or outdated information'), ('endorsement_claim', 'Misleading claims of endorsement by the initiative'), ('data_protection', 'Personal-data protection or legal concerns'), ('other', 'Other')], max_length=40, verbose_name='category')),
                        ('description', models.TextField(max_length=8000, verbose_name='description')),
                        ('sources', models.TextField(blank=True, max_length=4000, verbose_name='sources and links')),
                        ('file', models.FileField(blank=True, upload_to=concerns.models.concern_file_path)),
                        ('status', models.CharField(choices=[('received', 'Received'), ('under_assessment', 'Under assessment'), ('decided', 'Decided'), ('closed', 'Closed')], db_index=True, default='received', max_length=20)),
                        ('outcome', models.CharField(blank=True, choices=[('no_action', 'No action'), ('provider_asked', 'Provider asked to respond'), ('suspension', 'Suspension'), ('removal', 'Removal')], max_length=20)),
                        ('provider_request', models.TextField(blank=True, max_length=8000, verbose_name='request to the provider')),
                        ('provider_asked_at', models.DateTimeField(blank=True, null=True)),
                        ('provider_response', models.TextField(blank=True, max_length=8000, verbose_name="provider's response")),
                        ('provider_responded_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('notice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='concerns', to='moderation.notice')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='concerns', to=settings.AUTH_USER_MODEL)),
                        ('tool', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='concerns', to='catalogue.tool')),
                    ],
                    options={
                        'db_table': 'moderation_concern',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ConcernNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=8000, verbose_name='note')),
                        ('status', models.CharField(blank=True, choices=[('received', 'Received'), ('under_assessment', 'Under assessment'), ('decided', 'Decided'), ('closed', 'Closed')], max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('concern', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='concerns.concern')),
                    ],
                    options={
                        'db_table': 'moderation_concernnote',
                        'ordering': ['created_at', 'id'],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types("moderation", "concerns", ("concern", "concernnote")),
    ]
