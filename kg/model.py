"""What the extractor finds in one article: plain dataclasses that serialise to the JSON format."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Article:
    id: str
    text: str
    file: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None

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

    def to_json(self) -> dict:
        return {"name": self.name, "type": self.type,
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

    def to_json(self) -> dict:
        return {
            "speaker": None if self.mention is None else {
                "name": self.speaker, "type": self.speaker_type, "mention": asdict(self.mention)},
            "cue": asdict(self.cue),
            "content": {"text": self.text, "spans": [[s.start, s.end] for s in self.content]},
            "kind": self.kind,
            "about": [{"name": a} for a in self.about],
            **({"reporter": {"name": self.reporter}} if self.reporter else {}),
        }


@dataclass
class Role:
    person: str
    role: str
    organisation: str | None
    organisation_type: str | None
    time: str  # current | former | future
    evidence: Span

    def to_json(self) -> dict:
        return {
            "person": {"name": self.person},
            "role": self.role,
            "organisation": None if self.organisation is None else {
                "name": self.organisation, "type": self.organisation_type},
            "time": self.time,
            "evidence": asdict(self.evidence),
        }


@dataclass
class Extraction:
    article: Article
    entities: list[Entity]
    statements: list[Statement]
    roles: list[Role]

    def to_json(self) -> dict:
        return {
            "file": self.article.file,
            "article": self.article.metadata(),
            "statements": [s.to_json() for s in self.statements],
            "roles": [r.to_json() for r in self.roles],
            "entities": [e.to_json() for e in self.entities],
        }
