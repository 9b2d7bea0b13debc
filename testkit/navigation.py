"""Request headers of what a browser sends, for tests with Django's test client."""

# A top-level page load (address bar, link, followed redirect), as Chromium sends it.
PAGE_LOAD = {
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "HTTP_SEC_FETCH_DEST": "document",
    "HTTP_SEC_FETCH_MODE": "navigate",
}
# The icon the browser asks for on its own.
FAVICON = {
    "HTTP_ACCEPT": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "HTTP_SEC_FETCH_DEST": "image",
    "HTTP_SEC_FETCH_MODE": "no-cors",
}
# fetch() from a page's script.
FETCH = {"HTTP_ACCEPT": "*/*", "HTTP_SEC_FETCH_DEST": "empty", "HTTP_SEC_FETCH_MODE": "cors"}
