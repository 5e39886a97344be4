"""Full-text search over complaints (Whoosh), kept current through the outbox by the worker, the single writer.

The index is derived data: it can be rebuilt from the database at any time and is never the only copy of
anything."""
