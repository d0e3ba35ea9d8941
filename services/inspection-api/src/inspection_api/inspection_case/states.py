"""The case state machine: which step may be taken from which state. A closed case takes none.

planned ─assign─> assigned ─start─> in_progress ─conclude─> concluded ─sanction─> sanctioned
   │  (re-assign)    │                                        │   │                 │  │
   └──────close──────┴─(cancelled, with a note)               │   └─schedule_recheck┘  │
                                                              │        └─> follow_up   │
                                                              └──close── closed <──────┘
"""

from __future__ import annotations

from dataclasses import dataclass

from inspection_api.inspection_case.errors import CaseClosed, CaseTransitionNotAllowed
from inspection_api.models import CaseStatus

S = CaseStatus


@dataclass(frozen=True)
class Transition:
    sources: frozenset[CaseStatus]
    target: CaseStatus


TRANSITIONS: dict[str, Transition] = {
    "assign": Transition(frozenset({S.PLANNED, S.ASSIGNED}), S.ASSIGNED),
    "start": Transition(frozenset({S.ASSIGNED}), S.IN_PROGRESS),
    "conclude": Transition(frozenset({S.IN_PROGRESS}), S.CONCLUDED),
    "sanction": Transition(frozenset({S.CONCLUDED, S.SANCTIONED}), S.SANCTIONED),
    "schedule_recheck": Transition(frozenset({S.CONCLUDED, S.SANCTIONED}), S.FOLLOW_UP),
    "close": Transition(frozenset({S.PLANNED, S.ASSIGNED, S.CONCLUDED, S.SANCTIONED, S.FOLLOW_UP}), S.CLOSED),
}


def ensure_open(status: str) -> None:
    """A closed case is read-only: every write is refused."""
    if status == S.CLOSED:
        raise CaseClosed("The case is closed; nothing in it changes any more.")


def target_of(status: str, action: str) -> CaseStatus:
    """The state `action` leads to from `status`, or the refusal with a stable code."""
    ensure_open(status)
    transition = TRANSITIONS[action]
    if S(status) not in transition.sources:
        allowed = ", ".join(sorted(s.value for s in transition.sources))
        raise CaseTransitionNotAllowed(
            f"A case cannot {action.replace('_', ' ')} when {status} (only when {allowed})."
        )
    return transition.target


def allowed_actions(status: str) -> list[str]:
    return sorted(a for a, t in TRANSITIONS.items() if S(status) in t.sources)
