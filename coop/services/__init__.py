"""Application services: take and return plain values, never aggregates."""
