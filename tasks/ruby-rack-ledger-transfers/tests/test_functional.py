import os

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:4567").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def open_account(client, owner, currency="EUR", overdraft=0):
    response = client.post("/accounts", json={"owner": owner, "currency": currency, "overdraft_limit_cents": overdraft})
    assert response.status_code == 201, response.text
    return response.json()


def balance(client, account_id):
    response = client.get(f"/accounts/{account_id}")
    assert response.status_code == 200
    return response.json()["balance_cents"]


def deposit(client, account_id, amount, reference=None):
    body = {"amount_cents": amount}
    if reference is not None:
        body["reference"] = reference
    response = client.post(f"/accounts/{account_id}/deposits", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_deposit_records_entry_and_updates_balance(client):
    account = open_account(client, "tx-deposit owner")
    first = deposit(client, account["id"], 2500, reference="  payroll  ")
    assert first["account_id"] == account["id"]
    assert first["type"] == "deposit"
    assert first["amount_cents"] == 2500
    assert first["balance_after_cents"] == 2500
    assert first["reference"] == "payroll"
    assert first["transfer_id"] is None
    second = deposit(client, account["id"], 75)
    assert second["balance_after_cents"] == 2575
    assert second["reference"] is None
    assert second["id"] > first["id"]
    assert balance(client, account["id"]) == 2575

    for bad in ({"amount_cents": 0}, {"amount_cents": "10"}, {"amount_cents": 100_000_001}, {}, {"amount_cents": 1.5}):
        response = client.post(f"/accounts/{account['id']}/deposits", json=bad)
        assert response.status_code == 422, bad
        assert response.json()["error"] == "validation_failed"
        assert "amount_cents" in response.json()["details"]
    long_ref = client.post(f"/accounts/{account['id']}/deposits", json={"amount_cents": 5, "reference": "x" * 141})
    assert long_ref.status_code == 422
    assert "reference" in long_ref.json()["details"]
    malformed = client.post(f"/accounts/{account['id']}/deposits", content=b"[1,", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400
    assert client.post("/accounts/99999999/deposits", json={"amount_cents": 5}).status_code == 404
    assert balance(client, account["id"]) == 2575


def test_withdrawal_respects_overdraft_limit(client):
    account = open_account(client, "tx-withdraw owner", overdraft=300)
    deposit(client, account["id"], 1000)

    refused = client.post(f"/accounts/{account['id']}/withdrawals", json={"amount_cents": 1301})
    assert refused.status_code == 422
    assert refused.json()["error"] == "insufficient_funds"
    assert refused.json()["details"]["available_cents"] == 1300
    assert refused.json()["details"]["requested_cents"] == 1301
    assert balance(client, account["id"]) == 1000

    allowed = client.post(f"/accounts/{account['id']}/withdrawals", json={"amount_cents": 1300, "reference": "rent"})
    assert allowed.status_code == 201
    entry = allowed.json()
    assert entry["type"] == "withdrawal"
    assert entry["amount_cents"] == 1300
    assert entry["balance_after_cents"] == -300
    assert entry["reference"] == "rent"

    account_now = client.get(f"/accounts/{account['id']}").json()
    assert account_now["balance_cents"] == -300
    assert account_now["available_cents"] == 0
    assert client.post(f"/accounts/{account['id']}/withdrawals", json={"amount_cents": 1}).status_code == 422
    assert client.post(f"/accounts/{account['id']}/withdrawals", json={"amount_cents": -5}).status_code == 422


def test_transfer_moves_money_between_accounts(client):
    source = open_account(client, "tx-transfer source")
    target = open_account(client, "tx-transfer target")
    deposit(client, source["id"], 5000)

    response = client.post("/transfers", json={"from_account_id": source["id"], "to_account_id": target["id"],
                                               "amount_cents": 1250, "reference": "invoice 17"})
    assert response.status_code == 201, response.text
    transfer = response.json()
    assert transfer["from_account_id"] == source["id"]
    assert transfer["to_account_id"] == target["id"]
    assert transfer["amount_cents"] == 1250
    assert transfer["currency"] == "EUR"
    assert transfer["reference"] == "invoice 17"
    assert transfer["status"] == "completed"
    assert balance(client, source["id"]) == 3750
    assert balance(client, target["id"]) == 1250

    fetched = client.get(f"/transfers/{transfer['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["id"] == transfer["id"]
    assert fetched.json()["amount_cents"] == 1250
    assert client.get("/transfers/99999999").status_code == 404

    out_entries = client.get(f"/accounts/{source['id']}/transactions", params={"type": "transfer_out"}).json()["transactions"]
    assert len(out_entries) == 1
    assert out_entries[0]["transfer_id"] == transfer["id"]
    assert out_entries[0]["balance_after_cents"] == 3750
    in_entries = client.get(f"/accounts/{target['id']}/transactions").json()["transactions"]
    assert [(e["type"], e["amount_cents"], e["balance_after_cents"], e["transfer_id"]) for e in in_entries] == [
        ("transfer_in", 1250, 1250, transfer["id"])
    ]


def test_transfer_rejections(client):
    eur = open_account(client, "tx-reject eur")
    eur_poor = open_account(client, "tx-reject eur poor")
    usd = open_account(client, "tx-reject usd", currency="USD")
    deposit(client, eur["id"], 800)

    same = client.post("/transfers", json={"from_account_id": eur["id"], "to_account_id": eur["id"], "amount_cents": 10})
    assert same.status_code == 422
    assert "to_account_id" in same.json()["details"]

    missing = client.post("/transfers", json={"from_account_id": eur["id"], "amount_cents": "ten"})
    assert missing.status_code == 422
    assert {"to_account_id", "amount_cents"} <= set(missing.json()["details"])

    mismatch = client.post("/transfers", json={"from_account_id": eur["id"], "to_account_id": usd["id"], "amount_cents": 10})
    assert mismatch.status_code == 422
    assert mismatch.json()["error"] == "currency_mismatch"

    unknown = client.post("/transfers", json={"from_account_id": eur["id"], "to_account_id": 99999999, "amount_cents": 10})
    assert unknown.status_code == 404

    broke = client.post("/transfers", json={"from_account_id": eur_poor["id"], "to_account_id": eur["id"], "amount_cents": 1})
    assert broke.status_code == 422
    assert broke.json()["error"] == "insufficient_funds"
    assert broke.json()["details"]["available_cents"] == 0

    assert balance(client, eur["id"]) == 800
    assert balance(client, eur_poor["id"]) == 0
    assert balance(client, usd["id"]) == 0


def test_frozen_accounts_accept_no_movements(client):
    active = open_account(client, "tx-frozen active")
    frozen = open_account(client, "tx-frozen frozen")
    deposit(client, active["id"], 1000)
    deposit(client, frozen["id"], 1000)
    assert client.post(f"/accounts/{frozen['id']}/freeze").status_code == 200

    blocked_deposit = client.post(f"/accounts/{frozen['id']}/deposits", json={"amount_cents": 5})
    assert blocked_deposit.status_code == 409
    assert blocked_deposit.json()["error"] == "account_frozen"
    assert client.post(f"/accounts/{frozen['id']}/withdrawals", json={"amount_cents": 5}).status_code == 409
    into_frozen = client.post("/transfers", json={"from_account_id": active["id"], "to_account_id": frozen["id"], "amount_cents": 5})
    assert into_frozen.status_code == 409
    assert into_frozen.json()["error"] == "account_frozen"
    from_frozen = client.post("/transfers", json={"from_account_id": frozen["id"], "to_account_id": active["id"], "amount_cents": 5})
    assert from_frozen.status_code == 409
    assert balance(client, active["id"]) == 1000
    assert balance(client, frozen["id"]) == 1000

    assert client.post(f"/accounts/{frozen['id']}/unfreeze").status_code == 200
    moved = client.post("/transfers", json={"from_account_id": active["id"], "to_account_id": frozen["id"], "amount_cents": 5})
    assert moved.status_code == 201
    assert balance(client, frozen["id"]) == 1005


def test_idempotency_key_replays_the_original_transfer(client):
    source = open_account(client, "tx-idem source")
    target = open_account(client, "tx-idem target")
    deposit(client, source["id"], 1500)
    body = {"from_account_id": source["id"], "to_account_id": target["id"], "amount_cents": 400}
    headers = {"Idempotency-Key": "tx-idem-key-0001"}

    first = client.post("/transfers", json=body, headers=headers)
    assert first.status_code == 201
    replay = client.post("/transfers", json=body, headers=headers)
    assert replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]
    assert balance(client, source["id"]) == 1100
    assert balance(client, target["id"]) == 400

    different = client.post("/transfers", json={**body, "amount_cents": 401}, headers=headers)
    assert different.status_code == 409
    assert different.json()["error"] == "idempotency_conflict"
    assert different.json()["details"]["transfer_id"] == first.json()["id"]

    fresh = client.post("/transfers", json=body, headers={"Idempotency-Key": "tx-idem-key-0002"})
    assert fresh.status_code == 201
    assert fresh.json()["id"] != first.json()["id"]
    unkeyed = client.post("/transfers", json=body)
    assert unkeyed.status_code == 201
    assert balance(client, source["id"]) == 300
    assert balance(client, target["id"]) == 1200

    bad_key = client.post("/transfers", json=body, headers={"Idempotency-Key": "spaces are not allowed"})
    assert bad_key.status_code == 422


def test_statement_filters_and_limits(client):
    account = open_account(client, "tx-statement owner")
    other = open_account(client, "tx-statement other")
    deposit(client, account["id"], 100, reference="d1")
    deposit(client, account["id"], 200, reference="d2")
    assert client.post(f"/accounts/{account['id']}/withdrawals", json={"amount_cents": 50, "reference": "w1"}).status_code == 201
    deposit(client, account["id"], 300, reference="d3")
    assert client.post("/transfers", json={"from_account_id": account["id"], "to_account_id": other["id"], "amount_cents": 25}).status_code == 201

    full = client.get(f"/accounts/{account['id']}/transactions")
    assert full.status_code == 200
    body = full.json()
    assert body["account_id"] == account["id"]
    assert body["balance_cents"] == 525
    assert body["count"] == 5
    assert [e["balance_after_cents"] for e in body["transactions"]] == [100, 300, 250, 550, 525]
    assert [e["type"] for e in body["transactions"]] == ["deposit", "deposit", "withdrawal", "deposit", "transfer_out"]

    deposits = client.get(f"/accounts/{account['id']}/transactions", params={"type": "deposit"}).json()
    assert [e["reference"] for e in deposits["transactions"]] == ["d1", "d2", "d3"]
    assert deposits["count"] == 3

    last_two = client.get(f"/accounts/{account['id']}/transactions", params={"limit": 2}).json()
    assert [e["type"] for e in last_two["transactions"]] == ["deposit", "transfer_out"]
    last_deposits = client.get(f"/accounts/{account['id']}/transactions", params={"type": "deposit", "limit": 2}).json()
    assert [e["reference"] for e in last_deposits["transactions"]] == ["d2", "d3"]

    assert client.get(f"/accounts/{account['id']}/transactions", params={"limit": 0}).status_code == 422
    assert client.get(f"/accounts/{account['id']}/transactions", params={"limit": 101}).status_code == 422
    assert client.get(f"/accounts/{account['id']}/transactions", params={"type": "refund"}).status_code == 422
    assert client.get("/accounts/99999999/transactions").status_code == 404
