from testkit.urltable import COORDINATOR_ONLY, Expect

EXPECTATIONS = {
    "audit:log": Expect(COORDINATOR_ONLY),
    "audit:export": Expect(COORDINATOR_ONLY),
}
