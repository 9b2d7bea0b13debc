"""Who may manage the terms documents."""

from accounts.rules import is_coordinator
from core import policy

policy.register("terms.manage", lambda user, obj=None: is_coordinator(user))
