"""Extraction on the seed article and on short articles we wrote ourselves."""
import json
import subprocess
import sys

import pytest

from kg.model import Article
from conftest import KG, SEED, SHARED, walk


def extract(extractor, text: str):
    return extractor.extract(Article(id="t", text=text, file="t.txt"))


def by_cue(extraction):
    """The statements in the order of their cues."""
    return sorted(extraction.statements, key=lambda s: s.cue.start)


def score(script: str, gold: str, predictions) -> str:
    path = SHARED / "eval" / script
    if not path.exists():
        pytest.skip(f"{path} not found")
    return subprocess.run([sys.executable, str(path), str(SHARED / "data" / "seed-gold" / gold), str(predictions)],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def seed_predictions(tmp_path_factory):
    out = tmp_path_factory.mktemp("extract") / "seed.jsonl"
    result = subprocess.run([str(KG), "extract", str(SEED), "--format", "jsonl"], capture_output=True, text=True, check=True)
    out.write_text(result.stdout, encoding="utf-8")
    return out


def test_seed_roles_through_the_cli_and_the_scorer(seed_predictions):
    report = score("score_roles.py", "roles.jsonl", seed_predictions)
    tp = int(report.split("triple")[1].split("tp=")[1].split()[0])
    assert tp >= 9, report


def test_seed_statements_through_the_cli_and_the_scorer(seed_predictions):
    report = score("score_attributions.py", "brat", seed_predictions)
    joint = report.splitlines()[1]
    assert int(joint.split("tp=")[1].split()[0]) >= 18, report


def test_seed_roles_match_the_gold(extractor, seed_gold):
    found = {(r.person, r.role, r.organisation, r.time) for r in extractor.extract(
        Article(id="s", text=SEED.read_text(encoding="utf-8"), file=SEED.name)).roles}
    for fact in seed_gold["roles"]:
        assert (fact["person"], fact["role"], fact["org"], fact["time"]) in found


def test_every_offset_slices_the_input(seed_predictions):
    text = SEED.read_text(encoding="utf-8")
    obj = json.loads(seed_predictions.read_text(encoding="utf-8"))
    for st in walk(obj["statements"]):
        mention, cue = st["speaker"]["mention"], st["cue"]
        assert text[mention["start"]:mention["end"]] == mention["text"]
        assert text[cue["start"]:cue["end"]] == cue["text"]
        assert all(0 <= s < e <= len(text) for s, e in st["content"]["spans"])
    for role in obj["roles"]:
        assert text[role["evidence"]["start"]:role["evidence"]["end"]] == role["evidence"]["text"]


def test_direct_quote_with_title_before_name(extractor):
    x = extract(extractor, '"We will rebuild the bridge," Mayor Helen Ortiz said on Monday.')
    [st] = x.statements
    assert (st.speaker, st.cue.text, st.kind) == ("Helen Ortiz", "said", "direct")
    assert st.content[0].text == '"We will rebuild the bridge,"'
    assert [(r.person, r.role, r.time) for r in x.roles] == [("Helen Ortiz", "mayor", "current")]


def test_inverted_said_and_pronoun_speaker(extractor):
    x = extract(extractor, '"The costs are too high," said Senator Paul Grant.\n\n'
                           'He warned that the state would run out of money by June.')
    first, second = x.statements
    assert first.speaker == second.speaker == "Paul Grant"
    assert second.mention.text == "He" and second.kind == "indirect"
    assert second.content[0].text.startswith("that the state would run out")


def test_according_to_and_surname_resolution(extractor):
    x = extract(extractor, "Finance Minister Rosa Delgado met the bankers on Friday.\n\n"
                           "The budget will be balanced next year, according to Delgado.")
    [st] = x.statements
    assert (st.speaker, st.cue.text.lower(), st.mention.text) == ("Rosa Delgado", "according to", "Delgado")
    assert st.content[0].text == "The budget will be balanced next year"


def test_mixed_quote_and_about(extractor):
    x = extract(extractor, 'Tom Becker said that Helen Ortiz had made "a costly mistake" with the harbour.')
    [st] = x.statements
    assert st.kind == "mixed"
    assert "Helen Ortiz" in st.about


def test_time_qualifiers_and_demonyms(extractor):
    x = extract(extractor, "Former French President Anne Morel met incoming German chancellor Karl Weber "
                           "and outgoing Italian Prime Minister Luca Bruni.")
    roles = {(r.person, r.role, r.organisation, r.time) for r in x.roles}
    assert ("Anne Morel", "president", "France", "former") in roles
    assert ("Karl Weber", "chancellor", "Germany", "future") in roles
    assert ("Luca Bruni", "prime minister", "Italy", "former") in roles


def test_text_without_statements(extractor):
    x = extract(extractor, "Rain fell all day. The river rose.")
    assert x.statements == [] and x.roles == []


def test_kg_eval_attributions_prints_what_the_scorer_prints(tmp_path):
    gold = SHARED / "data" / "seed-gold" / "brat"
    if not gold.exists():
        pytest.skip(f"{gold} not found")
    predictions = tmp_path / "seed.jsonl"
    ours = subprocess.run([str(KG), "eval", "attributions", str(gold), "--predictions", str(predictions)],
                          capture_output=True, text=True, check=True).stdout
    assert ours == score("score_attributions.py", "brat", predictions)
    joint = ours.splitlines()[1]
    assert int(joint.split("tp=")[1].split()[0]) >= 24, ours


def test_kg_eval_attributions_refuses_a_folder_without_gold(tmp_path):
    result = subprocess.run([str(KG), "eval", "attributions", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "text/ and attributions/" in result.stderr


def test_the_minister_is_the_person_named_with_that_role(extractor):
    x = extract(extractor, "Defence Minister Anna Kovacs visited the base on Monday.\n\n"
                           "The minister said the army would get new trucks next year.")
    [st] = x.statements
    assert (st.speaker, st.mention.text) == ("Anna Kovacs", "The minister")


def test_relative_pronoun_speaker_keeps_the_mention(extractor):
    x = extract(extractor, "The plan was attacked by Maria Lopez, who said that it would cost far too much.")
    st = next(s for s in x.statements if s.cue.text == "said")
    assert (st.speaker, st.mention.text) == ("Maria Lopez", "who")


def test_quote_split_by_its_cue_is_one_statement(extractor):
    x = extract(extractor, '"We are ready," the mayor, Helen Ortiz, said. "The trucks leave at dawn."')
    [st] = x.statements
    assert st.speaker == "Helen Ortiz" and st.kind == "direct"
    assert [s.text for s in st.content] == ['"We are ready,"', '"The trucks leave at dawn."']


def test_kg_eval_attributions_names_a_malformed_annotation(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text("The mayor said the bridge would open.", encoding="utf-8")
    (tmp_path / "attributions" / "a.ann").write_text("T1\tContent nonsense\n", encoding="utf-8")
    result = subprocess.run([str(KG), "eval", "attributions", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "a.ann:1" in result.stderr and "Traceback" not in result.stderr


def test_quotation_credited_after_a_dash(extractor):
    x = extract(extractor, "Voters in Ohio went to the polls on Tuesday.\n"
                           "“Better roads and cheaper bus fares.” ― Maria Lopez, Dayton\n")
    [st] = x.statements
    assert (st.speaker, st.cue.text, st.kind) == ("Maria Lopez", "―", "direct")
    assert st.content[0].text == "“Better roads and cheaper bus fares.”"


def test_a_line_break_ends_the_speakers_sentence(extractor):
    x = extract(extractor, "“The plant will stay open.” — Helen Ortiz\n"
                           "The union said “we will believe it when we see it.”\n")
    credit, union = sorted(x.statements, key=lambda s: s.content[0].start)
    assert (credit.speaker, credit.mention.text) == ("Helen Ortiz", "Helen Ortiz")
    assert (union.mention.text, union.cue.text) == ("The union", "said")


def test_a_paragraph_opened_with_a_closing_quote_mark(extractor):
    x = extract(extractor, "Commuters had their say this week.\n”The buses are always late.” ― Omar Haddad, Leeds\n")
    [st] = x.statements
    assert (st.speaker, st.content[0].text) == ("Omar Haddad", "”The buses are always late.”")


def test_a_cue_set_off_by_commas_inside_its_claim(extractor):
    x = extract(extractor, "The new bridge, Helen Ortiz said, will open in May.\n")
    [st] = x.statements
    assert (st.speaker, st.cue.text) == ("Helen Ortiz", "said")
    assert [s.text for s in st.content] == ["The new bridge", "will open in May"]


def test_each_turn_of_a_transcript_is_a_statement(extractor):
    x = extract(extractor, "Radio host Dana Whitfield spoke to Senator Paul Okafor. Part of the interview:\n"
                           "WHITFIELD: Will the toll road be finished this year?\n"
                           "OKAFOR: It will, and it will cost less than we planned.\n")
    turns = sorted(x.statements, key=lambda s: s.content[0].start)
    assert [(s.speaker, s.mention.text, s.cue.text) for s in turns] == [
        ("Dana Whitfield", "WHITFIELD", ":"), ("Paul Okafor", "OKAFOR", ":")]
    assert turns[1].content[0].text.rstrip(".") == "It will, and it will cost less than we planned"


def test_a_quotation_of_two_sentences_before_said_and_a_long_appositive(extractor):
    x = extract(extractor, "“The council’s plan is in deep trouble. Deep trouble,” said Helen Ortiz, "
                           "a Dayton-based president of the Ohio Mayors Caucus.\n")
    [st] = x.statements  # the parser makes "Deep trouble" a subject of "said": a speaker is never quoted words
    assert (st.speaker, st.content[0].text) == ("Helen Ortiz", "“The council’s plan is in deep trouble. Deep trouble,”")


def test_according_to_at_the_start_of_a_sentence(extractor):
    x = extract(extractor, "According to radio host Dana Whitfield, the toll road reeks of waste.\n")
    [st] = x.statements
    assert (st.speaker, st.mention.text) == ("Dana Whitfield", "radio host Dana Whitfield")
    assert st.content[0].text == "the toll road reeks of waste"


@pytest.fixture(scope="module")
def rules_only():
    from kg.extract import Extractor
    return Extractor(attribution_model=None)


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_a_quotation_introduced_by_a_colon_after_the_cue(which, request):
    x = extract(request.getfixturevalue(which),
                "Paul Okafor said in a radio interview: “The toll road will be finished this year.”\n")
    [st] = x.statements
    assert (st.speaker, st.kind, st.content[0].text) == (
        "Paul Okafor", "direct", "“The toll road will be finished this year.”")


def test_the_one_asked_is_not_the_one_asking(extractor):
    x = extract(extractor, "Senator Paul Okafor spoke in Dayton on Monday.\n"
                           "Asked about the toll road, Okafor said it would be finished this year.\n")
    asked, said = by_cue(x)
    assert (asked.cue.text, asked.speaker, asked.mention) == ("Asked about", None, None)
    assert (said.speaker, said.content[0].text) == ("Paul Okafor", "it would be finished this year")


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_a_that_clause_after_the_cues_prepositional_phrase(which, request):
    x = extract(request.getfixturevalue(which),
                "Senator Paul Okafor said during this week’s budget debate that he is in favor of a new toll road.\n"
                "Helen Ortiz told reporters at a news conference that the road was finished.\n")
    said, told = by_cue(x)
    assert (said.speaker, said.content[0].text) == ("Paul Okafor", "that he is in favor of a new toll road")
    assert (told.speaker, told.content[0].text) == ("Helen Ortiz", "that the road was finished")


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_a_quoted_show_name_before_the_speaker_is_not_the_claim(which, request):
    x = extract(request.getfixturevalue(which),
                "In an interview on “Morning Roundup,” Senator Paul Okafor said the toll road would open in May.\n")
    [st] = x.statements
    assert (st.speaker, st.content[0].text) == ("Paul Okafor", "the toll road would open in May")


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_a_headline_or_paragraph_labelled_with_a_name(which, request):
    x = extract(request.getfixturevalue(which),
                "Helen Ortiz: The toll road is a waste of money.\n\n"
                "The road opened on Monday.\n\n"
                "Senator Paul Okafor (D-Ohio): “The road will pay for itself within a decade.”\n\n"
                "The Latest: the road is closed again.\n")
    assert [(st.speaker, st.content[0].text) for st in x.statements] == [
        ("Helen Ortiz", "The toll road is a waste of money."),
        ("Paul Okafor", "“The road will pay for itself within a decade.”")]


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_as_the_speaker_noted(which, request):
    x = extract(request.getfixturevalue(which),
                "But as Helen Ortiz noted, the toll road has cost twice what the city planned.\n"
                "Paul Okafor was not as upset as many had hoped.\n")
    [st] = x.statements
    assert (st.speaker, st.content[0].text) == ("Helen Ortiz", "the toll road has cost twice what the city planned")


def test_a_question_before_asked_and_the_name(rules_only):
    x = extract(rules_only, "''Is the toll road worth the money?'' asked Mr. Okafor, pointing at the bridge.\n")
    asked = next(st for st in x.statements if st.cue.text == "asked")
    assert (asked.speaker, asked.content[0].text) == ("Okafor", "''Is the toll road worth the money?''")


def test_it_and_they_said_are_the_speakers_before(extractor):
    x = extract(extractor, "Acme Corp. said on Tuesday that it would close the plant in Dayton. "
                           "It said in a statement that the decision was final.\n")
    it_said = next(st for st in x.statements if st.mention.text == "It")
    assert (it_said.speaker, it_said.speaker_type) == ("Acme Corp.", "ORG")
    x = extract(extractor, "The ministry said in a statement that the border would stay closed. "
                           "It added that trucks could pass.\n")
    assert [st.speaker for st in by_cue(x)] == ["The ministry", "The ministry"]
    x = extract(extractor, "Local farmers said on Monday that the toll road would cut their costs. "
                           "They added that it should open before the harvest.\n")
    assert [st.speaker for st in by_cue(x)] == ["Local farmers", "Local farmers"]


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_speakers_the_parser_hides(which, request):
    x = extract(request.getfixturevalue(which),
                "“The toll road is not a problem,” said one official involved in the planning.\n\n"
                "Senator Paul Okafor dodged questions about the road before saying, “It is time to move on.”\n")
    official, okafor = by_cue(x)
    assert official.mention.text.startswith("one official")
    assert official.content[0].text == "“The toll road is not a problem,”"
    assert (okafor.speaker, okafor.content[0].text) == ("Paul Okafor", "“It is time to move on.”")


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_a_statement_reported_inside_another_keeps_both_speakers(which, request):
    x = extract(request.getfixturevalue(which),
                "Helen Ortiz, the mayor of Dayton, told reporters that Senator Paul Okafor had warned "
                "Governor Ann Lee that the bridge was unsafe.\n")
    told, warned = by_cue(x)
    assert (told.speaker, warned.speaker, warned.reporter) == ("Helen Ortiz", "Paul Okafor", "Helen Ortiz")
    assert warned.content[0].text == "that the bridge was unsafe"
    [outer] = x.to_json()["statements"]  # in `kg extract` JSON, under the statement that reports it
    assert [r["speaker"]["name"] for r in outer["reports"]] == ["Paul Okafor"]


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_each_reported_statement_names_the_claim_it_is_reported_in(which, request):
    x = extract(request.getfixturevalue(which), "Helen Ortiz said that Paul Okafor said that Ann Lee warned "
                                                "that the toll road would close.\n")
    assert [(st.speaker, st.reporter) for st in by_cue(x)] == [
        ("Helen Ortiz", None), ("Paul Okafor", "Helen Ortiz"), ("Ann Lee", "Paul Okafor")]
    [ortiz] = x.to_json()["statements"]
    [okafor] = ortiz["reports"]
    assert [lee["speaker"]["name"] for lee in okafor["reports"]] == ["Ann Lee"]


@pytest.mark.parametrize("text, found", [
    ("Dear Senator Paul Okafor: “Please vote no on the toll road.”\n\nThe letter was signed.\n", []),
    ("Helen Ortiz: “The toll road is a waste.” Then the council voted.\n\nIt passed.\n",
     [("Helen Ortiz", "direct", "“The toll road is a waste.”")]),
    ("Helen Ortiz: The toll road is a waste\n\nThe council voted.\n",
     [("Helen Ortiz", "indirect", "The toll road is a waste")]),
])
def test_what_a_labelled_headline_credits(rules_only, text, found):
    x = extract(rules_only, text)
    assert [(st.speaker, st.kind, st.content[0].text) for st in x.statements] == found


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_verbs_that_tell_how_the_words_came_out(which, request):
    x = extract(request.getfixturevalue(which),
                "The hearing on the toll road ran late.\n\n"
                "“Go back to your seat,” Senator Paul Okafor barked.\n\n"
                "“Nobody will pay that toll!” yelled a farmer from the back of the room.\n")
    assert [(st.speaker, st.cue.text, st.kind) for st in by_cue(x)] == [
        ("Paul Okafor", "barked", "direct"), ("a farmer", "yelled", "direct")]


def test_a_claim_ends_before_the_speakers_next_act(extractor):
    x = extract(extractor, "Senator Paul Okafor criticized the new bridge tolls on farmers and then voted for "
                           "the budget anyway.\n")
    [okafor] = x.statements
    assert [c.text for c in okafor.content] == ["the new bridge tolls on farmers"]


def test_a_quoted_sentence_ends_the_claim_it_opens(extractor):
    x = extract(extractor, "For months, Mayor Helen Ortiz told crowds, “I will fix the bridge.” But now she wants "
                           "voters to know that she has fixed the roads too.\n")
    ortiz = by_cue(x)[0]
    assert (ortiz.speaker, [c.text for c in ortiz.content]) == ("Helen Ortiz", ["“I will fix the bridge.”"])


@pytest.mark.parametrize("text", [
    '"It was a long wait," said Helen Ortiz, 34, a farmer who stood in an "endless line of trucks" for hours.\n',
    '“It was a long wait,” Helen Ortiz said. Farmers from "the far counties" cheered and waved their hats.\n',
])
def test_a_quoted_phrase_inside_a_sentence_does_not_continue_a_quotation(extractor, text):
    [ortiz] = extract(extractor, text).statements
    assert len(ortiz.content) == 1 and ortiz.content[0].text[1:-2] == "It was a long wait"


def test_a_list_of_quotations_is_one_claim(extractor):
    [okafor] = extract(extractor, "The rally ran late. Senator Paul Okafor spoke about “the rigged tolls,” and "
                                  "“the forgotten farmers” while the crowd cheered.\n").statements
    assert [c.text for c in okafor.content] == ["“the rigged tolls,”", "“the forgotten farmers”"]


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
@pytest.mark.parametrize("sentence, speaker", [
    ("Ann Lee, who backs Senator Paul Okafor, said the toll is too high.", "Ann Lee"),
    ("Advisers to Senator Paul Okafor said the toll is too high.", "Advisers"),
    ("A farmer named Helen Ortiz said the toll is too high.", "Helen Ortiz"),
])
def test_a_name_in_a_phrase_about_the_speaker_is_not_the_speaker(which, request, sentence, speaker):
    [statement] = extract(request.getfixturevalue(which), sentence + "\n").statements
    assert statement.speaker == speaker


def test_the_speakers_span_is_the_whole_subject(rules_only):
    [statement] = extract(rules_only, "Ann Lee, who backs Senator Paul Okafor, said the toll is too high.\n").statements
    assert statement.mention.text == "Ann Lee, who backs Senator Paul Okafor"


@pytest.mark.parametrize("which", ["extractor", "rules_only"])
def test_an_opening_mark_typed_for_a_closing_one(which, request):
    x = extract(request.getfixturevalue(which), "“It is unusual,“ said Helen Ortiz, a farmer from Dayton.\n")
    [ortiz] = x.statements
    assert (ortiz.speaker, ortiz.kind, ortiz.content[0].text) == ("Helen Ortiz", "direct", "“It is unusual,“")


@pytest.mark.parametrize("text, contents", [
    ("“We will win,” said Ann Lee. Then the Smiths’ “Project Bridge” failed.\n", [["“We will win,”"]]),
    ("“Yes,“ said Lee. “No,“ said Kim.\n", [["“Yes,“"], ["“No,“"]]),
])
def test_where_a_quotation_ends_its_claim(extractor, text, contents):
    assert [[c.text for c in s.content] for s in by_cue(extract(extractor, text))] == contents


def test_every_actor_in_the_json_has_the_id_of_its_graph_node(extractor):
    """Entities, speakers (an unnamed one too), about-targets, reporters and role actors carry `id`:
    the path after the base of the IRI the article's graph gives that actor."""
    from kg.graph import article_graph
    from kg.vocab import Iris

    iris = Iris("https://kg.test/")
    text = SEED.read_text(encoding="utf-8") + "\n\nA senior official said the talks would go on.\n"
    x = extractor.extract(Article(id="ids", text=text, file="ids.txt"))
    obj = x.to_json()
    nodes = {str(s).removeprefix(iris.base) for s in article_graph(x, iris).subjects()}
    actors = [e for e in obj["entities"]]
    for st in walk(obj["statements"]):
        actors += ([st["speaker"]] if st["speaker"] else []) + st["about"] + (
            [st["reporter"]] if "reporter" in st else [])
    for role in obj["roles"]:
        actors += [role["person"]] + ([role["organisation"]] if role["organisation"] else [])
    assert all(a["id"] in nodes for a in actors), [a for a in actors if a["id"] not in nodes]
    ids = {a["name"] or a["description"]: a["id"] for a in actors}
    assert ids["Joe Biden"] == "person/joseph-biden" and ids["United States"] == "place/united-states"
    assert ids["Jake Sullivan"] == "person/jake-sullivan"
    assert ids["A senior official"] == "source/ids/a-senior-official"
    [official] = [a for a in actors if a.get("description") == "A senior official"]
    assert official["name"] is None and official["type"] == "unnamed"  # never a named actor's identity
