"""Who a provision addresses: federal offices, agencies and groups under canonical names.

The gazetteer names each actor once, with the ways orders write it. An order's own short
forms (`the Secretary of Homeland Security (the Secretary)`, `(“NBAC”)`) and the bodies it
establishes are read from the order itself, so `the Secretary` means what that order says.
Ids that the seeds use already (`secretary-of-defense`) are the same actors.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from api.importing.fastpaths import cached, instead_of

OFFICE, DEPARTMENT, AGENCY, GROUP, GOVERNMENT = (
    "office",
    "department",
    "agency",
    "group",
    "government",
)

_ACRONYMS = {
    "health-and-human-services": "HHS",
    "housing-and-urban-development": "HUD",
    "homeland-security": "DHS",
    "defense": "DOD",
    "justice": "DOJ",
    "transportation": "DOT",
    "veterans-affairs": "VA",
    "agriculture": "USDA",
}
_DEPARTMENTS = {
    "state": "State",
    "the-treasury": "the Treasury",
    "defense": "Defense",
    "the-interior": "the Interior",
    "agriculture": "Agriculture",
    "commerce": "Commerce",
    "labor": "Labor",
    "health-and-human-services": "Health and Human Services",
    "housing-and-urban-development": "Housing and Urban Development",
    "transportation": "Transportation",
    "energy": "Energy",
    "education": "Education",
    "veterans-affairs": "Veterans Affairs",
    "homeland-security": "Homeland Security",
    "justice": "Justice",
}

# (id, canonical name, kind, other ways of writing it, outside the executive branch)
_ENTRIES: list[tuple[str, str, str, tuple[str, ...], bool]] = [
    *(
        (
            f"secretary-of-{key}",
            f"Secretary of {name}",
            OFFICE,
            (f"Secretary of {_ACRONYMS[key]}",) if key in _ACRONYMS else (),
            False,
        )
        for key, name in _DEPARTMENTS.items()
        if key != "justice"
    ),
    *(
        (
            f"department-of-{key}",
            f"Department of {name}",
            DEPARTMENT,
            (_ACRONYMS[key],) if key in _ACRONYMS and key != "veterans-affairs" else (),
            False,
        )
        for key, name in _DEPARTMENTS.items()
    ),
    (
        "attorney-general",
        "Attorney General",
        OFFICE,
        ("Attorney General of the United States",),
        False,
    ),
    ("secretary-of-the-army", "Secretary of the Army", OFFICE, (), False),
    ("secretary-of-the-navy", "Secretary of the Navy", OFFICE, (), False),
    ("secretary-of-the-air-force", "Secretary of the Air Force", OFFICE, (), False),
    ("us-president", "President", OFFICE, ("President of the United States",), False),
    ("vice-president", "Vice President", OFFICE, ("Vice President of the United States",), False),
    (
        "director-of-omb",
        "Director of the Office of Management and Budget",
        OFFICE,
        ("Director of OMB", "OMB Director"),
        False,
    ),
    (
        "director-of-opm",
        "Director of the Office of Personnel Management",
        OFFICE,
        ("Director of OPM", "OPM Director"),
        False,
    ),
    ("office-of-management-and-budget", "Office of Management and Budget", AGENCY, ("OMB",), False),
    ("office-of-personnel-management", "Office of Personnel Management", AGENCY, ("OPM",), False),
    (
        "director-of-national-intelligence",
        "Director of National Intelligence",
        OFFICE,
        ("DNI",),
        False,
    ),
    ("director-of-central-intelligence", "Director of Central Intelligence", OFFICE, (), False),
    (
        "director-of-the-cia",
        "Director of the Central Intelligence Agency",
        OFFICE,
        ("Director of the CIA",),
        False,
    ),
    (
        "director-of-the-fbi",
        "Director of the Federal Bureau of Investigation",
        OFFICE,
        ("Director of the FBI",),
        False,
    ),
    (
        "administrator-of-the-epa",
        "Administrator of the Environmental Protection Agency",
        OFFICE,
        ("EPA Administrator",),
        False,
    ),
    ("administrator-of-general-services", "Administrator of General Services", OFFICE, (), False),
    (
        "administrator-of-the-sba",
        "Administrator of the Small Business Administration",
        OFFICE,
        (),
        False,
    ),
    (
        "administrator-of-nasa",
        "Administrator of the National Aeronautics and Space Administration",
        OFFICE,
        (),
        False,
    ),
    (
        "administrator-of-usaid",
        "Administrator of the United States Agency for International Development",
        OFFICE,
        ("Administrator of the Agency for International Development",),
        False,
    ),
    (
        "head-of-fema",
        "Administrator of the Federal Emergency Management Agency",
        OFFICE,
        ("Director of the Federal Emergency Management Agency", "Director of FEMA"),
        False,
    ),
    (
        "us-trade-representative",
        "United States Trade Representative",
        OFFICE,
        ("U.S. Trade Representative", "Trade Representative"),
        False,
    ),
    (
        "chair-of-the-council-of-economic-advisers",
        "Chair of the Council of Economic Advisers",
        OFFICE,
        ("Chairman of the Council of Economic Advisers",),
        False,
    ),
    (
        "chair-of-the-council-on-environmental-quality",
        "Chair of the Council on Environmental Quality",
        OFFICE,
        ("Chairman of the Council on Environmental Quality",),
        False,
    ),
    (
        "national-security-advisor",
        "Assistant to the President for National Security Affairs",
        OFFICE,
        ("National Security Advisor",),
        False,
    ),
    (
        "homeland-security-advisor",
        "Assistant to the President for Homeland Security and Counterterrorism",
        OFFICE,
        ("Assistant to the President for Homeland Security",),
        False,
    ),
    (
        "economic-policy-advisor",
        "Assistant to the President for Economic Policy",
        OFFICE,
        (),
        False,
    ),
    (
        "domestic-policy-advisor",
        "Assistant to the President for Domestic Policy",
        OFFICE,
        (),
        False,
    ),
    (
        "director-of-ostp",
        "Director of the Office of Science and Technology Policy",
        OFFICE,
        (),
        False,
    ),
    (
        "director-of-ondcp",
        "Director of the Office of National Drug Control Policy",
        OFFICE,
        (),
        False,
    ),
    ("counsel-to-the-president", "Counsel to the President", OFFICE, (), False),
    ("white-house-chief-of-staff", "Chief of Staff to the President", OFFICE, (), False),
    (
        "chairman-of-the-joint-chiefs-of-staff",
        "Chairman of the Joint Chiefs of Staff",
        OFFICE,
        (),
        False,
    ),
    (
        "archivist-of-the-united-states",
        "Archivist of the United States",
        OFFICE,
        ("Archivist",),
        False,
    ),
    (
        "director-of-the-office-of-government-ethics",
        "Director of the Office of Government Ethics",
        OFFICE,
        (),
        False,
    ),
    ("commissioner-of-social-security", "Commissioner of Social Security", OFFICE, (), False),
    (
        "director-of-the-nsf",
        "Director of the National Science Foundation",
        OFFICE,
        (),
        False,
    ),
    ("director-of-the-peace-corps", "Director of the Peace Corps", OFFICE, (), False),
    ("national-security-council", "National Security Council", AGENCY, (), False),
    ("domestic-policy-council", "Domestic Policy Council", AGENCY, (), False),
    ("national-economic-council", "National Economic Council", AGENCY, (), False),
    ("environmental-protection-agency", "Environmental Protection Agency", AGENCY, ("EPA",), False),
    ("general-services-administration", "General Services Administration", AGENCY, ("GSA",), False),
    (
        "executive-departments-and-agencies",
        "executive departments and agencies",
        GROUP,
        (),
        False,
    ),
    (
        "independent-regulatory-agencies",
        "independent regulatory agencies",
        GROUP,
        ("independent agencies",),
        False,
    ),
    ("federal-government", "Federal Government", GOVERNMENT, (), False),
    ("united-states", "United States", GOVERNMENT, (), False),
    ("congress", "Congress", GROUP, ("the Congress",), True),
    ("states", "States", GROUP, ("State governments", "the States", "Governors"), True),
    ("private-sector", "private sector", GROUP, (), True),
]  # fmt: skip

# Every way an order writes "agencies" or "their heads": one group.
_AGENCIES = (
    r"(?:(?:(?:the|each|every|all)\s+)?heads?\s+of\s+"
    r"(?:(?:each|all|every|any|the|an?|other|relevant|appropriate|such)\s+)*)?"
    r"(?:(?:all|each|every|any|other|relevant|appropriate|participating|covered|such)\s+)*"
    r"(?:(?:executive|Federal|executive\s+branch)\s+)?(?:departments?\s+(?:and|or)\s+)?"
    r"(?:agenc(?:y|ies)|(?<=each\s)department)(?:\s+heads?)?"
    # `All agencies of the executive branch`, `departments and agencies of the Federal Government`
    r"(?:\s+of\s+the\s+(?:executive\s+branch|Federal\s+Government|United\s+States))?"
    r"(?!\s+(?:for|of)\b|'s|’s)"
)
_BODY_WORDS = (
    r"Council|Commission|Board|Committee|Task Force|Office|Center|Group|Panel|Team|Forum"
    r"|Working Group|Subcommittee|Corporation|Foundation|Institute|Agency|Service|Administration"
    r"|Organization|Initiative|Bureau|Division|Secretariat|Corps|Authority"
)
# A name's small words: `the` only after a preposition (`within the Department of the Treasury
# the President's Council…` names the Council, not `Treasury the President's Council`).
_CONNECTOR = r"(?:of|for|on|to|in)(?:\s+the)?|and"
# A capitalised word; its dots inside it (`U.S.`), not a sentence's after it (`Committee. The`).
_NAME_WORD = r"[A-Z](?:[\w'’&-]|\.(?=\w|\s+[a-z(]))*"
_DEFINITION = re.compile(
    rf"(?P<name>(?:the\s+)?{_NAME_WORD}(?:(?:\s+|,\s+(?:and\s+)?(?=[A-Z]))"
    rf"(?:{_NAME_WORD}|{_CONNECTOR}))*)[”\"'’]*\s*,?\s*\((?:the\s+|hereinafter\s+)?[“\"`‘']*"
    r"(?:the\s+)?"
    r"(?P<short>[A-Z][\w.'’ -]{0,40}?)[”\"'’]*\)"
)
_ESTABLISHED = re.compile(
    r"(?:establish(?:ed|es)?|creat(?:ed|es?))\s+(?:(?:with)?in\s+[^,]+?,?\s+)?"
    r"(?:for\s+administrative\s+purposes\s+only\s+)?(?:an?|the)\s+"
    r"(?P<name>(?:(?:[A-Z][\w'’-]*)(?:(?:\s+|,\s+(?:and\s+)?(?=[A-Z]))(?:[A-Z][\w'’-]*|"
    + _CONNECTOR
    + r"))*\s+)?(?:"
    + _BODY_WORDS
    + r")\b"
    r"(?:\s+(?:on|for|of|to)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|"
    + _CONNECTOR
    + r"(?=\s+[A-Z])))*)?)"
)
# `an organization to be known as the “Air Traffic Organization”`: a body named in quotes.
_KNOWN_AS = re.compile(
    r"\b(?:known|referred\s+to|designated)\s+as\s+(?:the\s+)?[“\"`‘']+"
    r"(?P<name>[A-Z][^”\"'’]{2,100}?)[”\"'’]+"
)
# Any office's full title (`Under Secretary of Commerce for International Trade`,
# `Director of the National Park Service`): an actor of the order's own when the gazetteer
# does not know it, so that it is never mistaken for a shorter title inside it.
_TITLE_WORDS = (
    r"Secretary|Director|Administrator|Commissioner|Chair(?:man|person)?|Coordinator"
    r"|Inspector\s+General|Comptroller|Archivist|Counsel|Representative|Ambassador|Attorney"
)
_OFFICE_TITLE = re.compile(
    r"\b(?:(?:Under|Deputy|Assistant|Associate|Principal\s+Deputy)\s+)?"
    rf"(?:{_TITLE_WORDS}|Chief\s+[A-Z]\w+(?:\s+[A-Z]\w+)?)\s+(?:of|for|to)\s+(?:the\s+)?"
    r"(?:U\.S\.|[A-Z][\w'’-]*)"
    rf"(?:\s+(?:of|for|on|to|in)(?:\s+the)?(?=\s+[A-Z])|\s+and(?=\s+[A-Z])(?!\s+(?:{_TITLE_WORDS}))"
    r"|\s+(?:U\.S\.|[A-Z][\w'’-]*))*"
)
# `the Attorney General, who shall serve as Chair`; `the Secretaries of X and Y shall serve
# as Co-Chairs`: an order's titles for its offices, read as short forms.
_SERVES_AS = re.compile(
    r"\bshall\s+(?:each\s+)?serve\s+as\s+(?:the\s+)?"
    r"(?P<title>(?:Co-|Vice\s+)?(?:Chair(?:man|person)?|Chairs|Executive Director|Director)s?)\b"
)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    outside_executive: bool = False


@dataclass
class Gazetteer:
    """The actors an order can address, and the regular expressions that find them.

    An order's gazetteer adds its own short forms and bodies on top of the federal one, in a
    small pattern of its own: the federal pattern is compiled once, not once per order.
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # lower-case alias -> actor id
    base: "Gazetteer | None" = None
    local: dict[str, str] = field(default_factory=dict)  # the aliases added on top of base
    bodies: list[str] = field(default_factory=list)  # ids of the bodies the order sets up
    _pattern: re.Pattern | None = None

    def add(self, actor: Actor, *aliases: str) -> None:
        self.actors.setdefault(actor.id, actor)
        for alias in (actor.name, *aliases):
            self.alias(alias, actor.id)

    def alias(self, alias: str, actor_id: str) -> None:
        key = _key(alias)
        if key not in self.aliases or self.aliases[key] == actor_id:
            self.aliases[key] = self.local[key] = actor_id
            self._pattern = None

    def names(self) -> list[str]:
        """Its own aliases as the pattern tries them: the longest first."""
        return sorted(self.local, key=len)[::-1]

    def pattern(self) -> re.Pattern | None:
        if self._pattern is None and self.local:
            alternatives = _alternation(self.names())
            if self.base is None:
                alternatives += f"|(?P<agencies>{_AGENCIES})"
            # Tried only where a word begins with a letter some alternative begins with: the
            # alternatives are many, and most words begin none of them.
            firsts = {name[0] for name in self.local} | set("aeh")
            initials = "".join(sorted(firsts | {letter.upper() for letter in firsts}))
            self._pattern = re.compile(rf"\b(?=[{re.escape(initials)}])(?:{alternatives})\b", re.I)
        return self._pattern

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, actor id) of each name in `text`; the longer of two that overlap."""
        found = self.base.spans(text) if self.base is not None else []
        for start, end, agencies in _own_names(self, text):
            if agencies:
                actor_id = "executive-departments-and-agencies"
            else:
                actor_id = self.aliases.get(_key(text[start:end]))
            possessive = text.startswith(("'s", "’s"), end)  # `President's Council`
            if (
                actor_id
                and not possessive
                and _case_fits(text[start:end], self.actors[actor_id.split("|")[0]])
            ):
                found.append((start, end, actor_id))
        found.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int, str]] = []
        for span in found:
            if kept and span[0] < kept[-1][1]:
                continue
            kept.append(span)
        return kept

    def find(self, text: str, subjects_only: bool = False) -> list[Actor]:
        """The actors named in `text`, in order, each once; with `subjects_only`, not those
        that follow a preposition (`report to the Secretary`, `in the United States`)."""
        found: dict[str, Actor] = {}
        for start, _end, actor_id in self.spans(text):
            if subjects_only and _PREPOSITION_BEFORE.search(text[max(0, start - 30) : start]):
                continue
            first = self.actors[actor_id.split("|")[0]]
            if first.kind == GOVERNMENT and _ADJECTIVAL.match(text, _end):
                continue
            for one in actor_id.split("|"):
                found.setdefault(one, self.actors[one])
        return list(found.values())


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|of|to|within|from|into|throughout|outside|by|for|against|on|upon|under|with|"
    r"among|between|about|at|over|through|toward|towards|across|including)\s+"
    r"(?:(?:the|a|an|any|each|such|all|its|their)\s+)?$",
    re.IGNORECASE,
)
# `United States persons`, `Federal Government employees`: the name used as an adjective.
_ADJECTIVAL = re.compile(r"\s+(?!shall|should|may|must|will|is|are|has|have|and|or)[a-z]")


@cached
def _key(name: str) -> str:
    """An alias as the gazetteer files it; cached, as each name found is filed again."""
    return re.sub(r"\s+", " ", re.sub(r"^the\s+", "", name.strip(), flags=re.I)).lower()


def _alias_pattern(alias: str) -> str:
    return r"\s+".join(map(re.escape, alias.split()))


def _plain_alternation(names: list[str]) -> str:
    return "|".join(_alias_pattern(name) for name in names)


@instead_of(_plain_alternation)
def _alternation(names: list[str]) -> str:
    """The names' alternatives grouped by their first letter, in their order (`s(?:ecretary
    of state|…)`): Python's engine tries each alternative at every place a word begins, and
    two that begin with different ASCII characters never both match at one place."""
    firsts = [name[:1] for name in names]
    if not all(first.isascii() and first.strip() for first in firsts):
        return _plain_alternation(names)
    groups: dict[str, list[str]] = {}
    for first, name in zip(firsts, names, strict=True):
        groups.setdefault(first, []).append(_alias_pattern(name)[len(re.escape(first)) :])
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


def _plain_own_names(gazetteer: "Gazetteer", text: str) -> Iterator[tuple[int, int, bool]]:
    pattern = gazetteer.pattern()
    for match in pattern.finditer(text) if pattern is not None else ():
        yield match.start(), match.end(), match.groupdict().get("agencies") is not None


@instead_of(_plain_own_names)
def _own_names(gazetteer: "Gazetteer", text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, whether it is the agencies' group) of each match of the gazetteer's
    pattern. An order's own pattern would be compiled again at each alias the order adds,
    which costs more than matching it: its aliases are matched one by one instead (each
    compiled once per process) and merged as the alternation picks (the leftmost place,
    there the first alias, then on from its end)."""
    if gazetteer.base is None:
        yield from _plain_own_names(gazetteer, text)
        return
    found = []
    # In an ASCII text, an ASCII alias is found only where its first word is, in any case:
    # a substring test turns most aliases away for a fraction of a failed search.
    folded = text.lower() if text.isascii() else None
    for rank, name in enumerate(gazetteer.names()):
        if folded is not None and _first_word(name) not in folded:
            continue
        regex, position = _alias_regex(name), 0
        while (match := regex.search(text, position)) is not None:
            found.append((match.start(), rank, match.end()))
            position = match.start() + 1
    resume = 0
    for start, _rank, end in sorted(found):
        if start >= resume:
            yield start, end, False
            resume = end


@lru_cache(maxsize=4096)
def _first_word(name: str) -> str:
    """An ASCII alias's first word in lower case; for any other, "", which every text holds."""
    return name.split()[0].lower() if name.isascii() else ""


@lru_cache(maxsize=4096)
def _alias_regex(name: str) -> re.Pattern:
    """One alias as the order's pattern matches it; kept, as orders share their offices."""
    return re.compile(rf"\b(?:{_alias_pattern(name)})\b", re.I)


def _case_fits(written: str, actor: Actor) -> bool:
    """Titles are capitalised: `the president of a university` is not the President."""
    if actor.kind == GROUP and actor.id != "congress":
        return True
    words = re.sub(r"^the\s+", "", written.strip(), flags=re.I)
    return words[:1].isupper()


def federal_gazetteer() -> Gazetteer:
    gazetteer = Gazetteer()
    for actor_id, name, kind, aliases, outside in _ENTRIES:
        gazetteer.add(Actor(actor_id, name, kind, outside), *aliases)
    return gazetteer


_FEDERAL = federal_gazetteer()


def reference_actors() -> dict[str, Actor]:
    """Every actor of the gazetteer, by id."""
    return dict(_FEDERAL.actors)


def order_gazetteer(text: str) -> Gazetteer:
    """The federal gazetteer plus this order's short forms and the bodies it establishes."""
    gazetteer = Gazetteer(dict(_FEDERAL.actors), dict(_FEDERAL.aliases), base=_FEDERAL)
    for match in _ESTABLISHED.finditer(text):
        _establish(gazetteer, match["name"])
    for match in _KNOWN_AS.finditer(text):
        if re.search(rf"\b(?:{_BODY_WORDS})$", match["name"].strip()):
            _establish(gazetteer, match["name"])
    for match in _OFFICE_TITLE.finditer(text):
        title = re.sub(r"\s+", " ", match[0]).rstrip(".")
        # `Chair of the Committee` names no office of its own: which committee is the
        # order's (see _members_and_officers).
        generic = re.search(rf"\b(?:of|for|to)\s+(?:the\s+)?(?:{_BODY_WORDS})$", title)
        if not generic and _key(title) not in gazetteer.aliases and len(title) <= 150:
            gazetteer.add(Actor(_slug(title), title, OFFICE))
    for match in _DEFINITION.finditer(text):
        name, short = _trim_name(match["name"]), match["short"].strip()
        if short.endswith("s") and _define_plural(gazetteer, text, match.end("name"), short):
            continue
        if not name or len(short) < 2 or _key(short) == _key(name):
            continue
        # `the United States National Authority (USNA)` is not the United States: the known
        # actor must be the whole name.
        # `the Chairman of the Council on Environmental Quality (CEQ)`: the acronym names the
        # Council, the end of the name whose initials it spells.
        whole, name = name, _acronym_of(name, short)
        known = gazetteer.find(name)
        target = known[-1] if known and _key(known[-1].name) == _key(name) else None
        if target is None and (name != whole or _BODY_AT_END.search(name)):
            target = _add_body(gazetteer, name)
        if target is not None:
            gazetteer.alias(short, target.id)
            if target.kind == AGENCY and not short.isupper():
                gazetteer.alias(short + "s", target.id)  # `the Centers`
    for match in _PLURAL_SHORT.finditer(text):
        # `co-chaired by the Secretary of X and the Secretary of Y, or their designees
        # (Co-Chairs)`: the name before the parenthesis is not capitalised.
        if _key(match["short"]) not in gazetteer.aliases:
            _define_plural(gazetteer, text, match.start(), match["short"])
    for match in _SERVES_AS.finditer(text):
        # The holders are named just before, in the same clause (short forms in parentheses
        # left out: `the Director of OPM (OPM) and …, who shall serve as Co-Chairs`).
        before = text[max(0, match.start() - 250) : match.start()]
        before = re.split(r"[.;:]", re.sub(r"\([^()]{0,40}\)", " ", before))[-1]
        # `composed of the Director of X and the Deputy Director of Y, who shall serve as
        # Co-Chairs`: offices, whatever word comes before them.
        holders = [a for a in gazetteer.find(_expand_plurals(before)) if a.kind == OFFICE]
        if holders and len(holders) <= 4:
            title = match["title"]
            gazetteer.alias(title, "|".join(actor.id for actor in holders))
            if title.endswith("s") and len(holders) > 1:
                gazetteer.alias(title.removesuffix("s"), "|".join(a.id for a in holders))
    _resolve_bare_titles(gazetteer, text)
    _resolve_titles_of_short_forms(gazetteer)
    return gazetteer


