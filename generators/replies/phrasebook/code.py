"""Programming languages, code tasks and what is said around a code block."""

from .algorithms import ALGORITHMS
from .scripts import SCRIPTS

LANGUAGE_DISPLAY: dict[str, str] = {
    "python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "java": "Java", "go": "Go",
    "rust": "Rust", "c": "C", "cpp": "C++", "csharp": "C#", "ruby": "Ruby", "php": "PHP", "sql": "SQL",
    "bash": "Bash", "html": "HTML", "css": "CSS", "kotlin": "Kotlin", "swift": "Swift",
}
# (fence tag, regex) checked in this order: C++ and C# before C, TypeScript before JavaScript.
LANGUAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("cpp", r"c\+\+|\bcpp\b"),
    ("csharp", r"\bc#|\bc sharp\b|\bcsharp\b|\.net\b|\bdotnet\b"),
    ("typescript", r"\btypescript\b|\bts\b|\bangular\b"),
    ("javascript", r"\bjavascript\b|\bjs\b|\bnode(?:\.?js)?\b|\breact\b|\becmascript\b"),
    ("java", r"\bjava\b|\bspring boot\b"),
    ("go", r"\bgolang\b|\b(?:in|using|with|idiomatic) go\b|\bgo (?:function|program|code|snippet|struct|script"
           r"|method|module|implementation|version|func)\b"),
    ("rust", r"\brust\b"),
    ("kotlin", r"\bkotlin\b"),
    ("swift", r"\bswift\b|\bswiftui\b"),
    ("ruby", r"\bruby\b|\brails\b"),
    ("php", r"\bphp\b|\blaravel\b"),
    ("sql", r"\bsql\b|\bmysql\b|\bpostgres(?:ql)?\b|\bsqlite\b"),
    ("bash", r"\bbash\b|\bshell\b|\bzsh\b|\bsh\b|\bcommand[ -]line\b|\bterminal\b|\bcron\b"),
    ("html", r"\bhtml\b|\bweb ?page\b|\blanding page\b"),
    ("css", r"\bcss\b|\bstylesheet\b|\bflexbox\b"),
    ("c", r"\b(?:in|using|with|ansi|plain|a|an) c\b(?![+#])|\bc (?:function|program|code|snippet|struct"
          r"|implementation|language)\b"),
    ("python", r"\bpython\b|\bpy\b|\bdjango\b|\bflask\b|\bpandas\b|\bfastapi\b"),
)
# Words that make a language pattern worth running (the patterns themselves decide).
LANGUAGE_HINTS: dict[str, str] = {
    "cpp": "c++ cpp", "csharp": "c# csharp sharp net dotnet", "typescript": "typescript ts angular",
    "javascript": "javascript js node node.js nodejs react ecmascript", "java": "java spring", "go": "go golang",
    "rust": "rust", "kotlin": "kotlin", "swift": "swift swiftui", "ruby": "ruby rails", "php": "php laravel",
    "sql": "sql mysql postgres postgresql sqlite", "bash": "bash shell zsh sh command terminal cron",
    "html": "html web webpage landing", "css": "css stylesheet flexbox", "c": "c",
    "python": "python py django flask pandas fastapi",
}
# Identifier style per language: how "reverse string" becomes a function name.
NAMING: dict[str, str] = {
    "python": "snake", "ruby": "snake", "rust": "snake", "c": "snake", "cpp": "snake", "bash": "snake",
    "sql": "snake", "javascript": "camel", "typescript": "camel", "java": "camel", "go": "camel",
    "kotlin": "camel", "swift": "camel", "php": "camel", "csharp": "pascal", "html": "kebab", "css": "kebab",
}
# (task, regex on the lower-cased request) checked in order; the first that matches names the template.
CODE_TASKS: tuple[tuple[str, str], ...] = (
    ("hello", r"\bhello,? world\b|\bhello world\b"),
    ("palindrome", r"\bpalindrom"),
    ("reverse", r"\brevers"),
    ("fibonacci", r"\bfib(?:onacci)?\b"),
    ("factorial", r"\bfactorial"),
    ("prime", r"\bprimes?\b|\bprimality\b"),
    ("binary_search", r"\bbinary[ -]search\b|\bbisect"),
    ("count_words", r"\bcount\w* (?:the )?(?:number of )?(?:\w+ )?words\b|\bword[ -]?(?:count|frequenc)"),
    ("sort", r"\bsort(?:s|ing)?\b(?!.*\b(?:bubble|quick|merge|heap|insertion|selection)\b)"),
    ("sum", r"\bsum(?:s|ming)?\b|\badd (?:up )?(?:all )?(?:the )?numbers\b|\btotal of\b"),
    ("read_file", r"\bread\w*\b.{0,30}\bfile\b|\bfile\b.{0,20}\bread|\bopen\w* (?:a |the )?(?:text )?file"
                  r"|\bload\w* (?:a |the )?file"),
    ("http", r"\bhttp\b|\bfetch\w*\b|\bget request\b|\bapi (?:call|request)\b|\brest api\b|\bdownload\w* "
             r"(?:a |the )?(?:url|page)|\bweb request\b"),
    ("backup", r"\bback ?up\b|\bbackups?\b"),
)

