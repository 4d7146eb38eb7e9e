"""Code requests: the language and task asked for, then a template, a data type, SQL or a named skeleton."""
from __future__ import annotations

import re
from typing import Sequence

from .languages import code_language
from .phrasebook.code import (
    CODE_LEADS, CODE_TAILS, CODE_TASKS, CODE_TEMPLATES, CSS_BUTTON, CSS_CENTER, CSS_GRID, DEFAULT_FIELDS,
    ENTITY_FIELDS, GENERIC_CODE, GENERIC_NOTE, HTML_FORM, HTML_LOGIN_FORM, HTML_TABLE, LANGUAGE_DISPLAY, NAMING,
    TASK_NOTES, TASK_PHRASES, TYPE_LAYOUTS,
)
from .phrasebook.words import REQUEST_WORDS, STOPWORDS
from .request import Draft, Request
from .text import QUESTION_START, base_verb, capitalize, clean_phrase, fmt, plural, singular, strip_article

# A literal gate skips the task patterns for most messages: like the language patterns, they are the hot path.
_CODE_TASKS = re.compile("|".join(f"(?P<{task}>{pattern})" for task, pattern in CODE_TASKS))
_TASK_GATE = re.compile(r"hello|palindrom|revers|fib|factorial|prim|binary|bisect|words|word count|word freq|sort|"
                        r"sum|add |total of|file|http|fetch|request|api call|rest api|download|backup|back up")
_TASK_PRIORITY = {task: rank for rank, (task, _) in enumerate(CODE_TASKS)}
_CODE_VERB = re.compile(r"\b(?:write|create|make|give|show|implement|generate|build|code|produce|need|want|"
                        r"provide|draft|convert|port|rewrite|translate)\b")
CODE_NOUN = re.compile(r"\b(function|func|method|script|program|code|snippet|query|algorithm|regex|one-liner|"
                        r"endpoint|dataclass|struct|interface|class)(?:es|s)?\b")
_WEAK_CODE_NOUN = re.compile(r"\b(?:type|record|schema|enum|component|module|stylesheet|markup|page|form|table|"
                             r"model)s?\b")
_MODEL_NOUNS = r"interface|struct|class|dataclass|data class|record|model|schema|type|table|entity"
_MODEL_AFTER = re.compile(rf"\b(?:{_MODEL_NOUNS})\s+(?:for|representing|describing|of|called|named|to (?:represent|"
                          rf"store|hold|describe))\s+(?:a |an |the )?(?P<words>[a-z]+(?: [a-z]+)?)", re.I)
_MODEL_BEFORE = re.compile(r"\b(?P<words>[a-z]+)\s+(?:interface|struct|dataclass|record|model|schema|table|entity)\b",
                           re.I)
_TASK_AFTER_NOUN = re.compile(r"\b(?:function|func|method|script|program|code|snippet|query|algorithm|regex|"
                              r"one-liner|implementation|routine|command|helper|class)(?:es|s)?\b(?:\s+(?:in|using)\s+"
                              r"[\w#+.]+)?\s*(?:that|which|to|in order to|who|,|:)?\s*(?:will\s+|can\s+|should\s+)?"
                              r"(?P<task>.+)", re.I)
_LEADING_VERB = re.compile(r"^(?:write|create|make|implement|build|generate|give me|show me|code|draft)\s+(?:me\s+)?",
                           re.I)
_SQL_COUNT_BY = re.compile(r"\bcount\w*\s+(?:the\s+)?(?:number\s+of\s+)?(?:all\s+)?(?P<thing>[a-z_]+)\s+(?:by|per|"
                           r"for each|in each|grouped by|group by)\s+(?:their\s+|the\s+)?(?P<group>[a-z_]+)")
_SQL_TOP = re.compile(r"\b(?:top|first|best|highest|largest|latest)\s+(?P<n>\d+)\s+(?P<thing>[a-z_]+)"
                      r"(?:\s+by\s+(?P<col>[a-z_]+))?")
_SQL_AGGREGATE = re.compile(r"\b(?P<fn>average|avg|mean|sum|total|max|maximum|highest|min|minimum|lowest)\s+(?:of\s+)?"
                            r"(?:the\s+)?(?P<col>[a-z_]+)\s+(?:of|for|from|in|per|across)\s+(?:all\s+|each\s+|the\s+)?"
                            r"(?P<thing>[a-z_]+)(?:\s+(?:by|per|for each)\s+(?P<group>[a-z_]+))?")
