"""NOC 2021 in French (CNP 2021, issue #14): the official French titles, French job words, and a search that reads a
French query ("infirmière autorisée") as well as an English one, with English searches unchanged."""

from __future__ import annotations

import csv
import itertools
import json
import random

import pytest

from knowledge.programs.noc import NOC_DIR, default_noc_index, french_words
from knowledge.wording import Occupation


@pytest.fixture(scope="module")
def index():
    return default_noc_index()


def _rows(name: str) -> list[dict[str, str]]:
    with (NOC_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- the data -------------------------------------------------------------------------------------------
def test_every_french_title_is_for_a_unit_group_and_every_unit_group_has_one():
    english = {row["code"] for row in _rows("unit-groups.csv")}
    french = [row["code"] for row in _rows("unit-groups-fr.csv")]
    assert len(french) == len(set(french)) == 516  # one title a code, no code twice
    assert set(french) == english


@pytest.mark.parametrize(
    ("code", "title_fr"),
    [
        ("31301", "Infirmiers autorisés/infirmières autorisées et infirmiers psychiatriques autorisés/infirmières "
                  "psychiatriques autorisées"),
        ("21232", "Développeurs/développeuses et programmeurs/programmeuses de logiciels"),
        ("11100", "Vérificateurs/vérificatrices et comptables"),
        ("72106", "Soudeurs/soudeuses et opérateurs/opératrices de machines à souder et à braser"),
        ("41220", "Enseignants/enseignantes au niveau secondaire"),
        ("00010", "Membres des corps législatifs"),
        ("94203", "Assembleurs/assembleuses, monteurs/monteuses et contrôleurs/contrôleuses dans la fabrication de "
                  "transformateurs et de moteurs électriques industriels"),
    ],
)  # fmt: skip
def test_french_titles_as_statistics_canada_writes_them(index, code, title_fr):
    group = index.get(code)
    assert group.title_fr == title_fr
    assert group.title_for("fr") == title_fr and group.title_for("en") == group.title == group.title_for(None)


def test_french_titles_are_clean_text():
    for row in _rows("unit-groups-fr.csv"):
        title = row["title_fr"]
        assert title == title.strip() and "  " not in title and title[0].isupper(), row
        assert not any(c in title for c in '"’\t'), row  # plain apostrophes, as in the source


def test_every_french_alias_maps_to_existing_codes_and_names_a_word_of_their_title():
    data = json.loads((NOC_DIR / "aliases-fr.json").read_text(encoding="utf-8"))
    assert data["checked"] and "https://" in data["source"]
    titles = {row["code"]: set(french_words(row["title_fr"])) for row in _rows("unit-groups-fr.csv")}
    for word, codes in data["aliases"].items():
        assert codes and len(codes) == len(set(codes)), word
        for code in codes:
            assert code in titles, (word, code)
    # the mapping is taken from the titles: the alias's main word (its first) is in each of its titles, bar the
    # everyday words the official titles say otherwise (camionneur: "conducteurs de camions"), listed here
    elsewhere = {"pab", "camionneur", "chauffeur de camion", "chauffeur d'autobus"}
    for word, codes in data["aliases"].items():
        head = french_words(word)[0]
        if word in elsewhere:
            continue
        assert all(head in titles[code] for code in codes), (word, head, codes)


def test_source_names_the_french_page_the_date_and_the_public_copy():
    source = json.loads((NOC_DIR / "source.json").read_text(encoding="utf-8"))
    french = next(s for s in source["sources"] if "unit-groups-fr.csv" in s.get("files", []))
    assert french["url"] == "https://www.statcan.gc.ca/fr/sujets/norme/cnp/2021/indexV1"
    assert french["checked"] == "2026-12-02"
    assert "zacktayloruwo/occupation-qualtrics-bilingual" in french["note"] and "not fetched" in french["note"]


# --- French words -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stem"),
    [
        ("infirmière", "infirmier"), ("infirmières", "infirmier"), ("infirmiers", "infirmier"),
        ("soudeuse", "soudeur"), ("soudeurs", "soudeur"), ("électricienne", "electricien"),
        ("programmeuses", "programmeur"), ("conductrice", "conducteur"), ("autorisées", "autoris"),
        ("autorisés", "autoris"), ("enseignante", "enseignant"), ("ingénieure", "ingenieur"),
        ("comptables", "comptabl"), ("comptable", "comptabl"),
        ("administrative", "administratif"), ("avocate", "avocat"), ("générale", "general"),
    ],
)  # fmt: skip
def test_feminine_and_plural_endings_fold_to_one_word(typed, stem):
    assert french_words(typed) == (stem,)


def test_french_stop_words_accents_and_elisions_are_dropped():
    assert french_words("Développeur de logiciels") == ("developpeur", "logiciel")
    assert french_words("préposée aux bénéficiaires") == french_words("préposés aux bénéficiaires")
    assert french_words("agent d’assurance et de la Sécurité") == ("agent", "assuranc", "securit")
    assert french_words("de la et des") == ()


