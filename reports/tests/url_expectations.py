from testkit.urltable import COORDINATOR_ONLY, Expect

EXPECTATIONS = {
    "reports:dashboard": Expect(COORDINATOR_ONLY),
}
