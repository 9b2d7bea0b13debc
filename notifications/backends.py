"""An email backend that only writes to the outbox; the worker does the sending.

Because it writes in the caller's transaction, a message exists exactly when the change
that caused it was committed (SECURITY.md REL-01), and a mail outage never fails a
user's action.
"""

from django.core.mail.backends.base import BaseEmailBackend

from .services import enqueue_email


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            enqueue_email(message)
        return len(email_messages)
