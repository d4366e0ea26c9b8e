"""Hidden tests for the product catalogue endpoints of the warehouse service (ProductService)."""
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


def make_product(client, sku, name=None, unit_price=10, reorder_level=0):
    response = client.post("/api/products", json={
        "sku": sku, "name": name or f"Product {sku}", "unitPrice": unit_price, "reorderLevel": reorder_level,
    })
    assert response.status_code == 201, response.text
    return response.json()


def test_create_product(client):
    t = token()
    response = client.post("/api/products", json={
        "sku": f"  bolt-{t.lower()}  ", "name": "  Hex bolt M8  ", "unitPrice": 0.35,
    })
    assert response.status_code == 201
    product = response.json()
    assert isinstance(product["id"], int)
    assert product["sku"] == f"BOLT-{t}"
    assert product["name"] == "Hex bolt M8"
    assert product["unitPrice"] == pytest.approx(0.35)
    assert product["reorderLevel"] == 0
    assert product["quantityOnHand"] == 0
    assert product["quantityReserved"] == 0
    assert product["quantityAvailable"] == 0
    assert product["createdAt"] and product["updatedAt"]
    assert response.headers["location"] == f"/api/products/{product['id']}"

    with_level = make_product(client, f"NUT-{t}", unit_price=1, reorder_level=25)
    assert with_level["reorderLevel"] == 25


def test_create_product_validation(client):
    t = token()
    bad = client.post("/api/products", json={"sku": "-AB", "name": "X", "unitPrice": -1, "reorderLevel": -5})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"sku", "name", "unitPrice", "reorderLevel"}

    missing = client.post("/api/products", json={})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) >= {"sku", "name", "unitPrice"}

    cents = client.post("/api/products", json={"sku": f"CENT-{t}", "name": "Cent", "unitPrice": 1.999})
    assert cents.status_code == 400
    assert "unitPrice" in cents.json()["errors"]

    wrong_type = client.post("/api/products", json={"sku": f"TYPE-{t}", "name": "Typed", "unitPrice": "9.99"})
    assert wrong_type.status_code == 400
    assert "unitPrice" in wrong_type.json()["errors"]

    bad_chars = client.post("/api/products", json={"sku": f"A B_{t}", "name": "Spaces", "unitPrice": 1})
    assert bad_chars.status_code == 400

    malformed = client.post("/api/products", content=b"{", headers={"content-type": "application/json"})
    assert malformed.status_code == 400


def test_duplicate_sku_conflicts_case_insensitively(client):
    t = token()
    make_product(client, f"DUP-{t}")
    again = client.post("/api/products", json={"sku": f"dup-{t.lower()}", "name": "Other", "unitPrice": 2})
    assert again.status_code == 409
    matches = client.get("/api/products", params={"search": f"DUP-{t}"}).json()
    assert len(matches) == 1


def test_get_by_id_and_by_sku(client):
    t = token()
    product = make_product(client, f"GET-{t}", name="Gettable gadget", unit_price=4.5)
    by_id = client.get(f"/api/products/{product['id']}")
    assert by_id.status_code == 200
    assert by_id.json()["sku"] == f"GET-{t}"
    assert by_id.json()["name"] == "Gettable gadget"

    by_sku = client.get(f"/api/products/by-sku/get-{t.lower()}")
    assert by_sku.status_code == 200
    assert by_sku.json()["id"] == product["id"]

    assert client.get("/api/products/987654321").status_code == 404
    assert client.get(f"/api/products/by-sku/NONE-{t}").status_code == 404


def test_list_and_search(client):
    t = token()
    first = make_product(client, f"SRCHA-{t}", name=f"Copper pipe {t}")
    second = make_product(client, f"SRCHB-{t}", name=f"Brass valve {t}")
    third = make_product(client, f"OTHER-{t}", name="Unrelated item")

    by_name = client.get("/api/products", params={"search": f"pipe {t.lower()}"})
    assert by_name.status_code == 200
    assert [p["id"] for p in by_name.json()] == [first["id"]]

    by_token = client.get("/api/products", params={"search": t.lower()})
    assert [p["id"] for p in by_token.json()] == [first["id"], second["id"], third["id"]]

    by_sku_part = client.get("/api/products", params={"search": f"srchb-{t}"})
    assert [p["id"] for p in by_sku_part.json()] == [second["id"]]

    everything = client.get("/api/products")
    assert everything.status_code == 200
    ids = [p["id"] for p in everything.json()]
    assert {first["id"], second["id"], third["id"]} <= set(ids)
    assert ids == sorted(ids)


def test_replace_product(client):
    t = token()
    product = make_product(client, f"PUT-{t}", name="Old name", unit_price=5, reorder_level=1)
    received = client.post(f"/api/products/{product['id']}/receipts", json={"quantity": 7, "reference": "PO-PUT"})
    assert received.status_code == 201

    response = client.put(f"/api/products/{product['id']}",
                          json={"name": "  New name ", "unitPrice": 6.25, "reorderLevel": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "New name"
    assert body["unitPrice"] == pytest.approx(6.25)
    assert body["reorderLevel"] == 3
    assert body["sku"] == f"PUT-{t}"
    assert body["quantityOnHand"] == 7
    assert client.get(f"/api/products/{product['id']}").json()["name"] == "New name"

    partial = client.put(f"/api/products/{product['id']}", json={"name": "Only name"})
    assert partial.status_code == 400
    assert set(partial.json()["errors"]) >= {"unitPrice", "reorderLevel"}

    sku_change = client.put(f"/api/products/{product['id']}",
                            json={"name": "Renamed", "unitPrice": 1, "reorderLevel": 0, "sku": f"NEW-{t}"})
    assert sku_change.status_code == 400
    assert "sku" in sku_change.json()["errors"]
    assert client.get(f"/api/products/{product['id']}").json()["name"] == "New name"

    missing = client.put("/api/products/987654321", json={"name": "Ghost", "unitPrice": 1, "reorderLevel": 0})
    assert missing.status_code == 404


def test_delete_product(client):
    t = token()
    product = make_product(client, f"DEL-{t}")
    response = client.delete(f"/api/products/{product['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/products/{product['id']}").status_code == 404
    assert client.delete(f"/api/products/{product['id']}").status_code == 404


def test_delete_reserved_product_conflicts(client):
    t = token()
    product = make_product(client, f"RSV-{t}", unit_price=3)
    assert client.post(f"/api/products/{product['id']}/receipts",
                       json={"quantity": 10, "reference": "PO-RSV"}).status_code == 201
    order = client.post("/api/orders", json={"customer": f"Customer {t}", "lines": [{"sku": f"RSV-{t}", "quantity": 4}]})
    assert order.status_code == 201

    blocked = client.delete(f"/api/products/{product['id']}")
    assert blocked.status_code == 409
    assert client.get(f"/api/products/{product['id']}").status_code == 200

    assert client.post(f"/api/orders/{order.json()['id']}/cancel").status_code == 200
    assert client.delete(f"/api/products/{product['id']}").status_code == 204
