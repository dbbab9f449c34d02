"""Knowledge-base answers inside the dialogue: telling a question from an answer, and the replies.

Button data: ``q:<entry id>`` shows one entry, ``t:<tag>`` lists a topic's entries, ``t:`` lists the
topics. The dialogue re-asks its pending question after any of these.
"""

from __future__ import annotations

from flows.replies import Button, Reply
from knowledge.faq.entries import FaqEntry
from knowledge.faq.retriever import FaqResult, FaqRetriever
from knowledge.faq.topics import Topic, load_topics

EXPRESS_ENTRY_PAGE = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry.html"
)
_QUESTION_WORDS = frozenset(
    {
        "what",
        "whats",
        "how",
        "why",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "does",
        "do",
        "did",
        "is",
        "are",
        "am",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "must",
        "has",
        "have",
        "if",
        "explain",
        "tell",
        "wat",
        "hw",
    }
)


def looks_like_question(text: str) -> bool:
    """A question mark after two words or more, or three words or more opening with a question word."""
    words = text.strip().lower().replace("’", "'").split()
    if len(words) >= 2 and text.strip().endswith("?"):
        return True
    first = words[0].replace("'s", "").strip("?,.!") if words else ""
    return len(words) >= 3 and first in _QUESTION_WORDS


class FaqReplies:
    """Formats what the retriever found; the retriever and the topics are injected."""

    def __init__(self, retriever: FaqRetriever, topics: list[Topic] | None = None) -> None:
        self.retriever = retriever
        self.topics = topics if topics is not None else load_topics()

    def ask(self, question: str) -> tuple[FaqResult, Reply]:
        result = self.retriever.ask(question)
        return result, self.show(result)

    def show(self, result: FaqResult) -> Reply:
        if result.kind == "answer" and result.entry is not None:
            answer = self.entry(result.entry)  # answered directly; the nearest entries offered under it
            return Reply(answer.text, [Button(f"❓ {e.question}", f"q:{e.id}") for e in result.related])
        if result.kind == "suggest":
            return Reply(
                "I am not sure I have the answer to that. The closest questions I can answer are below; "
                "tap one, or ask in other words.",
                [Button(e.question, f"q:{e.id}") for e in result.suggestions],
            )
        if result.kind == "out_of_scope":
            return Reply(
                "That is outside what I know: I only cover Canada's Express Entry (the CRS score, the "
                "Federal Skilled Worker, Federal Skilled Trades and Canadian Experience Class programs, and "
                f"their draws). For other questions, IRCC's pages start here: {EXPRESS_ENTRY_PAGE}",
                [Button("Browse what I can answer", "t:")],
            )
        return Reply(
            "I don't know the answer to that one, and I would rather say so than guess. "
            "You can browse the questions I can answer, or ask in other words.",
            [Button("Browse what I can answer", "t:")],
        )

    @staticmethod
    def entry(entry: FaqEntry) -> Reply:
        lines = [entry.question, "", entry.answer, "", f"Source: {entry.source} (checked {entry.checked.isoformat()})"]
        if entry.source_note:
            lines.append(f"About this source: {entry.source_note}")
        return Reply("\n".join(lines))

    def topic_list(self) -> Reply:
        return Reply(
            "Pick a topic, or type your question at any moment (for example: what is an ECA?).",
            [Button(t.label, f"t:{t.tag}") for t in self.topics],
        )

    def topic(self, tag: str) -> Reply | None:
        label = next((t.label for t in self.topics if t.tag == tag), None)
        entries = self.retriever.kb.tagged(tag)
        if label is None or not entries:
            return None
        return Reply(f"{label}: tap a question.", [Button(e.question, f"q:{e.id}") for e in entries])

    def by_button(self, data: str) -> Reply | None:
        """The reply for a ``q:`` or ``t:`` button, or None when it points at nothing (an old button)."""
        kind, _, rest = data.partition(":")
        if kind == "q":
            entry = self.retriever.by_id.get(rest)
            return self.entry(entry) if entry is not None else None
        if kind == "t":
            return self.topic_list() if not rest else self.topic(rest)
        return None