# task -> {language: code}. A missing pair falls back to GENERIC_CODE named after the task.
CODE_TEMPLATES: dict[str, dict[str, str]] = {**ALGORITHMS, **SCRIPTS}

# Why each template does what it does (one sentence, language-neutral).
TASK_NOTES: dict[str, str] = {
    "reverse": "It builds a new string with the characters in reverse order and leaves the original unchanged.",
    "fibonacci": "It keeps just the last two numbers of the sequence, so it runs in linear time and constant "
                 "extra space per step.",
    "factorial": "It multiplies the numbers from 2 up to n; for large n, watch out for integer overflow in "
                 "fixed-size types.",
    "prime": "It only tests divisors up to the square root of n, which is enough to prove n is prime.",
    "sort": "It returns a sorted copy using the standard library's sort, which is fast and well tested.",
    "binary_search": "It halves the search range on every step, so it needs only O(log n) comparisons on a "
                     "sorted input.",
    "read_file": "It reads the whole file as text; for very large files, read it line by line instead.",
    "http": "It sends a GET request and fails loudly on errors, so problems don't go unnoticed.",
    "hello": "It's the classic first program: it prints a greeting and exits.",
    "sum": "It adds the numbers one by one and returns the total; an empty list gives 0.",
    "count_words": "It lower-cases the text, splits it on whitespace and counts each word.",
    "palindrome": "It ignores case and punctuation, then compares the cleaned text with its reverse.",
    "backup": "It writes a timestamped, compressed archive, so older backups are never overwritten.",
    "model": "The fields are a sensible starting point; rename or add fields to match your data.",
    "sql": "Adjust the table and column names to match your schema.",
    "html": "It's plain, accessible markup that you can style with your own CSS.",
    "css": "The rules are small and self-contained, so they are easy to adapt.",
}
CODE_LEADS: tuple[str, ...] = (
    "Here's {a_lang} {artifact} to {task}:",
    "Sure, this {lang} {artifact} shows how to {task}:",
    "Below is {a_lang} {artifact} that will {task}:",
    "Here is one way to {task} in {lang}:",
    "You can {task} in {lang} like this:",
)
CODE_TAILS: tuple[str, ...] = (
    "Let me know if you'd like tests for it.",
    "Want me to add error handling or comments?",
    "I can adapt it to your exact input format if you share an example.",
    "Happy to explain any line in more detail.",
    "Tell me if you need a version for another language.",
)
TASK_PHRASES: dict[str, str] = {
    "reverse": "reverse a string", "fibonacci": "generate the Fibonacci sequence", "factorial": "compute a factorial",
    "prime": "check whether a number is prime", "sort": "sort a list of numbers",
    "binary_search": "run a binary search on a sorted list", "read_file": "read a text file",
    "http": "make an HTTP request", "hello": "print \"Hello, world!\"", "sum": "add up a list of numbers",
    "count_words": "count the words in a text", "palindrome": "check whether a text is a palindrome",
    "backup": "back up a folder",
}
GENERIC_NOTE = "`{fn}` is a starting skeleton: replace the placeholder body with the logic you need."

