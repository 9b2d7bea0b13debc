"""Every signed-in user's inbox and notification settings.

A user only ever reaches their own notifications: anyone else's answers 404.
Marking read happens on POST only.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import inbox
from .forms import NotificationSettingsForm
from .models import Notification

PAGE_SIZE = 25


def _own(request, public_id) -> Notification:
    return get_object_or_404(Notification, public_id=public_id, user=request.user)


def _inbox_url(request) -> str:
    url = reverse("notifications:inbox")
    page = request.POST.get("page", "")
    if page.isdigit() and 1 < int(page) < 100000:
        url += f"?page={int(page)}"
    return url


@require_safe
def inbox_page(request):
    notifications = inbox.inbox_for(request.user).only(
        "public_id", "kind", "message_key", "params", "link", "created_at", "read_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [{"notification": n, "title": inbox.render_title(n), "detail": inbox.detail(n)} for n in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "entries": entries})


@require_POST
def open_notification(request, public_id):
    """Mark read, then go to what the notification is about."""
    notification = _own(request, public_id)
    inbox.mark_read(notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}, require_https=False):
        return redirect(link)
    return redirect(_inbox_url(request))


@require_POST
def mark_read(request, public_id):
    inbox.mark_read(_own(request, public_id))
    return redirect(_inbox_url(request))


@require_POST
def mark_all_read(request):
    count = inbox.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request):
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            inbox.save_settings(
                request.user, emails=form.emails(), language=form.cleaned_data["language"], request=request
            )
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})
