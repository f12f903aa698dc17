"""What a provision does, read from its words: modality, the clause that carries it, binding.

The rules (evaluation/GUIDELINES.md says the same for people): the first sentence of the
provision's own words that carries a deontic cue decides, read at its main clause; purpose,
policy, definitions and the general-provisions boilerplate declare whatever their verbs; an
item that continues a chapeau (`The Secretary shall:`) takes the chapeau's force.
"""

import re
from dataclasses import dataclass

from api.importing.fastpaths import PLAIN, cached, gated

# Gated: its look-behinds are tried only where a `.` or `;` is.
_SENTENCE_END = gated(
    r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])(?<!\bNo)(?<!\bSec)(?<!\bU\.S)[.;]\s+", 0, ".;"
)

# A cue, the modality it gives, and how sure the rule is when it decides alone.
_CUES: list[tuple[str, re.Pattern, float]] = [
    (
        "revokes",
        re.compile(
            r"\b(?:is|are)\s+(?:hereby\s+)?(?:revoked|rescinded|superseded)\b|\bhereby revoke"
            r"|^\W*this\s+order\s+(?:hereby\s+)?supersedes\b",
            re.I,
        ),
        0.95,
    ),
    (
        "amends",
        re.compile(
            r"\b(?:is|are|shall\s+be)\s+(?:hereby\s+)?(?:further\s+)?(?:amended|renamed|"
            r"redesignated|renumbered|deleted|struck)\b|\bshall\s+be\s+inserted\b"
            r"|\b(?:is|are)\s+hereby\s+added\b|\bnew\s+(?:sections?|subsections?|paragraphs?)"
            r"[^.;:]{0,40}\b(?:is|are)\s+(?:hereby\s+)?added\b|\bhereby amend"
            r"|^\W*(?:by\s+)?(?:inserting|striking|revising|adding|deleting|redesignating|amending)\b",
            re.I,
        ),
        0.9,
    ),
    (
        "establishes",
        re.compile(
            r"\bthere\s+(?:is|are|shall be)\s+(?:hereby\s+)?(?:established|created)\b"
            r"|\b(?:is|are)\s+(?:hereby\s+)?(?:established|created)\b|\bI\s+hereby\s+establish",
            re.I,
        ),
        0.9,
    ),
    (
        "delegates",
        re.compile(
            r"\b(?:is|are)\s+(?:hereby\s+)?delegated\b|\bhereby\s+delegate|\bI\s+delegate\b"
            r"|\bshall be performed by\b|\bshall (?:perform|exercise) (?:the|all|such|any) "
            r"(?:functions|authorit(?:y|ies)|powers)\b"
            r"|\b(?:is|are) (?:hereby )?(?:assigned|designated)\b[^.;]{0,80}\bfunctions\b"
            # `shall perform, except with respect to …, the functions vested in the President`
            r"|\bshall (?:perform|exercise)\b[^.;]{0,250}?\b(?:functions|authorit(?:y|ies)|powers)"
            r" (?:vested in|conferred (?:up)?on|assigned to|of) the President\b",
            re.I,
        ),
        0.85,
    ),
    (
        "prohibits",
        re.compile(
            r"\b(?:shall|may|must)\s+not\b|\b(?:is|are)\s+(?:hereby\s+|also\s+)*prohibited\b"
            r"|\b(?:order|is|are|be)\s+(?:hereby\s+)?blocked\b|\bhereby\s+prohibit"
            r"|\bshall\s+neither\b|(?:^\W*|(?<=[,:]\s))(?:No|Neither)\b"
            r"(?!\s+(?:later|earlier|sooner|more|less|fewer)\s+than)[^.;]*?\b(?:shall|may)\b",
            re.I,
        ),
        0.85,
    ),
    (
        "urges",
        re.compile(
            r"\bshould\b|\b(?:is|are)\s+(?:hereby\s+)?(?:strongly\s+)?(?:encouraged|urged|"
            r"requested|invited)\b|\bI\s+(?:hereby\s+)?(?:encourage|urge|request|invite)\b",
            re.I,
        ),
        0.8,
    ),
    (
        "directs",
        re.compile(
            r"\bshall\b|\bmust\b|\b(?:is|are)\s+(?:hereby\s+)?(?:directed|ordered|required)\s+to\b"
            r"|\bI\s+(?:hereby\s+)?direct\b|\b(?:is|are|shall be)\s+responsible\s+for\b",
            re.I,
        ),
        0.8,
    ),
    (
        "permits",
        re.compile(r"\bmay\b|\b(?:is|are)\s+(?:hereby\s+)?(?:authorized|empowered)\b", re.I),
        0.75,
    ),
]

