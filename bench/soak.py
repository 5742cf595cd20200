"""Memory per write cycle: `kg serve` on a copy of the seed store, then POST an article and DELETE it,
with a SPARQL query and a GET /statements after each (so the query workers reopen the store and the
label cache is refilled), over and over, on loopback; the server's resident memory (RSS of its own
process, and of its SPARQL workers together) is printed every N cycles. Bounded in cycles and time.

    python -m bench.soak [--cycles 400] [--every 50] [--seconds 600] [--same-text]

Each article is new text by default (made-up names and words, as real news brings), so the spaCy
vocabulary sees new strings every cycle; --same-text posts one text under new ids.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).parent / "kg"
TOKEN = "soak-token"
SYLLABLES = ["ka", "lo", "mi", "ren", "to", "vas", "qui", "zor", "bel", "dan", "ith", "om", "pra", "sul"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_mb(pid: int) -> float:
    children = [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    return sum(rss_mb(int(c)) for c in children if Path(f"/proc/{c}").exists())


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3))


def article(i: int, rng: random.Random, same: bool) -> dict:
    if same:
        name, place, thing = "Ana Lopez", "Riverton", "budget"
    else:
        name, place, thing = f"{word(rng).title()} {word(rng).title()}", word(rng).title(), word(rng)
    text = (f'"We kept every promise on the {thing}," Mayor {name} of {place} said on Tuesday. '
            f'The {place} council, she said, "will vote again in May." Critics of {name} disagreed.')
    return {"id": f"soak-{i}", "title": f"Soak {i}", "date": "2024-03-05", "text": text}


def start(data: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "KG_DATA": str(data), "KG_API_TOKEN": TOKEN}
    process = subprocess.Popen([str(KG), "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(f"{url}/articles", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("kg serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=400)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--same-text", action="store_true")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="kg-soak-"))
    subprocess.run([str(KG), "ingest", str(ROOT / "seeds")], env={**os.environ, "KG_DATA": str(data)},
                   check=True, capture_output=True)
    process, url = start(data)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    rng = random.Random(16)
    began = time.monotonic()
    errors = 0
    try:
        with httpx.Client(timeout=60) as client:
            print(f"{'cycle':>6} {'seconds':>8} {'RSS MB':>8} {'workers MB':>11}")
            print(f"{0:>6} {0:>8.0f} {rss_mb(process.pid):>8.1f} {workers_mb(process.pid):>11.1f}"
                  "  (before the first POST)", flush=True)
            for i in range(1, args.cycles + 1):
                body = article(i, rng, args.same_text)
                assert client.post(f"{url}/articles", json=body, headers=auth).status_code == 201
                assert client.delete(f"{url}/articles/{body['id']}", headers=auth).status_code == 204
                asked = client.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
                if asked.status_code != 200:
                    errors += 1
                    print(f"cycle {i}: SPARQL answered {asked.status_code}: {asked.text[:200]}", flush=True)
                assert client.get(f"{url}/statements", params={"speaker": "Lopez"}).status_code == 200
                if i % args.every == 0 or i == 1:
                    print(f"{i:>6} {time.monotonic() - began:>8.0f} {rss_mb(process.pid):>8.1f} "
                          f"{workers_mb(process.pid):>11.1f}", flush=True)
                if errors > 5:
                    raise SystemExit("too many SPARQL errors")
                if time.monotonic() - began > args.seconds:
                    print(f"stopped at {args.seconds:g} s")
                    break
    finally:
        process.terminate()
        process.wait(20)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
