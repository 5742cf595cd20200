"""Quotation spans in raw text, quote marks included."""
from __future__ import annotations

import re

OPEN, CLOSE, STRAIGHT = "“«„", "”»", '"'
PARAGRAPH = re.compile(r"[^\n]+")


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Paired quotations per paragraph; one left open at a paragraph's end closes there
    (news style reopens a long quote in the next paragraph)."""
    quotes = []
    for para in PARAGRAPH.finditer(text):
        opened = None
        for i in range(para.start(), para.end()):
            char = text[i]
            if opened is None and (char in OPEN or char == STRAIGHT):
                opened = i
            elif opened is not None and (char in CLOSE or char == STRAIGHT):
                quotes.append((opened, i + 1))
                opened = None
        if opened is not None and para.end() - opened > 1:
            quotes.append((opened, para.end()))
    return quotes
