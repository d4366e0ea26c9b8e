"""Business rules of the service, on top of the repositories."""
