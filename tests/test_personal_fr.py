"""Personal answers in French (issue #14): a French question about the person picks the same intent as its English
twin (accents or not), and in a French chat the answer computed from the person's answers is said in French, with
the same figures as in English, the French "Calculé à partir de vos réponses" mark, the rule's French source page
where the knowledge base has one, and a missing fact named in French. The figures are compared between an English
and a French chat that typed the same answers, never typed in here."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.core import MapleCore, build_core
from flows.faq_replies import looks_like_question
from flows.i18n import Languages
from flows.result_terms import term
from knowledge.faq import personal
from knowledge.faq.entries import load_knowledge_base
from knowledge.faq.french import fold
from knowledge.wording import Joined, Phrase
from tests.test_personal import TYPED

TODAY = date(2026, 10, 1)
MARK_EN, MARK_FR = "Computed from your answers. Source: ", "Calculé à partir de vos réponses. Source : "
FR = Languages.load().get("fr")
KB = load_knowledge_base()
FRENCH_PAGES = {str(e.source): str(e.fr.source) for e in KB.entries if e.fr is not None and e.fr.source}
CRS_PAGE_FR = FRENCH_PAGES[
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/"
    "crs-criteria.html"
]
# English function words: none of them is French, so none may be left in a French answer
ENGLISH = re.compile(
    r"\b(the|and|your|you|is|are|of|with|from|this|that|which|not|yet|once|have|has|will|would|when|what|to|for|"
    r"in|it|rounds|answers|computed|checked|turn|points? for|age points|per)\b",
    re.I,
)
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre"]
MONTHS += ["novembre", "décembre"]

# --- French questions -> intents ---------------------------------------------------------------------------
FRENCH_INTENTS = [
    ("combien de points pour mon âge ?", "age_points"),
    ("Combien de points ai-je pour mon âge?", "age_points"),
    ("est-ce que mon âge me fait perdre des points ?", "age_points"),
    ("quand j'aurai 42 ans, vais-je perdre des points ?", "age_points"),
    ("vais-je perdre des points à mon anniversaire ?", "age_points"),
    ("combien de points vais-je perdre à 42 ans", "age_points"),
    ("quand expire mon TEF ?", "language_expiry"),
    ("jusqu'à quand mes résultats IELTS sont-ils valides ?", "language_expiry"),
    ("mon test de français est-il encore valide ?", "language_expiry"),
    ("quand expire mon EDE ?", "eca_expiry"),
    ("quand est-ce que mon EDE expire", "eca_expiry"),
    ("mon évaluation des diplômes est-elle encore valide ?", "eca_expiry"),
    ("combien de fonds pour ma famille ?", "funds"),
    ("combien d'argent dois-je montrer pour la preuve de fonds ?", "funds"),
    ("de combien de fonds ai-je besoin pour nous deux ?", "funds"),
    ("est-ce que mon métier est dans une catégorie ?", "category_fit"),
    ("mon emploi fait-il partie de la catégorie santé ?", "category_fit"),
    ("dans quelle catégorie est-ce que je rentre ?", "category_fit"),
    ("et si j'obtiens mon EDE, quel serait mon score ?", "what_if"),
    ("et si j'obtiens une maîtrise ?", "what_if"),
    ("si j'obtiens NCLC 7 en français, combien de points de plus aurait mon score ?", "what_if"),
    ("et si j'avais une désignation provinciale ?", "what_if"),
    ("mon score suffit-il pour une ronde francophone ?", "draw_chances"),
    ("mon score est-il assez élevé pour être invité ?", "draw_chances"),
    ("quelles sont mes chances ?", "draw_chances"),
    ("quel est mon score ?", "my_score"),
    ("c'est quoi mon score SCG ?", "my_score"),
    ("est-ce qu'un certificat en ligne compte pour des points ?", "online_credential"),
    # typed without apostrophes or hyphens ("jai", "jaurai", "est ce que", "vais je"), and the twins of the English
    # "will my score go down when i turn 42" ("baisser", "diminuer", "perdre des points", "à 42 ans")
    ("est ce que mon score va baisser quand jaurai 42 ans", "age_points"),
    ("est-ce que mon score va baisser à 42 ans?", "age_points"),
    ("mon score va-t-il diminuer à 42 ans ?", "age_points"),
    ("mon score va t il baisser a 42 ans", "age_points"),
    ("est-ce que je vais perdre des points quand j'aurai 42 ans ?", "age_points"),
    ("vais je perdre des points a 42 ans", "age_points"),
    ("mes points vont diminuer quand j aurai 42 ans ?", "age_points"),
    ("j'aurai 42 ans en mars, mon score va-t-il baisser ?", "age_points"),
    ("et si jai mon eca", "what_if"),
    ("et si j ai une EDE", "what_if"),
    ("et si jai une ede ?", "what_if"),
    ("si jobtiens NCLC 7 en français, quel serait mon score ?", "what_if"),
    ("jai besoin de combien de fonds pour ma famille ?", "funds"),
    ("dois je montrer des fonds pour ma famille ?", "funds"),
    ("vais je etre invité avec mon score ?", "draw_chances"),
    ("suis je admissible à la catégorie santé ?", "category_fit"),
    ("est ce que mon ielts est encore valide ?", "language_expiry"),
]
NOT_PERSONAL = [
    "combien de points pour l'âge de mon fils ?",  # a child's age is not the person's
    "qu'est-ce que le SCG ?",
    "combien de temps une EDE est-elle valide ?",  # the general rule: the knowledge base answers it
    "quand expire mon test passé il y a 3 ans ?",  # its own date: about that test, not the answers' one
    "mon score est égal au seuil, pourquoi pas invité ?",  # tie-break: the entry's answer
]


@pytest.fixture(scope="module")
def table() -> personal.PersonalTable:
    return personal.default_table()


@pytest.mark.parametrize(("question", "intent"), FRENCH_INTENTS)
def test_a_french_question_picks_its_intent_with_or_without_accents(table, question, intent):
    for typed in (question, fold(question), question.upper()):
        picked = personal.pick_intent(typed, [], table)
        assert picked is not None and picked.id == intent, typed


@pytest.mark.parametrize("question", NOT_PERSONAL)
def test_a_french_question_not_about_the_person_picks_no_intent(table, question):
    assert personal.pick_intent(question, [], table) is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("et si jai mon eca", "et si j'ai mon eca"),
        ("et si j ai une EDE", "et si j'ai une ede"),
        ("quand jaurai 42 ans", "quand j'aurai 42 ans"),
        ("est ce que mon score", "est-ce que mon score"),
        ("vais je perdre", "vais-je perdre"),
        ("mon score va t il baisser", "mon score va-t-il baisser"),
        ("mon score va-t il baisser", "mon score va-t-il baisser"),
        ("a ton age", "a ton age"),  # "ton" is no "t on"
        ("what if i get my eca", "what if i get my eca"),  # English is read as typed
    ],
)
def test_french_typed_without_apostrophes_or_hyphens_is_read_with_them(typed, read):
    assert personal._clean(typed) == read


@pytest.mark.parametrize(
    "question", ["mon score va-t-il baisser quand j'aurai 10 ans d'expérience ?", "quand jaurai 12 ans de travail"]
)
def test_years_of_experience_are_no_age(table, question):
    picked = personal.pick_intent(question, [], table)
    assert picked is None or picked.id != "age_points"


@pytest.mark.parametrize("question", ["combien de points pour mon âge", "quand est-ce que mon EDE expire"])
def test_a_french_question_without_its_question_mark_is_still_a_question(question):
    assert looks_like_question(question)


def test_a_compound_french_question_is_split_before_its_second_question_word():
    assert personal.split_question("combien de points pour mon âge et quand expire mon TEF ?") == [
        "combien de points pour mon âge",
        "quand expire mon TEF",
    ]


# --- the phrases: English unchanged, French from the catalog ------------------------------------------------
def test_the_mark_and_the_fact_words_are_phrases_with_french():
    assert personal.MARK == "Computed from your answers" and FR.say(personal.MARK) == "Calculé à partir de vos réponses"
    for fact, words in personal.FACT_WORDS.items():
        said = term(FR, words)
        assert isinstance(words, Phrase) and said != words and not ENGLISH.search(said), fact


def test_an_answer_is_joined_phrases_and_each_line_is_translated():
    text = personal._lines([Phrase("Your CRS score: {score}.", score="385"), Phrase("/score shows every line of it.")])
    assert isinstance(text, Joined) and text == "Your CRS score: 385.\n/score shows every line of it."
    assert term(FR, text) == "Votre score SCG : 385.\n/score en affiche chaque ligne."


def test_a_computed_answer_keeps_its_phrases_through_the_pydantic_models(table):
    from flows.faq_replies import facts_from_answers
    from knowledge.crs.scoring import default_scorer
    from knowledge.programs.eligibility import EligibilityEngine

    engines = personal.PersonalEngines(default_scorer(), EligibilityEngine())
    facts = facts_from_answers({"dob": "1990-01-01", "marital": "never_married"}, TODAY)
    computed = personal.answer("combien de points pour mon âge ?", [], facts, engines, table)
    english = personal.answer("how many points for my age?", ["age-points"], facts, engines, table)
    assert isinstance(computed, personal.Computed) and isinstance(computed.text, Phrase)
    assert computed.text == english.text and computed.text.startswith("You are 36 today (2026-10-01; born 1990-01-01")
    assert term(FR, computed.text).startswith(
        "Vous avez 36 ans aujourd'hui (1er octobre 2026; né(e) le 1er janvier 1990"
    )
    missing = personal.answer("quand expire mon TEF ?", [], facts, engines, table)
    assert isinstance(missing, personal.Missing) and missing.needs == ["languages"]
    assert [term(FR, w) for w in missing.words] == ["vos tests de langue (quel test, sa date et vos résultats)"]


# --- French chats: the same answers as an English chat, the same figures, in French ----------------------------
@pytest.fixture(scope="module")
def core(tmp_path_factory) -> MapleCore:
    made = build_core(str(Path(tmp_path_factory.mktemp("fr")) / "m.db"), today=lambda: TODAY)
    yield made
    made.store.close()


_chats = iter(range(100, 10_000))


def typed(core: MapleCore, language: str, answers: list[str]) -> int:
    chat = next(_chats)
    core.command(chat, "start", language_code=language)
    for text in answers:
        core.text(chat, text)
    return chat


def answer(core: MapleCore, chat: int, question: str, mark: str) -> tuple[str, str]:
    """The computed answer (before the mark) and the mark's line, unescaped."""
    text = html.unescape("\n".join(r.text for r in core.text(chat, question).replies))
    assert mark in text, text
    body, _, rest = text.partition(mark)
    return body.rstrip().rpartition("\n\n")[2] if "› " not in body else body.rstrip(), mark + rest.split("\n")[0]


