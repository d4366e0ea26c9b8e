"""Task specs, loaders for both layouts, and the registry."""
