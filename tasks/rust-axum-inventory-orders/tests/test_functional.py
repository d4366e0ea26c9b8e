"""Hidden end-to-end tests of the inventory order endpoints (each test makes its own SKUs)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def make_item(client, sku: str, price: int = 100, stock: int = 10) -> dict:
    r = client.post("/items", json={"sku": sku, "name": f"Item {sku}", "unit_price_cents": price})
    assert r.status_code == 201, r.text
    if stock:
        r = client.post(f"/items/{sku}/receive", json={"quantity": stock})
        assert r.status_code == 201, r.text
    return client.get(f"/items/{sku}").json()


def item(client, sku: str) -> dict:
    r = client.get(f"/items/{sku}")
    assert r.status_code == 200
    return r.json()


def order(client, customer: str, *lines):
    return client.post("/orders", json={"customer": customer,
                                        "lines": [{"sku": s, "quantity": q} for s, q in lines]})


def test_create_order_reserves_stock(client):
    make_item(client, "ORD-CREATE-A", price=250, stock=10)
    make_item(client, "ORD-CREATE-B", price=1999, stock=3)
    r = order(client, "  Acme Corp ", ("ORD-CREATE-A", 4), ("ORD-CREATE-B", 3))
    assert r.status_code == 201, r.text
    o = r.json()
    assert isinstance(o["id"], int) and o["id"] >= 1
    assert o["customer"] == "Acme Corp"
    assert o["status"] == "reserved"
    assert o["lines"] == [
        {"sku": "ORD-CREATE-A", "quantity": 4, "unit_price_cents": 250, "line_total_cents": 1000},
        {"sku": "ORD-CREATE-B", "quantity": 3, "unit_price_cents": 1999, "line_total_cents": 5997},
    ]
    assert o["total_cents"] == 6997
    a = item(client, "ORD-CREATE-A")
    assert (a["on_hand"], a["reserved"], a["available"]) == (10, 4, 6)
    b = item(client, "ORD-CREATE-B")
    assert (b["on_hand"], b["reserved"], b["available"]) == (3, 3, 0)

    got = client.get(f"/orders/{o['id']}")
    assert got.status_code == 200
    assert got.json() == o


def test_order_ids_increase(client):
    make_item(client, "ORD-IDS", stock=5)
    first = order(client, "ids-customer", ("ORD-IDS", 1)).json()
    second = order(client, "ids-customer", ("ORD-IDS", 1)).json()
    assert second["id"] > first["id"]


def test_insufficient_stock_reserves_nothing(client):
    make_item(client, "ORD-SHORT-A", stock=5)
    make_item(client, "ORD-SHORT-B", stock=2)
    r = order(client, "short", ("ORD-SHORT-A", 5), ("ORD-SHORT-B", 3))
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "conflict"
    assert item(client, "ORD-SHORT-A")["reserved"] == 0
    assert item(client, "ORD-SHORT-B")["reserved"] == 0
    # reserved stock is not available to the next order
    assert order(client, "short", ("ORD-SHORT-A", 4)).status_code == 201
    assert order(client, "short", ("ORD-SHORT-A", 2)).status_code == 409
    assert order(client, "short", ("ORD-SHORT-A", 1)).status_code == 201


def test_order_validation(client):
    make_item(client, "ORD-VALID", stock=5)
    bad = [
        {"lines": [{"sku": "ORD-VALID", "quantity": 1}]},
        {"customer": "   ", "lines": [{"sku": "ORD-VALID", "quantity": 1}]},
        {"customer": "x" * 81, "lines": [{"sku": "ORD-VALID", "quantity": 1}]},
        {"customer": "v", "lines": []},
        {"customer": "v", "lines": [{"sku": "ORD-VALID", "quantity": 0}]},
        {"customer": "v", "lines": [{"sku": "ORD-VALID", "quantity": "2"}]},
        {"customer": "v", "lines": [{"sku": "ORD-VALID", "quantity": 1},
                                    {"sku": "ORD-VALID", "quantity": 1}]},
        {"customer": "v", "lines": [{"sku": "ORD-VALID", "quantity": 1}], "note": "x"},
        {"customer": "v", "lines": [{"sku": "ORD-VALID", "quantity": 1}] * 21},
    ]
    for body in bad:
        r = client.post("/orders", json=body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert "error" in r.json()
    r = client.post("/orders", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert item(client, "ORD-VALID")["reserved"] == 0


def test_unknown_sku_is_404(client):
    make_item(client, "ORD-KNOWN", stock=5)
    r = order(client, "unknown", ("ORD-KNOWN", 1), ("ORD-NO-SUCH-SKU", 1))
    assert r.status_code == 404, r.text
    assert item(client, "ORD-KNOWN")["reserved"] == 0


def test_ship_order_moves_stock(client):
    make_item(client, "ORD-SHIP", price=10, stock=8)
    o = order(client, "shipper", ("ORD-SHIP", 3)).json()
    r = client.post(f"/orders/{o['id']}/ship")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "shipped"
    assert r.json()["lines"] == o["lines"]
    it = item(client, "ORD-SHIP")
    assert (it["on_hand"], it["reserved"], it["available"]) == (5, 0, 5)
    moves = client.get("/items/ORD-SHIP/movements", params={"kind": "ship"}).json()["items"]
    assert len(moves) == 1
    assert moves[0]["quantity"] == -3
    assert moves[0]["reference"] == f"order-{o['id']}"
    assert moves[0]["on_hand_after"] == 5
    assert client.get(f"/orders/{o['id']}").json()["status"] == "shipped"
    # a shipped order can be neither shipped again nor cancelled
    assert client.post(f"/orders/{o['id']}/ship").status_code == 409
    assert client.post(f"/orders/{o['id']}/cancel").status_code == 409


def test_cancel_order_releases_reservation(client):
    make_item(client, "ORD-CANCEL", stock=4)
    o = order(client, "canceller", ("ORD-CANCEL", 4)).json()
    assert item(client, "ORD-CANCEL")["available"] == 0
    r = client.post(f"/orders/{o['id']}/cancel")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    it = item(client, "ORD-CANCEL")
    assert (it["on_hand"], it["reserved"], it["available"]) == (4, 0, 4)
    assert client.post(f"/orders/{o['id']}/cancel").status_code == 409
    assert client.post(f"/orders/{o['id']}/ship").status_code == 409
    assert client.get("/items/ORD-CANCEL/movements", params={"kind": "ship"}).json()["count"] == 0


def test_unknown_order_is_404(client):
    for path in ("/orders/987654321", "/orders/not-a-number"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"
    assert client.post("/orders/987654321/ship").status_code == 404
    assert client.post("/orders/987654321/cancel").status_code == 404


def test_list_orders_filters(client):
    make_item(client, "ORD-LIST", stock=20)
    customer = "list-filter-customer"
    o1 = order(client, customer, ("ORD-LIST", 1)).json()
    o2 = order(client, customer, ("ORD-LIST", 2)).json()
    o3 = order(client, customer, ("ORD-LIST", 3)).json()
    order(client, "someone-else", ("ORD-LIST", 1))
    assert client.post(f"/orders/{o1['id']}/ship").status_code == 200
    assert client.post(f"/orders/{o3['id']}/cancel").status_code == 200

    r = client.get("/orders", params={"customer": customer})
    assert r.status_code == 200
    body = r.json()
    assert [o["id"] for o in body["items"]] == [o1["id"], o2["id"], o3["id"]]
    assert body["count"] == 3

    def ids(status):
        res = client.get("/orders", params={"customer": customer, "status": status})
        assert res.status_code == 200
        return [o["id"] for o in res.json()["items"]]

    assert ids("shipped") == [o1["id"]]
    assert ids("reserved") == [o2["id"]]
    assert ids("cancelled") == [o3["id"]]
    all_orders = client.get("/orders").json()
    assert all_orders["count"] >= 4
    assert [o["id"] for o in all_orders["items"]] == sorted(o["id"] for o in all_orders["items"])
    assert client.get("/orders", params={"status": "lost"}).status_code == 400
