"""`--route` on the route registrations of the bundled repositories (read only): blueprint
decorators, Gin groups, Express wrappers around controller methods, Axum method chains."""

from __future__ import annotations

import pytest

from abcbench.paths import bundled_tasks_dir
from abcbench.tasks.mask import Masker
from abcbench.tasks.mask_langs import LANGUAGES

REPOS = bundled_tasks_dir() / "_repos"


@pytest.mark.parametrize(("language", "repo", "route", "where", "name"), [
    ("python", "python-flask-bookshelf", "POST /loans/<int:loan_id>/return",
     "bookshelf/routes/loans.py", "return_loan"),
    ("go", "go-gin-eventdesk", "POST /:id/registrations", "internal/httpapi/registrations.go",
     "API.register"),
    ("javascript", "javascript-express-stockroom", "POST /:id/ship",
     "src/controllers/orderController.js", "ship"),
    ("rust", "rust-axum-inventory", "POST /items", "src/handlers/items.rs", "create_item"),
    ("rust", "rust-axum-inventory", "GET /items", "src/handlers/items.rs", "list_items"),
])
def test_route_resolves_to_its_handler(language: str, repo: str, route: str, where: str,
                                       name: str) -> None:
    masker = Masker(REPOS / repo, language)
    handler = masker.find_route(route)
    assert (handler.path, handler.name) == (where, name)
    [(path, masked)] = masker.mask([handler]).items()
    assert path == where
    assert f"not implemented: {name}" in masked.decode()
    assert not LANGUAGES[language].parse(masked).root_node.has_error
