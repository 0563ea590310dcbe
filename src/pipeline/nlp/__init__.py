"""spaCy-based extraction: entities, quotes and metrics from parsed Docs."""
