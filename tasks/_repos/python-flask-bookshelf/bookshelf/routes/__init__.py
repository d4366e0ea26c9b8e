"""HTTP layer: one blueprint per resource."""

from flask import Flask

from .books import bp as books_bp
from .health import bp as health_bp
from .loans import bp as loans_bp
from .members import bp as members_bp


def register_blueprints(app: Flask) -> None:
    for bp in (health_bp, books_bp, members_bp, loans_bp):
        app.register_blueprint(bp)
