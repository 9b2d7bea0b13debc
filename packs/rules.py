"""Who may download a decision pack, and who sees how often each tool was put in one."""

from accounts.rules import is_coordinator, is_verified_officer
from core import policy

# A pack is for an officer to hand to their agency (PRODUCT.md 3.6).
policy.register("packs.download", lambda user, obj=None: is_verified_officer(user))
# The counts per tool are the coordinators' only; they never order anything.
policy.register("packs.view_counts", lambda user, obj=None: is_coordinator(user))
