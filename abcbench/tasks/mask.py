"""Automated masking: the overlay of a task, generated from its reference and a selection.

A selection names functions (`FILE:NAME`, NAME qualified by its class, impl or receiver when
needed: `server.py:create_quote`, `Controllers/Tickets.cs:TicketsController.Create`) or routes
(`POST /quotes`, the path as the code writes it). Each chosen body becomes the language's
"not implemented" stub (`mask_langs`); the overlay holds exactly the files that changed. The
selection is stored in task.yaml (`repository.mask.functions` / `routes`), so the overlay can be
regenerated whenever the reference changes, and `tasks check` reports an overlay that differs
from a fresh regeneration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import tree_sitter as ts

from abcbench.errors import UserError
from abcbench.hashing import IGNORED_NAMES
from abcbench.tasks.mask_langs import ANONYMOUS, LanguageSpec, language_for

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
BRACED_BODIES = frozenset({"block", "statement_block", "compound_statement", "constructor_body"})


@dataclass(frozen=True)
class Function:
    path: str
    name: str
    """Qualified: containers then the function's own name, joined by '.'."""
    node: ts.Node

    @property
    def line(self) -> int:
        return self.node.start_point.row + 1


@dataclass
class SourceFile:
    path: str
    source: bytes
    tree: ts.Tree


