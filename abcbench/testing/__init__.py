"""Test and demo helpers that are real: a scripted OpenAI-compatible model server over HTTP."""
