"""The Django admin is a raw-data tool for coordinators only."""

from functools import update_wrapper

from django.core.exceptions import PermissionDenied

from core import policy


def restrict_admin_to_coordinators(site) -> None:
    def has_permission(request):
        return policy.can(request.user, "admin.use")

    site.has_permission = has_permission
    original_admin_view = site.admin_view

    def admin_view(view, cacheable=False):
        inner = original_admin_view(view, cacheable)

        def wrapped(request, *args, **kwargs):
            # Signed-in people who are not coordinators are refused outright.
            if request.user.is_authenticated and not has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapped, inner)

    site.admin_view = admin_view
    site.site_header = "SaferHub data"
    site.site_title = "SaferHub data"
