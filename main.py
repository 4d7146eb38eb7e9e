"""Dummy OpenAI API: `python main.py` serves the OpenAI API locally (synthetic answers, port 8000, key sk-dummy).

The code lives in the installed package `dummy_openai_api` (`pip install -e .`); this file only starts it.
"""
import sys

try:
    from dummy_openai_api.proxy.launch.cli import main
except ModuleNotFoundError as error:
    if error.name and error.name.startswith("dummy_openai_api"):
        sys.exit("main.py: the package is not installed here; run `pip install -e .` first")
    raise

if __name__ == "__main__":
    sys.exit(main())
