"""The conversation diagram, drawn from the machine itself (Mermaid, no graphviz needed).

    python -m flows.diagram > docs/flow.mmd

A test checks that docs/flow.mmd matches the code. Questions whose ``when`` predicate is false are
skipped on entry; the predicates are listed as notes.
"""

from __future__ import annotations

from transitions.extensions import GraphMachine

from flows.conversation import START, STATES, TRANSITIONS
from flows.questions import QUESTIONS


def mermaid() -> str:
    machine = GraphMachine(
        states=STATES,
        transitions=TRANSITIONS,
        initial=START,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title="Maple questionnaire",
    )
    text = machine.get_graph().draw(None)
    notes = [f"  note right of {q.id}: asked when {q.when}" for q in QUESTIONS if q.when]
    return text.rstrip() + "\n" + "\n".join(notes) + "\n"


if __name__ == "__main__":
    print(mermaid(), end="")
