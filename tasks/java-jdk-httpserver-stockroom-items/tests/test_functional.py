"""Hidden tests for the item catalogue endpoints (/items, /items/{sku})."""

import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")


def client():
    return httpx.Client(base_url=BASE_URL, timeout=10)


def create(c, sku, name, **extra):
    body = {"sku": sku, "name": name, **extra}
    response = c.post("/items", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_item_returns_full_representation_with_defaults():
    with client() as c:
        response = c.post("/items", json={"sku": "CRT-BOLT-M6", "name": "  M6 hex bolt  "})
        assert response.status_code == 201
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() == {
            "sku": "CRT-BOLT-M6",
            "name": "M6 hex bolt",
            "unit_price_cents": 0,
            "reorder_level": 0,
            "quantity": 0,
        }
        full = create(c, "CRT-NUT-M6", "M6 nut", unit_price_cents=7, reorder_level=250)
        assert full["unit_price_cents"] == 7
        assert full["reorder_level"] == 250
        assert full["quantity"] == 0

        fetched = c.get("/items/CRT-NUT-M6")
        assert fetched.status_code == 200
        assert fetched.json() == full


def test_create_item_validation_errors():
    with client() as c:
        bad_bodies = [
            {"name": "no sku"},
            {"sku": "VAL-NONAME"},
            {"sku": "VAL-BLANK", "name": "   "},
            {"sku": "val-lower", "name": "lowercase sku"},
            {"sku": "AB", "name": "too short"},
            {"sku": "-VAL-DASH", "name": "leading dash"},
            {"sku": "VAL-PRICE", "name": "negative price", "unit_price_cents": -1},
            {"sku": "VAL-PRICE2", "name": "string price", "unit_price_cents": "12"},
            {"sku": "VAL-REORDER", "name": "fractional reorder", "reorder_level": 2.5},
            {"sku": "VAL-QTY", "name": "with quantity", "quantity": 10},
            {"sku": "VAL-LONG", "name": "x" * 121},
        ]
        for body in bad_bodies:
            response = c.post("/items", json=body)
            assert response.status_code == 400, body
            assert isinstance(response.json().get("error"), str), body

        malformed = c.post("/items", content=b'{"sku": "VAL-JSON",', headers={"content-type": "application/json"})
        assert malformed.status_code == 400
        assert "error" in malformed.json()
        not_object = c.post("/items", json=["VAL-ARRAY"])
        assert not_object.status_code == 400

        for body in bad_bodies:
            sku = body.get("sku")
            if isinstance(sku, str) and sku and sku[0] != "-":
                assert c.get(f"/items/{sku}").status_code == 404, sku


def test_duplicate_sku_conflicts():
    with client() as c:
        create(c, "DUP-WASHER-8", "Washer 8mm", unit_price_cents=3)
        response = c.post("/items", json={"sku": "DUP-WASHER-8", "name": "Other washer"})
        assert response.status_code == 409
        assert "error" in response.json()
        assert c.get("/items/DUP-WASHER-8").json()["name"] == "Washer 8mm"


def test_get_unknown_item_is_404():
    with client() as c:
        response = c.get("/items/MISSING-ITEM-404")
        assert response.status_code == 404
        assert isinstance(response.json()["error"], str)


def test_list_search_and_paging():
    with client() as c:
        create(c, "LSTQ-C", "Listq gamma")
        create(c, "LSTQ-A", "Listq alpha")
        create(c, "ZZZ-LSTQ-NAME", "Other thing")
        create(c, "LSTQ-B", "Listq beta")
        create(c, "ZZZ-OTHER-9", "LISTQ by name only")

        response = c.get("/items", params={"q": "lstq"})
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == 4
        assert body["limit"] == 50
        assert body["offset"] == 0
        assert [i["sku"] for i in body["items"]] == ["LSTQ-A", "LSTQ-B", "LSTQ-C", "ZZZ-LSTQ-NAME"]

        by_name = c.get("/items", params={"q": "listq"}).json()
        assert [i["sku"] for i in by_name["items"]] == ["LSTQ-A", "LSTQ-B", "LSTQ-C", "ZZZ-OTHER-9"]
        assert by_name["items"][0] == {
            "sku": "LSTQ-A", "name": "Listq alpha", "unit_price_cents": 0, "reorder_level": 0, "quantity": 0,
        }

        page = c.get("/items", params={"q": "lstq", "limit": 2, "offset": 1}).json()
        assert page["total"] == 4
        assert page["limit"] == 2
        assert page["offset"] == 1
        assert [i["sku"] for i in page["items"]] == ["LSTQ-B", "LSTQ-C"]

        past_end = c.get("/items", params={"q": "lstq", "offset": 10}).json()
        assert past_end["items"] == []
        assert past_end["total"] == 4

        for params in ({"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"offset": -1}):
            assert c.get("/items", params=params).status_code == 400, params


def test_patch_item_fields():
    with client() as c:
        create(c, "PAT-GLUE-1", "Wood glue", unit_price_cents=450, reorder_level=5)

        response = c.patch("/items/PAT-GLUE-1", json={"unit_price_cents": 499})
        assert response.status_code == 200
        assert response.json() == {
            "sku": "PAT-GLUE-1", "name": "Wood glue", "unit_price_cents": 499, "reorder_level": 5, "quantity": 0,
        }

        response = c.patch("/items/PAT-GLUE-1", json={"name": "Wood glue 250ml", "reorder_level": 0})
        assert response.status_code == 200
        assert response.json()["name"] == "Wood glue 250ml"
        assert response.json()["reorder_level"] == 0
        assert response.json()["unit_price_cents"] == 499

        assert c.get("/items/PAT-GLUE-1").json() == response.json()


def test_patch_item_errors():
    with client() as c:
        create(c, "PATE-TAPE-1", "Duct tape", unit_price_cents=300)
        for body in ({}, {"quantity": 5}, {"sku": "PATE-TAPE-2"}, {"name": ""},
                     {"unit_price_cents": -5}, {"reorder_level": "many"}):
            response = c.patch("/items/PATE-TAPE-1", json=body)
            assert response.status_code == 400, body
            assert "error" in response.json()
        assert c.get("/items/PATE-TAPE-1").json()["unit_price_cents"] == 300
        assert c.get("/items/PATE-TAPE-1").json()["name"] == "Duct tape"

        missing = c.patch("/items/PATE-MISSING", json={"name": "x"})
        assert missing.status_code == 404


def test_delete_item():
    with client() as c:
        create(c, "DEL-SAW-1", "Hand saw")
        response = c.delete("/items/DEL-SAW-1")
        assert response.status_code == 204
        assert response.content == b""
        assert c.get("/items/DEL-SAW-1").status_code == 404
        assert c.delete("/items/DEL-SAW-1").status_code == 404
        # the SKU can be reused afterwards
        assert create(c, "DEL-SAW-1", "Hand saw v2")["name"] == "Hand saw v2"


def test_delete_item_with_stock_on_hand_conflicts():
    with client() as c:
        create(c, "DELS-DRILL-1", "Cordless drill")
        received = c.post("/items/DELS-DRILL-1/movements", json={"type": "receive", "quantity": 3})
        assert received.status_code == 201
        response = c.delete("/items/DELS-DRILL-1")
        assert response.status_code == 409
        assert "error" in response.json()
        assert c.get("/items/DELS-DRILL-1").json()["quantity"] == 3

        shipped = c.post("/items/DELS-DRILL-1/movements", json={"type": "ship", "quantity": 3})
        assert shipped.status_code == 201
        assert c.delete("/items/DELS-DRILL-1").status_code == 204
