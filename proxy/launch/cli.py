"""Dummy OpenAI API: `python main.py` serves the OpenAI API locally (synthetic answers, port 8000, key sk-dummy)."""
from __future__ import annotations

import asyncio
import importlib
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tornado.ioloop import IOLoop

from dummy_openai_api.proxy.launch import startup
from dummy_openai_api.proxy.launch.state import check_state, shared_state
from dummy_openai_api.proxy.cassettes.persister import merge_usage_file
from dummy_openai_api.proxy.core.config import EventLoop, Settings, SettingsError, parse_settings, startup_warnings

if TYPE_CHECKING:
    from dummy_openai_api.proxy.cassettes.store import CassetteStore

# `python main.py <command> ...` runs a tool instead of the server: the module's main(argv, prog).
COMMANDS = {"cassettes": "dummy_openai_api.proxy.cassettes.commands", "tiktoken-cache": "dummy_openai_api.proxy.launch.tiktoken_cache"}
CONSOLE_SCRIPT = "dummy-openai-api"  # setup.py's console_scripts entry


def serve(argv: list[str], prog: str = "main.py") -> int:
    try:
        settings = parse_settings(argv, prog=prog)
        startup.check_files(settings)
    except SettingsError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for warning in startup_warnings(settings):
        logging.getLogger("dummy_openai").warning("warning: %s", warning)
    from dummy_openai_api.proxy.server.app import make_store  # after the settings are known good: --help stays instant
    from dummy_openai_api.proxy.server.connections import raise_open_files_limit
    raise_open_files_limit()  # every client connection takes a descriptor; workers inherit the limit
    from dummy_openai_api.proxy.launch.workers import free_port, run_workers, worker_count
    store = make_store(settings)  # once, before any worker starts: they share it
    try:
        startup.check_cassettes(settings, store)
    except SettingsError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    if settings.usage_file:
        Path(settings.usage_file).unlink(missing_ok=True)  # this run's usage: workers add to it as they stop
    workers = worker_count(settings.workers)
    with shared_state(settings, workers) as settings:
        try:
            check_state(settings.state)
        except SettingsError as error:
            print(f"{prog}: {error}", file=sys.stderr)
            return 2
        if workers == 1:
            return serve_worker(settings, store, settings.port, prog=prog)
        port = settings.port or free_port(settings.host)
        logging.getLogger("dummy_openai").info("starting %d workers on port %d", workers, port)
        return run_workers(workers, lambda index: serve_worker(settings, store, port, reuse_port=True, prog=prog))


def serve_worker(settings: Settings, store: CassetteStore, port: int, reuse_port: bool = False,
                 prog: str = "main.py") -> int:
    """One process serving until SIGTERM or Ctrl-C; then the counters and the usage file."""
    try:
        loop_name = install_event_loop(settings.event_loop)
    except SettingsError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    from dummy_openai_api.proxy.server.app import listen, make_app
    app = make_app(settings, store)
    try:
        _, port = listen(app, settings.host, port, reuse_port)
    except OSError as error:
        print(f"{prog}: cannot listen on {settings.host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    loop = IOLoop.current()
    signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
    log = logging.getLogger("dummy_openai")
    for line in startup.summary(settings, store, port, loop_name):
        log.info("%s", line)
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    app.close()
    for line in startup.exit_report(app.services.pipeline.mode, app.services.store.summary()):
        log.info("%s", line)
    if settings.usage_file:
        merge_usage_file(Path(settings.usage_file), app.services.store.usage())
    return 0


def install_event_loop(choice: EventLoop) -> str:
    """uvloop runs Tornado 7-12% faster per answer (measured); asyncio's loop is the fallback."""
    if choice is EventLoop.ASYNCIO:
        return "asyncio"
    try:
        import uvloop
    except ImportError:
        if choice is EventLoop.UVLOOP:
            raise SettingsError("invalid --event-loop='uvloop': uvloop is not installed") from None
        return "asyncio"
    asyncio.set_event_loop(uvloop.new_event_loop())
    return "uvloop"


def program_name() -> str:
    """`dummy-openai-api` when run as the installed command, `main.py` otherwise (a file, `python -c`, tests)."""
    return CONSOLE_SCRIPT if Path(sys.argv[0]).stem == CONSOLE_SCRIPT else "main.py"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    prog = program_name()
    if argv and argv[0] in COMMANDS:
        return importlib.import_module(COMMANDS[argv[0]]).main(argv[1:], prog=f"{prog} {argv[0]}")
    return serve(argv, prog)


if __name__ == "__main__":
    sys.exit(main())
