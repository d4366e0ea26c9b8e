"""Lending endpoints: /loans and /members/<id>/loans."""

from flask import Blueprint, current_app, jsonify, request

from ..db import get_db
from ..services.loans import LoanService
from ..validation import json_body

bp = Blueprint("loans", __name__)


def _service() -> LoanService:
    cfg = current_app.config
    return LoanService(
        get_db(),
        max_active_loans=cfg["MAX_ACTIVE_LOANS"],
        loan_days=cfg["LOAN_DAYS"],
        late_fee_cents_per_day=cfg["LATE_FEE_CENTS_PER_DAY"],
    )


def _not_implemented():
    return jsonify({"error": {"code": "not_implemented", "message": "not implemented"}}), 501


@bp.post("/loans")
def checkout():
    # TODO: check a book out to a member.
    return _not_implemented()


@bp.get("/loans")
def list_loans():
    # TODO: list loans matching the query-string filters.
    return _not_implemented()


@bp.get("/loans/<int:loan_id>")
def get_loan(loan_id: int):
    # TODO: one loan.
    return _not_implemented()


@bp.post("/loans/<int:loan_id>/return")
def return_loan(loan_id: int):
    # TODO: return a loaned book.
    return _not_implemented()


@bp.get("/members/<int:member_id>/loans")
def member_loans(member_id: int):
    # TODO: a member's loans with totals.
    return _not_implemented()
