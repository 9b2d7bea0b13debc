from api.models import ApiToken
from testkit.factories import ApiTokenFactory, ToolFactory
from testkit.urltable import HUB, LOGIN, PUBLIC, Expect, no_fields, same

# The API answers by token only: a session does not count, so without a token everyone gets 401.
TOKEN_ONLY = same(401)
# With a token of their own (core/tests/test_url_permissions.py makes one per persona, directly
# in the database for those who may not have one): those who may use the hub read the data;
# everyone else is refused (403); anonymous has no token (401).
BY_TOKEN = same(403, anonymous=401, verified_officer=200, coordinator=200)


def build_world(world):
    world.objects["api_tool"] = ToolFactory(published=True)
    world.objects["api_token"] = ApiTokenFactory(user=world.users["verified_officer"])


EXPECTATIONS = {
    # Creating a token shows its secret on the page itself (200).
    "api:tokens": Expect(
        HUB,
        body=lambda w: {"name": "Nightly sync"},
        posted=same(403, anonymous=LOGIN, verified_officer=200, coordinator=200),
        effect=lambda w: ApiToken.objects.count(),
    ),
    # Only the token's owner revokes it; for everyone else it does not exist.
    "api:token_revoke": Expect(
        same(404, anonymous=LOGIN, verified_officer=302),
        kwargs=lambda w: {"public_id": w.api_token.public_id},
        method="post",
        body=no_fields,
        effect=lambda w: ApiToken.objects.get(pk=w.api_token.pk).revoked_at,
    ),
    "api:openapi": Expect(PUBLIC),
    "api:criteria": Expect(TOKEN_ONLY, token=BY_TOKEN),
    "api:tools": Expect(TOKEN_ONLY, token=BY_TOKEN),
    "api:tool": Expect(TOKEN_ONLY, kwargs=lambda w: {"slug": w.api_tool.slug}, token=BY_TOKEN),
    "api:notices": Expect(TOKEN_ONLY, token=BY_TOKEN),
    "api:not_found": Expect(same(404), kwargs=lambda w: {"rest": "no-such-endpoint"}),
}
