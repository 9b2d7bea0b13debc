import django.db.models.deletion
from django.db import migrations, models


def link_decided_concerns(apps, schema_editor):
    """Concerns decided with a suspension or removal so far name their notice in the audit log."""
    Concern = apps.get_model("moderation", "Concern")
    Notice = apps.get_model("moderation", "Notice")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    decided = Concern.objects.filter(outcome__in=["suspension", "removal"], notice__isnull=True)
    for concern in decided:
        event = (
            AuditEvent.objects.filter(action="concern.decided", target_id=str(concern.public_id))
            .order_by("-id")
            .first()
        )
        notice_id = (event.after or {}).get("notice") if event else None
        notice = Notice.objects.filter(public_id=notice_id).first() if notice_id else None
        if notice is None:  # demo data and older rows: the tool's latest notice of the matching kind
            action = "suspended" if concern.outcome == "suspension" else "removed"
            notice = Notice.objects.filter(tool_id=concern.tool_id, action=action).order_by("-decided_at").first()
        if notice is not None:
            Concern.objects.filter(pk=concern.pk).update(notice=notice)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_concern_provider_asked_at"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="notice",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="concerns",
                to="moderation.notice",
            ),
        ),
        migrations.RunPython(link_decided_concerns, migrations.RunPython.noop),
    ]
