"""A test mail server that is down for its first N sends, then counts what it delivers."""

from __future__ import annotations

import smtplib
from collections import Counter

from django.core.mail.backends.base import BaseEmailBackend


class FlakyBackend(BaseEmailBackend):
    """Fails the first `failures` calls (like an SMTP outage), then delivers.

    State is class-level so that every connection the worker opens shares it; call
    `reset()` before each test.
    """

    failures = 0
    calls = 0
    delivered: Counter = Counter()
    messages: list = []

    @classmethod
    def reset(cls, failures: int = 0) -> None:
        cls.failures = failures
        cls.calls = 0
        cls.delivered = Counter()
        cls.messages = []

    def send_messages(self, email_messages):
        for message in email_messages:
            type(self).calls += 1
            if type(self).calls <= type(self).failures:
                # Like a real refusal, the error quotes the recipients.
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (451, b"try later")))
            type(self).delivered[message.extra_headers["Message-ID"]] += 1
            type(self).messages.append(message)
        return len(email_messages)


class BrokenBackend(FlakyBackend):
    """Never delivers."""

    @classmethod
    def reset(cls, failures: int = 10**9) -> None:
        super().reset(failures)
