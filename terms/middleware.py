"""Whoever has not accepted their audience's current terms is asked to before anything else."""

from django.shortcuts import redirect

from accounts.middleware import MFA_SETUP_URL_NAMES, is_static, url_name

from .services import current_document_ids, pending_documents_for, personal_audiences

# The current documents this session's user is known to have accepted.
ACCEPTED_SESSION_KEY = "saferhub_terms_accepted"

ALLOWED_URL_NAMES = MFA_SETUP_URL_NAMES | {"terms:accept", "terms:public_list", "terms:public_detail", "terms:changes"}


class TermsAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_static(request):
            return self.get_response(request)
        if url_name(request) in ALLOWED_URL_NAMES:
            return self.get_response(request)
        required = {doc_id for audience, doc_id in current_document_ids() if audience in personal_audiences(user)}
        if required <= set(request.session.get(ACCEPTED_SESSION_KEY, [])):
            return self.get_response(request)
        if pending_documents_for(user):
            return redirect("terms:accept")
        request.session[ACCEPTED_SESSION_KEY] = sorted(required)
        return self.get_response(request)
