"""`python main.py cassettes ...`: list, check, key, prune, rekey, merge and convert cassettes."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TextIO

import orjson

from dummy_openai_api.proxy.core import keys, multipart
from dummy_openai_api.proxy.cassettes.formats import CassetteError, Interaction, read_cassette, write_cassette
from dummy_openai_api.proxy.cassettes.store import SUFFIXES, cassette_files
from dummy_openai_api.proxy.core.config import parse_settings
from dummy_openai_api.proxy.cassettes.scrub import secrets_in


def _rules(args: argparse.Namespace) -> keys.KeyRules:
    """The key rules exactly as the server would build them from the same flags."""
    return parse_settings(["--ignore-fields", args.ignore_fields, "--volatile", args.volatile,
                           "--path-map", args.path_map], environ={}).key_rules()


def list_cassettes(args: argparse.Namespace, out: TextIO) -> int:
    """Each cassette with its interaction count per endpoint."""
    total = 0
    for name, path in cassette_files(Path(args.cassettes)):
        try:
            interactions = read_cassette(path)
        except CassetteError as error:
            print(f"{name}: UNREADABLE: {error}", file=out)
            continue
        endpoints = Counter(f"{i.method} {keys.api_path(i.uri) or '(other host) ' + i.uri}" for i in interactions)
        total += len(interactions)
        print(f"{name}: {len(interactions)} interaction(s)", file=out)
        for endpoint, count in sorted(endpoints.items()):
            print(f"    {count:5d}  {endpoint}", file=out)
    print(f"{total} interaction(s) in {args.cassettes}", file=out)
    return 0


def check_cassettes(args: argparse.Namespace, out: TextIO) -> int:
    """Problems (exit 1): a missing directory, unreadable files, secrets. Warnings (exit 1 with --strict): no
    cassettes at all, and keys recorded more than once, which identical requests get in recorded order."""
    rules, found, places = _rules(args), Counter[str](), dict[str, list[tuple[str, int]]]()
    files = list(cassette_files(Path(args.cassettes)))
    if not Path(args.cassettes).is_dir():
        print(f"missing directory: {args.cassettes}", file=out)
        found["missing directory"] += 1
    elif not files:
        print(f"no cassettes: {args.cassettes} holds no {', '.join(SUFFIXES)} file", file=out)
        found["empty directory"] += 1
    for name, path in files:
        try:
            interactions = read_cassette(path)
        except CassetteError as error:
            print(f"unreadable: {error}", file=out)
            found["unreadable file"] += 1
            continue
        for index, interaction in enumerate(interactions):
            for finding in secrets_in(interaction):
                print(f"secret: {name} #{index}: {finding}", file=out)
                found["secret"] += 1
            keyed = keys.recorded_key(interaction, rules)
            if keyed.api:
                places.setdefault(keyed.key, []).append((name, index))
    for key, where in sorted(((k, w) for k, w in places.items() if len(w) > 1), key=lambda item: item[1]):
        print(f"repeated key: {key[:16]} recorded {len(where)} times ({_places(where)}): identical requests get "
              "them in this order", file=out)
        found["repeated key"] += 1
    problems = sum(n for kind, n in found.items() if kind in PROBLEMS)
    print(_check_summary(found, sum(map(len, places.values())), len(files), args.strict), file=out)
    return 1 if problems or (found and args.strict) else 0


def _places(where: list[tuple[str, int]]) -> str:
    """`a #0, #2; b #1`: each cassette named once."""
    by_name: dict[str, list[str]] = {}
    for name, index in where:
        by_name.setdefault(name, []).append(f"#{index}")
    return "; ".join(f"{name} {', '.join(indices)}" for name, indices in by_name.items())


PROBLEMS = ("missing directory", "unreadable file", "secret")  # the rest of what check finds are warnings


def _check_summary(found: Counter[str], interactions: int, files: int, strict: bool) -> str:
    """One line: OK, WARNING or FAILED, then what was found and what was checked."""
    checked = f"{interactions} interaction(s) in {files} cassette file(s)"
    if not found:
        return f"OK: {checked}; no secrets, no repeated keys"
    failed = strict or any(kind in PROBLEMS for kind in found)
    shown = ", ".join(f"{count} {kind}{'s' if count > 1 else ''}" for kind, count in sorted(found.items()))
    return f"{'FAILED' if failed else 'WARNING'}: {shown} ({checked})" + ("" if failed else "; --strict fails on it")


def show_key(args: argparse.Namespace, out: TextIO) -> int:
    """The key the server computes for a request body (read from a file, or - for stdin)."""
    body = sys.stdin.buffer.read() if args.body == "-" else Path(args.body).read_bytes()
    keyed = keys.request_key(args.method, args.path, args.path.partition("?")[2], body, args.content_type,
                             _rules(args))
    print(keyed.key, file=out)
    if not isinstance(keyed.canonical, bytes):
        print(orjson.dumps(keyed.canonical, option=orjson.OPT_SORT_KEYS).decode(), file=out)
    return 0


def prune(args: argparse.Namespace, out: TextIO) -> int:
    """Drop the interactions a run never served (from the server's --usage-file or /_mock/counters JSON)."""
    served: dict[str, list[int]] = json.loads(Path(args.usage).read_text())["served"]
    files = dict(cassette_files(Path(args.cassettes)))
    removed = 0
    for name, indices in served.items():
        if name not in files:
            continue
        interactions = read_cassette(files[name])
        kept = [i for n, i in enumerate(interactions) if n in set(indices)]
        removed += len(interactions) - len(kept)
        print(f"{name}: keeping {len(kept)} of {len(interactions)}", file=out)
        if args.dry_run or len(kept) == len(interactions):
            continue
        if kept:
            write_cassette(files[name], kept)
        else:
            files[name].unlink()
    print(f"{'would remove' if args.dry_run else 'removed'} {removed} interaction(s)", file=out)
    return 0


def rekey(args: argparse.Namespace, out: TextIO) -> int:
    """Keys under new ignore rules: which recordings now share a key; --write strips the ignored fields."""
    rules = _rules(args)
    for name, path in cassette_files(Path(args.cassettes)):
        interactions = read_cassette(path)
        keyed = Counter(k.key for k in (keys.recorded_key(i, rules) for i in interactions) if k.api)
        shared = sum(n for n in keyed.values() if n > 1)
        print(f"{name}: {len(interactions)} interaction(s), {len(keyed)} key(s), {shared} sharing a key", file=out)
        if args.write:
            write_cassette(path, [_canonical_request(i, rules) for i in interactions])
    return 0


def _canonical_request(interaction: Interaction, rules: keys.KeyRules) -> Interaction:
    canonical = keys.recorded_key(interaction, rules).canonical
    if isinstance(canonical, (bytes, multipart.Form)) or canonical is None:  # only JSON is rewritten
        return interaction
    return replace(interaction, request_body=json.dumps(canonical, separators=(",", ":")).encode())


def merge(args: argparse.Namespace, out: TextIO) -> int:
    """Several cassettes into one, in order, without exact duplicates."""
    merged: list[Interaction] = []
    for source in args.sources:
        merged += [i for i in read_cassette(source) if i not in merged]
    write_cassette(args.output, merged)
    print(f"{len(merged)} interaction(s) written to {args.output}", file=out)
    return 0


def convert(args: argparse.Namespace, out: TextIO) -> int:
    """Between vcrpy YAML (.yaml, .yml, .yaml.gz) and HAR (.har), by the files' extensions."""
    interactions = read_cassette(args.source)
    write_cassette(args.output, interactions)
    print(f"{len(interactions)} interaction(s) written to {args.output}", file=out)
    return 0


def build_parser(prog: str = "main.py cassettes") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__, allow_abbrev=False)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, function, help in (("list", list_cassettes, "cassettes and their interactions per endpoint"),
                                 ("check", check_cassettes, "missing directory, unreadable files, secrets, repeats"),
                                 ("key", show_key, "the request key of a body"),
                                 ("prune", prune, "drop interactions a run never served"),
                                 ("rekey", rekey, "keys under new ignore rules; --write strips ignored fields"),
                                 ("merge", merge, "several cassettes into one"),
                                 ("convert", convert, "vcrpy YAML <-> HAR, by extension")):
        command = commands.add_parser(name, help=help, description=help, allow_abbrev=False)
        command.set_defaults(run=function)
        command.add_argument("--cassettes", default="cassettes", help="cassette directory (default cassettes)")
        command.add_argument("--ignore-fields", default="", help="as the server's --ignore-fields")
        command.add_argument("--volatile", default="", help="as the server's --volatile")
        command.add_argument("--path-map", default="", help="as the server's --path-map")
        _arguments(name, command)
    return parser


