"""Hidden end-to-end tests of the order endpoints (each test makes its own products)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def make_product(client, sku, price=250, stock=10, active=True):
    r = client.post("/products", json={"sku": sku, "name": f"Product {sku}",
                                       "unit_price_cents": price, "active": active})
    assert r.status_code == 201, r.text
    product = r.json()
    if stock:
        r = client.post(f"/products/{product['id']}/adjustments",
                        json={"type": "receipt", "quantity": stock})
        assert r.status_code == 201, r.text
    return product


def product_state(client, product_id):
    r = client.get(f"/products/{product_id}")
    assert r.status_code == 200, r.text
    p = r.json()
    return p["quantity_on_hand"], p["quantity_reserved"], p["quantity_available"]


def place(client, lines, email="buyer@example.org", name="Buyer"):
    return client.post("/orders", json={"customer_name": name, "customer_email": email,
                                        "lines": lines})


def test_create_order_reserves_stock_and_prices_lines(client):
    a = make_product(client, "ORD-CREATE-A", price=250, stock=10)
    b = make_product(client, "ORD-CREATE-B", price=1999, stock=3)
    r = place(client, [{"product_id": a["id"], "quantity": 7}, {"product_id": b["id"], "quantity": 2}],
              email="  Create.Buyer@Example.ORG ", name=" Create Buyer ")
    assert r.status_code == 201, r.text
    order = r.json()
    assert isinstance(order["id"], int)
    assert r.headers["location"] == f"/orders/{order['id']}"
    assert order["status"] == "pending"
    assert order["customer_name"] == "Create Buyer"
    assert order["customer_email"] == "create.buyer@example.org"
    assert order["total_cents"] == 7 * 250 + 2 * 1999
    assert [l["product_id"] for l in order["lines"]] == [a["id"], b["id"]]
    first = order["lines"][0]
    assert first == {"product_id": a["id"], "sku": "ORD-CREATE-A", "name": "Product ORD-CREATE-A",
                     "quantity": 7, "unit_price_cents": 250, "line_total_cents": 1750}
    assert order["lines"][1]["line_total_cents"] == 3998
    assert product_state(client, a["id"]) == (10, 7, 3)
    assert product_state(client, b["id"]) == (3, 2, 1)

    r = client.get(f"/orders/{order['id']}")
    assert r.status_code == 200
    assert r.json() == order


def test_price_is_frozen_at_order_time(client):
    p = make_product(client, "ORD-FROZEN", price=500, stock=5)
    r = place(client, [{"product_id": p["id"], "quantity": 2}], email="frozen@example.org")
    assert r.status_code == 201, r.text
    order_id = r.json()["id"]
    r = client.patch(f"/products/{p['id']}", json={"unit_price_cents": 900})
    assert r.status_code == 200, r.text
    order = client.get(f"/orders/{order_id}").json()
    assert order["lines"][0]["unit_price_cents"] == 500
    assert order["total_cents"] == 1000


@pytest.mark.parametrize("body", [
    {"customer_email": "v@example.org", "lines": [{"product_id": 1, "quantity": 1}]},
    {"customer_name": "V", "customer_email": "not-an-email", "lines": [{"product_id": 1, "quantity": 1}]},
    {"customer_name": "V", "customer_email": "v@example.org", "lines": []},
    {"customer_name": "V", "customer_email": "v@example.org", "lines": [{"product_id": 1, "quantity": 0}]},
    {"customer_name": "V", "customer_email": "v@example.org", "lines": [{"product_id": 1, "quantity": True}]},
    {"customer_name": "V", "customer_email": "v@example.org", "lines": [{"product_id": "1", "quantity": 1}]},
    {"customer_name": "V", "customer_email": "v@example.org", "lines": [{"product_id": 1, "quantity": 1, "gift": True}]},
    {"customer_name": "V", "customer_email": "v@example.org", "lines": [{"product_id": 1, "quantity": 1}], "coupon": "X"},
    {"customer_name": "   ", "customer_email": "v@example.org", "lines": [{"product_id": 1, "quantity": 1}]},
    [{"product_id": 1, "quantity": 1}],
])
def test_create_order_rejects_invalid_bodies(client, body):
    r = client.post("/orders", json=body)
    assert r.status_code == 400, r.text
    assert "error" in r.json()


def test_create_order_rejects_malformed_json_and_duplicate_lines(client):
    r = client.post("/orders", content=b'{"customer_name": ', headers={"content-type": "application/json"})
    assert r.status_code == 400
    p = make_product(client, "ORD-DUPLINE", stock=10)
    r = place(client, [{"product_id": p["id"], "quantity": 1}, {"product_id": p["id"], "quantity": 2}])
    assert r.status_code == 400, r.text
    assert product_state(client, p["id"]) == (10, 0, 10)


def test_create_order_is_all_or_nothing(client):
    ok = make_product(client, "ORD-ATOMIC-OK", stock=10)
    short = make_product(client, "ORD-ATOMIC-SHORT", stock=2)
    email = "atomic@example.org"
    r = place(client, [{"product_id": ok["id"], "quantity": 4}, {"product_id": short["id"], "quantity": 3}],
              email=email)
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "insufficient_stock"
    assert product_state(client, ok["id"]) == (10, 0, 10)
    assert product_state(client, short["id"]) == (2, 0, 2)
    r = client.get("/orders", params={"customer_email": email})
    assert r.status_code == 200
    assert r.json() == {"items": [], "count": 0}


def test_create_order_missing_inactive_and_reserved_stock(client):
    p = make_product(client, "ORD-RULES", stock=5)
    r = place(client, [{"product_id": 99999999, "quantity": 1}])
    assert r.status_code == 404, r.text

    inactive = make_product(client, "ORD-RULES-OFF", stock=5, active=False)
    r = place(client, [{"product_id": inactive["id"], "quantity": 1}])
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "product_inactive"

    assert place(client, [{"product_id": p["id"], "quantity": 4}], email="rules1@example.org").status_code == 201
    # only 1 unit is still available: reserved stock cannot be ordered again
    r = place(client, [{"product_id": p["id"], "quantity": 2}], email="rules2@example.org")
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "insufficient_stock"
    assert place(client, [{"product_id": p["id"], "quantity": 1}], email="rules2@example.org").status_code == 201
    assert product_state(client, p["id"]) == (5, 5, 0)


def test_ship_moves_stock_out_and_records_movements(client):
    p = make_product(client, "ORD-SHIP", stock=10)
    order = place(client, [{"product_id": p["id"], "quantity": 6}], email="ship@example.org").json()
    r = client.post(f"/orders/{order['id']}/ship")
    assert r.status_code == 200, r.text
    shipped = r.json()
    assert shipped["status"] == "shipped"
    assert shipped["id"] == order["id"]
    assert shipped["total_cents"] == order["total_cents"]
    assert product_state(client, p["id"]) == (4, 0, 4)

    r = client.get(f"/products/{p['id']}/movements", params={"type": "shipment"})
    assert r.status_code == 200
    moves = r.json()["items"]
    assert len(moves) == 1
    assert moves[0]["delta"] == -6
    assert moves[0]["quantity_after"] == 4
    assert moves[0]["reference"] == f"order:{order['id']}"

    r = client.post(f"/orders/{order['id']}/ship")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_order_state"
    r = client.post(f"/orders/{order['id']}/cancel")
    assert r.status_code == 409
    assert product_state(client, p["id"]) == (4, 0, 4)


def test_cancel_releases_reservation(client):
    p = make_product(client, "ORD-CANCEL", stock=8)
    order = place(client, [{"product_id": p["id"], "quantity": 5}], email="cancel@example.org").json()
    assert product_state(client, p["id"]) == (8, 5, 3)
    r = client.post(f"/orders/{order['id']}/cancel")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    assert product_state(client, p["id"]) == (8, 0, 8)
    r = client.get(f"/products/{p['id']}/movements", params={"type": "shipment"})
    assert r.json()["items"] == []

    assert client.post(f"/orders/{order['id']}/cancel").status_code == 409
    assert client.post(f"/orders/{order['id']}/ship").status_code == 409
    assert client.get(f"/orders/{order['id']}").json()["status"] == "cancelled"


def test_list_orders_filters(client):
    p = make_product(client, "ORD-LIST", stock=20)
    email = "lister@example.org"
    ids = []
    for _ in range(3):
        r = place(client, [{"product_id": p["id"], "quantity": 1}], email=email)
        assert r.status_code == 201
        ids.append(r.json()["id"])
    assert client.post(f"/orders/{ids[1]}/cancel").status_code == 200

    r = client.get("/orders", params={"customer_email": "Lister@Example.org"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 3
    assert [o["id"] for o in body["items"]] == ids
    assert all(o["customer_email"] == email for o in body["items"])

    r = client.get("/orders", params={"customer_email": email, "status": "pending"})
    assert [o["id"] for o in r.json()["items"]] == [ids[0], ids[2]]
    assert r.json()["count"] == 2
    r = client.get("/orders", params={"customer_email": email, "status": "cancelled"})
    assert [o["id"] for o in r.json()["items"]] == [ids[1]]

    assert client.get("/orders", params={"status": "lost"}).status_code == 400


def test_unknown_and_invalid_order_ids(client):
    assert client.get("/orders/99999999").status_code == 404
    assert client.post("/orders/99999999/ship").status_code == 404
    assert client.post("/orders/99999999/cancel").status_code == 404
    assert client.get("/orders/abc").status_code == 400
    assert client.post("/orders/0/ship").status_code == 400
    r = client.get("/orders/99999999")
    assert r.json()["error"]["code"] == "not_found"
