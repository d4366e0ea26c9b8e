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
        v.reject_unknown(data, CREATE_FIELDS)
        isbn = v.isbn(v.required_str(data, "isbn", max_len=20))
        title = v.required_str(data, "title")
        author = v.required_str(data, "author", max_len=120)
        year = v.optional_int(data, "year", minimum=1450, maximum=2100)
        copies = v.optional_int(data, "copies", minimum=1, maximum=MAX_COPIES)
        with transaction(self.conn):
            if self.books.get_by_isbn(isbn):
                raise Conflict(f"a book with ISBN {isbn} already exists")
            return self.books.create(
                isbn=isbn, title=title, author=author, year=year,
                copies=copies if copies is not None else 1,
            )

    def get(self, book_id: int) -> Book:
        book = self.books.get(book_id)
        if book is None:
            raise NotFound(f"book {book_id} not found")
        return book

    def search(self, args) -> dict:
        limit = v.query_int(args, "limit", default=20, minimum=1, maximum=100)
        offset = v.query_int(args, "offset", default=0, minimum=0, maximum=1_000_000)
        author = (args.get("author") or "").strip() or None
        text = (args.get("q") or "").strip() or None
        books, total = self.books.search(author=author, text=text, limit=limit, offset=offset)
        return {
            "items": [self.present(b) for b in books],
            "total": total,
            "limit": limit,
            "offset": offset,
        }

    def update(self, book_id: int, data: dict) -> Book:
        v.reject_unknown(data, UPDATE_FIELDS)
        if not data:
            raise ValidationError("at least one field must be given")
        changes: dict[str, object] = {}
        if "title" in data:
            changes["title"] = v.required_str(data, "title")
        if "author" in data:
            changes["author"] = v.required_str(data, "author", max_len=120)
        if "year" in data:
            changes["year"] = v.optional_int(data, "year", minimum=1450, maximum=2100)
        if "copies" in data:
            changes["copies"] = v.required_int(data, "copies", minimum=1, maximum=MAX_COPIES)
        with transaction(self.conn):
            book = self.get(book_id)
            if "copies" in changes:
                on_loan = self.loans.count_active_for_book(book.id)
                if changes["copies"] < on_loan:  # type: ignore[operator]
                    raise Conflict(
                        f"cannot reduce copies to {changes['copies']}: {on_loan} currently on loan"
                    )
            return self.books.update(book.id, changes)  # type: ignore[return-value]

    def delete(self, book_id: int) -> None:
        with transaction(self.conn):
            book = self.get(book_id)
            if self.loans.count_for_book(book.id):
                raise Conflict("a book with loan history cannot be deleted")
            self.books.delete(book.id)
