"""Catalogue endpoints: /books."""

from flask import Blueprint, jsonify, request

from ..db import get_db
from ..services.books import BookService
from ..validation import json_body

bp = Blueprint("books", __name__)


def _service() -> BookService:
    return BookService(get_db())


@bp.post("/books")
def create_book():
    service = _service()
    book = service.create(json_body(request))
    return jsonify(service.present(book)), 201


@bp.get("/books")
def list_books():
    return jsonify(_service().search(request.args))


@bp.get("/books/<int:book_id>")
def get_book(book_id: int):
    service = _service()
    return jsonify(service.present(service.get(book_id)))


@bp.patch("/books/<int:book_id>")
def update_book(book_id: int):
    service = _service()
    book = service.update(book_id, json_body(request))
    return jsonify(service.present(book))


@bp.delete("/books/<int:book_id>")
def delete_book(book_id: int):
    _service().delete(book_id)
    return "", 204
