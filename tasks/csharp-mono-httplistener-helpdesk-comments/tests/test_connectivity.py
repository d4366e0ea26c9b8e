import os

import httpx

BASE_URL = os.environ.get("SERVICE_URL", "http://localhost:5000").rstrip("/")


def test_health_answers():
    response = httpx.get(f"{BASE_URL}/health", timeout=10)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_unknown_route_is_json_404():
    response = httpx.get(f"{BASE_URL}/api/no-such-resource", timeout=10)
    assert response.status_code == 404
