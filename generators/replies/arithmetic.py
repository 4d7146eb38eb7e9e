"""Arithmetic: words become operators, then a whitelisted AST is walked over Fractions (never eval'd)."""
from __future__ import annotations

import ast
import math
import operator
import re
from decimal import Decimal, localcontext
from fractions import Fraction

from .phrasebook.results import MATH_TAILS, MATH_TEMPLATES
from .phrasebook.words import NUMBER_WORDS
from .request import Draft, Request
from .text import fmt

_NUMBER_WORD_VALUES = {word: value for word, value in NUMBER_WORDS.items() if " " not in word and value <= 20}
_MATH_WORDS = (  # (pattern, replacement), applied in order to the lower-cased expression
    (r"(\d),(?=\d{3}\b)", r"\1"),
    (r"\b(" + "|".join(_NUMBER_WORD_VALUES) + r")\b", lambda m: str(_NUMBER_WORD_VALUES[m.group(1)])),
    (r"(\d+(?:\.\d+)?)\s*(?:%|percent)\s*of\b", r"(\1/100)*"),
    (r"(\d+(?:\.\d+)?)\s*(?:%|percent)(?=\s*(?:$|[-+*/)]))", r"(\1/100)"),
    (r"(?:square root of|sqrt|√)\s*(\d+(?:\.\d+)?)", r"sqrt(\1)"),
    (r"\bsquared\b", "**2"), (r"\bcubed\b", "**3"), (r"\bto the power of\b|\^", "**"),
    (r"\bmultiplied by\b|\btimes\b|×|(?<=[\d)\s])x(?=[\s\d(])", "*"), (r"\bdivided by\b|\bover\b|÷", "/"),
    (r"\bplus\b", "+"), (r"\bminus\b", "-"), (r"\bmod(?:ulo)?\b", "%"),
)
_MATH_WORD_RES = tuple((re.compile(pattern), replacement) for pattern, replacement in _MATH_WORDS)
_MATH_ONLY = re.compile(r"(?:[\d.+\-*/%()\s]|sqrt)+")
_MATH_PREFIX = re.compile(r"^(?:(?:what|how much)(?:'s| is| are| does| do)?|calculate|compute|evaluate|solve|"
                          r"work out|find|tell me|give me)\s+(?:the (?:value|result|answer) of\s+)?", re.I)
_MATHY = re.compile(r"\d|plus|minus|times|divided|squared|sqrt|square root")
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Mod: operator.mod}
_MAX_DIGITS = 400  # results beyond this many digits are refused, so "9^9^9" cannot eat the CPU


class _MathError(ValueError):
    pass


def evaluate(node: ast.AST) -> tuple[Fraction, bool]:
    """The value of a whitelisted arithmetic AST and whether it is exact; anything else raises _MathError."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Fraction(repr(node.value)), True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value, exact = evaluate(node.operand)
        return (-value if isinstance(node.op, ast.USub) else value), exact
    if isinstance(node, ast.BinOp) and (type(node.op) in _BINARY or isinstance(node.op, ast.Pow)):
        (left, left_exact), (right, right_exact) = evaluate(node.left), evaluate(node.right)
        if isinstance(node.op, ast.Pow):
            value, exact = _power(left, right)
            return value, exact and left_exact and right_exact
        if right == 0 and isinstance(node.op, (ast.Div, ast.Mod)):
            raise ZeroDivisionError
        return _BINARY[type(node.op)](left, right), left_exact and right_exact
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sqrt"
            and len(node.args) == 1 and not node.keywords):
        value, exact = evaluate(node.args[0])
        if value < 0:
            raise _MathError("not a real number")
        top, bottom = math.isqrt(value.numerator), math.isqrt(value.denominator)
        if top * top == value.numerator and bottom * bottom == value.denominator:
            return Fraction(top, bottom), exact
        return Fraction(math.sqrt(value)), False
    raise _MathError("not arithmetic")


def _power(base: Fraction, exponent: Fraction) -> tuple[Fraction, bool]:
    if exponent.denominator == 1:
        if abs(exponent.numerator) * math.log10(max(abs(base.numerator), base.denominator, 1)) > _MAX_DIGITS:
            raise _MathError("too large")
        if base == 0 and exponent < 0:
            raise ZeroDivisionError
        return base ** exponent.numerator, True
    if base < 0:
        raise _MathError("not a real number")
    return Fraction(float(base) ** float(exponent)), False


def format_number(value: Fraction, exact: bool) -> tuple[str, bool]:
    """The value as text, and whether that text is exact (1/3 is shown as 0.333333, which is not)."""
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if exact and denominator == 1:  # an integer or a terminating decimal: show it exactly
        if value.denominator == 1:
            return str(value.numerator), True
        with localcontext() as context:
            context.prec = 60
            return format((Decimal(value.numerator) / Decimal(value.denominator)).normalize(), "f"), True
    return f"{float(value):.6f}".rstrip("0").rstrip(".") or "0", False


def arithmetic(req: Request) -> Draft | None:
    if not _MATHY.search(req.low) or len(req.line) > 200:
        return None
    shown = re.sub(r"\s*(?:equals?|=)?\s*[?.!]*\s*$", "", _MATH_PREFIX.sub("", req.line.strip()))
    expression = shown.lower()
    for pattern, replacement in _MATH_WORD_RES:
        expression = pattern.sub(replacement, expression)
    if not _MATH_ONLY.fullmatch(expression) or not re.search(r"\d\s*[-+*/%]|sqrt", expression):
        return None
    try:
        value, exact = evaluate(ast.parse(expression.strip(), mode="eval").body)
    except ZeroDivisionError:
        return Draft("math", lead=f"{shown} is undefined, because you can't divide by zero.", terse="Undefined.")
    except _MathError as exc:
        if str(exc) == "not arithmetic":
            return None
        return Draft("math", lead=f"{shown} is {exc}, so I can't give an exact value.", terse="Undefined.")
    except (SyntaxError, ValueError, RecursionError, OverflowError, MemoryError):
        return None
    result, exact = format_number(value, exact)
    slots = {"expr": shown, "eq": "=" if exact else "≈", "result": result}
    number: int | float = value.numerator if value.denominator == 1 else float(value)
    return Draft("math", lead=fmt(req.pick.pick(MATH_TEMPLATES), **slots), tail=req.pick.pick(MATH_TAILS),
                  terse=slots["result"], data={"expression": shown, "result": number}, slots=slots)