_SQL_JOIN = re.compile(r"\bjoin\s+(?:the\s+)?(?P<a>[a-z_]+)\s+(?:table\s+)?(?:and|with|to|on)\s+(?:the\s+)?(?P<b>[a-z_]+)")
_SQL_FUNCTIONS = {"average": "AVG", "avg": "AVG", "mean": "AVG", "sum": "SUM", "total": "SUM", "max": "MAX",
                  "maximum": "MAX", "highest": "MAX", "min": "MIN", "minimum": "MIN", "lowest": "MIN"}
_LANGUAGE_WORDS = frozenset("python javascript js node typescript ts java go golang rust c cpp csharp ruby php sql "
                            "mysql postgres postgresql sqlite bash shell html css kotlin swift".split())
_LANGUAGE_MENTION = re.compile(r"\s*\b(?:(?:in|using|with)\s+)?(?:python|javascript|typescript|golang|rust|kotlin|"
                               r"swift|ruby|php|sql|bash|shell|html|css|java|c\+\+|c#|node(?:\.js)?)\b", re.I)
_NOT_NAMES = frozenset("sql query table database data code script function class select rows row records record "
                       "columns column".split()) | STOPWORDS | REQUEST_WORDS
def code(req: Request) -> Draft | None:
    language = code_language(req.low)
    task = min((m.lastgroup or "" for m in _CODE_TASKS.finditer(req.low)), key=_TASK_PRIORITY.__getitem__,
               default=None) if _TASK_GATE.search(req.low) else None
    if not _wants_code(req.low, language, task):
        return None
    language = language or req.style.code_language or ("sql" if re.search(r"\bquery\b", req.low) else "python")
    source, phrase, note = _code_source(language, task, req)
    display = LANGUAGE_DISPLAY[language]
    noun = CODE_NOUN.search(req.low)
    artifact = (noun.group(1).lower() if noun else {"sql": "query", "bash": "script", "html": "page",
                                                    "css": "stylesheet"}.get(language, "function"))
    article = "an" if display[0] in "AEIOU" or language == "html" else "a"
    lead = fmt(req.pick.pick(CODE_LEADS), lang=display, a_lang=f"{article} {display}", artifact=artifact,
                task=phrase)
    return Draft("code", lead=lead, code=(language, source), tail=f"{note} {req.pick.pick(CODE_TAILS)}",
                  terse=display, data={"language": language, "code": source}, slots={"lang": display})


def _wants_code(low: str, language: str | None, task: str | None) -> bool:
    """Whether the (lower-cased) request asks for code rather than, say, an opinion about a language."""
    question = QUESTION_START.match(low) is not None
    if CODE_NOUN.search(low) and (_CODE_VERB.search(low) or (language and not question)):
        return True
    if low.startswith("implement ") or (language and task):
        return True
    if language and _WEAK_CODE_NOUN.search(low) and not question:
        return True
    if language in ("sql", "html", "css", "bash") and not question:
        return bool(_CODE_VERB.search(low)) or not re.search(r"\b(?:vs\.?|versus|or)\b", low)
    return False


def _code_source(language: str, task: str | None, req: Request) -> tuple[str, str, str]:
    """(source, what it does as a verb phrase, one sentence of explanation)."""
    entity = _model_entity(req.line)
    if language == "sql" and task != "hello" and not entity:
        return _sql_source(req.low), _task_phrase(req.line), TASK_NOTES["sql"]
    if entity and language in TYPE_LAYOUTS:
        return _model_source(language, entity), f"model a {entity}", TASK_NOTES["model"]
    template = CODE_TEMPLATES.get(task or "", {}).get(language)
    if template:
        return template, TASK_PHRASES[task or ""], TASK_NOTES[task or ""]
    web = _web_source(language, req.low)
    if web:
        return web, _task_phrase(req.line), TASK_NOTES[language]
    phrase = TASK_PHRASES.get(task or "") or _task_phrase(req.line)
    words = [w for w in re.findall(r"[a-z0-9]+", phrase.lower()) if w not in _NOT_NAMES][:4] or ["solution"]
    name = _case(words if words[0][0].isalpha() else ["task", *words], NAMING[language])
    title = " ".join(w.capitalize() for w in words)
    source = (GENERIC_CODE[language].replace("%%fn%%", name).replace("%%doc%%", capitalize(phrase) + ".")
              .replace("%%title%%", title).replace("%%table%%", plural(words[-1])))
    return source, phrase, fmt(GENERIC_NOTE, fn=name)


