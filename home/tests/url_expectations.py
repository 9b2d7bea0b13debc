from testkit.urltable import SIGNED_IN, Expect

EXPECTATIONS = {
    "home:home": Expect(SIGNED_IN),
}
