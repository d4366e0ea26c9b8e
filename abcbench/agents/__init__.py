"""Agents: the protocol, the oracle and nop, and the lookup by name or import path."""
