"""Recording a download: one audit event and the per-tool counts, in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from audit.models import Action
from audit.services import record
from catalogue.models import Tool

from .models import PackDownload


def record_download(request, tools: list[Tool], *, language: str, file_format: str, day) -> None:
    with transaction.atomic():
        for tool in tools:
            counter, _created = PackDownload.objects.get_or_create(tool=tool, day=day)
            PackDownload.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        record(
            Action.PACK_DOWNLOADED,
            actor=request.user,
            request=request,
            target=tools[0] if len(tools) == 1 else None,
            target_label=", ".join(tool.name for tool in tools)[:300],
            after={"tools": [tool.slug for tool in tools], "language": language, "format": file_format},
        )
