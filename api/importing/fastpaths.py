"""The extraction's fast paths, each with the plain form it stands for.

A fast path gives exactly what its plain form gives, sooner. PLAIN maps each fast path to
its plain form, so that tests/test_import_fast_path.py can run the plain path and compare.
"""

import re
from collections.abc import Callable
from functools import lru_cache

PLAIN: dict[object, object] = {}
CACHED = 16_384  # readings kept per cached function: an order's words, and the boilerplate


def cached(function: Callable) -> Callable:
    """`function` with its results kept: it is pure, and an order asks it the same again."""
    fast = lru_cache(maxsize=CACHED)(function)
    PLAIN[fast] = function
    return fast


def instead_of(plain: Callable) -> Callable[[Callable], Callable]:
    """Marks the decorated function as the fast form of `plain`."""

    def mark(fast: Callable) -> Callable:
        PLAIN[fast] = plain
        return fast

    return mark


def gated(
    pattern: str, flags: int, initials: str, *, at_start: bool = False, words: bool = False
) -> re.Pattern:
    """`pattern`, tried only at a character of `initials` (or the text's start): Python's
    engine tries each alternative at every position, the gate turns most positions away at
    once. `initials` must hold the first character of every alternative. With `words`, every
    alternative that begins with a letter begins a word (`\\bshall`), and a letter is tried
    only where a word begins."""
    letters = "".join(character for character in initials if character.isalpha()) if words else ""
    others = "".join(character for character in initials if character not in letters)
    gates = [rf"\b(?=[{re.escape(letters)}])"] if letters else []
    gates += [rf"(?=[{re.escape(others)}])"] if others else []
    gate = "(?:" + "|".join(gates) + ")"
    fast = re.compile(rf"(?:^|{gate})(?:{pattern})" if at_start else rf"{gate}(?:{pattern})", flags)
    PLAIN[fast] = re.compile(pattern, flags)
    return fast
