"""Official documents in, records out: the Federal Register importer and its extractor."""