# Words that only look like cues: `as may be necessary`, `which shall`, `shall mean`.
# Gated: every alternative begins a word with one of the letters given (a, that, which, if, may…).
_SUBORDINATE = gated(
    r"\bas\s+(?:(?:the|an?|such|each|its|their)\s+)?(?:\w+\s+)?(?:may|shall|should|must)\b"
    r"|\b(?:that|which|who|whom|whose|where|whatever|whichever|if|when|than)\s+"
    r"(?:may|shall|should|must)\b"
    r"|\b(?:may|shall)\s+(?:be\s+)?(?:deemed|considered|mean|have the meaning)\b"
    r"|\b(?:whose|that|which)\b[^,;.]{0,120}?\b(?:are|is)\s+(?:hereby\s+)?blocked\b",
    re.I,
    "atwims",
    words=True,
)
# Gated: every alternative begins at the text's start (`^`), a word with one of the letters
# given (it, the, nothing, shall, as, phrase, word, for) or a quotation mark (`” means`).
_DECLARING = gated(
    r"\bit\s+(?:is|shall be)\s+(?:hereby\s+)?(?:the\s+)?policy\b|\bit is the purpose\b"
    r"|\bthe purpose of this (?:order|section)\b"
    r"|\bnothing (?:contained )?in (?:(?:section|subsection|part) [\w().-]+ of )?this "
    r"(?:order|section|proclamation)\b|^\W*By (?:the )?authority vested in me\b"
    r"|\bshall (?:remain|continue) in (?:full )?(?:force|effect)\b"
    r"|\bthis order shall be implemented\b"
    r"|\bthis order (?:is|was) (?:not intended|intended only)\b|\bnot intended to,? and does not"
    r"|\b(?:this|the) order (?:shall )?(?:be|become|becomes|is|take|takes) effective\b"
    r"|\bshall (?:take|become) effect|\bis effective\b"
    r"|\bshall (?:terminate|expire)\b(?!\s+(?:the|its|any|such|all|each)\b)"
    r"|\b(?:this|the) order (?:shall|does) not\b|^\W*this\s+order\s+(?:shall|does|will)\s+(?!be\b)"
    r"|\bif any provision of this order\b|\bis held to be invalid\b"
    r"|\bthe terms? [“\"`‘]|[”\"'’]\s+(?:\w+\s+)?(?:means|shall mean|refers to|has the meaning)\b"
    r"|\b(?:term|phrase|word)s?\b[^.;]{0,80}\b(?:means|shall mean|refers to|has the meaning)\b"
    r"|\bas used in this order\b|\bfor (?:the )?purposes? of this (?:order|section)[,:]?\s+"
    r"(?:the terms?\b|[“\"`‘])"
    r"|^\W*(?:the\s+)?(?:mission|purposes?)\s+of\s+(?:the|this)\b"
    r"|^\W*(?:the\s+)?(?:functions?|duties)\s+of\s+(?:the|this)\s+(?!President\b)[^.;]*?"
    r"\b(?:shall\s+be|are|is)\b(?!\s+(?:performed|exercised|carried\s+out|delegated|assigned))"
    r"|^\W*the\s+prohibitions\s+(?:of|in)\s+(?:this|section)\b",
    re.I,
    "itnsapwf”\"'’",
    at_start=True,
    words=True,
)
_DONE_BY_A_PREAMBLE = ("amends", "revokes", "establishes", "delegates")
_ORDERED_THAT = re.compile(r"\bhereby\s+ordered\s+(?:that\b|:)", re.I)
_HEADING_WORDS = (
    r"purposes?|policy|policies|findings?|definitions?|general provisions?|severability|"
    r"effective date|scope|construction|judicial review|background|savings? provisions?"
)
# A heading that is one of these words (`Policy`, `Purpose and Policy`, `Statement of Policy`),
# not one that merely holds it (`Task Force on Interrogation and Transfer Policies`).
_DECLARING_HEADINGS = re.compile(
    rf"^(?:(?:statement|declaration) of )?(?:{_HEADING_WORDS})"
    rf"(?:(?:,| and|, and) (?:{_HEADING_WORDS}))*\W*$",
    re.I,
)
_COMPOSITION = re.compile(
    r"\w+\s+(?:also\s+|further\s+)?(?:be\s+(?:composed|comprised|co-?chaired|chaired|headed|led)"
    r"|consist|include\b(?!\s+in\b)|have\s+(?:an?|one|two|three)\s+(?:(?:Co-|Vice\s+)?Chair"
    r"|Executive\s+Director|Director|staff|Executive\s+Secretary))"
)
_PASSIVE = re.compile(r"\b(?:shall|must)\s+(?:\w+ly\s+)?be\s+(?:\w+ed|\w+en|made|held|kept)\b")
_ACTOR_WORDS = re.compile(
    r"\b(?:Secretary|Secretaries|Attorney General|Director|Administrator|Commissioner|Chair"
    r"|Chairman|Chairperson|Head|head|heads|agency|agencies|department|departments|Department"
    r"|Council|Commission|Board|Committee|Task Force|Office|Officer|officer|officers|official"
    r"|officials|employee|employees|members|Member|President|Vice President|Assistant"
    r"|Counsel|Advisor|Adviser|Representative|Coordinator|Chief|Archivist|Government"
    r"|Service|Corps|Agency|Bureau|Institute|Center|Foundation|Authority|Administration"
    r"|Group|Panel|Team|Forum|Staff|States|Governors?|Congress)\b"
)


