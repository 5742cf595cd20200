"""What the extractor finds in one article: plain dataclasses that serialise to the JSON format."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from .intervals import Intervals
from .vocab import Iris

ID_BASE = "https://kg.invalid/"
ID_IRIS = Iris(ID_BASE)
# An actor's id in the JSON output: (name, entity type or None) -> the path of its graph IRI after
# the base, as Iris.entity mints it ("person/joseph-biden", "source/ARTICLE/a-senior-official").
Ids = Callable[[str, "str | None"], "str | None"]


def actor_id(name: str | None, entity_type: str | None, article_id: str) -> str | None:
    """The path after the base IRI of the node the graph makes for an actor (None for no name:
    the graph makes no node then)."""
    if not name:
        return None
    return str(ID_IRIS.entity(name, entity_type, article_id)).removeprefix(ID_BASE)


def no_ids(name: str, entity_type: str | None) -> None:
    return None


@dataclass
class Article:
    id: str
    text: str
    file: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    date_source: str | None = None  # where the date was read (kg:dateSource): see kg/reader.py

    def metadata(self) -> dict:
        meta = asdict(self)
        meta.pop("text")
        return meta


@dataclass
class Span:
    start: int
    end: int
    text: str


@dataclass
class Entity:
    name: str  # canonical name
    type: str  # PERSON, ORG, GPE, NORP
    mentions: list[Span] = field(default_factory=list)

    def to_json(self, ids: Ids = no_ids) -> dict:
        return {"name": self.name, "type": self.type, "id": ids(self.name, self.type),
                "mentions": [asdict(m) for m in self.mentions]}


@dataclass
class Statement:
    speaker: str | None  # canonical name
    speaker_type: str | None
    mention: Span | None  # how this statement names its speaker, as written
    cue: Span
    content: list[Span]
    kind: str  # direct | indirect | mixed
    about: list[str] = field(default_factory=list)
    reporter: str | None = None

    @property
    def text(self) -> str:
        return " … ".join(s.text for s in self.content)

    def speaker_json(self, ids: Ids) -> dict:
        """A named speaker's name and type; an unnamed source ("officials", a "he" that nothing
        resolves) has no name and the type "unnamed", and what the article calls it as `description`."""
        if self.speaker_type is None:
            return {"name": None, "type": "unnamed", "description": self.speaker,
                    "id": ids(self.speaker, None), "mention": asdict(self.mention)}
        return {"name": self.speaker, "type": self.speaker_type, "id": ids(self.speaker, self.speaker_type),
                "mention": asdict(self.mention)}

    def to_json(self, ids: Ids = no_ids, type_of: Callable[[str], str | None] = lambda name: None) -> dict:
        """`ids` gives actors their ids, `type_of` the type of an actor named in the article (the
        about-targets and the reporter, which carry no type of their own)."""
        return {
            "speaker": None if self.mention is None else self.speaker_json(ids),
            "cue": asdict(self.cue),
            "content": {"text": self.text, "spans": [[s.start, s.end] for s in self.content]},
            "kind": self.kind,
            "about": [{"name": a, "id": ids(a, type_of(a))} for a in self.about],
            **({"reporter": {"name": self.reporter, "id": ids(self.reporter, type_of(self.reporter))}}
               if self.reporter else {}),
        }


@dataclass
class Role:
    person: str
    role: str
    organisation: str | None
    organisation_type: str | None
    time: str  # current | former | future
    evidence: Span
    # the IRI of the stored article or background file whose fact this one was resolved with
    inferred_from: str | None = None

    def to_json(self, ids: Ids = no_ids) -> dict:
        inferred = {"inferred_from": self.inferred_from} if self.inferred_from else {}
        return inferred | {
            "person": {"name": self.person, "id": ids(self.person, "PERSON")},
            "role": self.role,
            "organisation": None if self.organisation is None else {
                "name": self.organisation, "type": self.organisation_type,
                "id": ids(self.organisation, self.organisation_type or "ORG")},
            "time": self.time,
            "evidence": asdict(self.evidence),
        }


@dataclass
class Extraction:
    article: Article
    entities: list[Entity]
    statements: list[Statement]
    roles: list[Role]

    def type_of(self, name: str) -> str | None:
        """The type of an actor the article names; places and bodies from tables are GPE."""
        for e in self.entities:
            if e.name == name:
                return e.type
        return "GPE"

    def ids(self, name: str | None, entity_type: str | None) -> str | None:
        """An actor's id: the path of its IRI in this article's graph (kg/graph.py)."""
        return actor_id(name, entity_type, self.article.id)

    def to_json(self) -> dict:
        return {
            "file": self.article.file,
            "article": self.article.metadata(),
            "statements": nested_json(self.statements, self.ids, self.type_of),
            "roles": [r.to_json(self.ids) for r in self.roles],
            "entities": [e.to_json(self.ids) for e in self.entities],
        }


MAX_REPORTED = 16  # levels of "A said B said C said ..." kept nested in the JSON


def reported_in(statements: list[Statement]) -> dict[int, Statement]:
    """For each statement reported inside another's claim ("A said B warned that ..."), by id, the
    innermost claim that holds its cue. Longer claims are placed first, and a link that would close
    a ring of claims holding each other's cues is left out, so every chain ends."""
    claims = Intervals((c.start, c.end, s) for s in statements for c in s.content)
    order = {id(s): n for n, s in enumerate(statements)}
    length = {id(s): sum(c.end - c.start for c in s.content) for s in statements}
    parent: dict[int, Statement] = {}
    for inner in sorted(statements, key=lambda s: (-length[id(s)], order[id(s)])):
        holders = [outer for outer in claims.holding(inner.cue.start) if outer is not inner
                   and not any(c.start <= outer.cue.start < c.end for c in inner.content)]
        for outer in sorted(holders, key=lambda s: (length[id(s)], order[id(s)])):
            above = outer
            while above is not inner and id(above) in parent:
                above = parent[id(above)]
            if above is not inner:
                parent[id(inner)] = outer
                break
    return parent


def add_reporters(statements: list[Statement]) -> None:
    """"A said B warned that ...": A, the speaker of the innermost claim that holds B's cue, reports
    B's statement, unless B already names who relayed it ("..., according to X")."""
    reporting = reported_in(statements)
    for inner in statements:
        outer = reporting.get(id(inner))
        if inner.reporter is None and outer is not None:
            inner.reporter = outer.speaker


def nested_json(statements: list[Statement], ids: Ids = no_ids,
                type_of: Callable[[str], str | None] = lambda name: None) -> list[dict]:
    """Statements as JSON, each one reported inside another's claim under that statement's
    `reports`, so the top level holds what the article itself attributes. A chain deeper than
    MAX_REPORTED goes on at the top level."""
    parent = reported_in(statements)

    def depth(statement: Statement) -> int:
        levels = 0
        while id(statement) in parent:
            statement, levels = parent[id(statement)], levels + 1
        return levels

    as_json = {id(s): s.to_json(ids, type_of) for s in statements}
    top = []
    for statement in statements:
        if id(statement) in parent and depth(statement) % (MAX_REPORTED + 1):
            as_json[id(parent[id(statement)])].setdefault("reports", []).append(as_json[id(statement)])
        else:
            top.append(as_json[id(statement)])
    return top
