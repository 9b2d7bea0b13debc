from testkit.urltable import HUB, SIGNED_IN, Expect

EXPECTATIONS = {
    "home:home": Expect(SIGNED_IN),
    # The hub's search: tools and learning content, for readers of the hub only.
    "home:search": Expect(HUB),
}
