from flask import Blueprint, jsonify

from ..db import get_db

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    get_db().execute("SELECT 1").fetchone()
    return jsonify({"status": "ok", "service": "bookshelf"})
