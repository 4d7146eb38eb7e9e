"""Definitions, wh-questions, yes/no verdicts, capitals and comparisons."""

# Leads that restate the subject: "{Topic} {is} ..." (used when the glossary has no entry).
DEFINITION_LEADS: tuple[str, ...] = (
    "{Topic} {is} a big subject, so it helps to start with the essentials.",
    "{Topic} {is} best understood by starting with the basics and building up from there.",
    "{Topic} {is} one of those subjects that is simple at its core but has a lot of depth once you dig in.",
    "In short, {topic} {is} worth understanding step by step: the core ideas first, then the details.",
    "{Topic} {is} a topic that comes up often, and the core idea is easier than it first looks.",
)
QUESTION_MIDDLES: tuple[str, ...] = (
    "The part worth remembering is how {kw} fits into the bigger picture.",
    "A concrete example usually makes {kw} much easier to follow.",
    "Sources describe {kw} in slightly different ways, but they agree on the essentials.",
    "Most explanations of {kw} start from the same foundation and then add detail.",
    "Once the role of {kw} is clear, the rest usually follows naturally.",
)
QUESTION_TAILS: tuple[str, ...] = (
    "Would you like a concrete example?",
    "I can go into more detail if you tell me what you need it for.",
    "Let me know if you'd like a deeper dive into any part of it.",
    "Happy to expand on this with an example.",
    "Ask away if something is still unclear.",
)
WH_LEADS: dict[str, tuple[str, ...]] = {
    "why": (
        "The short answer is that {clause} mostly because of how {kw} works in practice.",
        "{Clause} largely because of the way {kw} is set up.",
        "There are a few reasons {clause}, and most of them come down to {kw}.",
        "It comes down to {kw}: {clause} because of a handful of underlying factors.",
    ),
    "who": (
        "Most sources credit the key figures closely tied to {kw}, though the details vary by account.",
        "The answer usually centres on the people who shaped {kw} early on.",
        "When it comes to {kw}, the names that come up most are the ones standard references mention first.",
    ),
    "when": (
        "The timing of {kw} depends on which milestone you count, but most sources agree on one key turning "
        "point.",
        "Most references date {kw} to a specific period, with one moment standing out.",
        "For {kw}, the usual answer is the point when it first became widely known.",
    ),
    "where": (
        "{Kw} is usually associated with one particular place, and most references agree on it.",
        "The answer depends a little on the region, but for {kw} most sources point to the same place.",
        "You'll find the answer for {kw} in the place most closely connected with its history.",
    ),
    "what": (
        "When it comes to {kw}, the short answer depends on the context you have in mind.",
        "The answer for {kw} comes down to a few key factors.",
        "For {kw}, the key is to start with the basics and then look at the details.",
    ),
    "how": (
        "{Topic} works by breaking the job into a few steps, each handled by a dedicated part of {kw}.",
        "At a high level, {topic} comes down to a simple loop: take an input, process it with {kw}, and "
        "produce a result.",
        "The mechanism behind {topic} is easier than it sounds once you see how {kw} fits in.",
    ),
    "which": (
        "The best choice for {kw} depends on your priorities; start from what matters most to you.",
        "For {kw}, pick the option that fits your constraints best.",
        "Among the options for {kw}, the usual recommendation depends on budget, scale and experience.",
    ),
}
HOW_MANY_LEADS: tuple[str, ...] = (
    "The exact number for {kw} depends on how you count, but it is usually a small, well-defined figure.",
    "For {kw}, the count varies with the definition used, so it's worth checking which one applies.",
    "There isn't a single number for {kw} in every case; it depends on what exactly you count.",
)

