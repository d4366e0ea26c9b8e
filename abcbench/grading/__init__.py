"""Deploying a submission, running the hidden tests against it, and the verdict."""
