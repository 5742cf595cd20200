"""Mentions resolved to actors (kg/extract/actors.py and kg_entities), on sentences of our own:
speakers and about-targets by pronoun, description or a phrase built on a name; places and party
words that are not what a statement is about; names that are not actors."""
import pytest

from kg.model import Article


def extract(extractor, text: str):
    return extractor.extract(Article(id="t", text=text, file="t.txt")).to_json()


def speakers(obj) -> list[str | None]:
    return [s["speaker"]["name"] if s["speaker"] else None for s in obj["statements"]]


def abouts(obj) -> list[set[str]]:
    return [{a["name"] for a in s["about"]} for s in obj["statements"]]


def test_she_and_he_go_to_the_person_of_that_gender(extractor):
    obj = extract(extractor, "Council budget row deepens\n\nMayor Hillary Brandt met Governor Tom Okafor on Monday. "
                             "She said the port would reopen in May. He said the budget was not ready.\n")
    assert speakers(obj)[-2:] == ["Hillary Brandt", "Tom Okafor"]


def test_mr_and_mrs_tell_two_people_of_one_surname_apart(extractor):
    obj = extract(extractor, "Two lawyers\n\nJohn Ferris and Mary Ferris run a law firm in Leeds. "
                             "Mrs. Ferris said the firm would grow. Mr. Ferris said it would not.\n")
    assert speakers(obj)[-2:] == ["Mary Ferris", "John Ferris"]


def test_the_company_is_the_organisation_named_before(extractor):
    obj = extract(extractor, "Results\n\nShares of Harwick Foods Ltd rose on Tuesday after the results. "
                             "The company said profit had doubled.\n")
    assert speakers(obj) == ["Harwick Foods Ltd"]
    assert obj["statements"][0]["speaker"]["type"] == "ORG"


def test_a_campaign_named_after_a_person_is_an_organisation(extractor):
    obj = extract(extractor, "Ads\n\nSenator Ann Lee launched a new advert on Friday. "
                             "Lee's campaign said the advert would run for a month.\n")
    assert speakers(obj)[-1] == "Lee campaign"
    assert obj["statements"][-1]["speaker"]["type"] == "ORG"


def test_analysts_at_a_firm_speak_for_the_firm(extractor):
    obj = extract(extractor, "Outlook\n\nAnalysts at Corvale Securities said the lender would need more capital.\n")
    assert speakers(obj) == ["Corvale Securities"]


def test_an_unnamed_source_has_no_name_and_is_never_a_named_actor(extractor):
    obj = extract(extractor, "Talks\n\nGovernor Tom Okafor met the union on Monday. "
                             "Officials said the talks would go on.\n")
    [statement] = obj["statements"]
    assert statement["speaker"]["name"] is None and statement["speaker"]["type"] == "unnamed"
    assert statement["speaker"]["description"] == "Officials"


@pytest.mark.parametrize("sentence, about, not_about", [
    ("Ann Lee warned Tom Okafor that the deal was dead.", "Tom Okafor", None),
    ("Ann Lee told the Daily Courier that the deal was dead.", None, "Daily Courier"),
    ("Ann Lee said at a rally in Ohio that taxes would rise.", None, "Ohio"),
    ("Ann Lee said Republican Tom Okafor would lose.", "Tom Okafor", "Republican Party"),
    ("Ann Lee said Canada would raise its tariffs.", "Canada", None),
])
def test_what_a_statement_is_about(extractor, sentence, about, not_about):
    obj = extract(extractor, "Trade\n\n" + sentence + "\n")
    [targets] = abouts(obj)
    assert about is None or about in targets
    assert not_about not in targets
    assert "Ann Lee" not in targets  # never the speaker


def test_he_in_a_quotation_is_not_the_speaker(extractor):
    obj = extract(extractor, "Derby\n\nStriker James Wilson scored twice on Saturday. “He was brilliant today,” "
                             "said coach Ann Lee.\n")
    assert speakers(obj) == ["Ann Lee"] and abouts(obj) == [{"James Wilson"}]


def test_laws_plans_and_headline_fragments_are_not_actors(extractor):
    obj = extract(extractor, "Okafor Slams Clean Rivers Plan\n\nGovernor Tom Okafor criticised the Clean Rivers "
                             "Plan on Monday. Okafor said the plan would cost jobs. Rep. Ann Lee (D-Ore.) backed it.\n")
    names = {e["name"] for e in obj["entities"]}
    assert "Clean Rivers Plan" not in names and not any("Slams" in n for n in names)
    assert "Tom Okafor" in names


def test_a_party_marker_is_the_party():
    from kg.extract.entities import party_marker

    assert party_marker("D-N.C.") == "Democratic Party" and party_marker("R-Tex") == "Republican Party"
    assert party_marker("Dow Jones") is None


def test_an_unnamed_source_draws_no_network_node(extractor):
    from kg.graph import article_ntriples
    from kg.network.projection import Projector
    from kg.stores.oxigraph import OxigraphStore
    from kg.vocab import Iris

    iris = Iris("https://kg.test/")
    text = "Talks\n\nOfficials said Governor Tom Okafor would resign. Ann Lee said Tom Okafor would stay.\n"
    extraction = extractor.extract(Article(id="t", text=text, file="t.txt"))
    store = OxigraphStore()
    store.replace_ntriples(str(iris.article("t")), article_ntriples(extraction, iris))
    network = Projector(store, iris).project("statements")
    assert ("person/ann-lee", "person/thomas-okafor") in network.edges
    assert not any(node.startswith("source/") for node in network)


