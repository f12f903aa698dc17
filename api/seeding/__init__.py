"""Seed files in, database rows out: `read_seeds` checks, `load_dataset` writes."""

from api.seeding.dataset import Dataset, SeedError, read_seeds
from api.seeding.files import SeedProblem
from api.seeding.loader import load_dataset

__all__ = ["Dataset", "SeedError", "SeedProblem", "load_dataset", "read_seeds"]
