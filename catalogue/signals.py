"""What the catalogue announces to the apps above it (following), so that it imports none of them.

Every signal is sent synchronously, inside the transaction of the change it announces."""

from django.dispatch import Signal

# A tool entered the catalogue (first publication or re-publication after review): kwargs `tool`.
tool_published = Signal()
# An approved update of a published tool became its current entry: kwargs `tool`, `version`.
tool_update_published = Signal()
# A tool's page is being shown: kwargs `user`, `tool`, `page` (the context so far). Receivers
# return a dict of extra context (and may mark the page's rows).
tool_page_shown = Signal()