# A body's name: its kind last, or before what it is of (`Commission on Resource Equity`).
_BODY_AT_END = re.compile(rf"\b(?:{_BODY_WORDS})(?:\s+(?:on|for|of|to)\s+[^()]+)?$")


def _acronym_of(name: str, short: str) -> str:
    """The end of `name` that `short` abbreviates when it is an acronym of that end only."""
    letters = short.replace(".", "")
    if not letters.isupper() or len(letters) < 2:
        return name
    words = name.split()
    for start in range(1, len(words)):
        tail = words[start:]
        if tail[0][:1].isupper() and "".join(w[0] for w in tail if w[:1].isupper()) == letters:
            return " ".join(tail)
    return name


def _resolve_titles_of_short_forms(gazetteer: Gazetteer) -> None:
    """`Chairman of CEQ` is the `Chairman of the Council on Environmental Quality` when the
    order's CEQ is that Council and the office is known by its full title."""
    for key, actor_id in list(gazetteer.local.items()):
        match = re.match(r"(.+?) (?:of|for) (?:the )?(.+)$", key)
        if match is None or match[2] not in gazetteer.aliases:
            continue
        body = gazetteer.actors.get(gazetteer.aliases[match[2]].split("|")[0])
        if body is None or body.kind not in (AGENCY, DEPARTMENT):
            continue
        full = gazetteer.aliases.get(_key(f"{match[1]} of the {body.name}"))
        if full and full != actor_id:
            gazetteer.aliases[key] = gazetteer.local[key] = full
            gazetteer._pattern = None