@dataclass(frozen=True)
class Force:
    """A provision's modality, the clause its addressees are read from, and how sure we are."""

    modality: str
    clause: str | None  # the words before the cue, where its subject is
    confidence: float
    after: str | None = None  # the words after the cue (`I hereby direct X to…`)
    by_default: bool = False  # no cue and no declaring words: the force is a guess
    passive: bool = False  # `shall be submitted`: a thing is its subject, or no actor acts
    composition: bool = False  # `The Council shall consist of`: what it is, not what it does
    object_first: bool = False  # `I hereby direct X`, `delegated to X`: X follows the cue


@cached
def read_force(text: str | None, heading: str | None, section_heading: str | None) -> Force:
    """The force of a provision's own words (None: it has none, it only contains); cached,
    as one provision's words are read up to five times."""
    if not text:
        return Force("contains", None, 0.95)
    if (heading or section_heading) and _declaring_heading(heading, section_heading, text):
        return Force("declares", None, 0.85)
    for sentence in _sentences(text):
        declaring, cue = _DECLARING.search(sentence), _first_cue(sentence)
        # Words that declare decide when they come before the first cue (`For purposes of
        # this order, "agency" means…`), not when a cue comes first (`The Secretary shall,
        # for purposes of this order,…`).
        if declaring and (cue is None or declaring.start() <= cue[1] + 12):
            ordered = _ORDERED_THAT.search(sentence, declaring.end())
            if ordered is None:
                return Force("declares", None, 0.85)
            # `By the authority vested in me…, it is hereby ordered that section 2 of
            # Executive Order 12345 is amended…`: the preamble does what it orders.
            sentence = sentence[ordered.end() :]
            cue = _first_cue(sentence)
            # `… is amended as follows:` leaves the amending to the sections that follow.
            follows = re.search(r"(?:as\s+follows)?\s*[:—-]+\s*$", sentence)
            if cue is None or cue[0] not in _DONE_BY_A_PREAMBLE or follows:
                return Force("declares", None, 0.85)
        if cue is not None:
            modality, start, end, confidence = cue
            clause = sentence[:start]
            if re.match(r"(?:no|neither)\b", sentence[start:end], re.I):
                clause = sentence[:end]  # `no agency shall`: its subject is inside the cue
            passive = bool(_PASSIVE.match(sentence[start:])) and not re.match(
                r"\w+\s+be\s+responsible", sentence[start:]
            )
            cue_words = sentence[start:end]
            return Force(
                modality,
                clause,
                confidence,
                sentence[end:],
                passive=passive,
                composition=modality == "directs" and bool(_COMPOSITION.match(sentence[start:])),
                object_first=cue_words.startswith("I ")
                or (
                    modality == "delegates"
                    and not re.match(r"shall (?:perform|exercise)", cue_words)
                ),
            )
    return Force("declares", None, 0.6, by_default=True)