def _arguments(name: str, command: argparse.ArgumentParser) -> None:
    """The arguments particular to one command."""
    if name == "key":
        command.add_argument("body", help="file holding the request body, or - for standard input")
        command.add_argument("--method", default="POST")
        command.add_argument("--path", default="/v1/chat/completions")
        command.add_argument("--content-type", help="the body's, as sent (multipart/form-data; boundary=...); "
                                                    "without it a multipart body is recognised by its first line")
    elif name == "prune":
        command.add_argument("--usage", required=True, help="JSON written by the server's --usage-file")
        command.add_argument("--dry-run", action="store_true", help="say what would go, change nothing")
    elif name == "check":
        command.add_argument("--strict", action="store_true",
                             help="exit 1 on warnings too (repeated keys, no cassettes)")
    elif name == "rekey":
        command.add_argument("--write", action="store_true", help="rewrite request bodies without ignored fields")
    elif name == "merge":
        command.add_argument("output", help="the cassette to write")
        command.add_argument("sources", nargs="+", help="cassette files to merge, in order")
    elif name == "convert":
        command.add_argument("source")
        command.add_argument("output")


def main(argv: list[str], out: TextIO = sys.stdout, prog: str = "main.py cassettes") -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        return args.run(args, out)
    except (OSError, ValueError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