GLOSSARY: dict[str, str] = {
    "recursion": "a technique where a function solves a problem by calling itself on smaller versions of the "
                 "same problem until it reaches a simple base case",
    "python": "a high-level, general-purpose programming language known for its readable syntax and large "
              "standard library",
    "javascript": "the programming language of the web, running in browsers and, through Node.js, on servers",
    "typescript": "a typed superset of JavaScript that adds static types and compiles to plain JavaScript",
    "rust": "a systems programming language focused on speed, memory safety and fearless concurrency",
    "an api": "a defined set of rules that lets one piece of software request data or actions from another",
    "api": "an application programming interface: a defined way for programs to talk to each other",
    "a rest api": "an HTTP-based interface that exposes resources at URLs and uses methods like GET and POST",
    "rest": "an architectural style for web APIs built around resources, URLs and standard HTTP methods",
    "http": "the request-response protocol that web browsers and servers use to exchange data",
    "dns": "the Domain Name System, which translates human-friendly names like example.com into IP addresses",
    "tcp": "a transport protocol that gives applications a reliable, ordered stream of bytes over a network",
    "json": "a lightweight text format for structured data built from objects, arrays, strings and numbers",
    "yaml": "a human-friendly data serialization format often used for configuration files",
    "docker": "a tool that packages an application and its dependencies into portable containers",
    "kubernetes": "an open-source system for deploying, scaling and managing containerized applications",
    "git": "a distributed version control system that tracks changes to files over time",
    "sql": "the standard language for querying and managing data in relational databases",
    "a database": "an organized collection of data that can be stored, queried and updated efficiently",
    "machine learning": "a branch of artificial intelligence where systems learn patterns from data instead "
                        "of following hand-written rules",
    "artificial intelligence": "the field of building computer systems that perform tasks normally requiring "
                               "human intelligence",
    "ai": "short for artificial intelligence, the field of building systems that perform tasks that normally "
          "need human intelligence",
    "a neural network": "a model made of layers of connected units that learns to map inputs to outputs from "
                        "examples",
    "a large language model": "a neural network trained on large amounts of text to predict and generate "
                              "language",
    "an llm": "a large language model: a neural network trained on vast amounts of text to generate language",
    "cloud computing": "renting computing resources such as servers, storage and databases over the internet "
                       "instead of owning them",
    "blockchain": "a shared, append-only ledger where records are grouped into blocks linked by cryptographic "
                  "hashes",
    "photosynthesis": "the process plants use to turn light, water and carbon dioxide into sugar and oxygen",
    "gravity": "the force by which masses attract one another, keeping planets in orbit and our feet on the "
               "ground",
    "a black hole": "a region of space where gravity is so strong that nothing, not even light, can escape",
    "inflation": "the rate at which the general level of prices rises, reducing what money can buy",
    "democracy": "a system of government in which power rests with the people, usually through elected "
                 "representatives",
    "dna": "the molecule that carries the genetic instructions for the growth and function of living things",
    "an algorithm": "a finite, well-defined sequence of steps for solving a problem or performing a task",
    "a closure": "a function bundled together with the variables from the scope where it was defined",
    "a compiler": "a program that translates source code into a lower-level form a machine can run",
    "encryption": "the process of encoding data so that only someone with the right key can read it",
    "a hash function": "a function that maps data of any size to a fixed-size value, ideally with few "
                       "collisions",
    "a cache": "a small, fast store that keeps copies of frequently used data to speed up later requests",
    "microservices": "an architecture that splits an application into small, independently deployable "
                     "services",
    "ci/cd": "continuous integration and delivery: automatically building, testing and shipping every change",
    "a unit test": "a small automated test that checks one piece of code in isolation",
    "a regular expression": "a pattern language for matching and extracting text",
    "linux": "a free, open-source operating system kernel used in everything from phones to servers",
    "an operating system": "the software that manages a computer's hardware and provides services to programs",
    "quantum computing": "computing that uses quantum bits, which can hold superpositions of states, to solve "
                         "certain problems faster",
    "climate change": "the long-term shift in global temperatures and weather patterns, driven largely by "
                      "greenhouse gas emissions",
    "oauth": "an authorization standard that lets apps access resources on a user's behalf without their "
             "password",
    "a jwt": "a JSON Web Token: a compact, signed token that carries claims between two parties",
    "html": "the markup language that describes the structure of web pages",
    "css": "the style sheet language that controls how HTML pages look",
    "big o notation": "a way of describing how an algorithm's running time or memory grows with its input size",
    "an embedding": "a list of numbers that represents the meaning of a piece of text or other data",
}
YES_REASONS: tuple[str, ...] = (
    "In most situations that holds up well, especially once the basics of {kw} are in place.",
    "The main reason is that {kw} is well suited to it, and the trade-offs are usually small.",
    "That is the common experience with {kw}, provided you keep an eye on the details.",
    "It depends a little on your setup, but for {kw} the answer is generally positive.",
    "Most people who try it with {kw} find that it works as expected.",
)
NO_REASONS: tuple[str, ...] = (
    "In most cases {kw} isn't the best fit for that, and there are simpler alternatives.",
    "The main catch is that {kw} comes with trade-offs that usually outweigh the benefits here.",
    "It can work in special cases, but with {kw} you would usually be better served another way.",
    "Generally not: {kw} tends to cause more trouble than it saves in this situation.",
    "It's not impossible, but for {kw} the usual advice is to avoid it.",
)

