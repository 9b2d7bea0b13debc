from testkit.factories import ApiTokenFactory, ToolFactory
from testkit.urltable import HUB, LOGIN, PUBLIC, Expect, same

# The API answers by token only: a session does not count, so without a token everyone gets 401.
TOKEN_ONLY = same(401)


def build_world(world):
    world.objects["api_tool"] = ToolFactory(published=True)
    world.objects["api_token"] = ApiTokenFactory(user=world.users["verified_officer"])


EXPECTATIONS = {
    "api:tokens": Expect(HUB),
    "api:token_revoke": Expect(same(405, anonymous=LOGIN), kwargs=lambda w: {"public_id": w.api_token.public_id}),
    "api:openapi": Expect(PUBLIC),
    "api:criteria": Expect(TOKEN_ONLY),
    "api:tools": Expect(TOKEN_ONLY),
    "api:tool": Expect(TOKEN_ONLY, kwargs=lambda w: {"slug": w.api_tool.slug}),
    "api:notices": Expect(TOKEN_ONLY),
    "api:not_found": Expect(same(404), kwargs=lambda w: {"rest": "no-such-endpoint"}),
}
