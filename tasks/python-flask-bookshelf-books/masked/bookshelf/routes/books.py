"""Catalogue endpoints: /books."""

from flask import Blueprint, jsonify, request

from ..db import get_db
from ..services.books import BookService
from ..validation import json_body

bp = Blueprint("books", __name__)


def _service() -> BookService:
    return BookService(get_db())


def _not_implemented():
    return jsonify({"error": {"code": "not_implemented", "message": "not implemented"}}), 501


@bp.post("/books")
def create_book():
    # TODO: add a book.
    return _not_implemented()


@bp.get("/books")
def list_books():
    # TODO: search the catalogue.
    return _not_implemented()


@bp.get("/books/<int:book_id>")
def get_book(book_id: int):
    # TODO: one book.
    return _not_implemented()


@bp.patch("/books/<int:book_id>")
def update_book(book_id: int):
    # TODO: edit a book.
    return _not_implemented()


@bp.delete("/books/<int:book_id>")
def delete_book(book_id: int):
    # TODO: remove a book.
    return _not_implemented()
