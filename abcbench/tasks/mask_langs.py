"""What `abcbench tasks mask` knows about each language: its tree-sitter grammar, which syntax
nodes are functions and containers, and a "not implemented" stub that still compiles.

Stubs throw (or panic) instead of returning a value, so they compile whatever the function's
return type; the service still builds and starts, and the masked endpoints answer 500.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import tree_sitter as ts


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@dataclass(frozen=True)
class LanguageSpec:
    name: str
    module: str
    extensions: tuple[str, ...]
    functions: frozenset[str]
    """Node types whose `body` is masked."""
    containers: dict[str, str]
    """Node type -> field naming it (classes, impls, modules): the qualifier of a method."""
    calls: frozenset[str]
    statement: Callable[[str], str]
    """The stub statement for a qualified name."""
    braces: bool = True
    grammar_function: str = "language"
    skip_dirs: frozenset[str] = field(default_factory=frozenset)

    @property
    def language(self) -> ts.Language:
        return _language(self.module, self.grammar_function)

    def parse(self, source: bytes) -> ts.Tree:
        return ts.Parser(self.language).parse(source)


@cache
def _language(module: str, function: str) -> ts.Language:
    return ts.Language(getattr(importlib.import_module(module), function)())


def _message(name: str) -> str:
    return _quote(f"not implemented: {name}")


LANGUAGES: dict[str, LanguageSpec] = {spec.name: spec for spec in (
    LanguageSpec(
        "python", "tree_sitter_python", (".py",),
        frozenset({"function_definition"}), {"class_definition": "name"},
        frozenset({"call"}),
        lambda n: f'raise NotImplementedError("{_message(n)}")', braces=False,
        skip_dirs=frozenset({"venv", ".venv"})),
    LanguageSpec(
        "go", "tree_sitter_go", (".go",),
        frozenset({"function_declaration", "method_declaration", "func_literal"}), {},
        frozenset({"call_expression"}), lambda n: f'panic("{_message(n)}")',
        skip_dirs=frozenset({"vendor"})),
    LanguageSpec(
        "java", "tree_sitter_java", (".java",),
        frozenset({"method_declaration", "constructor_declaration", "lambda_expression"}),
        {"class_declaration": "name", "interface_declaration": "name",
         "enum_declaration": "name", "record_declaration": "name"},
        frozenset({"method_invocation"}),
        lambda n: f'throw new UnsupportedOperationException("{_message(n)}");'),
    LanguageSpec(
        "javascript", "tree_sitter_javascript", (".js", ".mjs", ".cjs"),
        frozenset({"function_declaration", "generator_function_declaration", "method_definition",
                   "arrow_function", "function_expression", "function"}),
        {"class_declaration": "name", "class": "name"},
        frozenset({"call_expression"}), lambda n: f'throw new Error("{_message(n)}");',
        skip_dirs=frozenset({"node_modules"})),
    LanguageSpec(
        "ruby", "tree_sitter_ruby", (".rb", ".ru"),
        frozenset({"method", "singleton_method", "do_block", "block"}),
        {"class": "name", "module": "name"}, frozenset({"call"}),
        lambda n: f'raise NotImplementedError, "{_message(n)}"', braces=False,
        skip_dirs=frozenset({"vendor"})),
    LanguageSpec(
        "php", "tree_sitter_php", (".php",),
        frozenset({"function_definition", "method_declaration", "anonymous_function",
                   "arrow_function"}),
        {"class_declaration": "name", "trait_declaration": "name"},
        frozenset({"member_call_expression", "function_call_expression",
                   "scoped_call_expression"}),
        lambda n: f'throw new \\RuntimeException("{_message(n)}");',
        grammar_function="language_php", skip_dirs=frozenset({"vendor"})),
    LanguageSpec(
        "csharp", "tree_sitter_c_sharp", (".cs",),
        frozenset({"method_declaration", "constructor_declaration", "local_function_statement",
                   "lambda_expression"}),
        {"class_declaration": "name", "struct_declaration": "name",
         "record_declaration": "name"},
        frozenset({"invocation_expression"}),
        lambda n: f'throw new System.NotImplementedException("{_message(n)}");',
        skip_dirs=frozenset({"bin", "obj"})),
    LanguageSpec(
        "rust", "tree_sitter_rust", (".rs",),
        frozenset({"function_item", "closure_expression"}),
        {"impl_item": "type", "trait_item": "name", "mod_item": "name"},
        frozenset({"call_expression"}), lambda n: f'unimplemented!("{_message(n)}")',
        skip_dirs=frozenset({"target"})),
)}

ANONYMOUS = frozenset({"func_literal", "lambda_expression", "arrow_function",
                       "function_expression", "function", "anonymous_function", "do_block",
                       "block", "closure_expression"})
"""Function nodes that have no name of their own (closures, blocks)."""


def language_for(name: str) -> LanguageSpec:
    return LANGUAGES[name]
