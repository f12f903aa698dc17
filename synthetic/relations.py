"""Relations: a later document responding to, amending or (a court) enjoining an earlier one."""

from synthetic.corpus import Corpus

RELATION_TYPES = ("responds_to", "opposes", "builds_on", "implements", "challenges", "extends")
RELATION_TYPES += ("supersedes", "rescinds", "amends")
COURT_RELATION_TYPES = ("enjoins", "stays", "declines_to_stay", "holds_unlawful")


def add_relation(corpus: Corpus, number: int) -> None:
    """A relation between two different documents, from the later one, on its date."""
    rng = corpus.rng
    first, second = rng.sample(range(len(corpus.documents)), 2)
    subject, target = (
        (first, second) if corpus.dates[first] >= corpus.dates[second] else (second, first)
    )
    document = corpus.documents[subject]
    types = COURT_RELATION_TYPES if document["type"] == "court_order" else RELATION_TYPES
    relation_type = rng.choice(types)
    relation_id = f"synth-relation-{number:05d}"
    row = {
        "id": relation_id,
        "type": relation_type,
        "subject_id": document["id"],
        "object_id": corpus.documents[target]["id"],
        "date": corpus.dates[subject],
        "summary": f"{document['title']} {relation_type.replace('_', ' ')} "
        f"{corpus.documents[target]['title']}.",
    }
    corpus.add("relations", row)
    sources = corpus.document_sources[subject][:1]
    corpus.link("relation_sources", {"relation_id": relation_id}, "source_id", sources)
