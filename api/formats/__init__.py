"""Representations beyond JSON: CSV, JSON-LD, NDJSON, Atom, ZIP."""
