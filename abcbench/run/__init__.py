"""A run: tasks x attempts, scheduled on a thread pool, recorded in a run directory."""
