"""`abcbench tasks synthesize`: from a repository to checked tasks, by an agent.

explore (an agent in a sandbox writes a candidate) -> build (the authoring tools turn the
candidate into a task) -> filter (the three-leg check and static rules) -> record (provenance in
the task, rejects kept with their reason). See docs/authoring.md, "Synthesizing tasks".
"""
