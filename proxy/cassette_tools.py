"""`python main.py cassettes ...`: list, check and key cassettes from the command line."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import orjson

from proxy import keys
from proxy.cassette_format import CassetteError, read_cassette
from proxy.cassettes import cassette_files
from proxy.config import parse_settings
from proxy.scrub import secrets_in


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
    """Unreadable files and secrets are problems (exit 1); repeated keys are reported as information."""
    rules, problems, seen = _rules(args), 0, Counter[str]()
    for name, path in cassette_files(Path(args.cassettes)):
        try:
            interactions = read_cassette(path)
        except CassetteError as error:
            print(f"unreadable: {error}", file=out)
            problems += 1
            continue
        for index, interaction in enumerate(interactions):
            for finding in secrets_in(interaction):
                print(f"secret: {name} #{index}: {finding}", file=out)
                problems += 1
            api = keys.api_path(interaction.uri, rules.path_map)
            if api is not None:
                canonical = keys.canonical_body(interaction.request_body, rules)
                seen[keys.request_key(interaction.method, api, interaction.uri.partition("?")[2], canonical,
                                      rules)] += 1
    repeated = {k: n for k, n in seen.items() if n > 1}
    for key, count in sorted(repeated.items()):
        print(f"repeated key: {key[:16]} recorded {count} times (served in recorded order)", file=out)
    print(f"{'OK' if not problems else f'{problems} problem(s)'}: {sum(seen.values())} interaction(s), "
          f"{len(repeated)} repeated key(s)", file=out)
    return 1 if problems else 0


def show_key(args: argparse.Namespace, out: TextIO) -> int:
    """The key the server computes for a request body (read from a file, or - for stdin)."""
    body = sys.stdin.buffer.read() if args.body == "-" else Path(args.body).read_bytes()
    rules = _rules(args)
    path = keys.api_path(args.path, rules.path_map) or args.path
    canonical = keys.canonical_body(body, rules)
    print(keys.request_key(args.method, path, args.path.partition("?")[2], canonical, rules), file=out)
    if not isinstance(canonical, bytes):
        print(orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS).decode(), file=out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py cassettes", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, function, help in (("list", list_cassettes, "cassettes and their interactions per endpoint"),
                                 ("check", check_cassettes, "unreadable files, secrets, repeated keys"),
                                 ("key", show_key, "the request key of a body")):
        command = commands.add_parser(name, help=help)
        command.set_defaults(run=function)
        command.add_argument("--cassettes", default="cassettes", help="cassette directory (default cassettes)")
        command.add_argument("--ignore-fields", default="", help="as the server's --ignore-fields")
        command.add_argument("--volatile", default="", help="as the server's --volatile")
        command.add_argument("--path-map", default="", help="as the server's --path-map")
        if name == "key":
            command.add_argument("body", help="file holding the request body, or - for standard input")
            command.add_argument("--method", default="POST")
            command.add_argument("--path", default="/v1/chat/completions")
    return parser


def main(argv: list[str], out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, out)
    except (OSError, ValueError) as error:
        print(f"main.py cassettes: {error}", file=sys.stderr)
        return 2
