"""Typer commands: parsing and printing only; the work happens in the layers below."""
