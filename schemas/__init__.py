"""The typed records: marshmallow schemas shared by the seed loader, the API and its spec."""
