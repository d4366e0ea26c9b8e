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
from abcbench.tasks.mask_syntax import (
    HTTP_METHODS,
    NAME_TYPES,
    STRING_TYPES,
    ancestors,
    blank_unused_go_imports,
    call_arguments,
    callee_name,
    callee_parts,
    declared_methods,
    keep_go_locals_used,
    path_matches,
    returned_closure,
    string_value,
    text_of,
    walk,
)

_SEQUENCES = frozenset({"tuple", "list", "array", "literal_value", "array_creation_expression"})
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
            name = text_of(own, source)
        elif node.type in ANONYMOUS:
            holder = node.parent
            key = None
            if holder is not None and holder.type in ("variable_declarator", "pair",
                                                      "assignment_expression", "assignment"):
                key = (holder.child_by_field_name("name") or holder.child_by_field_name("key")
                       or holder.child_by_field_name("left"))
            if key is None:
                return None
            name = text_of(key, source).split(".")[-1]
        else:
            return None
        return ".".join([*self._qualifiers(node, source), name])

    def _qualifiers(self, node: ts.Node, source: bytes) -> list[str]:
        names: list[str] = []
        receiver = node.child_by_field_name("receiver")
        if receiver is not None:  # Go: (s *Server) Create -> Server.Create
            types = [c for c in walk(receiver) if c.type == "type_identifier"]
            if types:
                names.append(text_of(types[0], source))
        parent = node.parent
        while parent is not None:
            fieldname = self.lang.containers.get(parent.type)
            label = parent.child_by_field_name(fieldname) if fieldname else None
            if label is not None:
                names.append(re.sub(r"<.*", "", text_of(label, source)))
            parent = parent.parent
        return list(reversed(names)) if receiver is None else names

    # -- choosing ------------------------------------------------------------------------

    def find_function(self, selector: str) -> Function:
        rel, sep, name = selector.rpartition(":")
        if not sep or not rel or not name:
            raise UserError(f"--function {selector!r}: expected FILE:NAME, e.g. app.py:create")
        candidates = self.functions(rel)
        exact = [f for f in candidates if f.name == name]
        if not exact:  # `Ledger.create_item` for `Todoable.Ledger.create_item`
            exact = [f for f in candidates if f".{f.name}".endswith(f".{name}")]
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
            for literal in walk(sf.tree.root_node):
                if literal.type not in STRING_TYPES:
                    continue
                value = string_value(literal, sf.source)
                if value != f"{method.upper()} {path}" and not path_matches(value, path):
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
        for node in ancestors(literal):  # decorators first: a Python decorator is a call
            if node.type == "decorator" and node.parent is not None:
                return self._as_handler(node.parent.child_by_field_name("definition"), sf,
                                        node, literal, method)
            if node.type == "attribute_item":  # Rust: #[post("/x")] before the function
                return self._as_handler(node.next_named_sibling, sf, node, literal, method)
        for node in ancestors(literal):
            if node.type in self.lang.functions:
                body = node.child_by_field_name("body")
                name = node.child_by_field_name("name")
                if body is not None and name is not None and literal.end_byte <= name.start_byte:
                    return self._as_handler(node, sf, node, literal, method)  # annotation
                return None
            if node.type in self.lang.calls:
                path = string_value(literal, sf.source).split(" ")[-1]
                return self._call_handler(node, sf, method, method_in_string, path)
            if node.type in _SEQUENCES and self._names_method(node.named_children, sf, method):
                # a hand-made route table: ("POST", r"^/items$", create_item)
                return self._handler_among(node.named_children, sf, method.upper())
        return None

    def _names_method(self, nodes: list[ts.Node], sf: SourceFile, method: str) -> bool:
        """Whether a string literal among these nodes (not inside functions) is the method."""
        stack = list(nodes)
        while stack:
            node = stack.pop()
            if node.type in self.lang.functions:
                continue
            if node.type in STRING_TYPES and \
                    string_value(node, sf.source).lower() == method:
                return True
            stack.extend(node.children)
        return False

    def _as_handler(self, target: ts.Node | None, sf: SourceFile, header: ts.Node,
                    literal: ts.Node, method: str) -> Function | None:
        if target is None or target.type not in self.lang.functions:
            return None
        name_node = target.child_by_field_name("name")
        end = name_node.start_byte if header is target and name_node else header.end_byte
        named = declared_methods(header, literal, end, sf.source)
        if (named and method not in named) or (not named and method != "get"):
            return None
        name = self._name(target, sf.source) or f"line {target.start_point.row + 1}"
        return Function(sf.path, name, target)

    def _call_handler(self, call: ts.Node, sf: SourceFile, method: str,
                      method_in_string: bool, path: str = "") -> Function | None:
        callee = callee_name(call, sf.source)
        args = call_arguments(call)
        method_in_string = method_in_string or self._names_method(args, sf, method)
        if not method_in_string and not callee.endswith(method):
            # `.route("/x", post(handler).get(other))`: the method names a call in the arguments.
            inner = [n for a in args for n in self._calls_within(a)
                     if callee_name(n, sf.source).endswith(method)]
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
            if arg.type in NAME_TYPES:
                *owner, short = re.split(r"[.:]+", text_of(arg, sf.source))
                return self._function_named(short, owner[-1] if owner else "")
            if arg.type in self.lang.calls:
                inner = self._handler_among(call_arguments(arg), sf, label)
                if inner is not None:
                    return inner
                *owner, short = callee_parts(arg, sf.source)
                factory = self._function_named(short, owner[-1] if owner else "")
                if factory is not None and returned_closure(factory.node, self.lang) is not None:
                    return factory  # `h.handleCreate()`: the mask stubs what it returns
                return None
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
            # A factory keeps its set-up code (it runs at route registration); the handler it
            # returns, which runs per request, becomes the stub.
            targets = {(returned_closure(f.node, self.lang) or f.node).start_byte:
                       (f, returned_closure(f.node, self.lang) or f.node)
                       for f in chosen if f.path == rel}
            source = sf.source
            for _start, (fn, node) in sorted(targets.items(), reverse=True):
                body = node.child_by_field_name("body")
                assert body is not None
                start, end, text = self._stub(fn, body, sf.source)
                source = source[:start] + text + source[end:]
            if self.lang.name == "go":
                source = keep_go_locals_used(source, self.lang)
                source = blank_unused_go_imports(sf.source, source, self.lang)
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
