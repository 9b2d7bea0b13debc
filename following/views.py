"""Officers' pages for following tools and keeping catalogue searches (services in following.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from catalogue.models import Tool
from core import policy
from core.links import posted_next
from core.policy import permission_required

from . import services as following
from .models import SavedSearch


# --- following ----------------------------------------------------------------------------
def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _follow_answer(request, tool: Tool, following_now: bool, message: str):
    """htmx: the button, swapped in place. Without JS: back where the officer was."""
    next_url = posted_next(request, following.tool_link(tool))
    if _is_htmx(request):
        return render(
            request,
            "following/_follow_button.html",
            {"tool": tool, "following": following_now, "next_url": next_url, "status_message": message},
        )
    messages.success(request, message)
    return HttpResponseRedirect(next_url)


@require_POST
@permission_required("tool.follow")
def follow(request, slug):
    tool = get_object_or_404(Tool, slug=slug)
    policy.require(request.user, "tool.follow", tool, hide=True)
    try:
        following.follow(request.user, tool, request=request)
    except following.NotFollowable:  # left the catalogue between the check and the lock
        messages.error(request, _("This tool is no longer in the catalogue; it cannot be followed."))
        return redirect(following.tool_link(tool))
    return _follow_answer(
        request,
        tool,
        True,
        _("You follow %(tool)s: you will be told of its updates and of any notice about it.") % {"tool": tool.name},
    )


@require_POST
@permission_required("tool.follow")
def unfollow(request, slug):
    tool = get_object_or_404(Tool, slug=slug)
    was_following = following.follow_of(request.user, tool) is not None
    if not was_following and not tool.is_published:
        raise Http404  # an unpublished tool the officer cannot know of
    following.unfollow(request.user, tool, request=request)
    return _follow_answer(request, tool, False, _("You no longer follow %(tool)s.") % {"tool": tool.name})


@require_safe
@permission_required("tool.follow")
def followed(request):
    """The officer's followed tools with their state and what changed since the last visit."""
    return render(request, "following/followed.html", {"rows": following.followed_tools(request.user)})


# --- saved searches ------------------------------------------------------------------------
class SaveSearchForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the search"),
        max_length=following.NAME_MAX,
        help_text=gettext_lazy("You are told when a newly published tool meets these criteria."),
    )
    query = forms.CharField(max_length=4000, required=False, widget=forms.HiddenInput)


def save_search_form(request, catalogue_form) -> SaveSearchForm | None:
    """The "Save this search" form of the catalogue page, for officers who may save searches:
    its hidden query is the current search, normalised; its name is drawn from the criteria."""
    if not policy.can(request.user, "catalogue.save_search") or not catalogue_form.is_valid():
        return None
    return SaveSearchForm(
        initial={"name": following.name_of(catalogue_form), "query": following.query_of(catalogue_form)}
    )


def _saved_page(request, form=None, status=200):
    searches = list(following.saved_searches_of(request.user))
    return render(
        request,
        "following/saved_searches.html",
        {"searches": searches, "form": form, "limit": following.MAX_SAVED_SEARCHES},
        status=status,
    )


@require_safe
@permission_required("catalogue.save_search")
def saved_searches(request):
    return _saved_page(request)


@require_POST
@permission_required("catalogue.save_search")
def save_search(request):
    form = SaveSearchForm(request.POST)
    if not form.is_valid():
        return _saved_page(request, form, status=400)
    try:
        saved = following.save_search(
            request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"], request=request
        )
    except following.SavedSearchLimit:
        form.add_error(
            None,
            _(
                "You already keep %(limit)s saved searches, the most allowed. Delete one you no longer "
                "need, then save this search again."
            )
            % {"limit": following.MAX_SAVED_SEARCHES},
        )
        return _saved_page(request, form, status=400)
    except following.InvalidSavedSearch:
        form.add_error(None, _("This search uses criteria the catalogue no longer has. Search again, then save it."))
        return _saved_page(request, form, status=400)
    messages.success(
        request,
        _("Search %(name)s saved. You will be told when a newly published tool matches it.") % {"name": saved.name},
    )
    return redirect("following:saved_searches")


@require_POST
@permission_required("catalogue.save_search")
def delete_saved_search(request, public_id):
    saved = get_object_or_404(SavedSearch, public_id=public_id, user=request.user)
    following.delete_search(request.user, saved, request=request)
    messages.success(request, _("Search %(name)s deleted.") % {"name": saved.name})
    return redirect("following:saved_searches")
