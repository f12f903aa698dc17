"""The database: connection, models and migrations."""
