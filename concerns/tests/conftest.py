# The moderation tests' world (a published tool, signed-in coordinators and officers) serves here too.
from moderation.tests.conftest import (  # noqa: F401
    SUSPENSION,
    coordinator_client,
    decision,
    forms,
    officer_client,
    reauthenticate,
    tool,
)
