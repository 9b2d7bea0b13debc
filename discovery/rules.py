"""Who may read the exposure report, and whose searches are counted in it."""

from accounts.rules import is_coordinator, is_officer
from core import policy

policy.register("catalogue.exposure_report", lambda user, obj=None: is_coordinator(user))
# Exposure (who was shown which tool where) is counted for officers' searches only.
policy.register("catalogue.count_exposure", lambda user, obj=None: is_officer(user))
# The search thesaurus is kept by the coordinators (discovery.thesaurus_views).
policy.register("discovery.thesaurus", lambda user, obj=None: is_coordinator(user))
