"""URL table for decision packs."""

from testkit.urltable import COORDINATOR_ONLY, LOGIN, Expect, same

# Without `?tools=&language=&format=` the download is a clear 400 for the one persona allowed
# (verified officers); the refusals come first. Downloads with valid queries: packs/tests/test_packs.py.
EXPECTATIONS: dict = {
    "packs:download": Expect(same(403, anonymous=LOGIN, verified_officer=400)),
    "packs:counts": Expect(COORDINATOR_ONLY),
}
