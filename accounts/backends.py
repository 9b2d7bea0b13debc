"""The authentication backends: Django's and allauth's, reading the officer's profile with the
account on every request.

Nearly every page asks the policy whether the reader is a verified officer, which reads the
officer profile: joined to the account row when the session's user is loaded, that is one query
less on every signed-in page."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model


class ProfileWithAccount:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("officer").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(ProfileWithAccount, backends.ModelBackend):
    pass


class AuthenticationBackend(ProfileWithAccount, AllauthBackend):
    pass
