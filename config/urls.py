from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import signup as officer_signup
from core.admin_site import restrict_admin_to_coordinators

# The Django admin has no login of its own: it goes through allauth (and so MFA).
admin.site.login = secure_admin_login(admin.site.login)
restrict_admin_to_coordinators(admin.site)

urlpatterns = [
    path("", include("core.urls")),
    path("", include("home.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Before allauth's own: the same sign-up, timed evenly for registered addresses (AUTH-06).
    path("accounts/signup/", officer_signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("terms/", include("terms.urls")),
    path("providers/", include("providers.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("questionnaires/", include("questionnaires.urls")),
    # Under /tools/mine/ and /providers/organisation/, next to the pages they act on.
    path("", include("withdrawals.urls")),
    # following and discovery first: their fixed paths would otherwise reach the catalogue's "<slug>/" page.
    path("tools/", include("following.urls")),
    path("tools/", include("discovery.urls")),
    path("tools/", include("catalogue.urls")),
    path("api/v1/", include("api.urls")),
    path("emblem/", include("emblem.urls")),
    path("moderation/", include("moderation.urls")),
    path("moderation/", include("concerns.urls")),
    path("community/", include("community.urls")),
    path("events/", include("events.urls")),
    path("discussions/", include("discussions.urls")),
    path("contact/", include("contact.urls")),
    path("enquiries/", include("enquiries.urls")),
    path("reports/", include("reports.urls")),
    path("packs/", include("packs.urls")),
    path("learn/", include("learning.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
