"""Full-text search: the query parser, the index, per-database backends, and hits."""