class Masker:
    """Finds functions and route handlers in one reference tree and stubs their bodies."""

    def __init__(self, reference: Path, language: str) -> None:
        self.reference = reference
        self.lang: LanguageSpec = language_for(language)
        self._files: dict[str, SourceFile] = {}

    # -- reading -------------------------------------------------------------------------

    def file(self, rel: str) -> SourceFile:
        if rel not in self._files:
            path = (self.reference / rel).resolve()
            if not path.is_relative_to(self.reference.resolve()) or not path.is_file():
                raise UserError(f"{rel}: no such file in the reference {self.reference}")
            source = path.read_bytes()
            self._files[rel] = SourceFile(rel, source, self.lang.parse(source))
        return self._files[rel]

    def source_files(self) -> list[str]:
        skip = set(IGNORED_NAMES) | set(self.lang.skip_dirs)
        return sorted(
            p.relative_to(self.reference).as_posix() for p in self.reference.rglob("*")
            if p.is_file() and p.suffix in self.lang.extensions
            and not skip & set(p.relative_to(self.reference).parts))

    def functions(self, rel: str) -> list[Function]:
        found: list[Function] = []
        sf = self.file(rel)
        stack = [sf.tree.root_node]
        while stack:
            node = stack.pop()
            if node.type in self.lang.functions and node.child_by_field_name("body") is not None:
                name = self._name(node, sf.source)
                if name:
                    found.append(Function(rel, name, node))
            stack.extend(reversed(node.children))
        return found

    def _name(self, node: ts.Node, source: bytes) -> str | None:
        own = node.child_by_field_name("name")
        if own is not None:
            name = _text(own, source)
        elif node.type in ANONYMOUS:
            holder = node.parent
            key = None
            if holder is not None and holder.type in ("variable_declarator", "pair",
                                                      "assignment_expression", "assignment"):
                key = (holder.child_by_field_name("name") or holder.child_by_field_name("key")
                       or holder.child_by_field_name("left"))
            if key is None:
                return None
            name = _text(key, source).split(".")[-1]
        else:
            return None
        return ".".join([*self._qualifiers(node, source), name])

    def _qualifiers(self, node: ts.Node, source: bytes) -> list[str]:
        names: list[str] = []
        receiver = node.child_by_field_name("receiver")
        if receiver is not None:  # Go: (s *Server) Create -> Server.Create
            types = [c for c in _walk(receiver) if c.type == "type_identifier"]
            if types:
                names.append(_text(types[0], source))
        parent = node.parent
        while parent is not None:
            fieldname = self.lang.containers.get(parent.type)
            label = parent.child_by_field_name(fieldname) if fieldname else None
            if label is not None:
                names.append(re.sub(r"<.*", "", _text(label, source)))
            parent = parent.parent
        return list(reversed(names)) if receiver is None else names

    # -- choosing ------------------------------------------------------------------------

    def find_function(self, selector: str) -> Function:
        rel, sep, name = selector.rpartition(":")
        if not sep or not rel or not name:
            raise UserError(f"--function {selector!r}: expected FILE:NAME, e.g. app.py:create")
        candidates = self.functions(rel)
        exact = [f for f in candidates if f.name == name]
        if not exact:
            exact = [f for f in candidates if f.name.split(".")[-1] == name]
        if len(exact) == 1:
            return exact[0]
        known = ", ".join(sorted({f.name for f in candidates})[:20]) or "none"
        if not exact:
            raise UserError(f"--function {selector!r}: no function {name!r} in {rel} "
                            f"(functions found: {known})")
        raise UserError(f"--function {selector!r} is ambiguous: "
                        f"{', '.join(f'{f.name} (line {f.line})' for f in exact)}; qualify it")

    def find_route(self, route: str) -> Function:
        method, _, path = route.strip().partition(" ")
        method, path = method.lower(), path.strip()
        if method not in HTTP_METHODS or not path.startswith("/"):
            raise UserError(f"--route {route!r}: expected 'METHOD /path', e.g. 'POST /quotes'")
        handlers: dict[tuple[str, int], Function] = {}
        for rel in self.source_files():
            sf = self.file(rel)
            for literal in _walk(sf.tree.root_node):
                if literal.type not in _STRING_TYPES:
                    continue
                value = _string_value(literal, sf.source)
                if value not in (path, f"{method.upper()} {path}"):
                    continue
                handler = self._handler_of(literal, sf, method, value != path)
                if handler is not None:
                    handlers[(handler.path, handler.node.start_byte)] = handler
        if len(handlers) == 1:
            return next(iter(handlers.values()))
        if not handlers:
            raise UserError(f"--route {route!r}: no handler registered for it was found; give "
                            "the path exactly as the code writes it, or use --function")
        raise UserError(f"--route {route!r} matches several handlers: " + ", ".join(
            f"{h.path}:{h.name} (line {h.line})" for h in handlers.values()) + "; use --function")

    def _handler_of(self, literal: ts.Node, sf: SourceFile, method: str,
                    method_in_string: bool) -> Function | None:
        for node in _ancestors(literal):  # decorators first: a Python decorator is a call
            if node.type == "decorator" and node.parent is not None:
                return self._as_handler(node.parent.child_by_field_name("definition"), sf,
                                        node, literal, method)
            if node.type == "attribute_item":  # Rust: #[post("/x")] before the function
                return self._as_handler(node.next_named_sibling, sf, node, literal, method)
        for node in _ancestors(literal):
            if node.type in self.lang.functions:
                body = node.child_by_field_name("body")
                name = node.child_by_field_name("name")
                if body is not None and name is not None and literal.end_byte <= name.start_byte:
                    return self._as_handler(node, sf, node, literal, method)  # annotation
                return None
            if node.type in self.lang.calls:
                path = _string_value(literal, sf.source).split(" ")[-1]
                return self._call_handler(node, sf, method, method_in_string, path)
        return None

    def _as_handler(self, target: ts.Node | None, sf: SourceFile, header: ts.Node,
                    literal: ts.Node, method: str) -> Function | None:
        if target is None or target.type not in self.lang.functions:
            return None
        name_node = target.child_by_field_name("name")
        end = name_node.start_byte if header is target and name_node else header.end_byte
        text = (sf.source[header.start_byte:literal.start_byte]
                + sf.source[literal.end_byte:end]).lower()  # the path itself says nothing
        words = re.findall(rb"[a-z]+", text)
        named = [m for m in HTTP_METHODS
                 if any(w.startswith((m.encode(), b"http" + m.encode())) for w in words)]
        if (named and method not in named) or (not named and method != "get"):
            return None
        name = self._name(target, sf.source) or f"line {target.start_point.row + 1}"
        return Function(sf.path, name, target)

    def _call_handler(self, call: ts.Node, sf: SourceFile, method: str,
                      method_in_string: bool, path: str = "") -> Function | None:
        callee = _callee_name(call, sf.source)
        args = _call_arguments(call)
        if not method_in_string and not callee.endswith(method):
            # `.route("/x", post(handler).get(other))`: the method names a call in the arguments.
            inner = [n for a in args for n in self._calls_within(a)
                     if _callee_name(n, sf.source).endswith(method)]
            if not inner:
                return None
            return self._call_handler(inner[0], sf, method, True, path)
        return self._handler_among(args, sf, f"{method.upper()} {path}".strip())

    def _handler_among(self, args: list[ts.Node], sf: SourceFile,
                       label: str) -> Function | None:
        """The handler is the last argument: a function, a name, or a wrapper call around one
        (`asyncHandler(controller.create)`)."""
        for arg in reversed(args):
            if arg.type in self.lang.functions:
                return Function(sf.path, label, arg)
            if arg.type in _NAME_TYPES:
                *owner, short = re.split(r"[.:]+", _text(arg, sf.source))
                return self._function_named(short, owner[-1] if owner else "")
            if arg.type in self.lang.calls:
                return self._handler_among(_call_arguments(arg), sf, label)
        return None

    def _calls_within(self, node: ts.Node) -> list[ts.Node]:
        """Calls in an argument, not descending into function bodies."""
        found, stack = [], [node]
        while stack:
            current = stack.pop()
            if current.type in self.lang.functions:
                continue
            if current.type in self.lang.calls:
                found.append(current)
            stack.extend(current.children)
        return found

    def _function_named(self, short: str, owner: str = "") -> Function | None:
        """The one function of that name in the reference; among several, the one whose file
        or class names its owner (`controller.ship` -> orderController.js)."""
        hits = [f for rel in self.source_files() for f in self.functions(rel)
                if f.name.split(".")[-1] == short]
        if len(hits) > 1 and owner:
            hits = [f for f in hits if owner.lower() in f"{f.path}/{f.name}".lower()]
        return hits[0] if len(hits) == 1 else None

    # -- masking -------------------------------------------------------------------------

    def mask(self, chosen: list[Function]) -> dict[str, bytes]:
        """The masked text of every file that holds a chosen function."""
        out: dict[str, bytes] = {}
        for rel in sorted({f.path for f in chosen}):
            sf = self.file(rel)
            edits = sorted({f.node.start_byte: f for f in chosen if f.path == rel}.values(),
                           key=lambda f: -f.node.start_byte)
            source = sf.source
            for fn in edits:
                body = fn.node.child_by_field_name("body")
                assert body is not None
                start, end, text = self._stub(fn, body, sf.source)
                source = source[:start] + text + source[end:]
            if self.lang.name == "go":
                source = _blank_unused_go_imports(sf.source, source, self.lang)
            tree = self.lang.parse(source)
            if tree.root_node.has_error:
                raise UserError(f"{rel}: masking left text tree-sitter cannot parse; mask this "
                                "file by hand (mask.overlay) or choose other functions")
            out[rel] = source
        return out

    def _stub(self, fn: Function, body: ts.Node, source: bytes) -> tuple[int, int, bytes]:
        statement = self.lang.statement(fn.name)
        line_start = source.rfind(b"\n", 0, body.start_byte) + 1
        indent = re.match(rb"[ \t]*", source[line_start:]).group(0)  # type: ignore[union-attr]
        if not self.lang.braces:  # Python, Ruby: replace the statements, keep a docstring
            start = body.start_byte
            first = body.named_children[0] if body.named_children else None
            if (self.lang.name == "python" and first is not None
                    and first.type == "expression_statement"
                    and first.named_children and first.named_children[0].type == "string"):
                kept = source[first.start_byte:first.end_byte]
                col = b" " * first.start_point.column
                return start, body.end_byte, kept + b"\n" + col + statement.encode()
            return start, body.end_byte, statement.encode()
        if body.type == "arrow_expression_clause":  # C# `=> expr;`
            return body.start_byte, body.end_byte, b"=> " + statement.rstrip(";").encode()
        if body.type not in BRACED_BODIES:  # a lambda with an expression body
            if self.lang.name in ("javascript", "java"):
                return body.start_byte, body.end_byte, b"{ " + statement.encode() + b" }"
            return body.start_byte, body.end_byte, statement.rstrip(";").encode()
        inner = indent + b"    "
        if body.named_children:  # the body's own indentation (tabs in Go)
            first = body.named_children[0]
            first_line = source.rfind(b"\n", 0, first.start_byte) + 1
            own = source[first_line:first.start_byte]
            if own.strip() == b"" and len(own) > len(indent):
                inner = own
        return body.start_byte, body.end_byte, \
            b"{\n" + inner + statement.encode() + b"\n" + indent + b"}"