def test_the_masculine_and_feminine_forms_in_every_title_fold_to_the_same_words():
    """ "Infirmiers autorisés/infirmières autorisées": the words either side of each "/" match, so a person typing
    either form finds the title."""
    differ = []
    for row in _rows("unit-groups-fr.csv"):
        pieces = row["title_fr"].split("/")
        for before, after in itertools.pairwise(pieces):
            left, right = before.split(), after.split()
            if not any(french_words(" ".join(left[-k:])) == french_words(" ".join(right[:k])) for k in (1, 2, 3, 4)):
                differ.append((row["code"], left[-1], right[0]))
    assert differ == [("64301", "Barmans", "barmaids")]  # the one irregular pair


# --- French search ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "first", "also"),
    [
        ("infirmière", "31301", set()),
        ("infirmière autorisée", "31301", set()),
        ("Infirmières autorisées", "31301", set()),
        ("infirmier autorisé", "31301", set()),
        ("infirmiere autorisee", "31301", set()),  # typed without accents
        ("infirmière auxiliaire", "32101", set()),
        ("infirmière praticienne", "31302", set()),
        ("comptable", "11100", {"12200"}),
        ("technicien comptable", "12200", set()),
        ("teneuse de livres", "12200", set()),
        ("soudeur", "72106", set()),
        ("soudeuse", "72106", set()),
        ("électricien", "72200", {"72201"}),
        ("électricienne industrielle", "72201", set()),
        ("développeur de logiciels", "21232", set()),
        ("développeuse de logiciels", "21232", set()),
        ("programmeur de logiciels", "21232", set()),
        ("développeur web", "21234", set()),
        ("ingénieur logiciel", "21231", set()),
        ("ingénieure civile", "21300", set()),
        ("enseignant au secondaire", "41220", set()),
        ("enseignante au niveau secondaire", "41220", set()),
        ("enseignante au primaire", "41221", set()),
        ("camionneur", "73300", set()),
        ("conductrice de camions de transport", "73300", set()),
        ("cuisinière", "63200", set()),
        ("préposée aux bénéficiaires", "33102", set()),
        ("aide-soignante", "33102", set()),
        ("éducatrice de la petite enfance", "42202", set()),
        ("vérificatrice", "11100", set()),
        ("plombière", "72300", set()),
        ("charpentière-menuisière", "72310", set()),
        ("pharmacienne", "31120", set()),
        ("travailleuse sociale", "41300", set()),
        ("caissière", "65100", set()),
        ("policière", "42100", set()),
        ("grutier", "72500", set()),  # only in the official titles, not in the everyday words
        ("spécialistes de la cybersécurité", "21220", set()),
        ("scientifique des données", "21211", set()),
        ("développeur de logicels", "21232", set()),  # a typo
    ],
)
def test_french_queries_find_the_unit_group(index, typed, first, also):
    found = [m.code for m in index.search(typed)]
    assert found and found[0] == first, (typed, found)
    assert also <= set(found), (typed, found)


def test_a_french_match_carries_both_titles(index):
    match = index.search("infirmière autorisée")[0]
    assert match.title.startswith("Registered nurses") and match.title_fr.startswith("Infirmiers autorisés")
    assert match.title_for("fr") == match.title_fr and match.title_for("en") == match.title


def test_language_can_be_forced(index):
    assert index.search("infirmière", language="en") == index.search_english("infirmière")
    assert index.search("chef", language="fr")[0].code == "62200"
    assert [m.code for m in index.search("registered nurse", language="fr")][:1] == ["31301"]  # English fills in


def test_a_code_is_a_code_in_either_language(index):
    assert [m.code for m in index.search("31301")] == ["31301"]
    assert index.search("31301")[0].title_fr.startswith("Infirmiers autorisés")


@pytest.mark.parametrize("nonsense", ["", "???", "de la", "et", "xq", "zzzzzzzz"])
def test_french_nonsense_finds_nothing(index, nonsense):
    assert index.search_french(nonsense) == []


def test_a_title_falls_back_to_english():
    text = Occupation("63200", "Cooks", "Cuisiniers/cuisinières")
    assert text.in_language("fr") == "Cuisiniers/cuisinières" and text.in_language("en") == str(text) == "Cooks"
    assert Occupation("63200", "Cooks").in_language("fr") == "Cooks"


# --- English unchanged ----------------------------------------------------------------------------------
def _english_queries(index) -> list[str]:
    rng = random.Random(14)
    everyday = ["nurse", "developer", "teacher", "truck driver", "welder", "electrician", "accountant", "cashier"]
    everyday += ["cook", "chef", "rn", "psw", "swe", "plumber", "mechanic", "software enginer", "acountant"]
    return [*everyday, *(g.title for g in index.groups.values()), *(t[1] for t in rng.sample(index.titles, 300))]


def test_english_queries_give_exactly_the_english_look_up(index):
    for query in _english_queries(index):
        assert index.search(query) == index.search_english(query), query


@pytest.mark.parametrize(
    ("typed", "first"),
    [("registered nurse", "31301"), ("software developer", "21232"), ("welder", "72106"), ("cook", "63200")],
)
def test_english_search_still_finds_the_usual_codes(index, typed, first):
    assert index.search(typed)[0].code == first
