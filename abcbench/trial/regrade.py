"""Re-grading a kept submission: deploy and test it again, without the agent.

The new trial starts from the submission (and the agent's record) of a finished one; an agent
that overran its budget stays unresolved, as it was.
"""

from __future__ import annotations

import shutil

from abcbench.policy import AgentEnd
from abcbench.results.models import Stage, TrialResult
from abcbench.tasks.materialize import copy_tree
from abcbench.trial.native import NativeTrial


class RegradeTrial(NativeTrial):
    def _execute(self) -> None:
        source = self.spec.regrade_from
        assert source is not None
        original = TrialResult.model_validate_json((source / "result.json").read_text("utf-8"))
        self.result.usage = original.usage
        self.result.agent_timed_out = original.agent_timed_out
        if original.agent_timed_out:
            budget = self.spec.agent_timeout_sec or self.task.agent_timeout_sec
            self._record_agent_end(AgentEnd(budget_sec=budget, recorded_timeout=True))
        with self._phase(Stage.setup):
            tester_ref = self.images.ensure("tester")
        with self._phase(Stage.export):
            submission = self.dir / "submission"
            copy_tree(source / "submission", submission)
            self.result.logs.submission = "submission"
            if (source / "submission.diff").is_file():
                shutil.copy2(source / "submission.diff", self.dir / "submission.diff")
                self.result.logs.submission_diff = "submission.diff"
        self._deploy_and_test(submission, tester_ref)
