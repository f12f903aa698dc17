"""A realistic synthetic corpus, built as a `Dataset` for benchmarks and scale tests.

`synthetic_dataset(documents, seed)` gives the rows `read_seeds` would give for a corpus of
that many documents, so it loads through the same `load_dataset`. The same arguments always
give the same rows: one `random.Random(seed)` drives every choice, in a fixed order.
Not part of the served package: it runs from the repository's root (`python -m synthetic`).
"""

from synthetic.dataset import synthetic_dataset
from synthetic.words import EVERY_PROVISION_WORD

__all__ = ["EVERY_PROVISION_WORD", "synthetic_dataset"]
