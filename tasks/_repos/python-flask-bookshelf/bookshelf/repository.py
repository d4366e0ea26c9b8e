"""Data access: every SQL statement of the service lives here.

Repositories take a sqlite3 connection and return domain records (bookshelf.models); they do not
know about HTTP and do not enforce business rules (that is the services' job).
"""

from __future__ import annotations

import sqlite3
from typing import Iterable

from .models import Book, Loan, Member


class BookRepository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def create(self, *, isbn: str, title: str, author: str, year: int | None, copies: int) -> Book:
        cur = self.conn.execute(
            "INSERT INTO books (isbn, title, author, year, copies) VALUES (?, ?, ?, ?, ?)",
            (isbn, title, author, year, copies),
        )
        return self.get(cur.lastrowid)  # type: ignore[return-value]

    def get(self, book_id: int) -> Book | None:
        row = self.conn.execute("SELECT * FROM books WHERE id = ?", (book_id,)).fetchone()
        return Book.from_row(row) if row else None

    def get_by_isbn(self, isbn: str) -> Book | None:
        row = self.conn.execute("SELECT * FROM books WHERE isbn = ?", (isbn,)).fetchone()
        return Book.from_row(row) if row else None

    def search(self, *, author: str | None = None, text: str | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[Book], int]:
        clauses: list[str] = []
        params: list[object] = []
        if author:
            clauses.append("author = ? COLLATE NOCASE")
            params.append(author)
        if text:
            clauses.append("(title LIKE ? OR author LIKE ?)")
            params.extend([f"%{text}%", f"%{text}%"])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total = self.conn.execute(f"SELECT COUNT(*) FROM books {where}", params).fetchone()[0]
        rows = self.conn.execute(
            f"SELECT * FROM books {where} ORDER BY id LIMIT ? OFFSET ?", [*params, limit, offset]
        ).fetchall()
        return [Book.from_row(r) for r in rows], total

    def update(self, book_id: int, fields: dict[str, object]) -> Book | None:
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            self.conn.execute(
                f"UPDATE books SET {assignments} WHERE id = ?", [*fields.values(), book_id]
            )
        return self.get(book_id)

    def delete(self, book_id: int) -> bool:
        cur = self.conn.execute("DELETE FROM books WHERE id = ?", (book_id,))
        return cur.rowcount > 0


class MemberRepository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def create(self, *, name: str, email: str) -> Member:
        cur = self.conn.execute("INSERT INTO members (name, email) VALUES (?, ?)", (name, email))
        return self.get(cur.lastrowid)  # type: ignore[return-value]

    def get(self, member_id: int) -> Member | None:
        row = self.conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        return Member.from_row(row) if row else None

    def get_by_email(self, email: str) -> Member | None:
        row = self.conn.execute("SELECT * FROM members WHERE email = ?", (email,)).fetchone()
        return Member.from_row(row) if row else None

    def list(self, *, limit: int = 50, offset: int = 0) -> list[Member]:
        rows = self.conn.execute(
            "SELECT * FROM members ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
        return [Member.from_row(r) for r in rows]


class LoanRepository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def create(self, *, book_id: int, member_id: int, loaned_on: str, due_on: str) -> Loan:
        cur = self.conn.execute(
            "INSERT INTO loans (book_id, member_id, loaned_on, due_on) VALUES (?, ?, ?, ?)",
            (book_id, member_id, loaned_on, due_on),
        )
        return self.get(cur.lastrowid)  # type: ignore[return-value]

    def get(self, loan_id: int) -> Loan | None:
        row = self.conn.execute("SELECT * FROM loans WHERE id = ?", (loan_id,)).fetchone()
        return Loan.from_row(row) if row else None

    def mark_returned(self, loan_id: int, *, returned_on: str, late_fee_cents: int) -> Loan | None:
        self.conn.execute(
            "UPDATE loans SET returned_on = ?, late_fee_cents = ? WHERE id = ?",
            (returned_on, late_fee_cents, loan_id),
        )
        return self.get(loan_id)

    def count_active_for_book(self, book_id: int) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM loans WHERE book_id = ? AND returned_on IS NULL", (book_id,)
        ).fetchone()[0]

    def count_active_for_member(self, member_id: int) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM loans WHERE member_id = ? AND returned_on IS NULL", (member_id,)
        ).fetchone()[0]

    def count_for_book(self, book_id: int) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM loans WHERE book_id = ?", (book_id,)
        ).fetchone()[0]

    def find(self, *, member_id: int | None = None, book_id: int | None = None,
             status: str | None = None) -> list[Loan]:
        clauses: list[str] = []
        params: list[object] = []
        if member_id is not None:
            clauses.append("member_id = ?")
            params.append(member_id)
        if book_id is not None:
            clauses.append("book_id = ?")
            params.append(book_id)
        if status == "active":
            clauses.append("returned_on IS NULL")
        elif status == "returned":
            clauses.append("returned_on IS NOT NULL")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.conn.execute(f"SELECT * FROM loans {where} ORDER BY id", params).fetchall()
        return [Loan.from_row(r) for r in rows]


def transaction(conn: sqlite3.Connection) -> "_Transaction":
    """`with transaction(conn):` runs the block in BEGIN IMMEDIATE ... COMMIT/ROLLBACK."""
    return _Transaction(conn)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def ids(records: Iterable[object]) -> list[int]:
    return [r.id for r in records]  # type: ignore[attr-defined]
