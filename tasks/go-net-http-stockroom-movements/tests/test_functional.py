import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")
TIMEOUT = 10


def client() -> httpx.Client:
    return httpx.Client(base_url=BASE_URL, timeout=TIMEOUT)


def create(c, sku, price=100, location="", reorder_level=0):
    r = c.post(
        "/products",
        json={"sku": sku, "name": f"Item {sku}", "unit_price_cents": price, "location": location, "reorder_level": reorder_level},
    )
    assert r.status_code == 201, r.text
    return r.json()


def move(c, sku, type_, quantity, **extra):
    return c.post(f"/products/{sku}/movements", json={"type": type_, "quantity": quantity, **extra})


def test_receive_adds_stock_and_returns_movement_and_product():
    with client() as c:
        create(c, "MV-RECV-01")
        r = move(c, "MV-RECV-01", "receive", 12, reference=" PO-1001 ", note="first delivery")
        assert r.status_code == 201, r.text
        body = r.json()
        m = body["movement"]
        assert isinstance(m["id"], int) and m["id"] > 0
        assert m["sku"] == "MV-RECV-01"
        assert m["type"] == "receive"
        assert m["quantity"] == 12
        assert m["delta"] == 12
        assert m["balance_after"] == 12
        assert m["reference"] == "PO-1001"
        assert m["note"] == "first delivery"
        assert body["product"]["quantity"] == 12
        assert c.get("/products/MV-RECV-01").json()["quantity"] == 12


def test_ship_and_adjust_update_balance():
    with client() as c:
        create(c, "MV-SHIP-02")
        assert move(c, "mv-ship-02", "RECEIVE", 10).status_code == 201
        shipped = move(c, "MV-SHIP-02", "ship", 4)
        assert shipped.status_code == 201
        assert shipped.json()["movement"]["delta"] == -4
        assert shipped.json()["movement"]["balance_after"] == 6
        adjusted = move(c, "MV-SHIP-02", "adjust", -2, note="damaged")
        assert adjusted.status_code == 201
        assert adjusted.json()["movement"]["quantity"] == -2
        assert adjusted.json()["movement"]["delta"] == -2
        assert adjusted.json()["product"]["quantity"] == 4
        up = move(c, "MV-SHIP-02", "adjust", 3)
        assert up.status_code == 201
        assert up.json()["movement"]["balance_after"] == 7
        assert c.get("/products/MV-SHIP-02").json()["quantity"] == 7


def test_overshipping_and_negative_adjustment_conflict():
    with client() as c:
        create(c, "MV-OVER-03")
        assert move(c, "MV-OVER-03", "receive", 5).status_code == 201
        over = move(c, "MV-OVER-03", "ship", 6)
        assert over.status_code == 409
        assert over.json()["error"] == "conflict"
        neg = move(c, "MV-OVER-03", "adjust", -6)
        assert neg.status_code == 409
        assert c.get("/products/MV-OVER-03").json()["quantity"] == 5
        ledger = c.get("/products/MV-OVER-03/movements").json()
        assert ledger["count"] == 1
        exact = move(c, "MV-OVER-03", "ship", 5)
        assert exact.status_code == 201
        assert exact.json()["product"]["quantity"] == 0


def test_movement_validation_and_unknown_product():
    with client() as c:
        create(c, "MV-VAL-04")
        for body in (
            {"type": "steal", "quantity": 1},
            {"type": "receive", "quantity": 0},
            {"type": "ship", "quantity": -3},
            {"type": "adjust", "quantity": 0},
            {"type": "receive"},
        ):
            r = c.post("/products/MV-VAL-04/movements", json=body)
            assert r.status_code == 422, (body, r.text)
            assert r.json()["error"] == "validation_failed"
            assert r.json()["fields"], body
        bad_type = c.post("/products/MV-VAL-04/movements", json={"type": "steal", "quantity": 1})
        assert [f["field"] for f in bad_type.json()["fields"]] == ["type"]
        malformed = c.post("/products/MV-VAL-04/movements", content=b"[1,2", headers={"Content-Type": "application/json"})
        assert malformed.status_code == 400
        assert c.get("/products/MV-VAL-04").json()["quantity"] == 0
        missing = move(c, "MV-NOPE-04", "receive", 1)
        assert missing.status_code == 404
        assert missing.json()["error"] == "not_found"


