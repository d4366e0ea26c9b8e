"""The nop agent: changes nothing, proving the masked starting state fails the tests."""

from __future__ import annotations

from abcbench.agents.base import Agent, AgentContext, AgentResult


class NopAgent(Agent):
    name = "nop"
    description = "Does nothing; the untouched repository must not pass."

    def run(self, ctx: AgentContext) -> AgentResult:
        return AgentResult(message="did nothing")