_PLURAL_SHORT = re.compile(
    r"\((?:the\s+)?[“\"`‘']*(?P<short>(?:Co-|Vice\s+)?(?:Chair(?:man|person)?|Director)s)[”\"'’]*\)"
)


def _define_plural(gazetteer: Gazetteer, text: str, end: int, short: str) -> bool:
    """`co-chaired by the Secretary of X and the Assistant for Y (Co-Chairs)`: the short form
    of several actors named just before `end`."""
    before = text[max(0, end - 250) : end]
    listed = re.split(r"\b(?:by|are|is|include|includes|as)\s+(?=the\b|[A-Z])|[.;:(]", before)[-1]
    holders = gazetteer.find(_expand_plurals(listed), subjects_only=True)
    if len(holders) < 2:
        return False
    gazetteer.alias(short, "|".join(actor.id for actor in holders))
    gazetteer.alias(short.removesuffix("s"), "|".join(actor.id for actor in holders))
    return True


def _trim_name(name: str) -> str:
    """A body's name without what leads into it (`the`, a heading's `Establishment of`)."""
    name = re.sub(r"^(?:Establishment|Creation|Membership|Functions?)\s+of\s+", "", name.strip())
    name = name.rstrip("'’\"”")  # `the ``Air Traffic Organization'' (ATO)`
    words = name.split()
    while words and words[0].lower() in (
        "the", "a", "an", "and", "of", "each", "every", "all", "any", "such", "its", "their",
    ):  # fmt: skip
        words.pop(0)
    return " ".join(words)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "").replace("’", "")).strip("-")[
        :120
    ]


