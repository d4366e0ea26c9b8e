"""Hidden tests for the stock ledger endpoints of the warehouse service (StockService)."""
import os
import uuid

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:5000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def token():
    return uuid.uuid4().hex[:8].upper()


def make_product(client, sku, reorder_level=0, unit_price=5):
    response = client.post("/api/products", json={
        "sku": sku, "name": f"Item {sku}", "unitPrice": unit_price, "reorderLevel": reorder_level})
    assert response.status_code == 201, response.text
    return response.json()


def receive(client, product_id, quantity, reference="PO-1"):
    response = client.post(f"/api/products/{product_id}/receipts", json={"quantity": quantity, "reference": reference})
    assert response.status_code == 201, response.text
    return response.json()


def on_hand(client, product_id):
    return client.get(f"/api/products/{product_id}").json()["quantityOnHand"]


def test_receive_stock(client):
    t = token()
    product = make_product(client, f"RCV-{t}")
    response = client.post(f"/api/products/{product['id']}/receipts", json={"quantity": 12, "reference": "  PO-2024-001 "})
    assert response.status_code == 201
    movement = response.json()
    assert isinstance(movement["id"], int)
    assert movement["productId"] == product["id"]
    assert movement["type"] == "receipt"
    assert movement["quantity"] == 12
    assert movement["reference"] == "PO-2024-001"
    assert movement["balanceAfter"] == 12
    assert movement["createdAt"]

    second = receive(client, product["id"], 8, "PO-2024-002")
    assert second["balanceAfter"] == 20
    state = client.get(f"/api/products/{product['id']}").json()
    assert (state["quantityOnHand"], state["quantityAvailable"]) == (20, 20)


def test_receive_validation(client):
    t = token()
    product = make_product(client, f"RCVV-{t}")
    url = f"/api/products/{product['id']}/receipts"

    for payload, field in [
        ({"quantity": 0, "reference": "PO"}, "quantity"),
        ({"quantity": -3, "reference": "PO"}, "quantity"),
        ({"quantity": 100001, "reference": "PO"}, "quantity"),
        ({"quantity": "5", "reference": "PO"}, "quantity"),
        ({"quantity": 2.5, "reference": "PO"}, "quantity"),
        ({"reference": "PO"}, "quantity"),
        ({"quantity": 5}, "reference"),
        ({"quantity": 5, "reference": "   "}, "reference"),
        ({"quantity": 5, "reference": "R" * 65}, "reference"),
    ]:
        response = client.post(url, json=payload)
        assert response.status_code == 400, payload
        assert field in response.json()["errors"], payload

    assert client.post(url, content=b"nope", headers={"content-type": "application/json"}).status_code == 400
    assert on_hand(client, product["id"]) == 0
    assert client.post("/api/products/987654321/receipts", json={"quantity": 1, "reference": "PO"}).status_code == 404


def test_adjust_stock(client):
    t = token()
    product = make_product(client, f"ADJ-{t}")
    receive(client, product["id"], 10)
    url = f"/api/products/{product['id']}/adjustments"

    damaged = client.post(url, json={"delta": -3, "reason": " water damage "})
    assert damaged.status_code == 201
    body = damaged.json()
    assert body["type"] == "adjustment"
    assert body["quantity"] == -3
    assert body["reference"] == "water damage"
    assert body["balanceAfter"] == 7

    found = client.post(url, json={"delta": 2, "reason": "cycle count"})
    assert found.status_code == 201
    assert found.json()["balanceAfter"] == 9
    assert on_hand(client, product["id"]) == 9

    assert client.post(url, json={"delta": 0, "reason": "nothing"}).status_code == 400
    assert "delta" in client.post(url, json={"reason": "no delta"}).json()["errors"]
    assert "reason" in client.post(url, json={"delta": 1, "reason": "ab"}).json()["errors"]

    negative = client.post(url, json={"delta": -10, "reason": "lost pallet"})
    assert negative.status_code == 409
    assert on_hand(client, product["id"]) == 9

    to_zero = client.post(url, json={"delta": -9, "reason": "write off"})
    assert to_zero.status_code == 201
    assert to_zero.json()["balanceAfter"] == 0
    assert client.post("/api/products/987654321/adjustments", json={"delta": 1, "reason": "ghost"}).status_code == 404


