"""Member endpoints: /members."""

from flask import Blueprint, jsonify, request

from ..db import get_db
from ..services.members import MemberService
from ..validation import json_body

bp = Blueprint("members", __name__)


@bp.post("/members")
def register_member():
    service = MemberService(get_db())
    member = service.register(json_body(request))
    return jsonify(service.present(member)), 201


@bp.get("/members")
def list_members():
    return jsonify(MemberService(get_db()).list(request.args))


@bp.get("/members/<int:member_id>")
def get_member(member_id: int):
    service = MemberService(get_db())
    return jsonify(service.present(service.get(member_id)))
