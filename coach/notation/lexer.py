"""The lexer: the text as typed, read into numbers, times, words and symbols with their columns.

``_Cursor`` is the parser's position in those tokens.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from coach.formats import parse_time
from coach.notation.errors import NotationError
from coach.notation.words import _EASY_WORDS

_DIGITS = frozenset(string.digits)
_LETTERS = frozenset(string.ascii_letters)
_SYMBOLS = frozenset("@()[]&+;,/-:*.")
_TRANSLATE = str.maketrans(
    {"’": "'", "‘": "'", "′": "'", "”": '"', "“": '"', "″": '"', "×": "x", "–": "-", "—": "-"}
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "time", "word", "sym" or "end"
    text: str
    col: int
    glued: bool  # no space before it
    newline: bool  # a line break before it
    value: float = 0.0

    def word(self) -> str:
        return self.text.casefold() if self.kind == "word" else ""

    def sym(self, *symbols: str) -> bool:
        return self.kind == "sym" and self.text in symbols

    def quoted(self) -> str:
        return "the end" if self.kind == "end" else f"'{self.text}'"


def _number_end(src: str, i: int) -> int:
    n = len(src)
    while i < n and src[i] in _DIGITS:
        i += 1
    if i + 1 < n and src[i] == "." and src[i + 1] in _DIGITS:
        i += 1
        while i < n and src[i] in _DIGITS:
            i += 1
    return i


def _time_end(src: str, j: int) -> int | None:
    """The end of a clock or IAAF time whose leading number ends at j, or None."""
    n = len(src)
    if j + 1 < n and src[j] == ":" and src[j + 1] in _DIGITS:
        while j + 1 < n and src[j] == ":" and src[j + 1] in _DIGITS:
            j = _number_end(src, j + 1)
        return j
    if src.startswith("''", j):
        return j + 2
    if src.startswith('"', j):
        return j + 1
    if src.startswith("'", j):
        j += 1
        if j < n and src[j] in _DIGITS:
            j = _number_end(src, j)
            if src.startswith("''", j):
                return j + 2
            if src.startswith('"', j):
                return j + 1
        return j
    return None


def _word_end(src: str, i: int) -> tuple[int, str]:
    n = len(src)
    j = i
    while j < n and src[j] in _LETTERS:
        j += 1
    word = src[i:j]
    if word in ("w", "W") and src.startswith("/", j):
        return j + 1, "w/"
    if word == "T" and src.startswith("+", j) and not (j + 1 < n and src[j + 1] in _DIGITS):
        return j + 1, "T+"
    if j + 1 < n and src[j] == "-" and src[j + 1] in _LETTERS:
        k = j + 1
        while k < n and src[k] in _LETTERS:
            k += 1
        if src[i:k].casefold() in _EASY_WORDS:
            return k, src[i:k]
    return j, word


def _lex(text: str) -> tuple[list[_Token], str]:
    body, _, note = text.partition("#")
    src = body.translate(_TRANSLATE)
    tokens: list[_Token] = []
    i, n = 0, len(src)
    space, newline = True, False
    while i < n:
        ch = src[i]
        col = i + 1
        if ch.isspace():
            space = True
            newline = newline or ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
            i += 1
            continue
        glued = not space
        if ch in _DIGITS:
            j = _number_end(src, i)
            end = _time_end(src, j)
            if end is None:
                if j + 1 < n and src[j] == "," and src[j + 1] in _DIGITS:
                    raise NotationError(
                        j + 1,
                        "a comma between digits: write decimals with a point (2.5) and put a "
                        "space after a comma that separates",
                    )
                token = _Token("num", src[i:j], col, glued, newline, float(src[i:j]))
            else:
                j = end
                try:
                    value = parse_time(src[i:j])
                except ValueError as error:
                    raise NotationError(col, str(error)) from None
                token = _Token("time", src[i:j], col, glued, newline, value)
        elif ch in _LETTERS:
            j, word = _word_end(src, i)
            token = _Token("word", word, col, glued, newline)
        elif ch in _SYMBOLS:
            j = i + 1
            token = _Token("sym", ch, col, glued, newline)
        else:
            raise NotationError(col, f"unexpected character {ch!r}")
        tokens.append(token)
        i = j
        space = newline = False
    tokens.append(_Token("end", "", len(body) + 1, not space, newline))
    return tokens, note.strip()



class _Cursor:
    """The parser's position in the tokens, and the helpers every rule uses."""

    def __init__(self, text: str) -> None:
        self.tokens, self.note = _lex(text)
        self.src = text.partition("#")[0].translate(_TRANSLATE)
        self.i = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def run(self, token: _Token) -> str:
        """The text typed from token up to the next space or bracket, for messages."""
        end = token.col - 1
        while (
            end < len(self.src) and not self.src[end].isspace() and self.src[end] not in "()[],;&@"
        ):
            end += 1
        return self.src[token.col - 1 : end]

    def fail(self, token: _Token, message: str) -> NotationError:
        return NotationError(token.col, message)

    def expect_close(self, opening: _Token) -> None:
        closing = ")" if opening.text == "(" else "]"
        token = self.peek()
        if not token.sym(closing):
            raise self.fail(
                token,
                f"expected '{closing}' to close the '{opening.text}' at column {opening.col}, "
                f"found {token.quoted()}",
            )
        self.take()
