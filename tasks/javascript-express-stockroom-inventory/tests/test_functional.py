"""Hidden end-to-end tests of stock adjustments, movements and the low-stock report."""

import os
import zlib

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def make_product(client, sku, reorder_level=0, active=True, price=100):
    r = client.post("/products", json={"sku": sku, "name": f"Product {sku}", "unit_price_cents": price,
                                       "reorder_level": reorder_level, "active": active})
    assert r.status_code == 201, r.text
    return r.json()


def adjust(client, product_id, type_, quantity, **extra):
    return client.post(f"/products/{product_id}/adjustments",
                       json={"type": type_, "quantity": quantity, **extra})


def test_receipt_increases_on_hand(client):
    p = make_product(client, "INV-RECEIPT")
    r = adjust(client, p["id"], "receipt", 12, note="PO 4411")
    assert r.status_code == 201, r.text
    body = r.json()
    m = body["movement"]
    assert isinstance(m["id"], int)
    assert m["product_id"] == p["id"]
    assert m["type"] == "receipt"
    assert m["delta"] == 12
    assert m["quantity_after"] == 12
    assert m["note"] == "PO 4411"
    assert m["reference"] is None
    assert body["product"]["id"] == p["id"]
    assert body["product"]["quantity_on_hand"] == 12
    assert body["product"]["quantity_available"] == 12
    r = client.get(f"/products/{p['id']}")
    assert r.json()["quantity_on_hand"] == 12


def test_shrinkage_and_correction(client):
    p = make_product(client, "INV-SHRINK")
    assert adjust(client, p["id"], "receipt", 20).status_code == 201
    r = adjust(client, p["id"], "shrinkage", 3, note="water damage")
    assert r.status_code == 201, r.text
    assert r.json()["movement"]["delta"] == -3
    assert r.json()["movement"]["quantity_after"] == 17
    r = adjust(client, p["id"], "correction", 15)
    assert r.status_code == 201, r.text
    m = r.json()["movement"]
    assert (m["type"], m["delta"], m["quantity_after"], m["note"]) == ("correction", -2, 15, "")
    r = adjust(client, p["id"], "correction", 15)
    assert r.status_code == 201
    assert r.json()["movement"]["delta"] == 0
    r = adjust(client, p["id"], "correction", 0)
    assert r.status_code == 201
    assert r.json()["product"]["quantity_on_hand"] == 0


def test_cannot_drop_below_reserved_stock(client):
    p = make_product(client, "INV-RESERVED")
    assert adjust(client, p["id"], "receipt", 10).status_code == 201
    r = client.post("/orders", json={"customer_name": "Res", "customer_email": "inv-reserved@example.org",
                                     "lines": [{"product_id": p["id"], "quantity": 6}]})
    assert r.status_code == 201, r.text
    r = adjust(client, p["id"], "shrinkage", 5)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "insufficient_unreserved_stock"
    r = adjust(client, p["id"], "correction", 5)
    assert r.status_code == 422
    assert client.get(f"/products/{p['id']}").json()["quantity_on_hand"] == 10
    r = adjust(client, p["id"], "shrinkage", 4)
    assert r.status_code == 201, r.text
    assert r.json()["product"]["quantity_on_hand"] == 6
    assert r.json()["product"]["quantity_available"] == 0
    moves = client.get(f"/products/{p['id']}/movements").json()
    assert [m["type"] for m in moves["items"]] == ["receipt", "shrinkage"]


def test_shrinkage_cannot_go_negative(client):
    p = make_product(client, "INV-NEGATIVE")
    assert adjust(client, p["id"], "receipt", 2).status_code == 201
    r = adjust(client, p["id"], "shrinkage", 3)
    assert r.status_code == 422, r.text
    assert client.get(f"/products/{p['id']}").json()["quantity_on_hand"] == 2


