"""Handlers built by factories and registered in hand-made ways: the mask must stub the handler
the router calls per request, not the code that runs at start-up, or the masked service panics
before any test runs (the untouched leg then fails as `service_did_not_start`, not on tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.tasks.mask import Masker
from abcbench.tasks.mask_langs import LANGUAGES

GO_FACTORY = '''package main

import (
\t"encoding/json"
\t"net/http"
\t"strings"
)

type handler struct{ prefix string }

func (h *handler) handleCreate() http.HandlerFunc {
\tupper := strings.ToUpper(h.prefix)
\ttype reply struct{ Name string }
\treturn func(w http.ResponseWriter, r *http.Request) {
\t\tjson.NewEncoder(w).Encode(reply{Name: upper + "SECRET"})
\t}
}

func main() {
\th := &handler{prefix: "x"}
\tmux := http.NewServeMux()
\tmux.HandleFunc("POST /items", h.handleCreate())
\thttp.ListenAndServe(":8080", mux)
}
'''

JS_FACTORY = '''const express = require("express");
function makeCreate(db) {
  const table = db.table("items");
  return async (req, res) => {
    res.status(201).json(table.insert("SECRET"));
  };
}
const makeList = (db) => (req, res) => res.json(db.all("SECRET_LIST"));
const app = express();
app.post("/items", makeCreate(db));
app.get("/items", makeList(db));
'''

PY_FACTORY = '''from flask import Flask
app = Flask(__name__)

def make_create(store):
    prefix = store.prefix
    def create():
        return {"made": prefix + "SECRET"}, 201
    return create

app.add_url_rule("/items", view_func=make_create(STORE), methods=["POST"])
'''


def _ref(tmp_path: Path, rel: str, source: str) -> Path:
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref" / rel).write_text(source)
    return tmp_path / "ref"


@pytest.mark.parametrize(("language", "rel", "source", "route", "kept", "secret"), [
    ("go", "main.go", GO_FACTORY, "POST /items", "upper := strings.ToUpper", "SECRET"),
    ("javascript", "app.js", JS_FACTORY, "POST /items", 'db.table("items")', '"SECRET"'),
    ("javascript", "app.js", JS_FACTORY, "GET /items", "const makeList = (db) =>",
     "SECRET_LIST"),
    ("python", "app.py", PY_FACTORY, "POST /items", "prefix = store.prefix", '+ "SECRET"'),
])
def test_a_factory_keeps_its_setup_and_loses_the_handler_it_returns(
        tmp_path: Path, language: str, rel: str, source: str, route: str, kept: str,
        secret: str) -> None:
    masker = Masker(_ref(tmp_path, rel, source), language)
    handler = masker.find_route(route)
    [(_, masked)] = masker.mask([handler]).items()
    text = masked.decode()
    assert secret not in text, text
    assert kept in text, text  # start-up code still runs: registration gets a handler
    assert "not implemented" in text
    assert not LANGUAGES[language].parse(masked).root_node.has_error, text
    if language == "python":
        compile(text, rel, "exec")
        assert "    return create" in text


def test_go_locals_used_only_by_the_masked_closure_stay_used(tmp_path: Path) -> None:
    masker = Masker(_ref(tmp_path, "main.go", GO_FACTORY), "go")
    [(_, masked)] = masker.mask([masker.find_function("main.go:handler.handleCreate")]).items()
    text = masked.decode()
    assert "_ = upper" in text and "_ = reply{}" not in text
    assert '\t"encoding/json"' not in text and '_ "encoding/json"' in text


def test_flask_methods_decide_not_words_that_start_like_a_method(tmp_path: Path) -> None:
    source = '''from flask import Blueprint
posts = Blueprint("posts", __name__)

@posts.route("/posts", methods=["GET"], endpoint="get_posts")
def list_posts():
    return []

@posts.route("/posts", methods=("POST",))
def create_post():
    return {}, 201

@posts.route("/posts/<int:pid>")
def show_post(pid):
    return {}
'''
    masker = Masker(_ref(tmp_path, "app.py", source), "python")
    assert masker.find_route("POST /posts").name == "create_post"
    assert masker.find_route("GET /posts").name == "list_posts"
    assert masker.find_route("GET /posts/<int:pid>").name == "show_post"


def test_hand_made_regex_router_tables_and_calls(tmp_path: Path) -> None:
    source = '''import re

def list_items(req):
    return []

def create_item(req):
    return {}

def delete_item(req, item_id):
    return None

ROUTES = [
    ("GET", r"^/items$", list_items),
    ("POST", r"^/items$", create_item),
]
router.add("DELETE", r"^/items/(\\d+)$", delete_item)
'''
    masker = Masker(_ref(tmp_path, "app.py", source), "python")
    assert masker.find_route("POST /items").name == "create_item"
    assert masker.find_route("GET /items").name == "list_items"
    assert masker.find_route("DELETE /items/42").name == "delete_item"


def test_a_partly_qualified_name_finds_its_method(tmp_path: Path) -> None:
    source = '''module Todoable
  class Ledger
    def create_item(params)
      params
    end
  end
  class Other
    def create_item(params)
      nil
    end
  end
end
'''
    masker = Masker(_ref(tmp_path, "ledger.rb", source), "ruby")
    assert masker.find_function("ledger.rb:Ledger.create_item").name == \
        "Todoable.Ledger.create_item"
