"""Hidden tests for stock movements (/items/{sku}/movements) and /reports/low-stock."""

import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:8080").rstrip("/")


def client():
    return httpx.Client(base_url=BASE_URL, timeout=10)


def create(c, sku, name, **extra):
    response = c.post("/items", json={"sku": sku, "name": name, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def move(c, sku, type_, quantity, **extra):
    return c.post(f"/items/{sku}/movements", json={"type": type_, "quantity": quantity, **extra})


def test_receive_and_ship_change_quantity():
    with client() as c:
        create(c, "MOV-PIPE-15", "Copper pipe 15mm")
        received = move(c, "MOV-PIPE-15", "receive", 12, note="  delivery 4411 ")
        assert received.status_code == 201
        body = received.json()
        assert isinstance(body["id"], int)
        assert body["sku"] == "MOV-PIPE-15"
        assert body["type"] == "receive"
        assert body["quantity"] == 12
        assert body["balance_after"] == 12
        assert body["note"] == "delivery 4411"

        shipped = move(c, "MOV-PIPE-15", "ship", 5)
        assert shipped.status_code == 201
        assert shipped.json()["type"] == "ship"
        assert shipped.json()["quantity"] == 5
        assert shipped.json()["balance_after"] == 7
        assert shipped.json()["note"] is None
        assert shipped.json()["id"] > body["id"]

        item = c.get("/items/MOV-PIPE-15").json()
        assert item["quantity"] == 7


def test_ship_more_than_on_hand_conflicts_and_changes_nothing():
    with client() as c:
        create(c, "OVS-VALVE-1", "Ball valve")
        assert move(c, "OVS-VALVE-1", "receive", 4).status_code == 201
        response = move(c, "OVS-VALVE-1", "ship", 5)
        assert response.status_code == 409
        assert isinstance(response.json()["error"], str)
        assert c.get("/items/OVS-VALVE-1").json()["quantity"] == 4

        history = c.get("/items/OVS-VALVE-1/movements").json()
        assert [m["type"] for m in history["movements"]] == ["receive"]

        exact = move(c, "OVS-VALVE-1", "ship", 4)
        assert exact.status_code == 201
        assert exact.json()["balance_after"] == 0


def test_adjustments_are_signed():
    with client() as c:
        create(c, "ADJ-SEAL-3", "Rubber seal")
        assert move(c, "ADJ-SEAL-3", "adjust", 9).json()["balance_after"] == 9
        down = move(c, "ADJ-SEAL-3", "adjust", -4, note="stock take")
        assert down.status_code == 201
        assert down.json()["quantity"] == -4
        assert down.json()["balance_after"] == 5
        assert down.json()["note"] == "stock take"

        too_far = move(c, "ADJ-SEAL-3", "adjust", -6)
        assert too_far.status_code == 409
        assert c.get("/items/ADJ-SEAL-3").json()["quantity"] == 5


def test_movement_validation_errors():
    with client() as c:
        create(c, "MVAL-CLAMP-2", "Hose clamp")
        bad_bodies = [
            {"quantity": 3},
            {"type": "steal", "quantity": 3},
            {"type": "RECEIVE", "quantity": 3},
            {"type": "receive"},
            {"type": "receive", "quantity": 0},
            {"type": "receive", "quantity": -2},
            {"type": "ship", "quantity": -2},
            {"type": "adjust", "quantity": 0},
            {"type": "receive", "quantity": "3"},
            {"type": "receive", "quantity": 1.5},
            {"type": "receive", "quantity": 2000000},
            {"type": "receive", "quantity": 3, "note": "n" * 201},
            {"type": "receive", "quantity": 3, "note": "   "},
        ]
        for body in bad_bodies:
            response = c.post("/items/MVAL-CLAMP-2/movements", json=body)
            assert response.status_code == 400, body
            assert "error" in response.json(), body
        malformed = c.post("/items/MVAL-CLAMP-2/movements", content=b"{type",
                           headers={"content-type": "application/json"})
        assert malformed.status_code == 400

        assert c.get("/items/MVAL-CLAMP-2").json()["quantity"] == 0
        assert c.get("/items/MVAL-CLAMP-2/movements").json()["movements"] == []


def test_movements_on_unknown_item_are_404():
    with client() as c:
        response = move(c, "MISSING-MOV-404", "receive", 1)
        assert response.status_code == 404
        assert "error" in response.json()
        assert c.get("/items/MISSING-MOV-404/movements").status_code == 404


def test_history_is_ordered_and_filterable():
    with client() as c:
        create(c, "HIST-GASKET-7", "Gasket")
        ids = []
        for type_, qty in (("receive", 10), ("ship", 3), ("receive", 5), ("adjust", -1), ("ship", 2)):
            response = move(c, "HIST-GASKET-7", type_, qty)
            assert response.status_code == 201
            ids.append(response.json()["id"])
        assert ids == sorted(ids)

        history = c.get("/items/HIST-GASKET-7/movements")
        assert history.status_code == 200
        body = history.json()
        assert body["sku"] == "HIST-GASKET-7"
        assert body["quantity"] == 9
        assert [m["id"] for m in body["movements"]] == ids
        assert [(m["type"], m["quantity"], m["balance_after"]) for m in body["movements"]] == [
            ("receive", 10, 10), ("ship", 3, 7), ("receive", 5, 12), ("adjust", -1, 11), ("ship", 2, 9),
        ]
        assert all(m["sku"] == "HIST-GASKET-7" for m in body["movements"])

        ships = c.get("/items/HIST-GASKET-7/movements", params={"type": "ship"}).json()
        assert [m["id"] for m in ships["movements"]] == [ids[1], ids[4]]
        assert ships["quantity"] == 9

        assert c.get("/items/HIST-GASKET-7/movements", params={"type": "loss"}).status_code == 400


def test_low_stock_report():
    with client() as c:
        create(c, "LOWR-A", "Low report A", reorder_level=10)   # 0 on hand: shortfall 10
        create(c, "LOWR-B", "Low report B", reorder_level=5)    # 5 on hand: shortfall 0 (included)
        create(c, "LOWR-C", "Low report C", reorder_level=8)    # 20 on hand: not low
        create(c, "LOWR-D", "Low report D")                     # no reorder level: never low
        create(c, "LOWR-E", "Low report E", reorder_level=13)   # 3 on hand: shortfall 10
        assert move(c, "LOWR-B", "receive", 5).status_code == 201
        assert move(c, "LOWR-C", "receive", 20).status_code == 201
        assert move(c, "LOWR-E", "receive", 3).status_code == 201

        response = c.get("/reports/low-stock")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == len(body["items"])
        rows = [r for r in body["items"] if r["sku"].startswith("LOWR-")]
        assert rows == [
            {"sku": "LOWR-A", "name": "Low report A", "quantity": 0, "reorder_level": 10, "shortfall": 10},
            {"sku": "LOWR-E", "name": "Low report E", "quantity": 3, "reorder_level": 13, "shortfall": 10},
            {"sku": "LOWR-B", "name": "Low report B", "quantity": 5, "reorder_level": 5, "shortfall": 0},
        ]
        shortfalls = [r["shortfall"] for r in body["items"]]
        assert shortfalls == sorted(shortfalls, reverse=True)

        # stock arriving takes an item off the report
        assert move(c, "LOWR-A", "receive", 11).status_code == 201
        skus = [r["sku"] for r in c.get("/reports/low-stock").json()["items"]]
        assert "LOWR-A" not in skus
        assert "LOWR-E" in skus