def test_adjustment_respects_reservations(client):
    t = token()
    product = make_product(client, f"ADJR-{t}")
    receive(client, product["id"], 10)
    order = client.post("/api/orders", json={"customer": "Reserver", "lines": [{"sku": f"ADJR-{t}", "quantity": 6}]})
    assert order.status_code == 201
    url = f"/api/products/{product['id']}/adjustments"

    below = client.post(url, json={"delta": -5, "reason": "recount"})
    assert below.status_code == 409
    assert on_hand(client, product["id"]) == 10

    exact = client.post(url, json={"delta": -4, "reason": "recount"})
    assert exact.status_code == 201
    state = client.get(f"/api/products/{product['id']}").json()
    assert (state["quantityOnHand"], state["quantityReserved"], state["quantityAvailable"]) == (6, 6, 0)


def test_movement_ledger(client):
    t = token()
    product = make_product(client, f"LEDG-{t}")
    receive(client, product["id"], 5, "PO-A")
    receive(client, product["id"], 7, "PO-B")
    assert client.post(f"/api/products/{product['id']}/adjustments", json={"delta": -2, "reason": "broken"}).status_code == 201
    order = client.post("/api/orders", json={"customer": "Ledger", "lines": [{"sku": f"LEDG-{t}", "quantity": 4}]}).json()
    assert client.post(f"/api/orders/{order['id']}/ship").status_code == 200

    response = client.get(f"/api/products/{product['id']}/movements")
    assert response.status_code == 200
    ledger = response.json()
    assert [(m["type"], m["quantity"], m["reference"], m["balanceAfter"]) for m in ledger] == [
        ("receipt", 5, "PO-A", 5),
        ("receipt", 7, "PO-B", 12),
        ("adjustment", -2, "broken", 10),
        ("shipment", -4, f"order:{order['id']}", 6),
    ]
    assert [m["id"] for m in ledger] == sorted(m["id"] for m in ledger)
    assert all(m["productId"] == product["id"] for m in ledger)

    receipts = client.get(f"/api/products/{product['id']}/movements", params={"type": "receipt"}).json()
    assert [m["reference"] for m in receipts] == ["PO-A", "PO-B"]
    assert client.get(f"/api/products/{product['id']}/movements", params={"type": "transfer"}).status_code == 400
    assert client.get("/api/products/987654321/movements").status_code == 404

    other = make_product(client, f"LEDG2-{t}")
    assert client.get(f"/api/products/{other['id']}/movements").json() == []


def test_low_stock_report(client):
    t = token()
    empty = make_product(client, f"LOWA-{t}", reorder_level=10)
    partly = make_product(client, f"LOWB-{t}", reorder_level=10)
    at_level = make_product(client, f"LOWC-{t}", reorder_level=4)
    healthy = make_product(client, f"LOWD-{t}", reorder_level=3)
    untracked = make_product(client, f"LOWE-{t}", reorder_level=0)
    receive(client, partly["id"], 7)
    receive(client, at_level["id"], 4)
    receive(client, healthy["id"], 50)

    response = client.get("/api/stock/low")
    assert response.status_code == 200
    report = response.json()
    mine = [item for item in report if item["sku"].endswith(t)]
    assert [item["sku"] for item in mine] == [f"LOWA-{t}", f"LOWB-{t}", f"LOWC-{t}"]
    by_sku = {item["sku"]: item for item in mine}
    assert by_sku[f"LOWA-{t}"] == {"productId": empty["id"], "sku": f"LOWA-{t}", "name": f"Item LOWA-{t}",
                                   "quantityAvailable": 0, "reorderLevel": 10, "shortfall": 10}
    assert by_sku[f"LOWB-{t}"]["shortfall"] == 3
    assert by_sku[f"LOWC-{t}"]["shortfall"] == 0
    assert untracked["id"] not in [item["productId"] for item in report]

    shortfalls = [item["shortfall"] for item in report]
    assert shortfalls == sorted(shortfalls, reverse=True)


def test_reservations_count_towards_low_stock(client):
    t = token()
    product = make_product(client, f"LOWR-{t}", reorder_level=5)
    receive(client, product["id"], 12)
    assert f"LOWR-{t}" not in [item["sku"] for item in client.get("/api/stock/low").json()]

    order = client.post("/api/orders", json={"customer": "Low Reserver", "lines": [{"sku": f"LOWR-{t}", "quantity": 9}]})
    assert order.status_code == 201
    report = {item["sku"]: item for item in client.get("/api/stock/low").json()}
    assert report[f"LOWR-{t}"]["quantityAvailable"] == 3
    assert report[f"LOWR-{t}"]["shortfall"] == 2
