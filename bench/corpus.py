"""A synthetic news corpus of any size, from our own templates: made-up people, organisations,
places and quotes, so benchmarks need no third-party text. Deterministic for a given seed.

    python -m bench.corpus OUT_DIR N [--per-file 500]   writes OUT_DIR/part-00000.jsonl ...
"""
from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FIRST = ("Helen Marco Rosa Tom Ivan Ana Lena Omar Grace Pavel Nadia Felix Irene Samuel Clara Jonas Maya "
         "Victor Elena Hugo Talia Ruben Greta Anton Lucia Derek Selma Oscar Mirela Kofi Ingrid Tariq Yara "
         "Bruno Esther Nikolai Daria Leon Amara Caspar").split()
LAST = ("Ortiz Becker Delgado Petrov Silva Bianchi Lindqvist Haddad Okafor Novak Brandt Moreau Castell "
        "Varga Whitlock Amsel Kerrigan Soto Halvorsen Dupree Mbeki Rosen Falk Quintero Aalto Voss Pereira "
        "Ibarra Strand Kowal Ferrand Lachance Osei Marr Tolland Reyes Grunwald Ashby Calder Penrose").split()
TOWNS = ("Port Avery", "Eastbrook", "Caldmoor", "Linden Falls", "New Harlow", "Silverton", "Marrowgate",
         "Oakridge", "Westmere", "Dunmore Bay", "Kessington", "Ravenholt")
BODIES = ("Council", "Transport Authority", "Water Board", "Chamber of Commerce", "Port Authority",
          "Health Trust", "Teachers Union", "Housing Agency")
PARTIES = ("Green League", "Civic Alliance", "Workers Party", "Liberal Forum", "Harbour Party")
ROLES = (("mayor", "Mayor"), ("chair", "Chair"), ("spokeswoman", "spokeswoman"), ("director", "Director"),
         ("treasurer", "Treasurer"), ("chief executive", "chief executive"), ("leader", "leader"))
MINISTRIES = ("Finance", "Transport", "Health", "Housing", "Education", "Energy")
TOPICS = ("the new railway", "the harbour plan", "the water tariffs", "the school budget", "the bridge repairs",
          "the housing scheme", "the energy levy", "the bus network", "the hospital wing", "the tax reform")
JUDGEMENTS = ("would open late", "was a gamble with public money", "would create hundreds of jobs",
              "needed another review", "had been rushed", "would stay within the budget",
              "was the best option on the table", "ignored the people who live nearby",
              "would be finished by the spring", "could not be delayed any longer")
CLAIMS = ("We will not accept these delays", "This plan will feed our families for another century",
          "The money is there and the will is there", "Nobody asked the residents",
          "We have done our homework on this", "The costs are out of control",
          "It is time to stop talking and start building", "Our members are ready to strike")
FILLER = ("The meeting in {town} lasted more than three hours.",
          "A final vote is expected before the end of the month.",
          "Local businesses have followed the debate closely.",
          "The {body} of {town} published its figures on {weekday}.",
          "Several hundred residents attended the public hearing in {town}.",
          "Critics pointed to similar projects that ran over budget in {other}.",
          "Officials in {other} said they would watch the outcome before making their own plans.",
          "The opposition has called for an independent audit of the accounts of the {body}.",
          "Construction companies from {other} have already submitted early bids for the work.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class Writer:
    """Sentences of one article, with a small cast so that pronouns and surnames refer back."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.town, self.other = rng.sample(TOWNS, 2)
        self.cast = [self.person() for _ in range(rng.randint(4, 6))]

    def person(self) -> dict:
        rng = self.rng
        kind = rng.random()
        if kind < 0.3:
            role, org = f"{rng.choice(MINISTRIES)} Minister", None
        elif kind < 0.6:
            role, org = rng.choice(ROLES)[0], f"the {self.town} {rng.choice(BODIES)}"
        else:
            role, org = rng.choice(("leader", "spokeswoman", "chair")), f"the {rng.choice(PARTIES)}"
        return {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "role": role, "org": org}

    def fill(self, template: str) -> str:
        return template.format(town=self.town, other=self.other, body=self.rng.choice(BODIES),
                               weekday=self.rng.choice(WEEKDAYS))

    def sentences(self) -> Iterator[str]:
        rng = self.rng
        for p in self.cast:
            name, surname, topic = p["name"], p["name"].split()[-1], rng.choice(TOPICS)
            title = p["role"] if p["org"] is None else f"{p['role']} of {p['org']}"
            yield rng.choice((
                f'"{rng.choice(CLAIMS)}," said {name}, the {title}.',
                f"{name}, the {title}, said that {topic} {rng.choice(JUDGEMENTS)}.",
                f"{p['role'][0].upper()}{p['role'][1:]} {name} warned that {topic} {rng.choice(JUDGEMENTS)}."))
            yield self.fill(rng.choice(FILLER))
            yield rng.choice((
                f"{surname} added that {rng.choice(TOPICS)} {rng.choice(JUDGEMENTS)}.",
                f'"{rng.choice(CLAIMS)}," {surname} told reporters in {self.town}.',
                f"According to {surname}, {rng.choice(TOPICS)} {rng.choice(JUDGEMENTS)}.",
                f"{surname} declined to comment on {rng.choice(TOPICS)}."))
            yield self.fill(rng.choice(FILLER))
            if rng.random() < 0.5:
                yield f"{surname} said {rng.choice(TOPICS)} {rng.choice(JUDGEMENTS)}."


def article(n: int, rng: random.Random) -> dict:
    writer = Writer(rng)
    lead = writer.cast[0]
    title = f"{lead['name'].split()[-1]} speaks out on {rng.choice(TOPICS)}"
    paragraphs, sentences = [], list(writer.sentences())
    while sentences:
        take = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    published = date(2024, 1, 1) + timedelta(days=n % 365)
    return {"id": f"synthetic-{n:07d}", "title": title, "text": f"{title}\n\n" + "\n\n".join(paragraphs),
            "date": published.isoformat(), "source": f"The {writer.town} Courier"}


def articles(count: int, seed: int = 7, start: int = 0) -> Iterator[dict]:
    for n in range(start, start + count):
        yield article(n, random.Random(seed * 1_000_003 + n))


def write(folder: Path, count: int, per_file: int = 500, seed: int = 7) -> list[Path]:
    """The corpus as JSON Lines files of `per_file` articles each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, count, per_file):
        path = folder / f"part-{start // per_file:05d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for obj in articles(min(per_file, count - start), seed, start):
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("\n".join(str(p) for p in write(args.out, args.count, args.per_file, args.seed)))
