"""Taskboard: a small project/issue tracker API (FastAPI, pydantic, in-memory repository)."""
