"""Properties that hold for any input, checked with hypothesis: every offset the extractor reports
slices the text to what it says; random Unicode never crashes extraction or storing; exporting the
store and loading the export again gives the same triples."""
import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.graph import article_graph
from kg.model import Article
from kg.store import EXPORT_FORMATS, Store
from kg.stores.oxigraph import OxigraphStore
from kg.vocab import Iris
from conftest import walk

IRIS = Iris("https://kg.local/")
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = ["Helen Ortiz", "Mayor Helen Ortiz", "Tom Becker", "Zoë Ångström", "Dmitry Peskov", "the Green League",
         "Finance Minister Rosa Delgado", "Ortiz", "He", "She", "the council", "Ivan Petrov, the chairman of Acme Corp,"]
WORDS = ["said", "warned", "told reporters", "according to", "added that", "the harbour", "would open", "in May",
         "\u201c", "\u201d", '"', "'", ",", ".", "\n\n", "\u2014", "taxes", "rise", "\u00a0", "\u200b", "🙂", "é",
         "\u0301", "\r\n", "\t"]
# Sentences built of news words and random Unicode in between: extraction finds things in them.
news_text = st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(WORDS), st.text(max_size=4)),
                     min_size=1, max_size=60).map(" ".join)
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400)


def spans_of(extraction):
    """Every (start, end, text) the extraction reports."""
    for entity in extraction.entities:
        yield from ((m.start, m.end, m.text) for m in entity.mentions)
    for statement in extraction.statements:
        yield statement.cue.start, statement.cue.end, statement.cue.text
        yield from ((s.start, s.end, s.text) for s in statement.content)
        if statement.mention is not None:
            yield statement.mention.start, statement.mention.end, statement.mention.text
    for role in extraction.roles:
        yield role.evidence.start, role.evidence.end, role.evidence.text


@given(text=news_text)
@settings(SETTINGS, max_examples=60)
def test_every_offset_slices_the_input_to_the_reported_text(extractor, text):
    extraction = extractor.extract(Article(id="p", text=text, file="p.txt"))
    for start, end, said in spans_of(extraction):
        assert 0 <= start <= end <= len(text) and text[start:end] == said
    statements = list(walk(extraction.to_json()["statements"]))  # the JSON of `kg extract` too, nested
    assert len(statements) == len(extraction.statements)  # each statement once, at one level
    for statement in statements:
        assert statement["content"]["text"] == " … ".join(text[s:e] for s, e in statement["content"]["spans"])


@given(text=st.one_of(any_text, news_text))
@SETTINGS
def test_random_unicode_never_crashes_extraction_or_storing(extractor, text):
    store = OxigraphStore()
    extraction = extractor.extract(Article(id="u", text=text, file="u.txt", title=text[:20] or None))
    store.replace_graph(article_graph(extraction, IRIS))
    assert str(IRIS.article("u")) in store.content_hashes([str(IRIS.article("u"))])


@given(texts=st.lists(st.one_of(news_text, any_text), min_size=1, max_size=3))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_export_then_import_gives_the_same_triples(extractor, texts):
    store = OxigraphStore()
    articles = [Article(id=f"a{i}", text=t if t.strip() else "x", file=f"a{i}.txt") for i, t in enumerate(texts)]
    for extraction in extractor.extract_many(articles):
        store.replace_graph(article_graph(extraction, IRIS))
    assert_round_trips(store)


def test_the_seed_export_round_trips(seed_store):
    assert_round_trips(OxigraphStore(seed_store, read_only=True))


def assert_round_trips(store: Store):
    quads = set(store.ox)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    for name, fmt in EXPORT_FORMATS.items():
        again = ox.Store()
        again.load(store.export(name), format=fmt)
        if fmt.supports_datasets:
            assert set(again) == quads, name
        else:
            assert {ox.Triple(q.subject, q.predicate, q.object) for q in again} == triples, name
