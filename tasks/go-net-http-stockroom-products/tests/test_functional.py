import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


def client() -> httpx.Client:
    return httpx.Client(base_url=BASE_URL, timeout=TIMEOUT)


def create(c, sku, name="Widget", price=250, **extra):
    body = {"sku": sku, "name": name, "unit_price_cents": price, **extra}
    return c.post("/products", json=body)


def test_create_product_returns_full_record():
    with client() as c:
        r = create(c, "PC-CREATE-01", name="  Hex bolt M6  ", price=35, location="A-01", reorder_level=20)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body == {
            "sku": "PC-CREATE-01",
            "name": "Hex bolt M6",
            "location": "A-01",
            "unit_price_cents": 35,
            "reorder_level": 20,
            "quantity": 0,
        }
        fetched = c.get("/products/PC-CREATE-01")
        assert fetched.status_code == 200
        assert fetched.json() == body


def test_create_normalises_sku_and_defaults():
    with client() as c:
        r = create(c, "pc-lower-02", name="Washer", price=5)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["sku"] == "PC-LOWER-02"
        assert body["location"] == ""
        assert body["reorder_level"] == 0
        assert body["quantity"] == 0
        assert c.get("/products/pc-lower-02").json()["sku"] == "PC-LOWER-02"


def test_duplicate_sku_conflicts():
    with client() as c:
        assert create(c, "PC-DUP-03").status_code == 201
        again = create(c, "pc-dup-03", name="Other")
        assert again.status_code == 409
        assert again.json()["error"] == "conflict"
        assert c.get("/products/PC-DUP-03").json()["name"] == "Widget"


def test_create_validation_errors_are_422_with_fields():
    with client() as c:
        r = c.post("/products", json={"sku": "-bad", "name": "   ", "unit_price_cents": -1, "reorder_level": -5})
        assert r.status_code == 422
        body = r.json()
        assert body["error"] == "validation_failed"
        fields = {f["field"] for f in body["fields"]}
        assert {"sku", "name", "unit_price_cents", "reorder_level"} <= fields

        missing_price = c.post("/products", json={"sku": "PC-NOPRICE-04", "name": "No price"})
        assert missing_price.status_code == 422
        assert "unit_price_cents" in {f["field"] for f in missing_price.json()["fields"]}
        assert c.get("/products/PC-NOPRICE-04").status_code == 404


def test_malformed_bodies_are_400():
    with client() as c:
        r = c.post("/products", content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 400
        assert r.json()["error"] == "bad_request"
        wrong_type = c.post("/products", json={"sku": "PC-TYPE-05", "name": "x", "unit_price_cents": "12"})
        assert wrong_type.status_code == 400
        unknown = c.post("/products", json={"sku": "PC-TYPE-05", "name": "x", "unit_price_cents": 1, "colour": "red"})
        assert unknown.status_code == 400
        assert c.get("/products/PC-TYPE-05").status_code == 404


def test_get_unknown_product_is_404():
    with client() as c:
        r = c.get("/products/PC-MISSING-06")
        assert r.status_code == 404
        assert r.json()["error"] == "not_found"


def test_list_filters_by_location_and_query_sorted_by_sku():
    with client() as c:
        for sku, name, loc in [
            ("PC-LST-B", "Brass hinge", "LOC-LIST-07"),
            ("PC-LST-A", "Steel hinge", "LOC-LIST-07"),
            ("PC-LST-C", "Steel hinge", "LOC-OTHER-07"),
        ]:
            assert create(c, sku, name=name, location=loc).status_code == 201
        r = c.get("/products", params={"location": "loc-list-07"})
        assert r.status_code == 200
        body = r.json()
        assert [p["sku"] for p in body["products"]] == ["PC-LST-A", "PC-LST-B"]
        assert body["count"] == 2
        q = c.get("/products", params={"location": "LOC-LIST-07", "q": "BRASS"}).json()
        assert [p["sku"] for p in q["products"]] == ["PC-LST-B"]
        by_sku = c.get("/products", params={"q": "pc-lst-c"}).json()
        assert [p["sku"] for p in by_sku["products"]] == ["PC-LST-C"]
        none = c.get("/products", params={"location": "LOC-EMPTY-07"}).json()
        assert none == {"products": [], "count": 0}


def test_patch_changes_only_given_fields():
    with client() as c:
        assert create(c, "PC-PATCH-08", name="Cable tie", price=12, location="B-2", reorder_level=3).status_code == 201
        r = c.patch("/products/pc-patch-08", json={"unit_price_cents": 15, "location": " B-3 "})
        assert r.status_code == 200, r.text
        assert r.json() == {
            "sku": "PC-PATCH-08",
            "name": "Cable tie",
            "location": "B-3",
            "unit_price_cents": 15,
            "reorder_level": 3,
            "quantity": 0,
        }
        assert c.get("/products/PC-PATCH-08").json()["unit_price_cents"] == 15
        bad = c.patch("/products/PC-PATCH-08", json={"name": "", "reorder_level": -1})
        assert bad.status_code == 422
        assert {f["field"] for f in bad.json()["fields"]} == {"name", "reorder_level"}
        assert c.get("/products/PC-PATCH-08").json()["name"] == "Cable tie"
        assert c.patch("/products/PC-NOPE-08", json={"name": "x"}).status_code == 404


def test_delete_product_without_stock():
    with client() as c:
        assert create(c, "PC-DEL-09").status_code == 201
        r = c.delete("/products/PC-DEL-09")
        assert r.status_code == 204
        assert r.content == b""
        assert c.get("/products/PC-DEL-09").status_code == 404
        assert c.delete("/products/PC-DEL-09").status_code == 404


def test_delete_refused_while_stock_on_hand():
    with client() as c:
        assert create(c, "PC-DEL-STOCK-10").status_code == 201
        moved = c.post("/products/PC-DEL-STOCK-10/movements", json={"type": "receive", "quantity": 4})
        assert moved.status_code == 201, moved.text
        r = c.delete("/products/PC-DEL-STOCK-10")
        assert r.status_code == 409
        assert r.json()["error"] == "conflict"
        assert c.get("/products/PC-DEL-STOCK-10").json()["quantity"] == 4
