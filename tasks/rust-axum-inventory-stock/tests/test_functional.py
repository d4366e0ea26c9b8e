"""Hidden end-to-end tests of the inventory stock endpoints (each test makes its own SKUs)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def make_item(client, sku: str, reorder_level: int = 0) -> dict:
    r = client.post("/items", json={"sku": sku, "name": f"Item {sku}", "unit_price_cents": 100,
                                    "reorder_level": reorder_level})
    assert r.status_code == 201, r.text
    return r.json()


def receive(client, sku, quantity, reference=None):
    body = {"quantity": quantity}
    if reference is not None:
        body["reference"] = reference
    return client.post(f"/items/{sku}/receive", json=body)


def test_receive_adds_stock_and_logs_movement(client):
    make_item(client, "STK-RECV", reorder_level=5)
    r = receive(client, "STK-RECV", 30, "  PO-1001 ")
    assert r.status_code == 201, r.text
    body = r.json()
    m = body["movement"]
    assert isinstance(m["id"], int)
    assert m["sku"] == "STK-RECV"
    assert m["kind"] == "receive"
    assert m["quantity"] == 30
    assert m["reference"] == "PO-1001"
    assert m["on_hand_after"] == 30
    it = body["item"]
    assert it["sku"] == "STK-RECV"
    assert (it["on_hand"], it["reserved"], it["available"]) == (30, 0, 30)
    assert it["low_stock"] is False
    assert client.get("/items/STK-RECV").json()["on_hand"] == 30

    r = receive(client, "STK-RECV", 12)
    assert r.status_code == 201
    assert r.json()["movement"]["reference"] is None
    assert r.json()["movement"]["on_hand_after"] == 42
    assert r.json()["movement"]["id"] > m["id"]


def test_receive_validation_and_unknown_sku(client):
    make_item(client, "STK-RVAL")
    bad = [{}, {"quantity": 0}, {"quantity": -5}, {"quantity": 100001}, {"quantity": "5"},
           {"quantity": 5, "reference": "   "}, {"quantity": 5, "reference": "r" * 65},
           {"quantity": 5, "supplier": "x"}]
    for body in bad:
        r = client.post("/items/STK-RVAL/receive", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert "error" in r.json()
    assert client.get("/items/STK-RVAL").json()["on_hand"] == 0
    r = receive(client, "STK-NO-SUCH", 5)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_adjust_up_and_down(client):
    make_item(client, "STK-ADJ")
    receive(client, "STK-ADJ", 20)
    r = client.post("/items/STK-ADJ/adjust", json={"delta": -3, "reason": " damaged in transit "})
    assert r.status_code == 201, r.text
    m = r.json()["movement"]
    assert m["kind"] == "adjust"
    assert m["quantity"] == -3
    assert m["reference"] == "damaged in transit"
    assert m["on_hand_after"] == 17
    assert r.json()["item"]["on_hand"] == 17
    r = client.post("/items/STK-ADJ/adjust", json={"delta": 5, "reason": "recount"})
    assert r.status_code == 201
    assert r.json()["item"]["on_hand"] == 22


def test_adjust_validation(client):
    make_item(client, "STK-AVAL")
    receive(client, "STK-AVAL", 10)
    bad = [{"delta": 0, "reason": "x"}, {"delta": 1}, {"reason": "x"},
           {"delta": 1, "reason": ""}, {"delta": 100001, "reason": "x"},
           {"delta": 1.5, "reason": "x"}, {"delta": 1, "reason": "x", "by": "me"}]
    for body in bad:
        r = client.post("/items/STK-AVAL/adjust", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
    assert client.post("/items/STK-NO-ADJ/adjust",
                       json={"delta": 1, "reason": "x"}).status_code == 404
    assert client.get("/items/STK-AVAL").json()["on_hand"] == 10


def test_adjust_cannot_go_below_reserved(client):
    make_item(client, "STK-RES")
    receive(client, "STK-RES", 10)
    r = client.post("/orders", json={"customer": "stock-reserved",
                                     "lines": [{"sku": "STK-RES", "quantity": 6}]})
    assert r.status_code == 201, r.text
    r = client.post("/items/STK-RES/adjust", json={"delta": -5, "reason": "shrinkage"})
    assert r.status_code == 409
    it = client.get("/items/STK-RES").json()
    assert (it["on_hand"], it["reserved"]) == (10, 6)
    r = client.post("/items/STK-RES/adjust", json={"delta": -4, "reason": "shrinkage"})
    assert r.status_code == 201
    assert r.json()["item"]["available"] == 0
    # without reservations on-hand stock still cannot go negative
    make_item(client, "STK-NEG")
    receive(client, "STK-NEG", 2)
    assert client.post("/items/STK-NEG/adjust",
                       json={"delta": -3, "reason": "x"}).status_code == 409


def test_movement_log_order_and_kind_filter(client):
    make_item(client, "STK-LOG")
    m1 = receive(client, "STK-LOG", 10, "PO-1").json()["movement"]
    m2 = client.post("/items/STK-LOG/adjust", json={"delta": -1, "reason": "broken"}).json()["movement"]
    m3 = receive(client, "STK-LOG", 5, "PO-2").json()["movement"]
    make_item(client, "STK-LOG-OTHER")
    receive(client, "STK-LOG-OTHER", 3)

    r = client.get("/items/STK-LOG/movements")
    assert r.status_code == 200
    body = r.json()
    assert [m["id"] for m in body["items"]] == [m1["id"], m2["id"], m3["id"]]
    assert body["count"] == 3
    assert [m["on_hand_after"] for m in body["items"]] == [10, 9, 14]
    assert all(m["sku"] == "STK-LOG" for m in body["items"])

    r = client.get("/items/STK-LOG/movements", params={"kind": "receive"})
    assert [m["reference"] for m in r.json()["items"]] == ["PO-1", "PO-2"]
    r = client.get("/items/STK-LOG/movements", params={"kind": "adjust"})
    assert r.json()["count"] == 1 and r.json()["items"][0]["quantity"] == -1
    assert client.get("/items/STK-LOG/movements", params={"kind": "ship"}).json()["count"] == 0
    assert client.get("/items/STK-LOG/movements", params={"kind": "theft"}).status_code == 400
    assert client.get("/items/STK-NO-LOG/movements").status_code == 404


def test_shipping_appears_in_movements(client):
    make_item(client, "STK-SHIP")
    receive(client, "STK-SHIP", 8)
    o = client.post("/orders", json={"customer": "stock-ship",
                                     "lines": [{"sku": "STK-SHIP", "quantity": 3}]}).json()
    assert client.post(f"/orders/{o['id']}/ship").status_code == 200
    moves = client.get("/items/STK-SHIP/movements").json()["items"]
    assert [m["kind"] for m in moves] == ["receive", "ship"]
    assert moves[1]["quantity"] == -3 and moves[1]["on_hand_after"] == 5


def test_low_stock_flag_follows_stock(client):
    make_item(client, "STK-LOW", reorder_level=10)
    assert client.get("/items/STK-LOW").json()["low_stock"] is True
    r = receive(client, "STK-LOW", 11)
    assert r.json()["item"]["low_stock"] is False
    r = client.post("/items/STK-LOW/adjust", json={"delta": -1, "reason": "count"})
    assert r.json()["item"]["low_stock"] is True
