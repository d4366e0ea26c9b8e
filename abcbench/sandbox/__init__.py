"""The only layer that talks to Docker: containers, exec, files, images, networks, cleanup."""
