import os

import httpx
import pytest

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")


@pytest.fixture
def client():
    with httpx.Client(base_url=BASE_URL, timeout=10) as c:
        yield c


def create_customer(client, **fields):
    response = client.post("/customers", json=fields)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_customer_normalizes_and_defaults(client):
    response = client.post("/customers", json={"name": "  Globex Create  ", "email": "  IT@Globex-Create.Example "})
    assert response.status_code == 201, response.text
    customer = response.json()
    assert isinstance(customer["id"], int)
    assert customer["name"] == "Globex Create"
    assert customer["email"] == "it@globex-create.example"
    assert customer["tier"] == "standard"
    assert customer["open_tickets"] == 0
    assert isinstance(customer["created_at"], str)

    shown = client.get(f"/customers/{customer['id']}")
    assert shown.status_code == 200
    assert shown.json()["email"] == "it@globex-create.example"
    assert shown.json()["name"] == "Globex Create"


def test_create_customer_validation_and_conflict(client):
    bad = client.post("/customers", json={"name": "", "email": "not-an-email", "tier": "gold"})
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"] == "validation_failed"
    assert {"name", "email", "tier"} <= set(body["details"])
    assert isinstance(body["details"]["email"], list)

    wrong_type = client.post("/customers", json={"name": 7, "email": "typed@cust-validation.example"})
    assert wrong_type.status_code == 422
    assert "name" in wrong_type.json()["details"]

    create_customer(client, name="Initech", email="help@cust-conflict.example", tier="premium")
    dup = client.post("/customers", json={"name": "Initech 2", "email": "HELP@cust-conflict.example"})
    assert dup.status_code == 409
    assert dup.json()["error"] == "conflict"

    assert client.post("/customers", content=b"{oops", headers={"Content-Type": "application/json"}).status_code == 400
    assert client.post("/customers", json=["x"]).status_code == 400


def test_show_unknown_customer(client):
    response = client.get("/customers/99999999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_list_customers_filters(client):
    a = create_customer(client, name="Cust-List Umbrella", email="a@cust-list.example", tier="enterprise")
    b = create_customer(client, name="Cust-List Hooli", email="b@cust-list.example", tier="premium")
    c = create_customer(client, name="Cust-List Vandelay", email="c@cust-list.example", tier="enterprise")

    everything = client.get("/customers")
    assert everything.status_code == 200
    body = everything.json()
    assert body["count"] == len(body["customers"])
    ids = [x["id"] for x in body["customers"]]
    assert ids == sorted(ids)
    assert {a["id"], b["id"], c["id"]} <= set(ids)

    enterprise = client.get("/customers", params={"tier": "enterprise", "q": "cust-list"}).json()
    assert [x["id"] for x in enterprise["customers"]] == [a["id"], c["id"]]
    assert enterprise["count"] == 2

    by_name = client.get("/customers", params={"q": "HOOLI"}).json()
    assert [x["id"] for x in by_name["customers"]] == [b["id"]]
    by_email = client.get("/customers", params={"q": "c@cust-list"}).json()
    assert [x["id"] for x in by_email["customers"]] == [c["id"]]

    assert client.get("/customers", params={"tier": "platinum"}).status_code == 422


def test_update_customer(client):
    customer = create_customer(client, name="Cust-Update Soylent", email="one@cust-update.example")
    create_customer(client, name="Cust-Update Other", email="taken@cust-update.example")

    response = client.patch(f"/customers/{customer['id']}", json={"tier": "enterprise", "email": "Two@Cust-Update.example"})
    assert response.status_code == 200
    updated = response.json()
    assert updated["tier"] == "enterprise"
    assert updated["email"] == "two@cust-update.example"
    assert updated["name"] == "Cust-Update Soylent"

    same_email = client.patch(f"/customers/{customer['id']}", json={"email": "TWO@cust-update.example"})
    assert same_email.status_code == 200

    taken = client.patch(f"/customers/{customer['id']}", json={"email": "taken@cust-update.example"})
    assert taken.status_code == 409

    invalid = client.patch(f"/customers/{customer['id']}", json={"tier": "bronze", "name": None})
    assert invalid.status_code == 422
    assert {"tier", "name"} <= set(invalid.json()["details"])
    current = client.get(f"/customers/{customer['id']}").json()
    assert current["tier"] == "enterprise"
    assert current["email"] == "two@cust-update.example"

    assert client.patch("/customers/99999999", json={"tier": "premium"}).status_code == 404


def test_delete_customer(client):
    customer = create_customer(client, name="Cust-Delete Wonka", email="x@cust-delete.example")
    assert client.delete(f"/customers/{customer['id']}").status_code == 204
    assert client.get(f"/customers/{customer['id']}").status_code == 404
    assert client.delete(f"/customers/{customer['id']}").status_code == 404


def test_delete_customer_with_open_tickets_is_a_conflict(client):
    customer = create_customer(client, name="Cust-Delete Busy", email="busy@cust-delete.example")
    ticket = client.post("/tickets", json={"customer_id": customer["id"], "subject": "Cust-Delete printer"})
    assert ticket.status_code == 201
    assert client.get(f"/customers/{customer['id']}").json()["open_tickets"] == 1

    refused = client.delete(f"/customers/{customer['id']}")
    assert refused.status_code == 409
    assert refused.json()["details"]["open_tickets"] == 1

    resolved = client.post(f"/tickets/{ticket.json()['id']}/transition", json={"status": "resolved"})
    assert resolved.status_code == 200
    assert client.get(f"/customers/{customer['id']}").json()["open_tickets"] == 0
    assert client.delete(f"/customers/{customer['id']}").status_code == 204
    assert client.get(f"/tickets/{ticket.json()['id']}").status_code == 404
