"""The host-side model gateway (see `server.py`)."""
