"""What moderation announces to the apps above it (following), so that it imports none of them."""

from django.dispatch import Signal

# A coordinator suspended, removed or reinstated a tool: kwargs `notice`. Sent inside the
# decision's transaction.
notice_decided = Signal()
