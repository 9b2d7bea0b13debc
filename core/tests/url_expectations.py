from testkit.urltable import PUBLIC, Expect, same

EXPECTATIONS = {
    "core:landing": Expect(PUBLIC),
    "core:about": Expect(PUBLIC),
    "core:health": Expect(PUBLIC),
    # Django's language switch redirects a GET back without changing anything.
    "set_language": Expect(same(302)),
    # The Django admin: coordinators only, through the product's sign-in (its own
    # login page redirects to the product's).
    "admin:index": Expect(same(403, anonymous=302, coordinator=200)),
}
