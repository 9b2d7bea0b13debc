"""How often each tool was put in a downloaded decision pack, per day (coordinators only)."""

from django.db import models


class PackDownload(models.Model):
    """Packs downloaded on `day` that held `tool`: an aggregate, never who downloaded them."""

    tool = models.ForeignKey("catalogue.Tool", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tool", "day"], name="packs_download_tool_day")]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.day}: {self.count}"
