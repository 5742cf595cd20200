"""Quotation spans in raw text, quote marks included."""
from __future__ import annotations

import re

OPEN, CLOSE = "“«„", "”»"
QUOTE_MARKS = "\"“”'‘’«»"  # the marks that open or close a quotation, one character each
# A straight double quote, or two apostrophes as some newspapers write it (''like this'').
MARK = re.compile(r"''|[\"“”«»„]")
PARAGRAPH = re.compile(r"[^\n]+")


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Paired quotations per paragraph; one left open at a paragraph's end closes there
    (news style reopens a long quote in the next paragraph)."""
    quotes = []
    for para in PARAGRAPH.finditer(text):
        opened = None
        first = para.end() - len(para.group().lstrip())  # where the paragraph's text begins
        for mark in MARK.finditer(text, para.start(), para.end()):
            char = mark.group()
            if opened is None and (char not in CLOSE or mark.start() == first):
                opened = mark.start()  # a closing mark that starts a paragraph is a typo for an opening one
            elif opened is not None and (char not in OPEN or typed_for_closing(text, mark.start(), mark.end(), para.end())):
                quotes.append((opened, mark.end()))
                opened = None
        if opened is not None and para.end() - opened > 1:
            quotes.append((opened, para.end()))
    return quotes


def typed_for_closing(text: str, start: int, end: int, para_end: int) -> bool:
    """An opening mark typed where a closing one belongs: right after the quotation's last
    punctuation and before a space (“It's unusual,“ said Ms. Lee)."""
    return text[start - 1] in ",.?!" and (end == para_end or text[end].isspace())