def names_actor(clause: str) -> bool:
    """Whether the words before `shall` hold an actor's title or kind (`The Board shall`)."""
    subject = re.split(r",\s*(?:in consultation|in coordination|with the|through)\b", clause)[0]
    return bool(_ACTOR_WORDS.search(subject))


def continues_chapeau(parent_text: str | None) -> bool:
    """Whether items under this text complete its sentence (`The Secretary shall:`)."""
    if not parent_text:
        return False
    # Only the text's end can match: its last six characters hold the longest ending and
    # the character `\b` looks at before it (a search of the whole text tried every place).
    return bool(_CHAPEAU_END.search(parent_text.rstrip()[-6:]))


_CHAPEAU_END = re.compile(r"(?::|—|--|\bto|\bshall|\bwill)\s*$")


def last_sentence(text: str) -> str:
    return _sentences(text)[-1]


def binding(modality: str, outside_executive: bool) -> bool:
    """True when the President can bind the addressees by these words (as the seeds rule)."""
    if modality in ("urges", "demands", "contains"):
        return False
    return not outside_executive


@cached
def _sentences(text: str) -> tuple[str, ...]:
    """The text's sentences; cached (a tuple, never changed), as read_force's callers split
    the same words again."""
    return tuple(part for part in _SENTENCE_END.split(text) if part.strip()) or (text,)


_CUE_ALTERNATIVES = "|".join(f"(?P<{modality}>{pattern.pattern})" for modality, pattern, _ in _CUES)
# One pass for every cue, tried only where a word that can begin one begins: every cue
# begins a word (`\bshall`, `No` after `, `) or the text, whose first letter begins a word.
_ANY_CUE = re.compile(rf"\b(?=[iahtsmnobdr])(?:{_CUE_ALTERNATIVES})", re.I)
PLAIN[_ANY_CUE] = re.compile(rf"(?=[iahtsmnobdr])(?:{_CUE_ALTERNATIVES})", re.I)
_CONFIDENCE = {modality: confidence for modality, _, confidence in _CUES}
_PRIORITY = {modality: rank for rank, (modality, _, _) in enumerate(_CUES)}


@cached
def _first_cue(sentence: str) -> tuple[str, int, int, float] | None:
    """The earliest cue of the sentence's main clauses: (modality, start, end, confidence);
    cached, as a heading's check and the reading itself both look for it."""
    masked = _SUBORDINATE.sub(lambda match: " " * len(match[0]), sentence)
    found = [(match.start(), match.lastgroup, match.end()) for match in _ANY_CUE.finditer(masked)]
    if not found:
        return None
    stronger = [item for item in found if item[1] != "permits"]
    # `may` in a sentence that also commands is most often in a clause of its own (`except to
    # the extent that the Act may require, all property… is blocked`).
    start, modality, end = stronger[0] if stronger else found[0]
    # `shall not` and `shall be delegated` start where `shall` does: the longer cue wins.
    near = [item for item in found if item[0] <= start + 12]
    if modality in ("directs", "permits"):
        start, modality, end = min(near, key=lambda item: _PRIORITY[item[1]])
    confidence = _CONFIDENCE[modality]
    if len({item[1] for item in found}) > 2:
        confidence -= 0.1
    return modality, start, end, confidence


_ALWAYS_DECLARING_HEADINGS = re.compile(
    r"^(?:(?:statement|declaration) of )?(?:purposes?|findings?|definitions?|background)\b", re.I
)


def _declaring_heading(heading: str | None, section_heading: str | None, text: str) -> bool:
    """Under `Purpose` or `Definitions` every provision declares; under `Policy` or `General
    Provisions`, one whose words carry no cue (a cue there still decides)."""
    for name in (heading, section_heading):
        if name and _ALWAYS_DECLARING_HEADINGS.search(name):
            return True
        if name and _DECLARING_HEADINGS.search(name):
            return not any(_first_cue(sentence) for sentence in _sentences(text))
    return False
