"""What the SPARQL endpoint lets the engine execute: never SERVICE or LOAD, which would make this
server fetch URLs.

The decision is taken on a parse, not on a scan of the text: rdflib's SPARQL 1.1 grammar parses
the query, and one whose parse holds a SERVICE pattern or a LOAD operation is refused. For the parse
to be of the very text the engine runs, the text is first put in a form both parsers read alike,
and that form is what Oxigraph then executes:
- \\uXXXX and \\UXXXXXXXX escapes are expanded, as the SPARQL grammar says they are before parsing
  (rdflib does; Oxigraph does not); a text that still holds escapes after one expansion, which
  the two would read differently, is refused;
- carriage returns become line feeds: the grammar ends a comment at either, rdflib's only at a
  line feed, so "#\\r SERVICE <...>" would hide the SERVICE from rdflib alone. A line break inside a
  long string literal is the one thing this changes: CR LF and CR read as LF.
A text with no "service" and no "load" in any case cannot hold either keyword, and skips the parse.

Queries run in worker processes, where a crash costs one worker. An update runs in the server's
own process (behind the token), so it is refused past MAX_UPDATE_TOKENS words and symbols, counted
over the whole text, strings and comments included: up to there, every shape of nesting we tried
runs within the update thread's stack (api/engine.py).
"""
from __future__ import annotations

import re
from functools import lru_cache

REMOTE_WORDS = re.compile(r"service|load", re.IGNORECASE)
REMOTE_PARTS = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
MAX_UPDATE_TOKENS = 50_000
TOKENS = re.compile(r"\w+|\S")


class Refused(ValueError):
    """A query or update this endpoint does not run; the message says why, for the client."""


def prepare(sparql: str, update: bool = False) -> str:
    """The text to hand to the engine, once it is known to fetch nothing; raises Refused."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        text = expandUnicodeEscapes(sparql)
        if expandUnicodeEscapes(text) != text:
            raise Refused("the query has \\u escapes that spell further escapes; write the characters instead")
    except ValueError as err:
        raise Refused(str(err)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if update and sum(1 for _ in zip(range(MAX_UPDATE_TOKENS + 1), TOKENS.finditer(text))) > MAX_UPDATE_TOKENS:
        raise Refused(f"the update has more than {MAX_UPDATE_TOKENS} tokens; split it into smaller ones")
    if REMOTE_WORDS.search(text):
        check(text, update)
    return text


@lru_cache(maxsize=256)
def check(text: str, update: bool) -> None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    kind = "update" if update else "query"
    try:
        tree = (parseUpdate if update else parseQuery)(text)
    except RecursionError:
        raise Refused(f"the {kind} is nested too deeply to be checked; split it into smaller ones") from None
    except ParseBaseException as err:
        raise Refused(f"malformed {kind}: {err}") from None
    except Exception as err:  # rdflib builds terms as it parses, and may refuse one
        raise Refused(f"malformed {kind}: {err}") from None
    for name in REMOTE_PARTS.keys() & parts(tree):
        raise Refused(f"{REMOTE_PARTS[name]} is not allowed: this endpoint never fetches URLs")


def parts(tree) -> set[str]:
    """The names of the grammar rules in an rdflib parse tree (CompValue nodes), walked without recursion."""
    from rdflib.plugins.sparql.parserutils import CompValue

    names, stack = set(), [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or hasattr(node, "as_list"):  # ParseResults
            stack.extend(node)
    return names
