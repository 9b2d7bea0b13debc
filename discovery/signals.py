"""What discovery announces to the apps above it (following), so that it imports none of them."""

from django.dispatch import Signal

# The catalogue's search page is being shown: kwargs `request`, `form` (the catalogue form).
# Receivers return a dict of extra context.
catalogue_page_shown = Signal()
