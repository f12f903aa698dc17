"""The service layer: queries over the records, raising domain errors; no HTTP here."""
