"""The synthesis instruction: what the exploring agent is asked to do, written by the project.

Its version is recorded in every synthesized task's provenance; change `PROMPT_VERSION` with
any change of the text or of the candidate layout it describes, so tasks made by different
prompts can be told apart.
"""

from __future__ import annotations

from abcbench.synthesis.candidate import (
    CANDIDATE_DIR,
    CANDIDATE_FILE,
    DOCKERFILE,
    INSTRUCTION,
    MAX_FILE_BYTES,
    SCENARIO,
)

PROMPT_VERSION = "synthesis-v1"
SERVICE_PORT = 8080

TEMPLATE = """# Turn this repository into benchmark tasks

`/app/{project}` is a copy of an open-source {language} repository that serves an HTTP API. You
are preparing a coding task from it: some endpoint handlers will be replaced by stubs, and a
developer will be asked to implement them again from a specification you write, graded by HTTP
tests recorded from the original code. Do not change the repository's own files; write only the
files listed below, under `/app/{project}/{dir}/`.

## Steps
1. Find how the service is built and started (README, build files, entry points).
2. Write `{dir}/{dockerfile}`: a Dockerfile whose build context is the repository root
   (`/app/{project}`), `FROM abcbench/{language}` (the toolchain from Debian packages; the build
   has no network, so use only what the image and the repository hold), that starts the
   service listening on 0.0.0.0 port {port}. Check that it builds and starts if you can.
3. List the HTTP routes (method, path as the code writes it, handler as `FILE:NAME`).
4. Pick one group of 1 to 4 related endpoints worth implementing (business logic, not a health
   check). Their handlers are what will be masked.
5. Write `{dir}/{scenario}`: requests that exercise every chosen handler, and whose answers are
   the same on every run of a freshly started service (no clocks, random values or ids from
   other tests in what is asserted; save a created id with `save:` and use it as `{{name}}`).
   Format:
   ```yaml
   tests:
     - name: create_then_read
       steps:
         - {{method: POST, path: /items, json: {{name: a}}, save: {{item_id: id}}}}
         - {{method: GET, path: "/items/{{item_id}}"}}
   ```
6. Write `{dir}/{instruction}`: the task's instruction, an endpoint specification a developer
   could implement the chosen endpoints from: for each, method, path, request body, response
   shape, status codes and error cases, and that the service listens on port {port}. Describe
   behaviour; never paste the implementation.
7. Write `{dir}/{candidate}`:
   ```yaml
   name: notes-crud            # lowercase words joined by '-': the task id's last part
   title: Note endpoints of the notes service
   framework: flask            # one lowercase word
   task_type: logic            # or environment: the developer also writes the Dockerfile
   routes:                     # every route you found
     - {{method: GET, path: /items, handler: "app.py:list_items"}}
   mask:                       # the handlers to stub, as FILE:NAME (Class.method if needed)
     functions: ["app.py:create_item", "app.py:get_item"]
   ```
   Each file must be under {max_kib} KiB. Then finish.
"""


def synthesis_instruction(project: str, language: str) -> str:
    """The instruction the exploring agent gets for a repository at `/app/<project>`."""
    return TEMPLATE.format(project=project, language=language, dir=CANDIDATE_DIR,
                           dockerfile=DOCKERFILE, scenario=SCENARIO, instruction=INSTRUCTION,
                           candidate=CANDIDATE_FILE, port=SERVICE_PORT,
                           max_kib=MAX_FILE_BYTES // 1024)
