"""The events app's periodic job: reminders 7 days and 1 day before (see services.send_reminders)."""

from notifications.jobs import register_periodic_job

from .services import send_reminders


def remind_registrants(now):
    send_reminders(now=now)


register_periodic_job("events.reminders", remind_registrants)
