"""Search queries in web-search syntax, parsed the same for every database.

Words are ANDed, `or` between words makes alternatives, "quoted words" are phrases, `-word`
excludes. Any string is a valid query; one that carries no searchable word matches nothing.
"""

import re
from dataclasses import dataclass, field

# PostgreSQL's `english` stop words: dropped on SQLite too, so that both find the same.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)
MAX_TERMS = 32


@dataclass(frozen=True)
class Query:
    """A parsed query: every clause must match (one of its alternatives); no exclusion may."""

    clauses: tuple[tuple[tuple[str, ...], ...], ...] = ()
    exclusions: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.clauses


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse(raw: str) -> Query:
    """Web-search syntax into clauses of phrases; never fails, whatever the input."""
    clauses: list[list[tuple[str, ...]]] = []
    exclusions: list[tuple[str, ...]] = []
    alternative = False
    for match in _TOKEN.finditer(raw[:2000]):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or" and clauses:
            alternative = True
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        words = tuple(w.lower() for w in _WORD.findall(phrase if bare is None else bare))
        if bare is not None or len(words) == 1:
            words = tuple(w for w in words if w not in STOP_WORDS)
        if not words:
            continue
        if negated:
            exclusions.append(words)
        elif alternative:
            clauses[-1].append(words)
        else:
            clauses.append([words])
        alternative = False
    clauses = clauses[:MAX_TERMS]
    return Query(tuple(tuple(c) for c in clauses), tuple(exclusions[:MAX_TERMS]))