def _establish(gazetteer: Gazetteer, name: str) -> None:
    actor = _add_body(gazetteer, name)
    if actor.id not in gazetteer.bodies:
        gazetteer.bodies.append(actor.id)


def _add_body(gazetteer: Gazetteer, name: str) -> Actor:
    name = _trim_name(name)
    existing = gazetteer.aliases.get(_key(name))
    if existing:
        return gazetteer.actors[existing.split("|")[0]]
    actor = Actor(_slug(name), name, AGENCY)
    gazetteer.add(actor)
    return actor


def _resolve_bare_titles(gazetteer: Gazetteer, text: str) -> None:
    """`the Secretary` alone means the one actor with that word in its name that the order
    names, if it names just one (`Under Secretary of X` and `Secretary of X` make it unsure)."""
    named = {
        gazetteer.actors[actor_id]
        for _, _, actor_id in gazetteer.spans(text)
        if "|" not in actor_id
    }
    for title in ("Secretary", "Director", "Administrator", "Council", "Commission", "Board",
                  "Committee", "Task Force", "Center", "Office", "Group"):  # fmt: skip
        if _key(title) in gazetteer.aliases:
            continue
        # `the Council` is a body, not `the Chair of the Council`; `the Secretary` an office.
        kinds = (OFFICE,) if title in ("Secretary", "Director", "Administrator") else (AGENCY,)
        holders = {
            actor.id
            for actor in named
            if actor.kind in kinds and re.search(rf"\b{title}\b", actor.name)
        }
        if len(holders) == 1:
            gazetteer.alias(title, holders.pop())


