"""Domain records and their JSON representation."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Book:
    id: int
    isbn: str
    title: str
    author: str
    year: int | None
    copies: int
    created_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Book":
        return cls(row["id"], row["isbn"], row["title"], row["author"], row["year"],
                   row["copies"], row["created_at"])

    def to_dict(self, *, available: int | None = None) -> dict:
        data = asdict(self)
        if available is not None:
            data["available_copies"] = available
        return data


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    email: str
    created_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Member":
        return cls(row["id"], row["name"], row["email"], row["created_at"])

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Loan:
    id: int
    book_id: int
    member_id: int
    loaned_on: str
    due_on: str
    returned_on: str | None
    late_fee_cents: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Loan":
        return cls(row["id"], row["book_id"], row["member_id"], row["loaned_on"],
                   row["due_on"], row["returned_on"], row["late_fee_cents"])

    @property
    def status(self) -> str:
        return "returned" if self.returned_on else "active"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["status"] = self.status
        return data
