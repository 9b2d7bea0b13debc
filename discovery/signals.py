"""What discovery announces to the apps above it (following, packs), so that it imports none of them."""

from django.dispatch import Signal

# The catalogue's search page is being shown: kwargs `request`, `form` (the catalogue form).
# Receivers return a dict of extra context.
catalogue_page_shown = Signal()

# The comparison of some tools is being shown: kwargs `request`, `tools` (published, in order).
# Receivers return a dict; its "panels" (HTML strings) are shown under the comparison's actions.
compare_page_shown = Signal()
