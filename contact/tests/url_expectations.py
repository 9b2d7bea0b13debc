"""URL table of the contact point (/contact/).

The verified officer of the shared world wrote to the coordinators (with a PDF); anyone signed in
may write and read their own conversations; only coordinators work the queue, after confirming
their password (the queue names who wrote).
"""

from django.core.files.base import ContentFile

from contact import services
from contact.models import Conversation, Post
from testkit.urltable import COORDINATOR_ONLY, COORDINATOR_POST, LOGIN, SIGNED_IN, Expect, fresh, same

PDF = b"%PDF-1.4\n%%EOF\n"


def build_world(world):
    officer = world.users["verified_officer"]
    conversation = services.write(officer, category="account", body="How do I renew my verification?")
    post = conversation.posts.get()
    post.file.save("x.pdf", ContentFile(PDF))
    world.objects.update(contact_conversation=conversation, contact_post=post)


def _conversation(world):
    return {"public_id": world.contact_conversation.public_id}


def _version(world):
    return fresh(world.contact_conversation).version


EXPECTATIONS = {
    # Everyone signed in, whatever their role or vetting state, reaches the coordinators.
    "contact:write": Expect(
        SIGNED_IN,
        body=lambda w: {"category": "other", "body": "A question for the coordinators."},
        posted=same(302, anonymous=LOGIN),
        effect=lambda w: Conversation.objects.count(),
    ),
    "contact:mine": Expect(SIGNED_IN),
    # The author's own page; coordinators work it from the queue (404 here, like anyone else).
    "contact:conversation": Expect(
        same(404, anonymous=LOGIN, verified_officer=200),
        kwargs=_conversation,
        body=lambda w: {"body": "Any news?"},
        posted=same(404, anonymous=LOGIN, verified_officer=302),
        effect=lambda w: Post.objects.count(),
    ),
    "contact:file": Expect(
        same(404, anonymous=LOGIN, verified_officer=200, coordinator=200),
        kwargs=lambda w: {"public_id": w.contact_post.public_id},
    ),
    "contact:queue": Expect(COORDINATOR_ONLY, confirmed=True),
    "contact:detail": Expect(COORDINATOR_ONLY, kwargs=_conversation, confirmed=True),
    "contact:answer": Expect(
        COORDINATOR_POST,
        kwargs=_conversation,
        method="post",
        body=lambda w: {"body": "Use the renewal button on your profile page."},
        effect=lambda w: Post.objects.count(),
    ),
    "contact:assign": Expect(
        COORDINATOR_POST,
        kwargs=_conversation,
        method="post",
        body=lambda w: {"version": _version(w), "assignee": str(w.users["coordinator"].public_id)},
        effect=lambda w: fresh(w.contact_conversation).assignee_id,
    ),
    "contact:close": Expect(
        COORDINATOR_POST,
        kwargs=_conversation,
        method="post",
        body=lambda w: {"version": _version(w)},
        effect=lambda w: fresh(w.contact_conversation).state,
    ),
}
