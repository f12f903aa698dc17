"""Statements: officials quoted in the news on a document, with a stance."""

from synthetic.corpus import Corpus, later
from synthetic.words import ADJECTIVES, PUBLISHERS, VERBS, nouns, person_name

SETTINGS = ("press_conference", "interview", "written_statement", "social_media_post")
SETTINGS += ("public_remarks",)
STANCES = ("supports", "opposes", "neutral")


def add_statement(corpus: Corpus, number: int) -> None:
    """A quote about one document (sometimes two), said by its issuer or another official."""
    rng = corpus.rng
    index = rng.randrange(len(corpus.documents))
    document = corpus.documents[index]
    issuer = document["issuer_id"]
    speaker = issuer if issuer in corpus.people and rng.random() < 0.6 else None
    speaker = speaker or rng.choice(corpus.people)
    statement_id = f"synth-statement-{number:05d}"
    said_on = later(corpus.dates[index], rng.randint(0, 20))
    source = corpus.add_source(
        f"{statement_id}-news",
        f"{corpus.names[speaker]} on {document['title']}",
        rng.choice(PUBLISHERS),
        "news",
        authors=[person_name(rng)],
        published_on=said_on,
    )
    undated = rng.random() < 0.1
    stance = rng.choice(STANCES)
    place = corpus.places[document["jurisdiction_id"]]
    first, second = nouns(rng, 2)
    quote = (
        f"We will {rng.choice(VERBS)} the {first} and the {second}, because "
        f"{place} deserves {rng.choice(ADJECTIVES)} {nouns(rng, 1)[0]}"
    )
    row = {
        "id": statement_id,
        "speaker_id": speaker,
        "said_on": None if undated else said_on,
        "date_note": "The report does not say when this was said." if undated else None,
        "setting": rng.choice(SETTINGS),
        "location": rng.choice((None, place)),
        "subject": document["title"],
        "quote": quote,
        "quoted_in_id": source,
        "stance": stance,
        "verification": "reported",
    }
    corpus.add("statements", row)
    owner = {"statement_id": statement_id}
    corpus.link("statement_sources", owner, "source_id", [source])
    about = [document["id"]]
    if rng.random() < 0.1:
        about.append(rng.choice(corpus.documents)["id"])
    corpus.link("statement_documents", owner, "document_id", about)
