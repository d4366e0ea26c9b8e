"""Hidden end-to-end tests of the product catalogue endpoints (each test uses its own skus)."""

import os

import httpx
import pytest

BASE = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")
TIMEOUT = 10


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE, timeout=TIMEOUT) as c:
        yield c


def create(client, sku, **extra):
    body = {"sku": sku, "name": f"Product {sku}", "unit_price_cents": 100, **extra}
    r = client.post("/products", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_product_with_defaults(client):
    r = client.post("/products", json={"sku": "PRD-CREATE-1", "name": "  Hex key set ", "unit_price_cents": 1299})
    assert r.status_code == 201, r.text
    p = r.json()
    assert isinstance(p["id"], int)
    assert r.headers["location"] == f"/products/{p['id']}"
    assert p["sku"] == "PRD-CREATE-1"
    assert p["name"] == "Hex key set"
    assert p["description"] == ""
    assert p["unit_price_cents"] == 1299
    assert p["reorder_level"] == 0
    assert p["active"] is True
    assert (p["quantity_on_hand"], p["quantity_reserved"], p["quantity_available"]) == (0, 0, 0)
    assert isinstance(p["created_at"], str) and isinstance(p["updated_at"], str)
    r = client.get(f"/products/{p['id']}")
    assert r.status_code == 200
    assert r.json() == p


def test_create_product_with_all_fields(client):
    p = create(client, "PRD-FULL", description="Zinc plated", reorder_level=40, active=False,
               unit_price_cents=0)
    assert p["description"] == "Zinc plated"
    assert p["reorder_level"] == 40
    assert p["active"] is False
    assert p["unit_price_cents"] == 0


def test_duplicate_sku_conflicts(client):
    create(client, "PRD-DUP")
    r = client.post("/products", json={"sku": "PRD-DUP", "name": "Other", "unit_price_cents": 5})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "duplicate_sku"


@pytest.mark.parametrize("body", [
    {"name": "No sku", "unit_price_cents": 1},
    {"sku": "PRD-V1", "unit_price_cents": 1},
    {"sku": "PRD-V2", "name": "No price"},
    {"sku": "prd-lower", "name": "x", "unit_price_cents": 1},
    {"sku": "-PRD", "name": "x", "unit_price_cents": 1},
    {"sku": "AB", "name": "x", "unit_price_cents": 1},
    {"sku": "PRD-V3", "name": "", "unit_price_cents": 1},
    {"sku": "PRD-V4", "name": "x", "unit_price_cents": -1},
    {"sku": "PRD-V5", "name": "x", "unit_price_cents": 1.5},
    {"sku": "PRD-V6", "name": "x", "unit_price_cents": "1"},
    {"sku": "PRD-V7", "name": "x", "unit_price_cents": True},
    {"sku": "PRD-V8", "name": "x", "unit_price_cents": 1, "active": 1},
    {"sku": "PRD-V9", "name": "x", "unit_price_cents": 1, "reorder_level": -3},
    {"sku": "PRD-V10", "name": "x", "unit_price_cents": 1, "quantity_on_hand": 5},
    {"sku": "PRD-V11", "name": "x" * 121, "unit_price_cents": 1},
    ["PRD-V12"],
])
def test_create_product_validation(client, body):
    r = client.post("/products", json=body)
    assert r.status_code == 400, r.text
    assert "error" in r.json()
    if isinstance(body, dict) and "sku" in body:
        listed = client.get("/products", params={"search": body["sku"]}).json()
        assert all(p["sku"] != body["sku"] for p in listed["items"])


def test_malformed_json_is_400(client):
    r = client.post("/products", content=b'{"sku": "PRD-BROKEN",', headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_search_pagination_and_filters(client):
    skus = ["PRDSRCH-C", "PRDSRCH-A", "PRDSRCH-E", "PRDSRCH-B", "PRDSRCH-D"]
    for sku in skus:
        create(client, sku, active=(sku != "PRDSRCH-D"))
    r = client.get("/products", params={"search": "prdsrch"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 5
    assert (body["limit"], body["offset"]) == (20, 0)
    assert [p["sku"] for p in body["items"]] == sorted(skus)

    r = client.get("/products", params={"search": "PRDSRCH", "limit": 2, "offset": 1})
    body = r.json()
    assert [p["sku"] for p in body["items"]] == ["PRDSRCH-B", "PRDSRCH-C"]
    assert (body["total"], body["limit"], body["offset"]) == (5, 2, 1)

    r = client.get("/products", params={"search": "PRDSRCH", "active": "false"})
    assert [p["sku"] for p in r.json()["items"]] == ["PRDSRCH-D"]
    r = client.get("/products", params={"search": "PRDSRCH", "active": "true"})
    assert r.json()["total"] == 4

    r = client.get("/products", params={"search": "PRDSRCH", "offset": 10})
    assert r.json()["items"] == [] and r.json()["total"] == 5


def test_search_matches_name_and_escapes_wildcards(client):
    create(client, "PRDNAME-1", name="Quasar widget")
    create(client, "PRDNAME-2", name="quasar_gadget")
    r = client.get("/products", params={"search": "QUASAR"})
    assert [p["sku"] for p in r.json()["items"] if p["sku"].startswith("PRDNAME")] == ["PRDNAME-1", "PRDNAME-2"]
    r = client.get("/products", params={"search": "quasar_"})
    assert [p["sku"] for p in r.json()["items"]] == ["PRDNAME-2"]
    r = client.get("/products", params={"search": "quasar%gadget"})
    assert r.json()["total"] == 0


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"active": "yes"},
                                    {"limit": "ten"}, {"color": "red"}])
def test_list_rejects_bad_query(client, params):
    assert client.get("/products", params=params).status_code == 400


def test_patch_product(client):
    p = create(client, "PRD-PATCH", reorder_level=5)
    r = client.patch(f"/products/{p['id']}", json={"name": "Renamed", "unit_price_cents": 450,
                                                  "active": False, "description": "new"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["name"], body["unit_price_cents"], body["active"], body["description"]) == ("Renamed", 450, False, "new")
    assert body["sku"] == "PRD-PATCH"
    assert body["reorder_level"] == 5
    assert client.get(f"/products/{p['id']}").json()["name"] == "Renamed"
    assert client.patch(f"/products/{p['id']}", json={}).status_code == 200
    assert client.patch(f"/products/{p['id']}", json={"sku": "PRD-OTHER"}).status_code == 400
    assert client.patch(f"/products/{p['id']}", json={"quantity_on_hand": 9}).status_code == 400
    assert client.patch(f"/products/{p['id']}", json={"unit_price_cents": -5}).status_code == 400
    assert client.patch("/products/99999999", json={"name": "x"}).status_code == 404


def test_delete_product(client):
    p = create(client, "PRD-DELETE")
    assert client.post(f"/products/{p['id']}/adjustments", json={"type": "receipt", "quantity": 3}).status_code == 201
    r = client.delete(f"/products/{p['id']}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(f"/products/{p['id']}").status_code == 404
    assert client.delete(f"/products/{p['id']}").status_code == 404
    assert client.get("/products/abc").status_code == 400
    assert client.delete("/products/0").status_code == 400


def test_delete_product_on_order_conflicts(client):
    p = create(client, "PRD-ORDERED")
    assert client.post(f"/products/{p['id']}/adjustments", json={"type": "receipt", "quantity": 3}).status_code == 201
    r = client.post("/orders", json={"customer_name": "D", "customer_email": "prd-ordered@example.org",
                                     "lines": [{"product_id": p["id"], "quantity": 1}]})
    assert r.status_code == 201, r.text
    assert client.post(f"/orders/{r.json()['id']}/cancel").status_code == 200
    r = client.delete(f"/products/{p['id']}")
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "product_in_use"
    assert client.get(f"/products/{p['id']}").status_code == 200