_NAME_TYPES = frozenset({"identifier", "selector_expression", "member_expression",
                         "field_expression", "scoped_identifier", "method_reference",
                         "member_access_expression", "attribute"})
_STRING_TYPES = frozenset({"string", "string_literal", "interpreted_string_literal",
                           "raw_string_literal", "encapsed_string", "template_string",
                           "verbatim_string_literal"})


def _ancestors(node: ts.Node) -> list[ts.Node]:
    out: list[ts.Node] = []
    current = node.parent
    while current is not None:
        out.append(current)
        current = current.parent
    return out


def _call_arguments(call: ts.Node) -> list[ts.Node]:
    """A call's own arguments (not those of calls nested in them), and a Ruby block."""
    holder = call.child_by_field_name("arguments")
    args = [] if holder is None else [
        (a.named_children[0] if a.type == "argument" and a.named_children else a)
        for a in holder.named_children]
    block = call.child_by_field_name("block")
    return args + ([block] if block is not None else [])


def _walk(node: ts.Node) -> list[ts.Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(current.children))
    return out


def _text(node: ts.Node, source: bytes) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _string_value(node: ts.Node, source: bytes) -> str:
    text = _text(node, source)
    return re.sub(r"^[a-zA-Z@$]*(['\"`]+)(.*?)\1$", r"\2", text, flags=re.S)


