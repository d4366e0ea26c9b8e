"""Static result pages from templates: data in, markup never.

Every value a page shows comes from run folders anyone can write. Three rules keep it inert:
the template is filled in one pass (a substituted value is never scanned for another
placeholder), data goes into a `<script type="application/json">` block with every `<`, `>`
and `&` escaped, and the page's only script is allowed by its hash in a Content-Security-Policy,
so even markup that slipped through could run no handler, inline script or `javascript:` URL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from typing import Any

PLACEHOLDER = re.compile(r"__([A-Z]+)__")
SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def embed_json(data: Any) -> str:
    """JSON safe inside `<script type="application/json">`: with no `<`, `>` or `&` left, no
    label can close the block, open a comment or start a tag; JSON.parse reads it unchanged."""
    return (json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def fill(template: str, values: dict[str, str]) -> str:
    """Replace each `__NAME__` of `values`, once, in a single pass over the template only."""
    found = PLACEHOLDER.findall(template)
    missing = sorted(set(values) - set(found))
    if missing:
        raise ValueError(f"the template has no placeholder for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def csp(template: str) -> str:
    """The policy for a page whose only executable script is the template's inline one."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in SCRIPT.findall(template))
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def render(template_name: str, data: Any, **markup: str) -> str:
    """The named template with `data` as its JSON block and `markup` (already escaped, made by
    the harness) in place of the other placeholders."""
    template = resources.files("abcbench.results").joinpath(template_name).read_text("utf-8")
    return fill(template, {"CSP": csp(template), "DATA": embed_json(data), **markup})