_AROUND = re.compile(
    r"\b(?:in\s+(?:consultation|coordination|cooperation|conjunction)\s+with|with\s+the\s+"
    r"(?:concurrence|advice|assistance|approval)\s+of|after\s+consult(?:ation|ing)\s+with|"
    r"acting\s+through|through|other\s+than|except|submit\w*\s+to|report\w*\s+to|"
    r"of\s+this\s+order|under|pursuant\s+to|by)\b[^,;]*"
)


# `Consistent with the authorities of member agencies, the Task Force shall`: what leads into
# the sentence names no subject.
_INTRODUCTION = re.compile(
    r"^(?:\W*(?:(?:consistent|in\s+accordance|in\s+keeping)\s+with|(?:not|no)\s+later\s+than"
    r"|within|to\s+the\s+(?:maximum\s+)?extent|in\s+order\s+to|upon|after|before|subject\s+to"
    r"|in\s+addition\s+to|except|unless|when|whenever|where|if|as\s+soon\s+as|beginning"
    r"|effective|notwithstanding|in\s+(?:carrying\s+out|[a-z]+ing\b)|to\s+(?=[a-z]+\s))"
    r"\b[^,;]*,\s*)+",
    re.IGNORECASE,
)


_SHORT_FORM = re.compile(r"\s*\([^()]{1,40}\)")
_RELATIVE = re.compile(r"(?<=\w)\s*,?\s+(?:that|which|who|whom|whose)\b.*$", re.S)


