"""Agents that run inside the sandbox (headless CLIs), and what they need installed there."""