# Skeletons for tasks without a template: %%fn%% is the name, %%doc%% a one-line description.
GENERIC_CODE: dict[str, str] = {
    "python": 'def %%fn%%(data):\n    """%%doc%%"""\n    result = data\n    # TODO: implement the logic for this task.\n'
              '    return result',
    "javascript": '/**\n * %%doc%%\n */\nfunction %%fn%%(data) {\n  const result = data;\n'
                  '  // TODO: implement the logic for this task.\n  return result;\n}',
    "typescript": '/**\n * %%doc%%\n */\nexport function %%fn%%<T>(data: T): T {\n  const result = data;\n'
                  '  // TODO: implement the logic for this task.\n  return result;\n}',
    "java": 'public class Solution {\n    /** %%doc%% */\n    public static String %%fn%%(String data) {\n'
            '        String result = data;\n        // TODO: implement the logic for this task.\n        return result;\n'
            '    }\n}',
    "go": '// %%fn%% does the following: %%doc%%\nfunc %%fn%%(data string) (string, error) {\n\tresult := data\n'
          '\t// TODO: implement the logic for this task.\n\treturn result, nil\n}',
    "rust": '/// %%doc%%\nfn %%fn%%(data: &str) -> String {\n    let result = data.to_string();\n'
            '    // TODO: implement the logic for this task.\n    result\n}',
    "c": '/* %%doc%% */\nint %%fn%%(const char *data) {\n    if (data == NULL) return -1;\n'
         '    /* TODO: implement the logic for this task. */\n    return 0;\n}',
    "cpp": '#include <string>\n\n// %%doc%%\nstd::string %%fn%%(const std::string& data) {\n    std::string result = data;\n'
           '    // TODO: implement the logic for this task.\n    return result;\n}',
    "csharp": '/// <summary>%%doc%%</summary>\npublic static string %%fn%%(string data)\n{\n    var result = data;\n'
              '    // TODO: implement the logic for this task.\n    return result;\n}',
    "ruby": '# %%doc%%\ndef %%fn%%(data)\n  result = data\n  # TODO: implement the logic for this task.\n  result\nend',
    "php": '<?php\n\n/**\n * %%doc%%\n */\nfunction %%fn%%(mixed $data): mixed\n{\n    $result = $data;\n'
           '    // TODO: implement the logic for this task.\n    return $result;\n}',
    "kotlin": '/** %%doc%% */\nfun %%fn%%(data: String): String {\n    val result = data\n'
              '    // TODO: implement the logic for this task.\n    return result\n}',
    "swift": '/// %%doc%%\nfunc %%fn%%(_ data: String) -> String {\n    let result = data\n'
             '    // TODO: implement the logic for this task.\n    return result\n}',
    "bash": '#!/usr/bin/env bash\nset -euo pipefail\n\n# %%doc%%\n%%fn%%() {\n    local input="$1"\n'
            '    # TODO: implement the logic for this task.\n    echo "$input"\n}\n\n%%fn%% "$@"',
    "sql": '-- %%doc%%\nSELECT *\nFROM %%table%%\nORDER BY id\nLIMIT 100;',
    "html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
            '  <meta name="viewport" content="width=device-width, initial-scale=1">\n  <title>%%title%%</title>\n'
            '</head>\n<body>\n  <main class="%%fn%%">\n    <h1>%%title%%</h1>\n    <p>%%doc%%</p>\n  </main>\n'
            '</body>\n</html>',
    "css": '/* %%doc%% */\n.%%fn%% {\n  display: flex;\n  align-items: center;\n  gap: 1rem;\n  padding: 1rem;\n'
           '  border-radius: 8px;\n}',
}
HTML_FORM = ('<form class="%%fn%%" action="/submit" method="post">\n  <label for="name">Name</label>\n'
             '  <input id="name" name="name" type="text" required>\n\n  <label for="email">Email</label>\n'
             '  <input id="email" name="email" type="email" required>\n\n  <label for="message">Message</label>\n'
             '  <textarea id="message" name="message" rows="4"></textarea>\n\n  <button type="submit">Send</button>\n'
             '</form>')
HTML_LOGIN_FORM = ('<form class="login-form" action="/login" method="post">\n  <label for="username">Username</label>\n'
                   '  <input id="username" name="username" type="text" autocomplete="username" required>\n\n'
                   '  <label for="password">Password</label>\n'
                   '  <input id="password" name="password" type="password" autocomplete="current-password" required>\n\n'
                   '  <button type="submit">Log in</button>\n</form>')
HTML_TABLE = ('<table class="%%fn%%">\n  <thead>\n    <tr>\n      <th>Name</th>\n      <th>Email</th>\n'
              '      <th>Role</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <td>Ada Lovelace</td>\n'
              '      <td>ada@example.com</td>\n      <td>Admin</td>\n    </tr>\n  </tbody>\n</table>')
CSS_CENTER = ('.container {\n  display: flex;\n  justify-content: center;\n  align-items: center;\n'
              '  min-height: 100vh;\n}')
CSS_BUTTON = ('.button {\n  padding: 0.6rem 1.2rem;\n  border: none;\n  border-radius: 6px;\n  background: #2563eb;\n'
              '  color: #fff;\n  font-weight: 600;\n  cursor: pointer;\n}\n\n.button:hover {\n  background: #1d4ed8;\n}')
CSS_GRID = ('.grid {\n  display: grid;\n  grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));\n'
            '  gap: 1rem;\n}')

