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


@bp.post("/loans")
def checkout():
    loan = _service().checkout(json_body(request))
    return jsonify(loan.to_dict()), 201


@bp.get("/loans")
def list_loans():
    loans = _service().search(request.args)
    return jsonify({"items": [loan.to_dict() for loan in loans], "count": len(loans)})


@bp.get("/loans/<int:loan_id>")
def get_loan(loan_id: int):
    return jsonify(_service().get(loan_id).to_dict())


@bp.post("/loans/<int:loan_id>/return")
def return_loan(loan_id: int):
    body = json_body(request) if request.get_data() else {}
    loan = _service().return_loan(loan_id, body)
    return jsonify(loan.to_dict())


@bp.get("/members/<int:member_id>/loans")
def member_loans(member_id: int):
    return jsonify(_service().member_summary(member_id))
