"""Catalogue rules: adding, searching, editing and removing books."""

from __future__ import annotations

import sqlite3

from ..errors import Conflict, NotFound, ValidationError
from ..models import Book
from ..repository import BookRepository, LoanRepository, transaction
from .. import validation as v

CREATE_FIELDS = {"isbn", "title", "author", "year", "copies"}
UPDATE_FIELDS = {"title", "author", "year", "copies"}
MAX_COPIES = 100


class BookService:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.books = BookRepository(conn)
        self.loans = LoanRepository(conn)

    def available(self, book: Book) -> int:
        return book.copies - self.loans.count_active_for_book(book.id)

    def present(self, book: Book) -> dict:
        return book.to_dict(available=self.available(book))

    def create(self, data: dict) -> Book:
        # TODO: validate the body and add the book.
        raise NotImplementedError("BookService.create is not implemented")

    def get(self, book_id: int) -> Book:
        # TODO: fetch one book (404 when unknown).
        raise NotImplementedError("BookService.get is not implemented")

    def search(self, args) -> dict:
        # TODO: paginated search by author / text.
        raise NotImplementedError("BookService.search is not implemented")

    def update(self, book_id: int, data: dict) -> Book:
        # TODO: partial update of a book.
        raise NotImplementedError("BookService.update is not implemented")

    def delete(self, book_id: int) -> None:
        # TODO: delete a book that was never loaned.
        raise NotImplementedError("BookService.delete is not implemented")
