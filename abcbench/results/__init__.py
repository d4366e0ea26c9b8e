"""Result models, the run directory on disk, and metrics."""