def test_a_name_the_recogniser_missed_is_still_the_actor(extractor):
    from kg.extract.entities import add_missed_mentions
    from kg.model import Entity

    doc = extractor.nlp.make_doc("Yesterday Okafor met Lee. In May, Tom Okafor spoke.")
    okafor = Entity("Tom Okafor", "PERSON")
    entity_at = {}
    add_missed_mentions(doc, [okafor], entity_at)
    assert [m.text for m in okafor.mentions] == ["Okafor", "Tom Okafor"]
    assert doc[1].i in entity_at and doc[3].i not in entity_at


def test_an_organisation_in_full_and_in_short_is_one():
    from kg.extract.entities import is_short_form

    assert is_short_form("EPA", "Environmental Protection Agency") and is_short_form("E.P.A.", "Environmental Protection Agency")
    assert is_short_form("Homeland Security", "Department of Homeland Security")
    assert not is_short_form("United Nations", "United Nations Security Council")  # a parent body
    assert not is_short_form("European Council", "European Council on Foreign Relations")
    assert not is_short_form("Senate", "Senate Intelligence Committee")


def test_the_display_name_is_the_one_most_articles_give():
    from kg.graph import article_ntriples
    from kg.model import Entity, Extraction
    from kg.queries import Queries
    from kg.stores.oxigraph import OxigraphStore
    from kg.vocab import Iris

    iris = Iris("https://kg.test/")
    store = OxigraphStore()
    for i, name in enumerate(["Hillary Brandt", "HIllary Brandt", "Hillary Brandt"]):
        article = Article(id=f"a{i}", text="Names.", file=f"a{i}.txt")
        store.replace_ntriples(str(iris.article(article.id)),
                               article_ntriples(Extraction(article, [Entity(name, "PERSON", [])], [], []), iris))
    node = str(iris.entity("Hillary Brandt", "PERSON"))
    assert Queries(store, iris).names([node]) == {node: "Hillary Brandt"}  # not one article's longer typo


def test_a_description_with_a_name_in_apposition_is_that_person(extractor):
    obj = extract(extractor, "Prisons\n\nThe chief inspector of prisons, Charles Whitby, said the jails were full.\n")
    assert speakers(obj) == ["Charles Whitby"]


def test_a_group_credited_by_its_examples_is_its_first_example(extractor):
    obj = extract(extractor, "Visas\n\nCritics of the scheme, like Senators Ann Lee and Bob Marsh, said it was a fraud.\n")
    assert speakers(obj) == ["Ann Lee"]


def test_a_party_speaking_as_a_bloc_is_the_party_and_a_nationality_is_no_one(extractor):
    obj = extract(extractor, "Budget\n\nThe Conservatives said on Monday that the plan would fail. "
                             "The Italian, who joined in May, said the team would win.\n")
    assert speakers(obj) == ["Conservative Party", None]


def test_he_said_continues_the_last_speaker_past_a_name_in_passing(extractor):
    obj = extract(extractor, "Party rules\n\nFormer party chairman Don Fowler said the party should be ready. "
                             "A fight over the nomination could follow, with loyalists of Joe Biden and Bernie Sanders "
                             "lobbying hard for the seat in the weeks and months that follow any such change at the top. "
                             "That is why, he said, the rules matter.\n")
    assert speakers(obj)[-1] == "Don Fowler"


def test_a_transcript_turn_by_an_unrecognised_name_is_a_person(extractor):
    obj = extract(extractor, "Interview\n\nHARLOW: Will you run again?\n\nPENN: I will decide in May.\n")
    assert [s["speaker"]["type"] for s in obj["statements"]] == ["PERSON", "PERSON"]


def test_the_airline_is_the_business_last_named_as_a_subject(extractor):
    obj = extract(extractor, "Merger blocked\n\nNordavia said in a statement that it was disappointed by the decision "
                             "of the Transport Ministry. The airline has argued that the route would close.\n")
    assert speakers(obj) == ["Nordavia", "Nordavia"]


def test_the_company_is_never_a_ministry(extractor):
    obj = extract(extractor, "Permits\n\nThe Ministry of Forests said the permits were legal. "
                             "The company said it would appeal.\n")
    assert speakers(obj)[-1] is None


def test_a_name_the_recogniser_types_twice_as_an_organisation_is_one(extractor):
    obj = extract(extractor, "Nordavia's takeover\n\nNordavia's takeover of AirLitva was blocked on Monday. "
                             "Nordavia said it was disappointed.\n")
    assert [(e["name"], e["type"]) for e in obj["entities"] if e["name"] == "Nordavia"] == [("Nordavia", "ORG")]


def test_a_quotation_that_continues_a_statement_adds_whom_it_is_about(extractor):
    obj = extract(extractor, "Fraud row\n\n\"This is a disgusting day,\" said Rep. Ann Lee (D-N.C.), head of the caucus. "
                             "\"Tom Okafor is a disgusting fraud. He started this years ago.\"\n")
    [statement] = obj["statements"]
    assert len(statement["content"]["spans"]) == 2
    assert abouts(obj) == [{"Tom Okafor"}]


def test_a_country_named_where_something_happens_or_as_an_attribute_is_not_what_it_is_about(extractor):
    obj = extract(extractor, "Trade\n\nLee said most avocados consumed in the United States are grown in Mexico. "
                             "Roe said the visa was an easier way to gain United States citizenship.\n")
    assert abouts(obj) == [set(), set()]


def test_codes_are_not_actors(extractor):
    obj = extract(extractor, "Visas\n\nGovernor Tom Okafor said the EB-5 program had failed and the G-20 summit "
                             "would not help.\n")
    assert {e["name"] for e in obj["entities"]} == {"Tom Okafor"}