def _task_phrase(line: str) -> str:
    """ "write a python function that reverses a string" -> "reverse a string"."""
    found = _TASK_AFTER_NOUN.search(line)
    phrase = _LANGUAGE_MENTION.sub("", found.group("task") if found else _LEADING_VERB.sub("", line)).strip()
    if not found:  # "css to center a div" -> "center a div"; "a trie in Rust" -> "build a trie"
        purpose = re.match(r"(?:to|that|which)\s+(.+)", phrase, re.I)
        bare = CODE_NOUN.fullmatch(strip_article(phrase.lower()).rstrip("?.! "))
        phrase = purpose.group(1) if purpose else "" if bare else "build " + phrase
    phrase = re.sub(r"\ba (?=[aeiou])", "an ", re.sub(r"\ban (?=[^aeiou\W])", "a ", phrase, flags=re.I), flags=re.I)
    words = clean_phrase(phrase, 10).split()
    if not words:
        return "solve the task"
    return " ".join([base_verb(words[0]).lower(), *words[1:]])


def _case(words: Sequence[str], style: str) -> str:
    lowered = [w.lower() for w in words]
    if style == "snake":
        return "_".join(lowered)
    if style == "kebab":
        return "-".join(lowered)
    capitalized = "".join(w.capitalize() for w in lowered)
    return capitalized if style == "pascal" else lowered[0] + capitalized[len(lowered[0]):]


def _model_entity(line: str) -> str | None:
    """The thing a data type describes: "TypeScript interface for a user" -> "user"."""
    for pattern in (_MODEL_AFTER, _MODEL_BEFORE):
        for found in pattern.finditer(line):
            words = [w for w in found.group("words").lower().split() if w not in _NOT_NAMES and w not in _LANGUAGE_WORDS]
            if words:
                return " ".join([*words[:-1], singular(words[-1])])
    return None


def _model_source(language: str, entity: str) -> str:
    words = entity.split()
    fields = ENTITY_FIELDS.get(entity, ENTITY_FIELDS.get(words[-1], DEFAULT_FIELDS))
    types, header, line, separator, footer = TYPE_LAYOUTS[language]
    rows = []
    for field_name, kind in fields:
        parts = field_name.split()
        pascal = _case(parts, "pascal")
        rows.append(line.replace("%%snake%%", "_".join(parts)).replace("%%camel%%", _case(parts, "camel"))
                    .replace("%%Pascal%%", re.sub(r"Id$", "ID", pascal) if language == "go" else pascal)
                    .replace("%%type%%", types[kind] + (" PRIMARY KEY" if language == "sql" and field_name == "id" else "")))
    return ((header + separator.join(rows) + footer).replace("%%Name%%", _case(words, "pascal"))
            .replace("%%table%%", plural("_".join(words))))


def _sql_source(low: str) -> str:
    if found := _SQL_COUNT_BY.search(low):
        thing, group = singular(found["thing"]), singular(found["group"])
        return (f"SELECT {group}, COUNT(*) AS {thing}_count\nFROM {plural(thing)}\nGROUP BY {group}\n"
                f"ORDER BY {thing}_count DESC;")
    if found := _SQL_TOP.search(low):
        order = found["col"] or "score"
        return f"SELECT *\nFROM {plural(singular(found['thing']))}\nORDER BY {order} DESC\nLIMIT {found['n']};"
    if found := _SQL_AGGREGATE.search(low):
        function, column, group = _SQL_FUNCTIONS[found["fn"]], found["col"], found["group"]
        select = f"{group}, " if group else ""
        grouping = f"\nGROUP BY {group}" if group else ""
        return (f"SELECT {select}{function}({column}) AS {function.lower()}_{column}\n"
                f"FROM {plural(singular(found['thing']))}{grouping};")
    if found := _SQL_JOIN.search(low):
        first, second = found["a"], found["b"]
        return f"SELECT *\nFROM {first}\nJOIN {second} ON {second}.{singular(first)}_id = {first}.id;"
    nouns = [w for w in re.findall(r"[a-z_]+", low) if w not in _NOT_NAMES and len(w) > 2]
    table = plural(singular(nouns[0])) if nouns else "items"
    return f"SELECT *\nFROM {table}\nORDER BY id\nLIMIT 100;"


def _web_source(language: str, low: str) -> str | None:
    if language == "html":
        if re.search(r"\blog ?in\b|\bsign ?in\b", low):
            return HTML_LOGIN_FORM
        if "form" in low or "table" in low:
            return (HTML_FORM if "form" in low else HTML_TABLE).replace("%%fn%%", "data-form" if "form" in low
                                                                               else "data-table")
    if language == "css":
        if re.search(r"\bcent(?:er|re)", low):
            return CSS_CENTER
        if "button" in low:
            return CSS_BUTTON
        if re.search(r"\b(?:grid|layout|columns|gallery|cards)\b", low):
            return CSS_GRID
    return None
