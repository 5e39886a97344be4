"""A complaint's life as a case: triage, routing, handling, extensions, deadlines, and who sees what."""
