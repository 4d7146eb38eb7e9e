"""Plausible placeholder values for a JSON property, chosen by its format, name and description.

`name_words("shippingAddress_city")` -> ["shipping", "address", "city"]; the rules below look at the last
word first ("city"), then the whole name, then the description, so `billing_email`, `contactEmail` and a
string described as "the customer's e-mail" all get an email address. Every choice comes from `pick(n)`,
a deterministic number in range(n), so the same seed always gives the same value.
"""
from __future__ import annotations

import functools
import re
import uuid
from typing import Callable

Pick = Callable[[int], int]

FIRST_NAMES = ("Alice", "James", "Maria", "David", "Sofia", "Daniel", "Emma", "Lucas", "Olivia", "Noah")
LAST_NAMES = ("Johnson", "Smith", "Garcia", "Müller", "Rossi", "Martin", "Nguyen", "Brown", "Silva", "Kim")
CITIES = ("Paris", "London", "Berlin", "Tokyo", "New York", "Madrid", "Toronto", "Sydney", "Amsterdam", "Lisbon")
COUNTRIES = ("France", "United Kingdom", "Germany", "Japan", "United States", "Spain", "Canada", "Australia")
# Well-known places: a capitalised word among these is a place, not a person ("Bob, 28, Toronto").
KNOWN_PLACES = frozenset(CITIES + COUNTRIES + (
    "Rome", "Chicago", "San Francisco", "Los Angeles", "Seattle", "Boston", "Dubai", "Singapore", "Mumbai",
    "Delhi", "Beijing", "Shanghai", "Seoul", "Moscow", "Istanbul", "Cairo", "Rio de Janeiro", "São Paulo",
    "Mexico City", "Vienna", "Prague", "Dublin", "Edinburgh", "Zurich", "Munich", "Barcelona", "Milan", "Oslo",
    "Stockholm", "Copenhagen", "Helsinki", "Warsaw", "Athens", "Bangkok", "Hong Kong", "Vancouver", "Montreal",
    "Melbourne", "Auckland", "Cape Town", "Nairobi", "Lagos", "Buenos Aires", "Lima", "Bogotá", "Brussels",
    "Geneva", "Osaka", "Kyoto", "Miami", "Denver", "Austin", "Atlanta", "Manchester", "Glasgow", "Lyon",
    "Marseille", "Hamburg", "Frankfurt", "Italy", "China", "India", "Brazil", "Mexico", "Russia", "Egypt",
    "Portugal", "Netherlands", "Sweden", "Norway", "Ireland", "Switzerland", "Austria", "Greece", "Korea"))
TIMEZONES = {"Paris": "Europe/Paris", "London": "Europe/London", "Berlin": "Europe/Berlin", "Tokyo": "Asia/Tokyo",
             "New York": "America/New_York", "New York City": "America/New_York", "Madrid": "Europe/Madrid",
             "Toronto": "America/Toronto", "Sydney": "Australia/Sydney", "Amsterdam": "Europe/Amsterdam",
             "Lisbon": "Europe/Lisbon", "Rome": "Europe/Rome", "Chicago": "America/Chicago",
             "San Francisco": "America/Los_Angeles", "Los Angeles": "America/Los_Angeles", "Seattle":
             "America/Los_Angeles", "Boston": "America/New_York", "Dubai": "Asia/Dubai", "Singapore": "Asia/Singapore",
             "Mumbai": "Asia/Kolkata", "Delhi": "Asia/Kolkata", "Beijing": "Asia/Shanghai", "Shanghai": "Asia/Shanghai",
             "Seoul": "Asia/Seoul", "Moscow": "Europe/Moscow", "Istanbul": "Europe/Istanbul", "Cairo": "Africa/Cairo",
             "São Paulo": "America/Sao_Paulo", "Mexico City": "America/Mexico_City", "Vienna": "Europe/Vienna",
             "Dublin": "Europe/Dublin", "Edinburgh": "Europe/London", "Zurich": "Europe/Zurich",
             "Stockholm": "Europe/Stockholm", "Hong Kong": "Asia/Hong_Kong", "Bangkok": "Asia/Bangkok"}
COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella Labs", "Northwind Traders", "Contoso")
STREETS = ("12 Rue de Rivoli", "221B Baker Street", "5 Unter den Linden", "350 Fifth Avenue", "1 Main Street")
COLORS = ("blue", "green", "red", "black", "white", "orange")
PRODUCTS = ("Wireless Headphones", "Espresso Machine", "Running Shoes", "Desk Lamp", "Backpack")
TITLES = ("Quarterly Report", "Getting Started", "Release Notes", "Weekly Summary", "Project Plan")
WORDS = ("alpha", "bravo", "delta", "harbor", "meadow", "summit", "cobalt", "lumen", "orbit", "willow")

_FORMATS: dict[str, Callable[[Pick], str]] = {
    "date": lambda p: f"2024-{1 + p(12):02d}-{1 + p(28):02d}",
    "date-time": lambda p: f"2024-{1 + p(12):02d}-{1 + p(28):02d}T{8 + p(10):02d}:{p(4) * 15:02d}:00Z",
    "time": lambda p: f"{8 + p(10):02d}:{p(4) * 15:02d}:00Z",
    "duration": lambda p: ("PT30M", "PT1H30M", "P1D", "PT45S", "P2W")[p(5)],
    "email": lambda p: f"{FIRST_NAMES[p(10)].lower()}.{_ascii(LAST_NAMES[p(10)]).lower()}@example.com",
    "idn-email": lambda p: f"{FIRST_NAMES[p(10)].lower()}@example.com",
    "hostname": lambda p: ("api.example.com", "www.example.org", "mail.example.net")[p(3)],
    "idn-hostname": lambda p: ("api.example.com", "www.example.org")[p(2)],
    "ipv4": lambda p: f"192.168.{p(10)}.{10 + p(200)}",
    "ipv6": lambda p: f"2001:db8::{1 + p(255):x}",
    "uri": lambda p: f"https://example.com/{WORDS[p(10)]}/{100 + p(900)}",
    "url": lambda p: f"https://example.com/{WORDS[p(10)]}",
    "iri": lambda p: f"https://example.com/{WORDS[p(10)]}",
    "uri-reference": lambda p: f"/docs/{WORDS[p(10)]}",
    "iri-reference": lambda p: f"/docs/{WORDS[p(10)]}",
    "uri-template": lambda p: "https://example.com/items/{id}",
    "uuid": lambda p: str(uuid.UUID(int=_bits(p, 128), version=4)),
    "json-pointer": lambda p: f"/{WORDS[p(10)]}/0",
    "relative-json-pointer": lambda p: "0/name",
    "regex": lambda p: "^[a-z]+$",
}


