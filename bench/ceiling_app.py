"""The ceiling: a WSGI app answering every request with the same small JSON body.

Served by bench/scale/ under the same gunicorn settings as the API: no server of this
configuration answers faster, so conditional GETs (304s) are compared with it.
"""

BODY = b'{"data": []}'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(_environ, start_response):
    """The constant answer."""
    start_response("200 OK", HEADERS)
    return [BODY]
