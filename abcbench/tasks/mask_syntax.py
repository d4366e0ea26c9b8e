"""Tree-sitter helpers for `tasks mask`: reading names, strings, calls and route methods from
syntax nodes, finding the handler a factory returns, and keeping Go compiling after a mask.

Everything here reads the parse tree, never the raw text with patterns, except where noted
(a route path written as a regular expression is matched as one, bounded in length).
"""

from __future__ import annotations

import re

import tree_sitter as ts

from abcbench.tasks.mask_langs import LanguageSpec

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
NAME_TYPES = frozenset({"identifier", "selector_expression", "member_expression",
                         "field_expression", "scoped_identifier", "method_reference",
                         "member_access_expression", "attribute"})
STRING_TYPES = frozenset({"string", "string_literal", "interpreted_string_literal",
                           "raw_string_literal", "encapsed_string", "template_string",
                           "verbatim_string_literal"})


def ancestors(node: ts.Node) -> list[ts.Node]:
    out: list[ts.Node] = []
    current = node.parent
    while current is not None:
        out.append(current)
        current = current.parent
    return out


def call_arguments(call: ts.Node) -> list[ts.Node]:
    """A call's own arguments (not those of calls nested in them), and a Ruby block."""
    holder = call.child_by_field_name("arguments")
    args = [] if holder is None else [_argument_value(a) for a in holder.named_children]
    block = call.child_by_field_name("block")
    return args + ([block] if block is not None else [])


def _argument_value(arg: ts.Node) -> ts.Node:
    """The value of an argument: `x` of Go/C# `argument` wrappers, `f(...)` of Python's
    `view_func=f(...)`."""
    if arg.type == "argument" and arg.named_children:
        return arg.named_children[0]
    if arg.type == "keyword_argument":
        return arg.child_by_field_name("value") or arg
    return arg


def walk(node: ts.Node) -> list[ts.Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(current.children))
    return out


def text_of(node: ts.Node, source: bytes) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def string_value(node: ts.Node, source: bytes) -> str:
    text = text_of(node, source)
    return re.sub(r"^[a-zA-Z@$]*(['\"`]+)(.*?)\1$", r"\2", text, flags=re.S)


def callee_name(call: ts.Node, source: bytes) -> str:
    callee = (call.child_by_field_name("function") or call.child_by_field_name("method")
              or call.child_by_field_name("name"))
    if callee is None:
        return ""
    return re.split(r"[.:>\-]+", text_of(callee, source))[-1].lower()


def blank_unused_go_imports(before: bytes, after: bytes, lang: LanguageSpec) -> bytes:
    """Go refuses unused imports: one used only by a masked body becomes `_ "path"`."""
    def used(source: bytes) -> tuple[set[str], list[ts.Node]]:
        tree = lang.parse(source)
        names = {text_of(n.child_by_field_name("operand") or n, source)
                 for n in walk(tree.root_node) if n.type == "selector_expression"}
        names |= {text_of(n.child_by_field_name("package") or n, source)
                  for n in walk(tree.root_node) if n.type == "qualified_type"}
        specs = [n for n in walk(tree.root_node) if n.type == "import_spec"]
        return names, specs

    used_before, _ = used(before)
    used_after, specs = used(after)
    for spec in sorted(specs, key=lambda n: -n.start_byte):
        if spec.child_by_field_name("name") is not None:
            continue
        path = string_value(spec.child_by_field_name("path") or spec, after)
        name = re.sub(r"^go-|\.v\d+$", "", path.rstrip("/").split("/")[-1])
        if re.fullmatch(r"v\d+", name) and "/" in path:
            name = path.rstrip("/").split("/")[-2]
        if name in used_before and name not in used_after:
            after = after[:spec.start_byte] + b"_ " + after[spec.start_byte:]
    return after


def callee_parts(call: ts.Node, source: bytes) -> list[str]:
    """The callee as written, split at `.` / `::` / `->`: `h.handleCreate` -> [h, handleCreate]."""
    callee = (call.child_by_field_name("function") or call.child_by_field_name("method")
              or call.child_by_field_name("name"))
    if callee is None:
        return [""]
    return re.split(r"[.:>\-]+", text_of(callee, source))


METHOD_WORDS = {word: method for method in HTTP_METHODS
                for word in (method, f"http{method}", f"{method}mapping")}
"""The words that name a method in a route declaration (`post`, C#'s `HttpPost`, Spring's
`PostMapping`): whole words only, so `posts_bp` or `get_posts` name nothing."""