def _callee_name(call: ts.Node, source: bytes) -> str:
    callee = (call.child_by_field_name("function") or call.child_by_field_name("method")
              or call.child_by_field_name("name"))
    if callee is None:
        return ""
    return re.split(r"[.:>\-]+", _text(callee, source))[-1].lower()


def _blank_unused_go_imports(before: bytes, after: bytes, lang: LanguageSpec) -> bytes:
    """Go refuses unused imports: one used only by a masked body becomes `_ "path"`."""
    def used(source: bytes) -> tuple[set[str], list[ts.Node]]:
        tree = lang.parse(source)
        names = {_text(n.child_by_field_name("operand") or n, source)
                 for n in _walk(tree.root_node) if n.type == "selector_expression"}
        names |= {_text(n.child_by_field_name("package") or n, source)
                  for n in _walk(tree.root_node) if n.type == "qualified_type"}
        specs = [n for n in _walk(tree.root_node) if n.type == "import_spec"]
        return names, specs

    used_before, _ = used(before)
    used_after, specs = used(after)
    for spec in sorted(specs, key=lambda n: -n.start_byte):
        if spec.child_by_field_name("name") is not None:
            continue
        path = _string_value(spec.child_by_field_name("path") or spec, after)
        name = re.sub(r"^go-|\.v\d+$", "", path.rstrip("/").split("/")[-1])
        if re.fullmatch(r"v\d+", name) and "/" in path:
            name = path.rstrip("/").split("/")[-2]
        if name in used_before and name not in used_after:
            after = after[:spec.start_byte] + b"_ " + after[spec.start_byte:]
    return after
