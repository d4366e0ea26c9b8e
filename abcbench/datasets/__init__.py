"""Datasets by name: a registry of published task sets, pulled, verified and cached."""