YES_LEADS: tuple[str, ...] = (
    "Yes, {clause}.",
    "Yes: in most cases {clause}.",
    "Yes. In short, {clause}.",
    "Yes, generally {clause}.",
    "Yes, {clause}, with a few caveats.",
)
NO_LEADS: tuple[str, ...] = (
    "No, {clause}.",
    "No: in most cases {clause}.",
    "No. In short, {clause}.",
    "No, generally {clause}.",
    "No, {clause}, although there are exceptions.",
)
CAPITALS: dict[str, str] = {
    "france": "Paris", "germany": "Berlin", "italy": "Rome", "spain": "Madrid", "portugal": "Lisbon",
    "united kingdom": "London", "uk": "London", "england": "London", "ireland": "Dublin", "japan": "Tokyo",
    "china": "Beijing", "india": "New Delhi", "canada": "Ottawa", "australia": "Canberra",
    "united states": "Washington, D.C.", "usa": "Washington, D.C.", "the united states": "Washington, D.C.",
    "brazil": "Brasília", "mexico": "Mexico City", "argentina": "Buenos Aires", "russia": "Moscow",
    "egypt": "Cairo", "kenya": "Nairobi", "nigeria": "Abuja", "south africa": "Pretoria",
    "netherlands": "Amsterdam", "the netherlands": "Amsterdam", "belgium": "Brussels", "sweden": "Stockholm",
    "norway": "Oslo", "denmark": "Copenhagen", "finland": "Helsinki", "poland": "Warsaw", "greece": "Athens",
    "turkey": "Ankara", "south korea": "Seoul", "thailand": "Bangkok", "vietnam": "Hanoi",
    "indonesia": "Jakarta", "new zealand": "Wellington", "switzerland": "Bern", "austria": "Vienna",
    "chile": "Santiago", "peru": "Lima", "colombia": "Bogotá", "morocco": "Rabat",
}
CAPITAL_TAILS: tuple[str, ...] = (
    "It is the country's political centre.",
    "It's home to the national government.",
    "It's the seat of the national government.",
    "Let me know if you'd like a few facts about it.",
    "Happy to share more about the city if you're curious.",
)
COMPARE_LEADS: tuple[str, ...] = (
    "{A} and {b} overlap a lot, but they differ in focus.",
    "Both {a} and {b} are solid choices; the right one depends on what you need.",
    "{A} vs {b} is a common question, and the answer depends on your priorities.",
    "The main difference between {a} and {b} is in their trade-offs.",
    "Comparing {a} and {b} comes down to a few key points.",
)
# (what the first tends to do, what the second tends to do)
COMPARE_TRAITS: tuple[tuple[str, str], ...] = (
    ("favours simplicity and a gentle learning curve", "offers more control and flexibility"),
    ("has the larger ecosystem and community", "is leaner and more focused"),
    ("is usually quicker to get started with", "tends to hold up better as requirements grow"),
    ("leans toward convenience", "leans toward performance"),
    ("is the more established option", "is the more modern take"),
    ("is easier to find help and examples for", "rewards a deeper investment with more power"),
)
COMPARE_TAILS: tuple[str, ...] = (
    "Bottom line: choose {a} for a quick, familiar start, and {b} if you need {b_goal}.",
    "If you're unsure, start with {a}; move to {b} when you need {b_goal}.",
    "In practice, pick {b} when {b_goal} matters most; otherwise {a} is a safe default.",
    "Either works; try both {a} and {b} on a small example and see which fits your style.",
    "For most people {a} is enough, but {b} shines when you need {b_goal}.",
)
COMPARE_GOALS: tuple[str, ...] = (
    "more control", "room to grow", "better performance", "a more modern approach", "deeper power",
)
