"""Who may use the API: whoever may use the officers' side of the hub."""

from accounts.rules import use_hub
from core import policy

policy.register("api.use", use_hub)
