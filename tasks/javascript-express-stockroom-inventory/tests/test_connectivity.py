import os

import httpx

BASE = os.environ.get("SERVICE_URL", "http://localhost:3000").rstrip("/")


def test_health_answers():
    r = httpx.get(f"{BASE}/health", timeout=10)
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
