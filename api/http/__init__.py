"""HTTP concerns: the framework, errors as problems, negotiation, protection, caching, logs."""
