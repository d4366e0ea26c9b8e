"""What the scripted model makes the `abc` agent write: a candidate for a fixture repository.

The agent looks around with bash, then writes the four candidate files with `write_file` (the
real tool, into the real sandbox), then finishes. `exercised=False` masks one more handler than
the scenario ever calls, the candidate the filter must reject.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from abcbench.testing.script import Script, Step

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "synthesis"

DOCKERFILES = {
    "python": """FROM abcbench/python
WORKDIR /srv/notes
COPY notes ./notes
ENV PORT=8080
EXPOSE 8080
CMD ["python3", "-m", "notes"]
""",
    "go": """FROM abcbench/go
WORKDIR /gopath/src/notes
COPY main.go ./
RUN go build -o /usr/local/bin/notes .
ENV PORT=8080
EXPOSE 8080
CMD ["/usr/local/bin/notes"]
""",
}

HANDLERS = {
    "python": {"create": "notes/app.py:create_note", "get": "notes/app.py:get_note",
               "delete": "notes/app.py:delete_note"},
    "go": {"create": "main.go:createNote", "get": "main.go:getNote",
           "delete": "main.go:deleteNote"},
}

FRAMEWORK = {"python": "flask", "go": "net-http"}

SCENARIO: dict[str, Any] = {"tests": [
    {"name": "create and read a note", "steps": [
        {"method": "POST", "path": "/notes",
         "json": {"title": "Groceries", "body": "milk eggs bread", "tags": ["shop", "home"]},
         "save": {"note_id": "id"}},
        {"method": "GET", "path": "/notes/{note_id}"}]},
    {"name": "a note needs a title", "steps": [
        {"method": "POST", "path": "/notes", "json": {"body": "no title"}}]},
    {"name": "an unknown note is 404", "steps": [
        {"method": "GET", "path": "/notes/999"}]},
]}

INSTRUCTION = """# Note endpoints of the notes service

The service in this repository keeps notes in memory. Implement these endpoints; the service
listens on port 8080.

## POST /notes
Body: JSON object with `title` (required, non-empty string), `body` (string, optional) and
`tags` (list of strings, optional). Answers 201 with the created note: `id` (integer, assigned
in order from 1), `title` (trimmed), `body`, `tags` (sorted, without duplicates) and `words`
(the number of whitespace-separated words in `body`). A missing or empty title answers 400 with
`{"error": "title is required"}`.

## GET /notes/{id}
Answers 200 with the note (the same fields as above), or 404 with
`{"error": "note not found"}` when no note has that id.
"""


def candidate_files(language: str, *, exercised: bool = True) -> dict[str, str]:
    handlers = HANDLERS[language]
    chosen = [handlers["create"], handlers["get"]] if exercised \
        else [handlers["create"], handlers["delete"]]
    candidate = {
        "name": "notes-crud" if exercised else "notes-crud-bad",
        "title": "Note endpoints of the notes service",
        "framework": FRAMEWORK[language], "task_type": "logic",
        "routes": [{"method": m, "path": p, "handler": handlers.get(h)}
                   for m, p, h in (("POST", "/notes", "create"), ("GET", "/notes/{id}", "get"),
                                   ("DELETE", "/notes/{id}", "delete"))],
        "mask": {"functions": chosen},
    }
    return {"candidate.yaml": yaml.safe_dump(candidate, sort_keys=False),
            "Dockerfile": DOCKERFILES[language],
            "scenario.yaml": yaml.safe_dump(SCENARIO, sort_keys=False),
            "instruction.md": INSTRUCTION}


def exploring_script(language: str, *, exercised: bool = True) -> Script:
    project = f"{language}-notes"
    steps = [Step.call("bash", command="ls -la && cat README.md")]
    steps += [Step.call("write_file", path=f"/app/{project}/.abcbench-candidate/{name}",
                        content=text)
              for name, text in candidate_files(language, exercised=exercised).items()]
    steps.append(Step.call("finish", summary="wrote the candidate"))
    return Script(steps=steps)