def declared_methods(header: ts.Node, literal: ts.Node, end: int, source: bytes) -> list[str]:
    """The HTTP methods a route declaration (decorator, annotation, attribute) names.

    A `methods=[...]` / `method: ...` argument decides when present (Flask, Starlette, PHP
    attributes); otherwise the words of the declaration outside the path."""
    for node in walk(header):
        if node.start_byte >= end:
            break
        if node.type in ("keyword_argument", "named_argument", "element_value_pair",
                         "attribute_argument"):
            key = node.child_by_field_name("name") or node.child_by_field_name("key")
            if key is not None and text_of(key, source).lower() in ("methods", "method"):
                value = node.child_by_field_name("value") or node
                words = [string_value(n, source).lower() for n in walk(value)
                         if n.type in STRING_TYPES]
                words += [text_of(n, source).lower() for n in walk(value)
                          if n.type in ("identifier", "field_access", "constant")]
                named = [m for m in HTTP_METHODS if any(w.split(".")[-1] == m for w in words)]
                if named:
                    return named
    text = (source[header.start_byte:literal.start_byte]
            + source[literal.end_byte:end]).decode("utf-8", "replace").lower()
    words = re.findall(r"[a-z]+", text)  # the path itself says nothing
    return [m for m in HTTP_METHODS if any(METHOD_WORDS.get(w) == m for w in words)]


MAX_ROUTE_PATTERN = 300


def path_matches(written: str, path: str) -> bool:
    """Whether a path literal of the code is the route asked for: the same text, or a regular
    expression (anchored with `^` or `$`, as hand-made routers write them) that matches it."""
    if written == path:
        return True
    if not (written.startswith("^") or written.endswith("$")) or len(written) > MAX_ROUTE_PATTERN:
        return False
    try:
        return re.fullmatch(written.removeprefix("^").removesuffix("$"), path) is not None
    except re.error:
        return False


_RETURNS = frozenset({"return_statement", "return_expression"})


def returned_closure(function: ts.Node, lang: LanguageSpec) -> ts.Node | None:
    """The handler a factory returns, or None when the function is not a factory.

    A factory's body ends by returning a function literal (`return func(w, r) {...}`,
    `return async (req, res) => {...}`), a function defined in it (`def view(): ...;
    return view`), or is itself one (`(db) => (req, res) => ...`)."""
    body = function.child_by_field_name("body")
    if body is None:
        return None
    if body.type in lang.functions:
        return body
    statements = [c for c in _statements(body) if c.type != "comment"]
    if not statements or statements[-1].type not in _RETURNS:
        return None
    returned = statements[-1].named_children
    while len(returned) == 1 and returned[0].type in ("expression_list", "parenthesized_expression"):
        returned = returned[0].named_children
    if len(returned) != 1:
        return None
    value = returned[0]
    if value.type in lang.functions and value.child_by_field_name("body") is not None:
        return value
    if value.type == "identifier":
        for statement in statements:
            if statement.type in lang.functions and (name := statement.child_by_field_name(
                    "name")) is not None and name.text == value.text:
                return statement
    return None


def keep_go_locals_used(source: bytes, lang: LanguageSpec) -> bytes:
    """Go refuses a local variable nobody reads: a factory's local used only by the handler it
    returned (now a stub) gets `_ = name` after its declaration."""
    tree = lang.parse(source)
    inserts: list[tuple[int, bytes]] = []
    for fn in walk(tree.root_node):
        if fn.type not in ("function_declaration", "method_declaration"):
            continue
        body = fn.child_by_field_name("body")
        if body is None:
            continue
        for statement in _statements(body):
            declared = _declared_names(statement)
            if not declared:
                continue
            reads = [n for n in walk(body) if n.type == "identifier"
                     and not (statement.start_byte <= n.start_byte < statement.end_byte)]
            line_start = source.rfind(b"\n", 0, statement.start_byte) + 1
            indent = source[line_start:statement.start_byte]
            for name in declared:
                if name != b"_" and not any(n.text == name for n in reads):
                    inserts.append((statement.end_byte, b"\n" + indent + b"_ = " + name))
    for at, text in sorted(inserts, reverse=True):
        source = source[:at] + text + source[at:]
    return source


def _statements(body: ts.Node) -> list[ts.Node]:
    """A block's statements (Go's grammar wraps them in a `statement_list`)."""
    children = body.named_children
    if len(children) == 1 and children[0].type == "statement_list":
        return children[0].named_children
    return children


def _declared_names(statement: ts.Node) -> list[bytes]:
    if statement.type == "short_var_declaration":
        left = statement.child_by_field_name("left")
        return [n.text for n in (left.named_children if left else []) if n.text]
    if statement.type == "var_declaration":
        return [n.text for spec in statement.named_children if spec.type == "var_spec"
                for n in spec.children_by_field_name("name") if n.text]
    return []
