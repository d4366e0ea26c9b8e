"""Masked code still compiles: each language's snippet, original and masked, built with the
toolchain of the language's own image (the real engine)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from abcbench.images.manager import ImageManager
from abcbench.sandbox import labels as L
from abcbench.sandbox.lifecycle import ContainerRequest, cleanup, start_container
from abcbench.tasks.mask import Masker

pytestmark = [pytest.mark.docker, pytest.mark.slow]

# language: (file, source, selectors (FILE:NAME or 'METHOD /path'), compile command in /src)
CASES: dict[str, tuple[str, str, list[str], str]] = {
    "python": ("app.py", '''import json


class Store:
    def add(self, item: str) -> dict:
        """Store an item."""
        return json.loads(json.dumps({"item": item}))
''', ["app.py:Store.add"], "python3 -m py_compile app.py"),
    "go": ("main.go", '''//go:debug httpmuxgo121=0
package main

import (
\t"fmt"
\t"net/http"
\t"strings"
)

type Server struct{ prefix string }

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
\tfmt.Fprintln(w, strings.ToUpper(s.prefix))
}

func count(items []string) (int, error) {
\treturn len(items), nil
}

func main() {
\ts := &Server{prefix: "x"}
\tmux := http.NewServeMux()
\tmux.HandleFunc("POST /items", s.create)
\t_, _ = count(nil)
\t_ = http.ListenAndServe(":8080", mux)
}
''', ["POST /items", "main.go:count"],
        "mkdir -p /gopath/src/app && cp main.go /gopath/src/app/ && cd /gopath/src/app "
        "&& go build -o /tmp/app ."),
    "java": ("Items.java", '''import java.util.ArrayList;
import java.util.List;

public class Items {
    private final List<String> names = new ArrayList<>();
    public Items(String first) { names.add(first); }
    public <T extends Comparable<T>> T max(List<T> xs) { return xs.get(0); }
    public int count() { return names.size(); }
    public Runnable task() { return () -> names.clear(); }
}
''', ["Items.java:Items.max", "Items.java:Items.count", "Items.java:Items.Items"],
        "javac -d /tmp/out Items.java"),
    "javascript": ("app.js", '''const express = require("express");
const app = express();
app.post("/items", (req, res) => res.status(201).json({ ok: true }));
class Store { add(x) { return [x]; } }
module.exports = { app, Store };
''', ["POST /items", "app.js:Store.add"], "node --check app.js"),
    "ruby": ("app.rb", '''class Store
  def add(item)
    [item].map(&:to_s)
  rescue StandardError
    []
  end
end
''', ["app.rb:Store.add"], "ruby -c app.rb"),
    "php": ("index.php", '''<?php
class Store {
    public function add(string $item): array { return [$item]; }
    public static function make(): static { return new static(); }
}
$f = fn ($x) => $x * 2;
''', ["index.php:Store.add", "index.php:Store.make"], "php -l index.php"),
    "csharp": ("Items.cs", '''using System.Collections.Generic;
public class Items {
    private readonly List<string> names = new List<string>();
    public int Count() { return names.Count; }
    public string First => names[0];
    public IEnumerable<string> All() { foreach (var n in names) yield return n; }
    public int Twice(int x) => x * 2;
}
''', ["Items.cs:Items.Count", "Items.cs:Items.Twice"],
        "mcs -target:library -out:/tmp/items.dll Items.cs"),
    "rust": ("lib.rs", '''pub struct Store { items: Vec<String> }
impl Store {
    pub fn add(&mut self, item: &str) -> usize {
        self.items.push(item.to_string());
        self.items.len()
    }
    pub fn first(&self) -> Option<&String> { self.items.first() }
}
''', ["lib.rs:Store.add", "lib.rs:Store.first"],
        "rustc --edition 2021 --crate-type lib -o /tmp/libx.rlib lib.rs"),
}


@pytest.mark.parametrize("language", sorted(CASES))
@pytest.mark.sweep
def test_masked_snippet_compiles(language: str, run_id: str) -> None:
    rel, source, selectors, command = CASES[language]
    image = ImageManager().ensure(language)
    labels = L.managed(run=run_id, role="compile")
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "ref"
        ref.mkdir()
        (ref / rel).write_text(source)
        masker = Masker(ref, language)
        chosen = [masker.find_route(s) if " /" in s else masker.find_function(s)
                  for s in selectors]
        [(_, masked)] = masker.mask(chosen).items()
        assert masked.decode() != source
        try:
            box = start_container(ContainerRequest(
                image=image, name=f"{run_id}-{language}", labels=labels,
                command=["sleep", "infinity"]))
            for label, text in (("original", source), ("masked", masked.decode())):
                box.write_file(f"/src/{rel}", text)
                done = box.exec(command, cwd="/src", timeout=300)
                assert done.ok, f"{label} {language} does not compile:\n{text}\n" \
                    f"{done.stdout}{done.stderr}"
        finally:
            cleanup(run=run_id)


GO_FACTORY_SERVICE = '''//go:debug httpmuxgo121=0
package main

import (
\t"encoding/json"
\t"net/http"
\t"strings"
)

type handler struct{ prefix string }

func (h *handler) handleCreate() http.HandlerFunc {
\tupper := strings.ToUpper(h.prefix)
\tvar count int
\treturn func(w http.ResponseWriter, r *http.Request) {
\t\tcount++
\t\t_ = json.NewEncoder(w).Encode(map[string]any{"name": upper, "n": count})
\t}
}

func main() {
\th := &handler{prefix: "x"}
\tmux := http.NewServeMux()
\tmux.HandleFunc("POST /items", h.handleCreate())
\t_ = http.ListenAndServe("127.0.0.1:18080", mux)
}
'''


def test_masked_go_handler_factory_compiles_and_the_service_starts(run_id: str) -> None:
    """The untouched leg of a task must fail on its tests: masking a handler factory stubs the
    handler it returns, so registration still works and the service keeps running."""
    image = ImageManager().ensure("go")
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "ref"
        ref.mkdir()
        (ref / "main.go").write_text(GO_FACTORY_SERVICE)
        masker = Masker(ref, "go")
        [(_, masked)] = masker.mask([masker.find_route("POST /items")]).items()
        try:
            box = start_container(ContainerRequest(
                image=image, name=f"{run_id}-gofactory", labels=L.managed(run=run_id),
                command=["sleep", "infinity"]))
            box.write_file("/gopath/src/app/main.go", masked.decode())
            done = box.exec(["sh", "-c", "go build -o /tmp/app . && timeout 3 /tmp/app; "
                             "echo exit=$?"], cwd="/gopath/src/app", timeout=300)
            assert "exit=124" in done.stdout, f"{masked.decode()}\n{done.stdout}{done.stderr}"
        finally:
            cleanup(run=run_id)
