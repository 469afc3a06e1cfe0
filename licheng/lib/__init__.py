"""Pure helpers with no models: ROC dates, national IDs, character counting, JSON logs."""
