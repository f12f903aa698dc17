"""`X-RateLimit-*` for the binding window of all a client's limits, `Retry-After` on 429 only.

Flask-Limiter's own headers name the shortest window that was checked (`20 per second` even
when only 2 of the `600 per minute` remain) and send `Retry-After` with every response.
Here the headers describe the window that runs out first: the one with the fewest requests
left, and of those, the one that resets last, which is when a refused client may come back.
"""

import math
import time
from dataclasses import dataclass

from flask import Response
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many


@dataclass(frozen=True)
class Window:
    amount: int
    remaining: int
    reset_at: float  # seconds since the epoch


def binding_window(limiter: Limiter, limits: list[RateLimitItem]) -> Window | None:
    """The window that binds this request's client, or None when no limit applied."""
    checked = limiter.current_limits
    if not checked:
        return None
    # The application limits share one key and scope: those of any limit that was checked
    # (Flask-Limiter stops checking at the first one exceeded).
    arguments = checked[0].request_args
    windows = []
    for item in limits:
        reset_at, remaining = limiter.limiter.get_window_stats(item, *arguments)
        windows.append(Window(item.amount, remaining, reset_at))
    return min(windows, key=lambda window: (window.remaining, -window.reset_at))


def header_writer(limiter: Limiter, configured: str):
    """An after-request function writing the headers of the `configured` limits."""
    limits = parse_many(configured)

    def write(response: Response) -> Response:
        window = binding_window(limiter, limits)
        if window is None:
            return response
        response.headers["X-RateLimit-Limit"] = str(window.amount)
        response.headers["X-RateLimit-Remaining"] = str(window.remaining)
        response.headers["X-RateLimit-Reset"] = str(math.ceil(window.reset_at))
        if response.status_code == 429:
            wait = max(1, math.ceil(window.reset_at - time.time()))
            response.headers["Retry-After"] = str(wait)
        return response

    return write
