"""What makes a browser test fail besides its own assertions: anything that went wrong in
the page, as a person with the developer tools open would see it."""

import re

# Reported to the console by every page, so a violation the browser only signals with an
# event still fails the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def watch_page(context, problems: list, expected_failures: list):
    """A new page of `context` whose problems are appended to `problems`: console errors
    (CSP violations included), uncaught exceptions, failed requests (network error, blocked,
    aborted) and responses of 400 or more to requests the page made for itself (images,
    scripts, styles, the icon, fetch/htmx). Documents the test opens are the test's to check.
    A URL matching a pattern (regular expression) in `expected_failures` is not a problem.
    """

    def expected(url: str) -> bool:
        return any(re.search(pattern, url) for pattern in expected_failures)

    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()

    def on_console(message):
        if message.type != "error":
            return
        # "Failed to load resource" repeats a response or failure the network handlers below
        # judge already (documents the test opened, such as a deliberate 400, are the test's).
        if message.text.startswith("Failed to load resource"):
            return
        source = (message.location or {}).get("url", "")
        problems.append(f"console error on {page.url}: {message.text} ({source})")

    def on_request_failed(request):
        # ERR_ABORTED: the browser itself cancelled the request because the page moved on
        # (a fast navigation while the icon was loading); nothing failed on either side.
        if request.failure == "net::ERR_ABORTED":
            return
        if not expected(request.url):
            problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def on_response(response):
        request = response.request
        if response.status >= 400 and request.resource_type != "document" and not expected(response.url):
            problems.append(f"{response.status} for {request.resource_type} {request.method} {response.url}")

    def on_page_error(error):
        problems.append(f"uncaught exception on {page.url}: {error}")

    page.on("console", on_console)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("pageerror", on_page_error)
    return page