def figures(text: str) -> Counter:
    """The numbers of an answer, dates as (year, month, day), thousands separators of either language removed."""
    text = re.sub(r"https?://\S+", "", text)
    found: list[tuple[int, ...]] = []

    def iso(m: re.Match) -> str:
        found.append((int(m[1]), int(m[2]), int(m[3])))
        return " "

    def french(m: re.Match) -> str:
        found.append((int(m[3]), MONTHS.index(m[2]) + 1, int(m[1])))
        return " "

    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", iso, text)
    text = re.sub(rf"\b(\d{{1,2}})(?:er)? ({'|'.join(MONTHS)}) (\d{{4}})\b", french, text)
    text = re.sub(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)", "", text)
    found += [(int(n),) for n in re.findall(r"[+-]?\d+", text)]
    return Counter(found)


FULL = list(TYPED)
UP_TO_LANGUAGE = TYPED[:12]  # date of birth, married to a partner who comes, master's with an ECA, IELTS
NO_ECA = [*TYPED[:5], "none", *TYPED[7:]]  # the same person, whose master's has no ECA yet
PAIRS = [
    # (answers typed, English question, French question)
    (TYPED[:4], "how many points do i get for my age?", "combien de points pour mon âge ?"),
    (FULL, "will my score go down when i turn 42?", "mon score va-t-il baisser quand j'aurai 42 ans ?"),
    (FULL, "will my score go down when i turn 42?", "est ce que mon score va baisser quand jaurai 42 ans"),
    (FULL, "will my score go down when i turn 42?", "est-ce que mon score va baisser à 42 ans?"),
    (NO_ECA, "what if i get my eca?", "et si jai mon eca ?"),
    (NO_ECA, "what if i get my eca", "et si jai mon eca"),  # at the end, typed without "?" nor apostrophe
    (NO_ECA, "what if i get my eca?", "et si j'ai une EDE?"),
    (UP_TO_LANGUAGE, "when does my ielts expire?", "quand expire mon IELTS ?"),
    (UP_TO_LANGUAGE, "when does my tef expire?", "quand expire mon TEF ?"),
    (UP_TO_LANGUAGE, "when does my eca expire?", "quand expire mon EDE ?"),
    (FULL, "how much money do i need for my family?", "combien de fonds pour ma famille ?"),
    (FULL, "is my score enough for a french round?", "mon score suffit-il pour une ronde francophone ?"),
    (FULL, "what if i get my eca, what would my score be?", "et si j'obtiens mon EDE, quel serait mon score ?"),
    (FULL, "what if i get nclc 7 in french?", "et si j'obtiens NCLC 7 en français ?"),
    (FULL, "what if i get a provincial nomination?", "et si j'obtiens une désignation provinciale ?"),
    (FULL, "what is my score?", "quel est mon score ?"),
    (FULL, "is my job in a category?", "est-ce que mon métier est dans une catégorie ?"),
    (TYPED[:7], "how many points for my age and when does my eca expire?",
     "combien de points pour mon âge et quand expire mon EDE ?"),
]  # fmt: skip


