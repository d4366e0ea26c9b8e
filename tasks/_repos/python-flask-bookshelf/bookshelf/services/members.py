"""Member registration and lookup."""

from __future__ import annotations

import sqlite3

from ..errors import Conflict, NotFound
from ..models import Member
from ..repository import LoanRepository, MemberRepository, transaction
from .. import validation as v


class MemberService:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.members = MemberRepository(conn)
        self.loans = LoanRepository(conn)

    def register(self, data: dict) -> Member:
        v.reject_unknown(data, {"name", "email"})
        name = v.required_str(data, "name", max_len=120)
        email = v.email(v.required_str(data, "email", max_len=254))
        with transaction(self.conn):
            if self.members.get_by_email(email):
                raise Conflict(f"a member with email {email} already exists")
            return self.members.create(name=name, email=email)

    def get(self, member_id: int) -> Member:
        member = self.members.get(member_id)
        if member is None:
            raise NotFound(f"member {member_id} not found")
        return member

    def present(self, member: Member) -> dict:
        data = member.to_dict()
        data["active_loans"] = self.loans.count_active_for_member(member.id)
        return data

    def list(self, args) -> dict:
        limit = v.query_int(args, "limit", default=50, minimum=1, maximum=200)
        offset = v.query_int(args, "offset", default=0, minimum=0, maximum=1_000_000)
        return {"items": [m.to_dict() for m in self.members.list(limit=limit, offset=offset)],
                "limit": limit, "offset": offset}