# Data types ("TypeScript interface for a user"): entity -> (field, abstract type) pairs.
ENTITY_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "user": (("id", "int"), ("name", "str"), ("email", "str"), ("created at", "date")),
    "customer": (("id", "int"), ("name", "str"), ("email", "str"), ("phone", "str")),
    "employee": (("id", "int"), ("name", "str"), ("title", "str"), ("salary", "float")),
    "product": (("id", "int"), ("name", "str"), ("price", "float"), ("in stock", "bool")),
    "order": (("id", "int"), ("customer id", "int"), ("total", "float"), ("status", "str")),
    "book": (("id", "int"), ("title", "str"), ("author", "str"), ("published year", "int")),
    "car": (("id", "int"), ("make", "str"), ("model", "str"), ("year", "int")),
    "account": (("id", "int"), ("owner", "str"), ("balance", "float"), ("is active", "bool")),
    "post": (("id", "int"), ("title", "str"), ("body", "str"), ("author id", "int")),
    "task": (("id", "int"), ("title", "str"), ("done", "bool"), ("due date", "date")),
    "todo": (("id", "int"), ("title", "str"), ("done", "bool"), ("due date", "date")),
    "student": (("id", "int"), ("name", "str"), ("grade", "int"), ("email", "str")),
    "address": (("street", "str"), ("city", "str"), ("postal code", "str"), ("country", "str")),
}
DEFAULT_FIELDS: tuple[tuple[str, str], ...] = (("id", "int"), ("name", "str"), ("created at", "date"))
# language -> (type map for int/str/float/bool/date, header, field line, separator, footer)
TYPE_LAYOUTS: dict[str, tuple[dict[str, str], str, str, str, str]] = {
    "python": ({"int": "int", "str": "str", "float": "float", "bool": "bool", "date": "datetime"},
               "from dataclasses import dataclass\nfrom datetime import datetime\n\n\n@dataclass\nclass %%Name%%:\n",
               "    %%snake%%: %%type%%", "\n", ""),
    "typescript": ({"int": "number", "str": "string", "float": "number", "bool": "boolean", "date": "Date"},
                   "export interface %%Name%% {\n", "  %%camel%%: %%type%%;", "\n", "\n}"),
    "javascript": ({"int": "number", "str": "string", "float": "number", "bool": "boolean", "date": "Date"},
                   "/**\n * @typedef {Object} %%Name%%\n", " * @property {%%type%%} %%camel%%", "\n", "\n */"),
    "java": ({"int": "long", "str": "String", "float": "double", "bool": "boolean", "date": "java.time.Instant"},
             "public record %%Name%%(\n", "        %%type%% %%camel%%", ",\n", "\n) {}"),
    "go": ({"int": "int64", "str": "string", "float": "float64", "bool": "bool", "date": "time.Time"},
           "type %%Name%% struct {\n", "\t%%Pascal%% %%type%% `json:\"%%snake%%\"`", "\n", "\n}"),
    "rust": ({"int": "i64", "str": "String", "float": "f64", "bool": "bool", "date": "String"},
             "#[derive(Debug, Clone, PartialEq)]\npub struct %%Name%% {\n", "    pub %%snake%%: %%type%%,", "\n", "\n}"),
    "c": ({"int": "long", "str": "char *", "float": "double", "bool": "bool", "date": "time_t"},
          "#include <stdbool.h>\n#include <time.h>\n\ntypedef struct {\n", "    %%type%% %%snake%%;", "\n", "\n} %%Name%%;"),
    "cpp": ({"int": "long", "str": "std::string", "float": "double", "bool": "bool", "date": "std::string"},
            "#include <string>\n\nstruct %%Name%% {\n", "    %%type%% %%snake%%;", "\n", "\n};"),
    "csharp": ({"int": "int", "str": "string", "float": "decimal", "bool": "bool", "date": "DateTime"},
               "public class %%Name%%\n{\n", "    public %%type%% %%Pascal%% { get; set; }", "\n", "\n}"),
    "kotlin": ({"int": "Long", "str": "String", "float": "Double", "bool": "Boolean", "date": "java.time.Instant"},
               "data class %%Name%%(\n", "    val %%camel%%: %%type%%", ",\n", ",\n)"),
    "swift": ({"int": "Int", "str": "String", "float": "Double", "bool": "Bool", "date": "Date"},
              "struct %%Name%%: Codable {\n", "    let %%camel%%: %%type%%", "\n", "\n}"),
    "ruby": ({"int": "", "str": "", "float": "", "bool": "", "date": ""},
             "%%Name%% = Struct.new(\n", "  :%%snake%%", ",\n", ",\n  keyword_init: true\n)"),
    "php": ({"int": "int", "str": "string", "float": "float", "bool": "bool", "date": "\\DateTimeImmutable"},
            "<?php\n\nfinal class %%Name%%\n{\n    public function __construct(\n",
            "        public %%type%% $%%camel%%", ",\n", ",\n    ) {\n    }\n}"),
    "sql": ({"int": "INTEGER", "str": "VARCHAR(255)", "float": "NUMERIC(12, 2)", "bool": "BOOLEAN",
             "date": "TIMESTAMP"},
            "CREATE TABLE %%table%% (\n", "    %%snake%% %%type%%", ",\n", "\n);"),
}
