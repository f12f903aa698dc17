"""`make bench`, first part: the API at about a million provisions (`python -m bench.scale`)."""