def _bits(pick: Pick, count: int) -> int:
    value = 0
    for _ in range(count // 16):
        value = (value << 16) | pick(1 << 16)
    return value


def _ascii(text: str) -> str:
    return text.replace("ü", "u").replace("é", "e")


def name_words(name: str) -> list[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w]


def format_value(fmt: str | None, pick: Pick) -> str | None:
    maker = _FORMATS.get(fmt or "")
    return maker(pick) if maker else None


def _person(pick: Pick) -> str:
    return f"{FIRST_NAMES[pick(10)]} {LAST_NAMES[pick(10)]}"


# (words that name the property, value maker); the first rule whose word is the property's last word wins,
# then the first whose word appears anywhere in the name, then in the description.
_STRING_RULES: tuple[tuple[frozenset[str], Callable[[Pick], str]], ...] = (
    (frozenset({"email", "mail", "e-mail"}), _FORMATS["email"]),
    (frozenset({"url", "uri", "link", "website", "homepage", "href"}), _FORMATS["uri"]),
    (frozenset({"uuid", "guid"}), _FORMATS["uuid"]),
    (frozenset({"datetime", "timestamp"}), _FORMATS["date-time"]),
    (frozenset({"date", "birthday", "dob", "deadline", "day"}), _FORMATS["date"]),
    (frozenset({"time"}), _FORMATS["time"]),
    (frozenset({"phone", "telephone", "mobile"}), lambda p: f"+1-555-{100 + p(900):03d}-{1000 + p(9000):04d}"),
    (frozenset({"firstname", "first", "given", "forename"}), lambda p: FIRST_NAMES[p(10)]),
    (frozenset({"lastname", "last", "surname", "family"}), lambda p: LAST_NAMES[p(10)]),
    (frozenset({"username", "login", "handle"}), lambda p: f"{FIRST_NAMES[p(10)].lower()}{10 + p(90)}"),
    (frozenset({"author", "person", "customer", "user", "recipient", "sender", "owner", "contact", "assignee",
                "fullname", "employee", "attendee", "guest", "patient", "student"}), _person),
    (frozenset({"city", "town", "location", "place", "destination", "origin", "locality", "capital"}),
     lambda p: CITIES[p(10)]),
    (frozenset({"country", "nation"}), lambda p: COUNTRIES[p(8)]),
    (frozenset({"state", "province", "region"}), lambda p: ("California", "Ontario", "Bavaria", "Texas")[p(4)]),
    (frozenset({"address", "street"}), lambda p: STREETS[p(5)]),
    (frozenset({"zip", "zipcode", "postcode", "postal"}), lambda p: f"{10000 + p(89999)}"),
    (frozenset({"company", "organization", "organisation", "employer", "vendor", "brand"}),
     lambda p: COMPANIES[p(6)]),
    (frozenset({"timezone", "tz", "zone"}), lambda p: ("Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC")[p(4)]),
    (frozenset({"currency"}), lambda p: ("USD", "EUR", "GBP", "JPY")[p(4)]),
    (frozenset({"language", "lang", "locale"}), lambda p: ("en", "fr", "de", "es")[p(4)]),
    (frozenset({"color", "colour"}), lambda p: COLORS[p(6)]),
    (frozenset({"product", "item"}), lambda p: PRODUCTS[p(5)]),
    (frozenset({"title", "headline", "subject", "heading"}), lambda p: TITLES[p(5)]),
    (frozenset({"ticker", "symbol"}), lambda p: ("AAPL", "MSFT", "GOOGL", "AMZN")[p(4)]),
    (frozenset({"sku", "code", "reference", "ref"}), lambda p: f"{WORDS[p(10)][:3].upper()}-{1000 + p(9000)}"),
    (frozenset({"id", "identifier", "key"}), lambda p: f"{WORDS[p(10)][:3]}_{_bits(p, 32):08x}"),
    (frozenset({"status", "state"}), lambda p: ("active", "pending", "completed")[p(3)]),
    (frozenset({"category", "type", "kind", "genre"}), lambda p: ("general", "electronics", "books")[p(3)]),
    (frozenset({"tag", "tags", "keyword", "keywords", "label"}), lambda p: WORDS[p(10)]),
    (frozenset({"unit", "units"}), lambda p: ("celsius", "metric")[p(2)]),
    (frozenset({"name"}), _person),
    (frozenset({"file", "filename", "path", "filepath", "attachment"}),
     lambda p: ("report.pdf", "notes.txt", "data.csv", "photo.jpg")[p(4)]),
    (frozenset({"password", "secret", "token"}), lambda p: f"{WORDS[p(10)]}-{1000 + p(9000)}"),
    (frozenset({"query", "q", "search", "keyword", "term", "prompt", "question"}), lambda p: WORDS[p(10)]),
)
_PROSE = frozenset("summary description explanation reason reasoning answer response reply text content message "
                   "comment note notes body details detail feedback analysis output result bio review "
                   "instructions justification rationale".split())


_PROSE_TEMPLATES = ("A short {} goes here.", "This is the {}.", "Here is a brief {}.", "The {} in a sentence.",
                    "An example {}.", "A one-line {} for this item.")


def is_prose(name: str) -> bool:
    """Properties whose value is a sentence or more ("summary", "final_answer", "reasoning")."""
    words = name_words(name)
    return bool(words) and words[-1] in _PROSE


def string_for(name: str, description: str, pick: Pick) -> str:
    maker = _string_rule(name, description)
    if maker is not None:
        return maker(pick)
    words = name_words(name)
    if is_prose(name):
        return _PROSE_TEMPLATES[pick(len(_PROSE_TEMPLATES))].format(" ".join(words) or "text")
    return f"{WORDS[pick(10)]} {' '.join(words[-2:]) or 'value'}".strip()


@functools.lru_cache(maxsize=1024)
def _string_rule(name: str, description: str) -> Callable[[Pick], str] | None:
    """The maker for a property's strings; the same few names come thousands of times in a large array."""
    words = name_words(name)
    joined = "".join(words)
    described = set(name_words(description))
    # "product_name" is a product and "first_name" a first name: the word before a trailing "name" comes first.
    head = [words[-2]] if len(words) > 1 and words[-1] == "name" else []
    for candidates in (head, words[-1:], [joined], words, described):
        for keys, maker in _STRING_RULES:
            if any(word in keys for word in candidates):
                return maker
    return None


# (name words, integer value range, decimal value range): plausible magnitudes by what is being counted.
_NUMBER_RULES: tuple[tuple[frozenset[str], tuple[int, int], tuple[float, float]], ...] = (
    (frozenset({"age"}), (18, 70), (18, 70)),
    (frozenset({"population", "inhabitants"}), (50_000, 9_000_000), (50_000.0, 9_000_000.0)),
    (frozenset({"year"}), (2015, 2025), (2015, 2025)),
    (frozenset({"month"}), (1, 12), (1, 12)),
    (frozenset({"day"}), (1, 28), (1, 28)),
    (frozenset({"hour", "hours"}), (0, 23), (0, 23)),
    (frozenset({"minute", "minutes", "seconds", "second"}), (0, 59), (0, 59)),
    (frozenset({"lat", "latitude"}), (-60, 60), (-60.0, 60.0)),
    (frozenset({"lon", "lng", "long", "longitude"}), (-150, 150), (-150.0, 150.0)),
    (frozenset({"temperature", "temp"}), (5, 30), (5.0, 30.0)),
    (frozenset({"price", "cost", "amount", "total", "salary", "budget", "balance", "fee"}), (5, 500), (4.99, 249.99)),
    (frozenset({"rating", "stars"}), (1, 5), (1.0, 5.0)),
    (frozenset({"score", "percent", "percentage", "progress", "probability", "confidence"}), (0, 100), (0.5, 0.99)),
    (frozenset({"quantity", "count", "number", "num", "qty", "size", "limit", "items", "steps"}), (1, 10), (1, 10)),
    (frozenset({"page", "index", "position", "rank"}), (1, 20), (1, 20)),
    (frozenset({"weight", "height", "width", "length", "distance", "duration"}), (10, 200), (1.5, 180.0)),
)


def number_for(name: str, integer: bool, pick: Pick) -> float:
    words = set(name_words(name))
    for keys, ints, decimals in _NUMBER_RULES:
        if words & keys:
            low, high = ints if integer else decimals
            break
    else:
        low, high = (1, 100) if integer else (1.0, 100.0)
    if integer:
        return int(low) + pick(int(high) - int(low) + 1)
    return round(low + (high - low) * pick(10_000) / 10_000, 2)


_TRUE_WORDS = frozenset("is has enabled active available valid success ok visible verified required".split())


def boolean_for(name: str, pick: Pick) -> bool:
    words = name_words(name)
    return True if words and words[0] in _TRUE_WORDS else bool(pick(2))
