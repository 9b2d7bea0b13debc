from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, same

EXPECTATIONS = {
    "providers:register": Expect(same(302, anonymous=200)),
    "providers:my_organisation": Expect(same(403, anonymous=LOGIN, provider_a=200, provider_b=200)),
    "providers:review_queue": Expect(COORDINATOR_ONLY),
}