def main_subject(clause: str) -> str:
    """The words before a cue less what leads into them and the relative clause after them:
    `Certain agreements that the United States may negotiate` → `Certain agreements`."""
    subject = _RELATIVE.sub(" ", _INTRODUCTION.sub("", clause))
    return _SHORT_FORM.sub(" ", subject)  # `the Council on Environmental Quality (CEQ)`


def addressees_of(
    gazetteer: Gazetteer, clause: str, after_cue: str | None = None, after_first: bool = False
) -> list[Actor]:
    """The actors that are the subject of the cue: named in `clause` (the words before it),
    less those only consulted or mentioned; or, for `I hereby direct X to` and `delegated
    to X` (after_first), named in the words after it."""
    after = []
    if after_cue:
        words = re.split(r"\bto\s+(?!the\b|each\b|all\b|any\b)|[,;.]", after_cue, maxsplit=1)[0]
        after = gazetteer.find(_expand_plurals(words))
    if after_first and after:
        return after
    subject = _AROUND.sub(" ", _expand_plurals(main_subject(clause)))
    _name_bodies(gazetteer, subject)
    found = _members_and_officers(gazetteer, subject) or gazetteer.find(subject, subjects_only=True)
    return found or after


_BODY_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|for|on|and(?=\s+[A-Z])))*\s+)?(?:"
    + _BODY_WORDS
    + r")\b"
    # `Advisory Council on Historic Preservation`, `Subcommittee of the Aviation … Committee`
    r"(?:\s+(?:on|for|of|to)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|for|on"
    r"|and(?=\s+[A-Z])))*)?"
)
# `A Federal Chief Sustainability Officer, designated by the President, shall`: an office
# by its title alone.
_TITLE_NAME = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s+(?:Officer|Coordinator|Manager|Advis[eo]r|Envoy"
    r"|Director|Administrator|Commissioner|Ombudsman)\b(?!\s+(?:of|for|to)\b)"
)


