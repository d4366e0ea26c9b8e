"""Lending rules: checking books out to members, returning them, and late fees."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

from ..errors import BusinessRuleViolation, Conflict, NotFound, ValidationError
from ..models import Loan, Member
from ..repository import BookRepository, LoanRepository, MemberRepository, transaction
from .. import validation as v

LOAN_STATUSES = ("active", "returned")


def today() -> date:
    return datetime.now(timezone.utc).date()


class LoanService:
    def __init__(self, conn: sqlite3.Connection, *, max_active_loans: int, loan_days: int,
                 late_fee_cents_per_day: int):
        self.conn = conn
        self.books = BookRepository(conn)
        self.members = MemberRepository(conn)
        self.loans = LoanRepository(conn)
        self.max_active_loans = max_active_loans
        self.loan_days = loan_days
        self.late_fee_cents_per_day = late_fee_cents_per_day

    def checkout(self, data: dict) -> Loan:
        # TODO: validate the body, enforce the lending rules and create the loan.
        raise NotImplementedError("LoanService.checkout is not implemented")

    def return_loan(self, loan_id: int, data: dict) -> Loan:
        # TODO: mark the loan returned and compute its late fee.
        raise NotImplementedError("LoanService.return_loan is not implemented")

    def get(self, loan_id: int) -> Loan:
        # TODO: fetch one loan (404 when unknown).
        raise NotImplementedError("LoanService.get is not implemented")

    def search(self, args) -> list[Loan]:
        # TODO: filter loans by member_id, book_id and status.
        raise NotImplementedError("LoanService.search is not implemented")

    def member_summary(self, member_id: int) -> dict:
        # TODO: a member's loans with totals.
        raise NotImplementedError("LoanService.member_summary is not implemented")
