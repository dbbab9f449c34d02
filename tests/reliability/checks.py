"""Comparing what the crashed run stored with the reference run, chat by chat, and the figures.

Definitions (per chat; R = reference answers, S = stored answers, both flattened so that each job's fields
are their own entries, e.g. ``jobs[0].job_noc`` and ``job_draft.job_start``):

- lost: answers the person sent that are stored nowhere (multiset R-values minus S-values);
- doubled: answers stored more often than they were sent (multiset S-values minus R-values);
- misplaced: stored answers that sit on a question where the person did not give them (S[q] != R[q]);
- wrong state: the chat is not on the question after its last answer (the reference's state).

Replies are compared as multisets of texts per chat: duplicates are texts sent more often than in the
reference (e.g. an update answered again after a restart; counted in chats whose answers are exact only,
since a chat that went off its script has its question asked again), missing are texts sent less often,
unexpected are texts the reference never sends (apologies, "please tap a button" after a lost answer).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.reliability.workload import Expected


def flatten(answers: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if key == "jobs" and isinstance(value, list):
            for index, job in enumerate(value):
                for name, item in job.items() if isinstance(job, dict) else [("?", job)]:
                    out[f"jobs[{index}].{name}"] = item
        elif key == "job_draft" and isinstance(value, dict):
            for name, item in value.items():
                out[f"job_draft.{name}"] = item
        else:
            out[key] = value
    return out


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


@dataclass
class ChatVerdict:
    chat_id: int
    expected_answers: int
    lost: int = 0
    doubled: int = 0
    misplaced: int = 0
    state_ok: bool = True
    exact: bool = True
    duplicate_replies: int = 0
    missing_replies: int = 0
    unexpected_replies: int = 0
    detail: str = ""


def compare_chat(expected: Expected, stored: tuple[str, dict[str, Any]] | None, sent_texts: list[str]) -> ChatVerdict:
    reference = flatten(expected.answers)
    state, data = stored if stored is not None else ("<no row>", {})
    answers = flatten(data.get("answers", {}))
    ref_values = Counter(_key(v) for v in reference.values())
    got_values = Counter(_key(v) for v in answers.values())
    verdict = ChatVerdict(expected.chat_id, len(reference))
    verdict.lost = sum((ref_values - got_values).values())
    verdict.doubled = sum((got_values - ref_values).values())
    verdict.misplaced = sum(1 for q, v in answers.items() if q not in reference or _key(reference[q]) != _key(v))
    verdict.state_ok = state == expected.state
    verdict.exact = verdict.state_ok and data.get("answers", {}) == expected.answers
    ref_texts = Counter(t for texts in expected.replies for t in texts)
    got_texts = Counter(sent_texts)
    if verdict.exact:  # in a chat that went off the script, re-asked questions would count as duplicates
        verdict.duplicate_replies = sum(max(0, got_texts[t] - n) for t, n in ref_texts.items())
    verdict.missing_replies = sum((ref_texts - got_texts).values())
    verdict.unexpected_replies = sum(n for t, n in got_texts.items() if t not in ref_texts)
    if not verdict.exact:
        missing = sorted(q for q in reference if q not in answers)
        wrong = sorted(q for q in answers if q not in reference or _key(reference[q]) != _key(answers[q]))
        verdict.detail = (
            f"chat {expected.chat_id}: state {state!r} (expected {expected.state!r}); "
            f"missing {missing}; wrong or extra {wrong}"
        )
    return verdict


@dataclass
class CrashFigures:
    chats: int = 0
    updates_sent: int = 0
    taps_sent: int = 0
    kills: int = 0
    busy_kills: int = 0  # kills while updates were unconfirmed or the bot had sent a message in the last 0.5 s
    unexpected_exits: int = 0
    answers_expected: int = 0
    lost: int = 0
    doubled: int = 0
    misplaced: int = 0
    wrong_state_chats: int = 0
    exact_chats: int = 0
    messages_sent: int = 0
    reference_messages: int = 0
    duplicate_replies: int = 0
    missing_replies: int = 0
    unexpected_replies: int = 0
    drained: bool = False
    drain_seconds: float = 0.0
    stop_exit_code: int | None = None
    token_leaks: int = 0
    wall_seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    @property
    def messages_per_update(self) -> float:
        return self.messages_sent / self.updates_sent if self.updates_sent else 0.0

    @property
    def reference_messages_per_update(self) -> float:
        return self.reference_messages / self.updates_sent if self.updates_sent else 0.0

    def add(self, verdict: ChatVerdict) -> None:
        self.answers_expected += verdict.expected_answers
        self.lost += verdict.lost
        self.doubled += verdict.doubled
        self.misplaced += verdict.misplaced
        self.wrong_state_chats += 0 if verdict.state_ok else 1
        self.exact_chats += 1 if verdict.exact else 0
        self.duplicate_replies += verdict.duplicate_replies
        self.missing_replies += verdict.missing_replies
        self.unexpected_replies += verdict.unexpected_replies
        if verdict.detail and len(self.examples) < 5:
            self.examples.append(verdict.detail)

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("chats", str(self.chats)),
            ("updates sent (of them taps)", f"{self.updates_sent} ({self.taps_sent})"),
            ("SIGKILLs (with work in flight)", f"{self.kills} ({self.busy_kills})"),
            ("unexpected exits", str(self.unexpected_exits)),
            ("answers expected", str(self.answers_expected)),
            ("lost answers", str(self.lost)),
            ("doubled answers", str(self.doubled)),
            ("misplaced answers", str(self.misplaced)),
            ("chats on the wrong question", str(self.wrong_state_chats)),
            ("chats exactly as the reference", f"{self.exact_chats}/{self.chats}"),
            (
                "messages sent per update (reference)",
                f"{self.messages_per_update:.2f} ({self.reference_messages_per_update:.2f})",
            ),
            ("duplicate replies", str(self.duplicate_replies)),
            ("missing replies", str(self.missing_replies)),
            ("unexpected replies", str(self.unexpected_replies)),
            ("drained (seconds after the last kill)", f"{'yes' if self.drained else 'NO'} ({self.drain_seconds:.1f})"),
            ("exit status after SIGTERM", str(self.stop_exit_code)),
            ("files showing the token", str(self.token_leaks)),
            ("wall time (s)", f"{self.wall_seconds:.1f}"),
        ]

    def failures(self) -> list[str]:
        """What the crash scenario got wrong; empty when the bot kept every promise."""
        problems = []
        for name in ("lost", "doubled", "misplaced", "wrong_state_chats", "token_leaks", "unexpected_exits"):
            if getattr(self, name):
                problems.append(f"{name.replace('_', ' ')}: {getattr(self, name)}")
        if self.exact_chats != self.chats:
            problems.append(f"only {self.exact_chats}/{self.chats} chats stored exactly the reference answers")
        if not self.drained:
            problems.append("the bot did not drain in time")
        if self.stop_exit_code != 0:
            problems.append(f"exit status after SIGTERM: {self.stop_exit_code}")
        return problems