_TWO_BODIES = re.compile(r"(?<=[a-z])\s+and\s+(?=(?:[A-Z][\w'’-]*\s+)*(?:" + _BODY_WORDS + r")\b)")


def _name_bodies(gazetteer: Gazetteer, subject: str) -> None:
    """A body the subject names in full (`the Nuclear Regulatory Commission shall`) that the
    gazetteer does not know: an actor of its own."""
    for match in _BODY_NAME.finditer(subject):
        # `the National Security Council and Homeland Security Council`: two bodies; not
        # `the National Archives and Records Administration`.
        names = _TWO_BODIES.split(match[0])
        if not re.search(rf"\b(?:{_BODY_WORDS})$", names[0]):
            names = [match[0]]
        for name in names:
            name = _trim_name(name)
            if len(name.split()) < 2 or _key(name) in gazetteer.aliases:
                continue
            # `the Interagency Committee`: the end of a body's name the order knows.
            fuller = {
                actor_id
                for key, actor_id in gazetteer.local.items()
                if key.endswith(" " + _key(name))
                and "|" not in actor_id
                and gazetteer.actors[actor_id].kind == AGENCY
            }
            if len(fuller) == 1:
                gazetteer.alias(name, fuller.pop())
            else:
                _add_body(gazetteer, name)
    for match in _TITLE_NAME.finditer(subject):
        name = _trim_name(match[0])
        if len(name.split()) >= 2 and _key(name) not in gazetteer.aliases:
            gazetteer.add(Actor(_slug(name), name, OFFICE))


