from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, same

EXPECTATIONS = {
    "notifications:outbox": Expect(COORDINATOR_ONLY),
    # POST only; an empty POST is refused with the form's error (400) for coordinators.
    "notifications:outbox_retry": Expect(same(403, anonymous=LOGIN, coordinator=400), method="post"),
}
