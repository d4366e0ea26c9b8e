"""Registry-free images: recipes in dockerfiles/, content-addressed tags, build-once locking."""
