"""Hidden tests for the order endpoints of the warehouse service (OrderService)."""
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


def make_product(client, sku, unit_price, stock):
    response = client.post("/api/products", json={"sku": sku, "name": f"Item {sku}", "unitPrice": unit_price})
    assert response.status_code == 201, response.text
    product = response.json()
    if stock:
        received = client.post(f"/api/products/{product['id']}/receipts", json={"quantity": stock, "reference": "PO-TEST"})
        assert received.status_code == 201, received.text
    return product


def product_state(client, product_id):
    response = client.get(f"/api/products/{product_id}")
    assert response.status_code == 200
    return response.json()


def test_place_order_reserves_stock(client):
    t = token()
    chair = make_product(client, f"CHAIR-{t}", 49.99, 10)
    desk = make_product(client, f"DESK-{t}", 120, 3)

    response = client.post("/api/orders", json={
        "customer": f"  Office {t}  ",
        "lines": [{"sku": f"chair-{t.lower()}", "quantity": 4}, {"sku": f"DESK-{t}", "quantity": 1}],
    })
    assert response.status_code == 201
    order = response.json()
    assert isinstance(order["id"], int)
    assert order["customer"] == f"Office {t}"
    assert order["status"] == "reserved"
    assert response.headers["location"] == f"/api/orders/{order['id']}"
    assert [(l["productId"], l["sku"], l["quantity"]) for l in order["lines"]] == [
        (chair["id"], f"CHAIR-{t}", 4), (desk["id"], f"DESK-{t}", 1)]
    assert order["lines"][0]["unitPrice"] == pytest.approx(49.99)
    assert order["lines"][0]["lineTotal"] == pytest.approx(199.96)
    assert order["lines"][1]["lineTotal"] == pytest.approx(120)
    assert order["total"] == pytest.approx(319.96)
    assert order["createdAt"] and order["updatedAt"]

    chair_now = product_state(client, chair["id"])
    assert (chair_now["quantityOnHand"], chair_now["quantityReserved"], chair_now["quantityAvailable"]) == (10, 4, 6)
    desk_now = product_state(client, desk["id"])
    assert (desk_now["quantityOnHand"], desk_now["quantityReserved"], desk_now["quantityAvailable"]) == (3, 1, 2)

    fetched = client.get(f"/api/orders/{order['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["total"] == pytest.approx(319.96)
    assert fetched.json()["status"] == "reserved"


def test_place_order_validation(client):
    t = token()
    make_product(client, f"VAL-{t}", 1, 5)

    empty = client.post("/api/orders", json={})
    assert empty.status_code == 400
    assert set(empty.json()["errors"]) >= {"customer", "lines"}

    no_lines = client.post("/api/orders", json={"customer": "Valid Customer", "lines": []})
    assert no_lines.status_code == 400
    assert "lines" in no_lines.json()["errors"]

    bad_lines = client.post("/api/orders", json={"customer": "Valid Customer", "lines": [
        {"sku": f"VAL-{t}", "quantity": 0},
        {"quantity": 1},
    ]})
    assert bad_lines.status_code == 400
    assert set(bad_lines.json()["errors"]) >= {"lines[0].quantity", "lines[1].sku"}

    duplicate = client.post("/api/orders", json={"customer": "Valid Customer", "lines": [
        {"sku": f"VAL-{t}", "quantity": 1}, {"sku": f"val-{t.lower()}", "quantity": 2},
    ]})
    assert duplicate.status_code == 400
    assert "lines[1].sku" in duplicate.json()["errors"]

    not_a_list = client.post("/api/orders", json={"customer": "Valid Customer", "lines": "VAL"})
    assert not_a_list.status_code == 400

    short_customer = client.post("/api/orders", json={"customer": "V", "lines": [{"sku": f"VAL-{t}", "quantity": 1}]})
    assert short_customer.status_code == 400
    assert "customer" in short_customer.json()["errors"]

    assert product_state(client, client.get(f"/api/products/by-sku/VAL-{t}").json()["id"])["quantityReserved"] == 0


def test_unknown_sku_and_shortage_reserve_nothing(client):
    t = token()
    lamp = make_product(client, f"LAMP-{t}", 15, 5)
    bulb = make_product(client, f"BULB-{t}", 2, 2)

    unknown = client.post("/api/orders", json={"customer": "Shop A", "lines": [
        {"sku": f"LAMP-{t}", "quantity": 1}, {"sku": f"MISSING-{t}", "quantity": 1}]})
    assert unknown.status_code == 422

    short = client.post("/api/orders", json={"customer": "Shop A", "lines": [
        {"sku": f"LAMP-{t}", "quantity": 5}, {"sku": f"BULB-{t}", "quantity": 3}]})
    assert short.status_code == 409

    assert product_state(client, lamp["id"])["quantityReserved"] == 0
    assert product_state(client, bulb["id"])["quantityReserved"] == 0

    exact = client.post("/api/orders", json={"customer": "Shop A", "lines": [
        {"sku": f"LAMP-{t}", "quantity": 5}, {"sku": f"BULB-{t}", "quantity": 2}]})
    assert exact.status_code == 201

    nothing_left = client.post("/api/orders", json={"customer": "Shop B", "lines": [{"sku": f"LAMP-{t}", "quantity": 1}]})
    assert nothing_left.status_code == 409
    assert product_state(client, lamp["id"])["quantityAvailable"] == 0


def test_ship_order(client):
    t = token()
    cable = make_product(client, f"CABLE-{t}", 3.5, 20)
    order = client.post("/api/orders", json={"customer": "Shipper", "lines": [{"sku": f"CABLE-{t}", "quantity": 6}]}).json()

    shipped = client.post(f"/api/orders/{order['id']}/ship")
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert shipped.json()["total"] == pytest.approx(21)
    assert client.get(f"/api/orders/{order['id']}").json()["status"] == "shipped"

    state = product_state(client, cable["id"])
    assert (state["quantityOnHand"], state["quantityReserved"], state["quantityAvailable"]) == (14, 0, 14)

    movements = client.get(f"/api/products/{cable['id']}/movements").json()
    shipments = [m for m in movements if m["type"] == "shipment"]
    assert len(shipments) == 1
    assert shipments[0]["quantity"] == -6
    assert shipments[0]["reference"] == f"order:{order['id']}"
    assert shipments[0]["balanceAfter"] == 14

    assert client.post(f"/api/orders/{order['id']}/ship").status_code == 409
    assert client.post(f"/api/orders/{order['id']}/cancel").status_code == 409
    assert product_state(client, cable["id"])["quantityOnHand"] == 14


def test_cancel_order_releases_reservation(client):
    t = token()
    mug = make_product(client, f"MUG-{t}", 8, 4)
    order = client.post("/api/orders", json={"customer": "Canceller", "lines": [{"sku": f"MUG-{t}", "quantity": 4}]}).json()
    assert product_state(client, mug["id"])["quantityAvailable"] == 0

    cancelled = client.post(f"/api/orders/{order['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"

    state = product_state(client, mug["id"])
    assert (state["quantityOnHand"], state["quantityReserved"], state["quantityAvailable"]) == (4, 0, 4)
    movements = client.get(f"/api/products/{mug['id']}/movements").json()
    assert [m["type"] for m in movements] == ["receipt"]

    assert client.post(f"/api/orders/{order['id']}/cancel").status_code == 409
    assert client.post(f"/api/orders/{order['id']}/ship").status_code == 409

    again = client.post("/api/orders", json={"customer": "Canceller", "lines": [{"sku": f"MUG-{t}", "quantity": 4}]})
    assert again.status_code == 201


def test_price_is_snapshotted(client):
    t = token()
    pen = make_product(client, f"PEN-{t}", 1.25, 10)
    order = client.post("/api/orders", json={"customer": "Snapshot", "lines": [{"sku": f"PEN-{t}", "quantity": 2}]}).json()
    assert client.put(f"/api/products/{pen['id']}", json={"name": "Pen", "unitPrice": 9.75, "reorderLevel": 0}).status_code == 200

    fetched = client.get(f"/api/orders/{order['id']}").json()
    assert fetched["lines"][0]["unitPrice"] == pytest.approx(1.25)
    assert fetched["total"] == pytest.approx(2.5)

    newer = client.post("/api/orders", json={"customer": "Snapshot", "lines": [{"sku": f"PEN-{t}", "quantity": 2}]}).json()
    assert newer["total"] == pytest.approx(19.5)


def test_list_and_unknown_orders(client):
    t = token()
    make_product(client, f"LST-{t}", 1, 10)
    customer = f"Lister {t}"
    first = client.post("/api/orders", json={"customer": customer, "lines": [{"sku": f"LST-{t}", "quantity": 1}]}).json()
    second = client.post("/api/orders", json={"customer": customer, "lines": [{"sku": f"LST-{t}", "quantity": 2}]}).json()
    assert client.post(f"/api/orders/{second['id']}/ship").status_code == 200

    mine = client.get("/api/orders", params={"customer": customer.lower()})
    assert mine.status_code == 200
    assert [o["id"] for o in mine.json()] == [first["id"], second["id"]]

    shipped = client.get("/api/orders", params={"customer": customer, "status": "shipped"})
    assert [o["id"] for o in shipped.json()] == [second["id"]]

    all_reserved = client.get("/api/orders", params={"status": "reserved"})
    assert all(o["status"] == "reserved" for o in all_reserved.json())
    assert first["id"] in [o["id"] for o in all_reserved.json()]

    assert client.get("/api/orders", params={"status": "pending"}).status_code == 400
    assert client.get("/api/orders/987654321").status_code == 404
    assert client.post("/api/orders/987654321/ship").status_code == 404
    assert client.post("/api/orders/987654321/cancel").status_code == 404
