"""`make bench`: how fast the catalogue pages are with 1,000 and 10,000 published tools."""
