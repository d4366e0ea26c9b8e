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
        v.reject_unknown(data, {"book_id", "member_id", "loaned_on"})
        book_id = v.required_int(data, "book_id", minimum=1)
        member_id = v.required_int(data, "member_id", minimum=1)
        loaned_on = v.optional_date(data, "loaned_on") or today()

        with transaction(self.conn):
            book = self.books.get(book_id)
            if book is None:
                raise NotFound(f"book {book_id} not found")
            member = self.members.get(member_id)
            if member is None:
                raise NotFound(f"member {member_id} not found")

            active = self.loans.find(member_id=member.id, status="active")
            if any(loan.book_id == book.id for loan in active):
                raise Conflict("member already has this book on loan")
            if len(active) >= self.max_active_loans:
                raise BusinessRuleViolation(
                    f"member has reached the limit of {self.max_active_loans} active loans"
                )
            if self.loans.count_active_for_book(book.id) >= book.copies:
                raise Conflict("no copies of this book are available")

            due_on = loaned_on + timedelta(days=self.loan_days)
            return self.loans.create(
                book_id=book.id, member_id=member.id,
                loaned_on=loaned_on.isoformat(), due_on=due_on.isoformat(),
            )

    def return_loan(self, loan_id: int, data: dict) -> Loan:
        v.reject_unknown(data, {"returned_on"})
        returned_on = v.optional_date(data, "returned_on") or today()
        with transaction(self.conn):
            loan = self.get(loan_id)
            if loan.returned_on is not None:
                raise Conflict(f"loan {loan_id} was already returned")
            if returned_on < date.fromisoformat(loan.loaned_on):
                raise ValidationError("'returned_on' cannot be before 'loaned_on'")
            days_late = max(0, (returned_on - date.fromisoformat(loan.due_on)).days)
            return self.loans.mark_returned(  # type: ignore[return-value]
                loan.id,
                returned_on=returned_on.isoformat(),
                late_fee_cents=days_late * self.late_fee_cents_per_day,
            )

    def get(self, loan_id: int) -> Loan:
        loan = self.loans.get(loan_id)
        if loan is None:
            raise NotFound(f"loan {loan_id} not found")
        return loan

    def search(self, args) -> list[Loan]:
        status = (args.get("status") or "").strip() or None
        if status is not None and status not in LOAN_STATUSES:
            raise ValidationError("query parameter 'status' must be 'active' or 'returned'")
        member_id = _optional_id(args, "member_id")
        book_id = _optional_id(args, "book_id")
        return self.loans.find(member_id=member_id, book_id=book_id, status=status)

    def member_summary(self, member_id: int) -> dict:
        member: Member | None = self.members.get(member_id)
        if member is None:
            raise NotFound(f"member {member_id} not found")
        loans = self.loans.find(member_id=member.id)
        return {
            "member": member.to_dict(),
            "items": [loan.to_dict() for loan in loans],
            "active_count": sum(1 for loan in loans if loan.returned_on is None),
            "total_late_fee_cents": sum(loan.late_fee_cents for loan in loans),
        }


def _optional_id(args, name: str) -> int | None:
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationError(f"query parameter '{name}' must be a positive integer")
    return int(raw)
