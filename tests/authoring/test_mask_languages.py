"""`tasks mask` on small snippets of every language: the chosen bodies become stubs that parse,
the rest of the file is untouched, routes find their handlers."""

from __future__ import annotations

from pathlib import Path

import pytest

from abcbench.errors import UserError
from abcbench.tasks.mask import Masker
from abcbench.tasks.mask_langs import LANGUAGES

SNIPPETS: dict[str, tuple[str, str, str, str, str]] = {
    # language: (file, source, selector NAME, secret in the masked body, stub marker)
    "python": ("app.py", '''from flask import Flask
app = Flask(__name__)

class Store:
    def add(self, item):
        """Add an item."""
        SECRET = item
        return SECRET

@app.route("/items", methods=["POST"])
def create():
    return {"made": "SECRET"}, 201
''', "Store.add", "SECRET = item", 'raise NotImplementedError("not implemented: Store.add")'),
    "go": ("main.go", '''package main

import (
\t"fmt"
\t"net/http"
\t"strings"
)

type Server struct{}

func (s *Server) Create(w http.ResponseWriter, r *http.Request) {
\tfmt.Fprintln(w, strings.ToUpper("SECRET"))
}

func main() {
\tmux := http.NewServeMux()
\tmux.HandleFunc("POST /items", (&Server{}).Create)
\thttp.ListenAndServe(":8080", mux)
}
''', "Server.Create", "ToUpper", 'panic("not implemented: Server.Create")'),
    "java": ("Items.java", '''package app;

@RestController
public class Items {
    @PostMapping("/items")
    public String create(String body) {
        return "SECRET" + body;
    }
    public int count() { return 1; }
}
''', "Items.create", '"SECRET"', 'throw new UnsupportedOperationException('),
    "javascript": ("app.js", '''const express = require("express");
const app = express();
app.post("/items", (req, res) => res.status(201).json({ secret: "SECRET" }));
app.get("/items", async (req, res) => { res.json([]); });
class Store { add(x) { return "SECRET" + x; } }
module.exports = app;
''', "Store.add", '"SECRET" + x', 'throw new Error("not implemented: Store.add");'),
    "ruby": ("app.rb", '''require "sinatra"

class Store
  def add(item)
    secret = "SECRET"
    [secret, item]
  end
end

post "/items" do
  status 201
  "SECRET"
end
''', "Store.add", 'secret = "SECRET"', 'raise NotImplementedError, "not implemented: Store.add"'),
    "php": ("index.php", '''<?php
class Store {
    public function add(string $item): string {
        return "SECRET" . $item;
    }
}
$app->post('/items', function ($request, $response) {
    return $response->withStatus(201, "SECRET");
});
''', "Store.add", '"SECRET" . $item',
        'throw new \\RuntimeException("not implemented: Store.add");'),
    "csharp": ("Items.cs", '''using System;
namespace App {
    public class ItemsController {
        [HttpPost("/items")]
        public string Create(string body) { return "SECRET" + body; }
        public int Count() => 42 + "SECRET".Length;
    }
}
''', "ItemsController.Count", '42 + "SECRET"', 'throw new System.NotImplementedException('),
    "rust": ("src/main.rs", '''use axum::{routing::post, Router};

struct Store;
impl Store {
    fn add(&self, x: i32) -> i32 { x + 41 }
}

async fn create() -> &'static str { "SECRET" }

fn app() -> Router { Router::new().route("/items", post(create)) }
''', "Store.add", "x + 41", 'unimplemented!("not implemented: Store.add")'),
}

ROUTE_SECRET = {"python": '"SECRET"', "go": "ToUpper", "java": '"SECRET" + body',
                "javascript": "secret: \"SECRET\"", "ruby": '"SECRET"\nend', "php": '201, "SECRET"',
                "csharp": '"SECRET" + body', "rust": '"SECRET"'}


def reference(tmp_path: Path, language: str) -> Path:
    rel, source, *_ = SNIPPETS[language]
    path = tmp_path / "ref" / rel
    path.parent.mkdir(parents=True)
    path.write_text(source)
    return tmp_path / "ref"


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_function_body_becomes_a_stub(tmp_path: Path, language: str) -> None:
    rel, source, name, secret, stub = SNIPPETS[language]
    masker = Masker(reference(tmp_path, language), language)
    [(path, masked)] = masker.mask([masker.find_function(f"{rel}:{name}")]).items()
    text = masked.decode()
    assert path == rel
    assert secret in source and secret not in text
    assert stub in text
    assert not LANGUAGES[language].parse(masked).root_node.has_error
    if language == "python":
        compile(text, rel, "exec")
        assert '"""Add an item."""' in text  # the docstring stays for the agent


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_route_handler_is_found_and_masked(tmp_path: Path, language: str) -> None:
    _rel, source, *_ = SNIPPETS[language]
    masker = Masker(reference(tmp_path, language), language)
    handler = masker.find_route("POST /items")
    [(_, masked)] = masker.mask([handler]).items()
    text = masked.decode()
    assert ROUTE_SECRET[language] in source
    assert ROUTE_SECRET[language] not in text, text
    assert not LANGUAGES[language].parse(masked).root_node.has_error


def test_go_import_used_only_by_a_masked_body_becomes_blank(tmp_path: Path) -> None:
    masker = Masker(reference(tmp_path, "go"), "go")
    [(_, masked)] = masker.mask([masker.find_function("main.go:Server.Create")]).items()
    text = masked.decode()
    assert '_ "strings"' in text and '_ "fmt"' in text
    assert '\t"net/http"' in text  # still used by main


def test_unknown_and_ambiguous_names_say_what_exists(tmp_path: Path) -> None:
    masker = Masker(reference(tmp_path, "javascript"), "javascript")
    with pytest.raises(UserError, match=r"functions found: .*Store\.add"):
        masker.find_function("app.js:nope")
    with pytest.raises(UserError, match="expected FILE:NAME"):
        masker.find_function("nope")
    with pytest.raises(UserError, match="no handler registered"):
        masker.find_route("DELETE /items")
    with pytest.raises(UserError, match="METHOD /path"):
        masker.find_route("/items")
