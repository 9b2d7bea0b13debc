"""Who may manage the questionnaires."""

from accounts.rules import is_coordinator
from core import policy

policy.register("questionnaires.manage", lambda user, obj=None: is_coordinator(user))