_OF_BODY = re.compile(
    r"\b(?P<role>[Mm]embers|[Cc]o-[Cc]hairs?|[Cc]hair(?:man|person)?s?|[Vv]ice[ -][Cc]hair"
    r"|[Ee]xecutive [Dd]irector)\s+of\s+(?:the\s+)?(?P<body>[A-Z][^,;]*)"
)


_BARE_ROLE = re.compile(
    r"^\W*(?:(?i:the|its|each|all|any)\s+)*"
    r"(?P<role>[Cc]o-[Cc]hairs?|[Vv]ice[ -][Cc]hair(?:man|person)?s?|[Cc]hair(?:man|person)?"
    r"|[Ee]xecutive [Dd]irector|[Mm]embers)\b(?!\s+of\b)"
)


def _members_and_officers(gazetteer: Gazetteer, subject: str) -> list[Actor]:
    """`Members of the Commission`, `the Chair of the Council`: the body's own people, as
    actors of their own (`members of the President's Commission on …`), with the others the
    subject names; `the Chair` alone is the Chair of the one body the order sets up, unless
    the order says who it is."""
    match = _OF_BODY.search(subject)
    if match is not None and not _PREPOSITION_BEFORE.search(
        subject[max(0, match.start() - 30) : match.start()]
    ):
        spans = [span for span in gazetteer.spans(match["body"]) if span[0] == 0]
        body = gazetteer.actors[spans[0][2].split("|")[0]] if spans else None
        if body is None or body.kind != AGENCY:
            return []
        name = f"{match['role']} of the {body.name}"
        if _key(name) in gazetteer.aliases:
            return []  # an office the gazetteer knows by that title: found as any other
        role = _role_of(gazetteer, match["role"], body)
        rest = subject[: match.start()] + " " + match["body"][spans[0][1] :]
        others = gazetteer.find(rest, subjects_only=True)
        return [role] + [actor for actor in others if actor.id != role.id]
    bare = _BARE_ROLE.search(subject)
    if bare is None or _key(bare["role"]) in gazetteer.aliases or len(gazetteer.bodies) != 1:
        return []
    return [_role_of(gazetteer, bare["role"], gazetteer.actors[gazetteer.bodies[0]])]


def _role_of(gazetteer: Gazetteer, role: str, body: Actor) -> Actor:
    role = role.lower() if role.lower() == "members" else role[0].upper() + role[1:]
    name = f"{role} of the {body.name}"
    known = gazetteer.aliases.get(_key(name))  # `Chairman of the Council on Environmental …`
    if known and "|" not in known:
        return gazetteer.actors[known]
    actor = Actor(_slug(name), name, GROUP if role == "members" else OFFICE)
    gazetteer.actors.setdefault(actor.id, actor)
    return gazetteer.actors[actor.id]


_PLURAL_TITLES = re.compile(
    r"\b(?P<title>Secretaries|Directors|Administrators|Departments)\s+of\s+(?P<names>.+?)"
    r"(?=\s+(?:shall|may|should|must|will|are|is|who|to|as)\b"
    r"|,\s+(?:and\s+)?(?:the|other|all|each|any|such)\b|[;:]|$)"
)


def _expand_plurals(text: str) -> str:
    """`Secretaries of State and of Defense` → `Secretary of State, Secretary of Defense`."""

    def expand(match: re.Match) -> str:
        title = {
            "Secretaries": "Secretary",
            "Directors": "Director",
            "Departments": "Department",
        }.get(match["title"], "Administrator")
        names = []
        for piece in re.split(r",\s*(?:and\s+)?(?:of\s+)?|\s+and\s+of\s+", match["names"]):
            # `Health and Human Services` is one name; `Agriculture and Energy` two.
            known = _key(f"Secretary of {piece.strip()}") in _FEDERAL.aliases
            names += [piece] if known else re.split(r"\s+and\s+", piece)
        return ", ".join(f"{title} of {name.strip()}" for name in names if name.strip())

    return _PLURAL_TITLES.sub(expand, text)