@pytest.mark.parametrize(("answers", "english", "french"), PAIRS, ids=[p[2] for p in PAIRS])
def test_a_french_chat_gets_the_computed_answer_in_french_with_the_english_figures(core, answers, english, french):
    en_body, en_mark = answer(core, typed(core, "en", answers), english, MARK_EN)
    fr_body, fr_mark = answer(core, typed(core, "fr", answers), french, MARK_FR)
    assert figures(en_body) and figures(fr_body) == figures(en_body), (en_body, fr_body)
    assert ENGLISH.search(en_body)  # the check below can see English
    assert figures(fr_mark) == figures(en_mark)  # the same sources, checked on the same days
    assert fr_mark.count("https://") == en_mark.count("https://")
    for url in re.findall(r"https://\S+?(?= \(|;|$)", en_mark):
        assert FRENCH_PAGES.get(url, url) in fr_mark  # the French page wherever the knowledge base has one
    left = ENGLISH.findall(re.sub(r"https?://\S+", "", fr_body))
    assert not left, (left, fr_body)


def test_mid_questionnaire_a_french_age_question_is_computed_and_the_question_follows_in_french(core):
    chat = typed(core, "fr", TYPED[:4])
    replies = core.text(chat, "combien de points pour mon âge ?").replies
    text = html.unescape("\n".join(r.text for r in replies))
    assert len(replies) == 1
    assert "Vous avez 41 ans aujourd'hui (1er octobre 2026; né(e) le 8 mars 1985, comme vous me l'avez dit)" in text
    assert "calculé avec un époux ou conjoint" in text and "vous aurez 42 ans" in text
    assert f"{MARK_FR}{CRS_PAGE_FR} (vérifié le " in text
    assert "Quel est votre plus haut niveau de scolarité" in text.split("\n\n")[-1]  # the pending one, in French
    again = html.unescape("\n".join(r.text for r in core.text(chat, "combien de points pour mon âge").replies))
    assert again == text  # typed without its "?": still a question, not an answer to the pending one
    buttons = [b.label for r in replies for b in r.buttons]
    assert "❓ Comment fonctionnent les points pour l'âge?" in buttons


