"""Bookshelf: a small lending-library service (books, members, loans) backed by SQLite."""

from __future__ import annotations

import os

from flask import Flask

from . import db
from .errors import register_error_handlers
from .routes import register_blueprints


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        DATABASE=os.environ.get("BOOKSHELF_DB", "/tmp/bookshelf.sqlite3"),
        MAX_ACTIVE_LOANS=int(os.environ.get("BOOKSHELF_MAX_ACTIVE_LOANS", "3")),
        LOAN_DAYS=int(os.environ.get("BOOKSHELF_LOAN_DAYS", "14")),
        LATE_FEE_CENTS_PER_DAY=int(os.environ.get("BOOKSHELF_LATE_FEE_CENTS", "25")),
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)

    db.init_app(app)
    register_error_handlers(app)
    register_blueprints(app)
    return app