def test_ledger_lists_in_order_and_filters_by_type():
    with client() as c:
        create(c, "MV-LEDGER-05")
        ids = []
        for t, q in [("receive", 8), ("ship", 3), ("receive", 2), ("adjust", -1)]:
            r = move(c, "MV-LEDGER-05", t, q)
            assert r.status_code == 201
            ids.append(r.json()["movement"]["id"])
        assert ids == sorted(ids)
        r = c.get("/products/mv-ledger-05/movements")
        assert r.status_code == 200
        body = r.json()
        assert body["count"] == 4
        assert [m["id"] for m in body["movements"]] == ids
        assert [m["balance_after"] for m in body["movements"]] == [8, 5, 7, 6]
        receipts = c.get("/products/MV-LEDGER-05/movements", params={"type": "receive"}).json()
        assert [m["quantity"] for m in receipts["movements"]] == [8, 2]
        assert receipts["count"] == 2
        assert c.get("/products/MV-LEDGER-05/movements", params={"type": "bogus"}).status_code == 400
        assert c.get("/products/MV-NOPE-05/movements").status_code == 404


def test_new_product_has_empty_ledger():
    with client() as c:
        create(c, "MV-EMPTY-06")
        r = c.get("/products/MV-EMPTY-06/movements")
        assert r.status_code == 200
        assert r.json() == {"movements": [], "count": 0}


def test_low_stock_report_orders_by_shortfall():
    with client() as c:
        loc = "LOC-LOW-07"
        create(c, "MV-LOW-A", location=loc, reorder_level=10)  # shortfall 10
        create(c, "MV-LOW-B", location=loc, reorder_level=5)
        create(c, "MV-LOW-C", location=loc, reorder_level=4)
        create(c, "MV-LOW-D", location=loc, reorder_level=0)  # 0 <= 0 -> listed, shortfall 0
        assert move(c, "MV-LOW-B", "receive", 9).status_code == 201  # above level
        assert move(c, "MV-LOW-C", "receive", 4).status_code == 201  # at level, shortfall 0
        r = c.get("/reports/low-stock", params={"location": loc})
        assert r.status_code == 200
        body = r.json()
        assert body["count"] == 3
        assert [i["sku"] for i in body["items"]] == ["MV-LOW-A", "MV-LOW-C", "MV-LOW-D"]
        first = body["items"][0]
        assert first == {
            "sku": "MV-LOW-A",
            "name": "Item MV-LOW-A",
            "location": loc,
            "quantity": 0,
            "reorder_level": 10,
            "shortfall": 10,
        }
        assert body["items"][1]["shortfall"] == 0


def test_stock_value_report_per_location():
    with client() as c:
        loc = "LOC-VALUE-08"
        create(c, "MV-VAL-A", price=250, location=loc)
        create(c, "MV-VAL-B", price=1999, location=loc)
        create(c, "MV-VAL-C", price=5, location="LOC-VALUE-OTHER-08")
        assert move(c, "MV-VAL-A", "receive", 4).status_code == 201
        assert move(c, "MV-VAL-B", "receive", 3).status_code == 201
        assert move(c, "MV-VAL-B", "ship", 1).status_code == 201
        assert move(c, "MV-VAL-C", "receive", 100).status_code == 201
        r = c.get("/reports/stock-value", params={"location": loc})
        assert r.status_code == 200
        assert r.json() == {
            "location": loc,
            "product_count": 2,
            "total_units": 6,
            "total_value_cents": 4 * 250 + 2 * 1999,
        }
        empty = c.get("/reports/stock-value", params={"location": "LOC-NOTHING-08"}).json()
        assert empty == {"location": "LOC-NOTHING-08", "product_count": 0, "total_units": 0, "total_value_cents": 0}
