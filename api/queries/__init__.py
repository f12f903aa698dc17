"""Reading records: catalogs, filters, pagination, rows and ids; no media types."""
