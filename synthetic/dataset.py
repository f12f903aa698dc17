"""The whole corpus, part by part in a fixed order, as a `Dataset` for `load_dataset`."""

import random

from api.seeding.dataset import Dataset
from synthetic.corpus import Corpus
from synthetic.documents import add_document
from synthetic.governments import add_governments, add_reference_sources
from synthetic.relations import add_relation
from synthetic.statements import add_statement


def synthetic_dataset(documents: int, seed: int) -> Dataset:
    """Rows for `documents` synthetic documents and everything they refer to, seeded."""
    corpus = Corpus(random.Random(seed))
    add_reference_sources(corpus)
    add_governments(corpus)
    for _ in range(documents):
        add_document(corpus)
    # About one statement and one relation for every five documents, once all exist.
    for number in range(1, documents // 5 + 1):
        add_statement(corpus, number)
    for number in range(1, documents // 5 + 1):
        add_relation(corpus, number)
    return Dataset(rows=corpus.rows)
