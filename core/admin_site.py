"""The Django admin is a raw-data tool for coordinators only."""


def restrict_admin_to_coordinators(site) -> None:
    def has_permission(request):
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", "") == "coordinator")

    site.has_permission = has_permission
    site.site_header = "SaferHub data"
    site.site_title = "SaferHub data"