def test_a_missing_fact_is_named_in_french_with_the_next_question(core):
    chat = typed(core, "fr", TYPED[:1])  # only the date of birth
    text = html.unescape("\n".join(r.text for r in core.text(chat, "quand expire mon TEF ?").replies))
    named = "Je peux le calculer pour vous dès que j'aurai vos tests de langue (quel test, sa date et vos résultats)"
    assert named in text
    assert "(prochaine question : " in text and "Calculé à partir de vos réponses" not in text
    english = typed(core, "en", TYPED[:1])
    said = html.unescape("\n".join(r.text for r in core.text(english, "when does my tef expire?").replies))
    assert "I can compute this for you once I have your language tests" in said
    computed = text.partition("Je peux le calculer")[2].split("\n")[0]
    assert not ENGLISH.findall(computed), computed


@pytest.mark.parametrize(
    ("answers", "question", "said"),
    [
        (["1985-03-08", "married", "yes"], "est-ce que ma femme doit passer l'IELTS ?",
         "Vous m'avez dit que votre époux ou conjoint est citoyen canadien ou résident permanent : vous êtes donc "
         "calculé comme célibataire. Son test de langue n'ajoute aucun point SCG dans votre cas."),
        (["1985-03-08", "married", "no", "no"], "est ce que l'EDE de mon mari compte ?",
         "ne vous accompagne pas au Canada : vous êtes donc calculé comme célibataire. Ses études (et leur EDE) "
         "n'ajoutent aucun point SCG dans votre cas."),
    ],
)  # fmt: skip
def test_a_partner_who_is_not_scored_adds_no_points_in_french(core, answers, question, said):
    text = html.unescape("\n".join(r.text for r in core.text(typed(core, "fr", answers), question).replies))
    assert said in text and "aucun point pour l'époux ne s'applique" in text
    assert f"{MARK_FR}{CRS_PAGE_FR} (vérifié le " in text
    body = text.partition(MARK_FR)[0]
    assert not ENGLISH.findall(body), body


def test_a_french_question_in_an_english_chat_is_answered_in_french_and_the_chat_stays_english(core):
    chat = typed(core, "en", TYPED[:4])
    text = html.unescape("\n".join(r.text for r in core.text(chat, "combien de points pour mon âge ?").replies))
    assert "Vous avez 41 ans aujourd'hui" in text and MARK_FR in text
    assert "What is your highest level of education" in text  # the dialogue's own question stays English