@pytest.mark.parametrize("body", [
    {"type": "receipt"},
    {"quantity": 3},
    {"type": "theft", "quantity": 3},
    {"type": "receipt", "quantity": 0},
    {"type": "shrinkage", "quantity": 0},
    {"type": "correction", "quantity": -1},
    {"type": "receipt", "quantity": "3"},
    {"type": "receipt", "quantity": True},
    {"type": "receipt", "quantity": 2.5},
    {"type": "receipt", "quantity": 1000001},
    {"type": "receipt", "quantity": 3, "location": "A1"},
    {"type": "receipt", "quantity": 3, "note": 7},
    ["receipt", 3],
])
def test_adjustment_validation(client, body):
    p = make_product(client, f"INV-VALID-{zlib.crc32(repr(body).encode()):010d}")
    r = client.post(f"/products/{p['id']}/adjustments", json=body)
    assert r.status_code == 400, r.text
    assert "error" in r.json()
    assert client.get(f"/products/{p['id']}/movements").json()["count"] == 0


def test_unknown_product_and_bad_ids(client):
    assert adjust(client, 99999999, "receipt", 1).status_code == 404
    assert client.get("/products/99999999/movements").status_code == 404
    assert adjust(client, "abc", "receipt", 1).status_code == 400
    assert client.get("/products/0/movements").status_code == 400


def test_movements_history_and_type_filter(client):
    p = make_product(client, "INV-HISTORY")
    for type_, qty in [("receipt", 10), ("shrinkage", 1), ("receipt", 5), ("correction", 13)]:
        assert adjust(client, p["id"], type_, qty).status_code == 201
    r = client.get(f"/products/{p['id']}/movements")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 4
    assert [m["delta"] for m in body["items"]] == [10, -1, 5, -1]
    assert [m["quantity_after"] for m in body["items"]] == [10, 9, 14, 13]
    ids = [m["id"] for m in body["items"]]
    assert ids == sorted(ids)
    r = client.get(f"/products/{p['id']}/movements", params={"type": "receipt"})
    assert [m["delta"] for m in r.json()["items"]] == [10, 5]
    assert r.json()["count"] == 2
    assert client.get(f"/products/{p['id']}/movements", params={"type": "shipment"}).json()["count"] == 0
    assert client.get(f"/products/{p['id']}/movements", params={"type": "gift"}).status_code == 400


def test_low_stock_report(client):
    a = make_product(client, "INV-LOW-A", reorder_level=10)   # available 4 -> shortfall 6
    b = make_product(client, "INV-LOW-B", reorder_level=5)    # available 5 -> shortfall 0
    c = make_product(client, "INV-LOW-C", reorder_level=5)    # available 6 -> not low
    d = make_product(client, "INV-LOW-D", reorder_level=8, active=False)  # inactive
    e = make_product(client, "INV-LOW-E", reorder_level=0)    # no reorder level
    f = make_product(client, "INV-LOW-F", reorder_level=7)    # on hand 9, 8 reserved -> shortfall 6
    for prod, qty in [(a, 4), (b, 5), (c, 6), (d, 1), (f, 9)]:
        assert adjust(client, prod["id"], "receipt", qty).status_code == 201
    r = client.post("/orders", json={"customer_name": "Low", "customer_email": "inv-low@example.org",
                                     "lines": [{"product_id": f["id"], "quantity": 8}]})
    assert r.status_code == 201, r.text

    r = client.get("/inventory/low-stock")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == len(body["items"])
    mine = [i for i in body["items"] if i["sku"].startswith("INV-LOW-")]
    assert [i["sku"] for i in mine] == ["INV-LOW-A", "INV-LOW-F", "INV-LOW-B"]
    assert mine[0] == {"product_id": a["id"], "sku": "INV-LOW-A", "name": "Product INV-LOW-A",
                       "quantity_available": 4, "reorder_level": 10, "shortfall": 6}
    assert mine[1]["quantity_available"] == 1
    assert mine[1]["shortfall"] == 6
    assert mine[2]["shortfall"] == 0
    shortfalls = [i["shortfall"] for i in body["items"]]
    assert shortfalls == sorted(shortfalls, reverse=True)
