"""The words the corpus is written with: names, topics and the vocabulary of its sentences."""

import random
from itertools import accumulate

EVERY_PROVISION_WORD = "provision"  # in every provision's summary, for benchmark searches

FIRST_NAMES = (
    "Alex Avery Blake Cameron Casey Dana Drew Elliot Emerson Finley Harper Hayden Jamie Jordan "
    "Kendall Logan Morgan Parker Quinn Reese Riley Rowan Sawyer Skyler Taylor"
).split()
LAST_NAMES = (
    "Abbott Alvarez Bennett Brooks Castillo Chen Delgado Ellis Foster Garcia Hale Ibarra "
    "Jensen Kowalski Lindqvist Moreno Nakamura Okafor Patel Quintero Ramsey Sato Thornton "
    "Underwood Vasquez Whitaker Yilmaz Zimmerman"
).split()
PUBLISHERS = (
    "Daily Ledger",
    "Metro Herald",
    "Capitol Dispatch",
    "Civic Wire",
    "Press Register",
    "Public Radio News",
)

TOPICS = (
    "public-safety policing immigration-enforcement civil-liberties public-health housing "
    "transportation emergency-management litigation budget education climate energy labor "
    "transparency infrastructure procurement protest national-guard federal-deployment "
    "elections privacy technology water economic-development workforce tax veterans "
    "disaster-relief environmental-justice"
).split()
VERBS = (
    "review report publish coordinate suspend audit assess expand restore protect fund "
    "monitor inspect certify designate prepare submit evaluate modernize consolidate notify "
    "train deploy withdraw limit"
).split()
ADJECTIVES = (
    "federal local regional interim annual emergency public municipal independent temporary "
    "permanent joint statewide critical affordable sustainable"
).split()
NOUNS = (  # ordered from common to rare: drawn with Zipf weights
    "department city residents agencies program plan report data policy officers services "
    "funding safety community standards guidance schools contracts records training equipment "
    "facilities permits housing budget health vehicles buildings operations enforcement "
    "cameras roads transit shelters grants hospitals parks water emissions wages elections "
    "schedules audits complaints hearings inspections curfews warrants detainers subpoenas "
    "vaccines ambulances bridges levees culverts pipelines substations reservoirs wetlands "
    "orchards ferries aqueducts turbines tunnels boilers floodgates seawalls"
).split()
RARE_WORDS = (  # each in about 1 provision in 4,000: the rare end of full-text searches
    "escheat easement arbitrage moratorium quarantine sequestration abatement dredging "
    "falconry lighthouses microgrids beekeeping cemeteries telegraphy zoological catacombs "
    "ombudsman almshouse gazebos heliports glaciers apiaries observatories ropeways "
    "lamplighters aquariums vineyards planetariums funiculars carillons"
).split()
RARE_WORD_CHANCE = 0.0075
PLACES_OF_ACTION = ("within the city", "across the state", "on federal property", "statewide")
PLACES_OF_ACTION += ("in public buildings", "at ports of entry", "in every district")


def cumulative_zipf(count: int) -> list[float]:
    """Cumulative weights 1, 1/2, 1/3…: a few very common words and a long tail of rare ones."""
    return list(accumulate(1 / rank for rank in range(1, count + 1)))


NOUN_WEIGHTS = cumulative_zipf(len(NOUNS))
TOPIC_WEIGHTS = cumulative_zipf(len(TOPICS))


def nouns(rng: random.Random, count: int) -> list[str]:
    """`count` nouns, common ones far more often than rare ones (repeats possible)."""
    return rng.choices(NOUNS, cum_weights=NOUN_WEIGHTS, k=count)


def person_name(rng: random.Random) -> str:
    """A first and a last name, not necessarily unused."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
