"""What moderation announces to the apps above it (following), so that it imports none of them."""

from django.dispatch import Signal

# A coordinator suspended, removed or reinstated a tool, or its provider withdrew it (the
# notice's action says which): kwargs `notice`. Sent inside the transaction of the change.
notice_decided = Signal()
