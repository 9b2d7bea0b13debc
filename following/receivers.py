"""Following listens to the catalogue, discovery and moderation, which import nothing of it (issue 9)."""

from django.dispatch import receiver

from catalogue import signals as catalogue_signals
from discovery import signals as discovery_signals
from moderation import signals as moderation_signals

from . import services, views


@receiver(catalogue_signals.tool_published, dispatch_uid="following.saved_search_matches")
def _tell_saved_searches(sender, tool, **kwargs):
    services.notify_saved_searches(tool)


@receiver(catalogue_signals.tool_update_published, dispatch_uid="following.update_to_followers")
def _tell_followers_of_update(sender, tool, version, **kwargs):
    services.notify_followers_of_update(tool, version)


@receiver(moderation_signals.notice_decided, dispatch_uid="following.notice_to_followers")
def _tell_followers_of_notice(sender, notice, **kwargs):
    services.notify_followers_of_notice(notice)


@receiver(catalogue_signals.tool_page_shown, dispatch_uid="following.tool_page")
def _tool_page(sender, user, tool, page, **kwargs) -> dict:
    return services.visit(user, tool, page)


@receiver(discovery_signals.catalogue_page_shown, dispatch_uid="following.save_search_form")
def _catalogue_page(sender, request, form, **kwargs) -> dict:
    return {"save_search_form": views.save_search_form(request, form)}
