"""Who may see the coordinators' dashboard."""

from accounts.rules import is_coordinator
from core import policy

policy.register("reports.view", lambda user, obj=None: is_coordinator(user))
