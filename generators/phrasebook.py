"""Word and phrase tables for `generators.replies`: pure data, no logic.

Placeholders in the prose templates are filled with `str.format`-style names by `replies.py`:
`{topic}` / `{Topic}` (the subject, lower- or capital-initial), `{kw}` (the key terms joined), `{task}` (a verb
phrase such as "reset your password"), `{obj}` (its object), `{is}` ("is" or "are"), `{n}` (a count).
Code templates use `%%name%%` tokens instead, because code is full of braces.
"""
from __future__ import annotations

# --- words ------------------------------------------------------------------------------------------------

STOPWORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
else even ever every few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll
he's her here here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it
it's its itself just let's like may me might more most much must mustn't my myself no nor not now of off on
once one only or other ought our ours ourselves out over own per please quite rather really same shall shan't
she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then
there there's these they they'd they'll they're they've this those though through thus to too under until up
upon us very via was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
whether which while who who's whom whose why why's will with within without won't would wouldn't yet you
you'd you'll you're you've your yours yourself yourselves okay ok hey hi hello thanks thank yes yeah sure
""".split())

# Words that frame a request rather than name its subject ("please explain ...", "tell me about ...").
REQUEST_WORDS: frozenset[str] = frozenset("""
tell explain describe give show write list want need know help make create find say provide share suggest
recommend name define let lets think question answer something anything thing things way ways good best
mean means meaning kind sort type types bit lot many quick quickly simple simply briefly detail details
detailed example examples someone somebody use using used actually basically exactly maybe also work works
worked working happen happens happened invent invented made called get gets got going come comes came
learn learning try trying better worse faster easier harder feel feeling end ended begin began start started
live lived die died born located find found discover discovered create created build built wrote written
""".split())

PRONOUN_SWAPS: dict[str, str] = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "am": "are",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "i'm": "you're", "i've": "you've",
    "i'll": "you'll", "i'd": "you'd", "we're": "you're",
}

DETERMINERS: frozenset[str] = frozenset(
    "the a an your my his her its our their this that these those some any every each".split()
)

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "a couple of": 2,
    "a couple": 2, "a few": 3, "several": 4, "a dozen": 12, "a handful of": 5,
}

# --- small talk -------------------------------------------------------------------------------------------

GREETINGS: tuple[str, ...] = (
    "{hello}! How can I help you today?",
    "{hello}! What can I do for you?",
    "{hello} there! What would you like to work on?",
    "{hello}! I'm here and ready to help. What's on your mind?",
    "{hello}! Ask me anything, and I'll do my best to help.",
    "{hello}! Nice to hear from you. How can I help?",
)
HOW_ARE_YOU: tuple[str, ...] = (
    "I'm doing well, thanks for asking! How can I help you today?",
    "All good on my side, thank you! What can I do for you?",
    "I'm great, thanks! What would you like to talk about?",
    "Doing fine and ready to help. What's on your mind?",
    "Very well, thank you for asking. What are you working on?",
)
THANKS_REPLIES: tuple[str, ...] = (
    "You're welcome! Let me know if there's anything else I can help with.",
    "Happy to help! Feel free to ask if anything else comes up.",
    "Anytime! Is there anything else you'd like to go over?",
    "Glad I could help. Just ask if you need anything more.",
    "My pleasure! Good luck with the rest of it.",
)
GOODBYES: tuple[str, ...] = (
    "Goodbye! Come back anytime if you have more questions.",
    "Take care! Happy to help again whenever you need.",
    "See you later! Good luck with everything.",
    "Bye for now! It was nice chatting with you.",
    "Have a great day! I'm here if anything else comes up.",
)
FOREIGN_GREETINGS: dict[str, str] = {
    "bonjour": "fr", "salut": "fr", "hola": "es", "buenos dias": "es", "buenos días": "es", "hallo": "de",
    "guten tag": "de", "guten morgen": "de", "ciao": "it", "buongiorno": "it",
}

# --- generic prose ----------------------------------------------------------------------------------------

GENERIC_LEADS: tuple[str, ...] = (
    "Thanks for bringing up {kw}.",
    "Happy to help with {kw}.",
    "Let's look at {kw}.",
    "Here's my take on {kw}.",
    "Sure, let's talk about {kw}.",
    "That's an interesting point about {kw}.",
)
GENERIC_MIDDLES: tuple[str, ...] = (
    "The most useful place to start is with what you want {topic} to achieve, then work back to the details.",
    "In practice, {topic} comes down to a few choices, and most of them depend on your context and goals.",
    "A good approach is to break {topic} into smaller parts and deal with the most important one first.",
    "Most people get the best results with {topic} by keeping things simple and adjusting as they learn more.",
    "The key with {topic} is to be clear about the constraints before picking a direction.",
    "It helps to compare a couple of options for {topic} side by side before committing to one.",
)
GENERIC_TAILS: tuple[str, ...] = (
    "If you share a bit more detail, I can give you a more specific answer.",
    "Let me know which part you'd like to dig into.",
    "Tell me more about your situation and I can tailor the advice.",
    "Want me to go deeper on any part of this?",
    "I can expand on any of these points if that helps.",
    "Feel free to follow up with more specifics.",
)
EMPTY_REPLIES: tuple[str, ...] = (
    "Hello! How can I help you today?",
    "Hi there! What would you like to talk about?",
    "I'm here to help. What's on your mind?",
    "Hello! Ask me a question and I'll do my best to answer.",
    "Hi! What can I do for you today?",
)
ATTACHMENT_REPLIES: dict[str, tuple[str, ...]] = {
    "image": (
        "The image shows a well-lit scene with a clear main subject in the centre and some detail in the "
        "background. Tell me what you'd like to know about it.",
        "I can see the image you shared: a single main subject, fairly sharp, with muted colours around it. "
        "What would you like me to focus on?",
        "Looking at the image, the main subject stands out against a simple background, and the composition "
        "is balanced. Is there something specific you want me to describe?",
    ),
    "audio": (
        "I received your audio clip. It sounds like a short spoken message; tell me what you'd like me to do "
        "with it, for example transcribe or summarize it.",
        "Thanks for the recording. It is a brief clip of speech; I can summarize it or answer questions about it.",
    ),
    "file": (
        "I've received the file you attached. What would you like me to do with it: summarize it, extract "
        "key points, or answer questions about it?",
        "Thanks for the file. I can go through it and pull out the main points; just tell me what you need.",
    ),
}

# --- questions --------------------------------------------------------------------------------------------

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

# --- yes / no -----------------------------------------------------------------------------------------

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
IDENTITY_REPLIES: tuple[str, ...] = (
    "I'm {name}, an AI assistant. I can answer questions, write code, summarize text and more.",
    "I'm {name}, a virtual assistant here to help with questions, writing and code.",
    "You're talking to {name}, an AI assistant. What can I help you with?",
)
IDENTITY_UNNAMED: tuple[str, ...] = (
    "I'm an AI assistant. I can answer questions, write code, summarize text and more.",
    "I'm a virtual assistant here to help with questions, writing and code.",
    "I'm an AI assistant. What can I help you with today?",
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

# --- how-to -----------------------------------------------------------------------------------------------

HOWTO_LEADS: tuple[str, ...] = (
    "Here's how to {task}:",
    "To {task}, follow these steps:",
    "Sure, these steps will help you {task}:",
    "Here is a simple way to {task}:",
    "You can {task} in a few steps:",
)
HOWTO_TAILS: tuple[str, ...] = (
    "If something goes wrong along the way, tell me which step and what you see.",
    "Let me know your setup if you'd like more specific instructions.",
    "That should do it; ask if any step is unclear.",
    "Take it one step at a time and check the result before moving on.",
    "Happy to go into more detail on any of these steps.",
)
# Step sets keyed by the kind of task; each step names {task} or {obj} so it stays on topic.
HOWTO_STEPS: dict[str, tuple[str, ...]] = {
    "install": (
        "Check the system requirements for {obj} and make sure you have the permissions you need.",
        "Download {obj} from its official source or install it with your package manager.",
        "Run the installer or command, accepting the defaults unless you need something specific for {obj}.",
        "Configure {obj}: set the options, paths or environment variables it needs.",
        "Verify that {obj} works by running a quick test or checking its version.",
    ),
    "learn": (
        "Set a clear goal for why you want to {task}, so you know what to focus on.",
        "Start with the fundamentals of {obj} using one good beginner resource.",
        "Practise {obj} a little every day instead of in rare, long sessions.",
        "Build a small real project that uses {obj}, so the knowledge sticks.",
        "Ask for feedback and review your progress with {obj} every few weeks.",
    ),
    "cook": (
        "Gather the ingredients and tools you need to {task} before you start.",
        "Prepare everything for {obj}: measure, wash and chop so it's ready to go.",
        "Follow the main cooking step for {obj}, keeping the heat and timing steady.",
        "Taste {obj} as you go and adjust the seasoning.",
        "Let {obj} rest for a moment, then serve and enjoy.",
    ),
    "fix": (
        "Reproduce the problem so you know exactly when you need to {task}.",
        "Read any error messages about {obj} carefully and note what changed recently.",
        "Check the simplest causes first: settings, connections and versions related to {obj}.",
        "Apply one change at a time to {obj} and test after each one.",
        "Once {obj} works again, write down what fixed it so it's easy next time.",
    ),
    "build": (
        "Decide what {obj} needs to do and sketch the simplest version first.",
        "Gather the tools and materials you need to {task}.",
        "Build the core of {obj} before adding any extras.",
        "Test {obj} early and fix problems while they are still small.",
        "Polish {obj}, then share it or put it to use.",
    ),
    "general": (
        "Start by getting clear on what you need in order to {task}.",
        "Gather what you need for {obj}: information, tools and time.",
        "Take the first concrete action toward {obj} and keep it small.",
        "Check the result and adjust your approach to {obj} if needed.",
        "Repeat until you're happy with {obj}, and note what worked for next time.",
    ),
}
HOWTO_KIND_WORDS: dict[str, str] = {
    "install": "install", "set": "install", "setup": "install", "configure": "install", "upgrade": "install",
    "update": "install", "deploy": "install", "learn": "learn", "study": "learn", "master": "learn",
    "improve": "learn", "practice": "learn", "practise": "learn", "cook": "cook", "bake": "cook",
    "brew": "cook", "grill": "cook", "boil": "cook", "fry": "cook", "fix": "fix", "debug": "fix",
    "repair": "fix", "troubleshoot": "fix", "solve": "fix", "resolve": "fix", "build": "build",
    "create": "build", "make": "build", "write": "build", "design": "build", "start": "build",
    "plan": "build", "develop": "build",
}
FOOD_WORDS: frozenset[str] = frozenset(
    "cake bread pasta coffee tea cookies cookie soup pizza eggs egg rice pancakes pancake salad curry steak "
    "omelette omelet sauce muffins pie chili risotto sushi smoothie cocktail dough noodles".split()
)

# --- lists ------------------------------------------------------------------------------------------------

LIST_LEADS: tuple[str, ...] = (
    "Here are {n} {what}:",
    "Sure, here are {n} {what}:",
    "Here's a list of {n} {what}:",
    "These {n} {what} are a good place to start:",
    "{n} {what}, in no particular order:",
)
LIST_TAILS: tuple[str, ...] = (
    "Want more detail on any of these?",
    "Let me know if you'd like a longer list.",
    "I can expand on any item if that helps.",
    "Happy to narrow these down for your situation.",
    "Tell me which one interests you most and I'll go deeper.",
)
# Items by the kind of list asked for; each mentions {topic} so every line stays on subject.
LIST_ITEMS: dict[str, tuple[str, ...]] = {
    "ideas": (
        "A themed {topic} built around a favourite hobby or story",
        "A low-budget {topic} that uses what you already have",
        "An outdoor {topic} for when the weather is good",
        "A collaborative {topic} where everyone contributes one piece",
        "A surprise {topic} that nobody sees coming",
        "A {topic} with a simple challenge or friendly competition",
        "A cozy, small-scale {topic} focused on conversation",
        "A {topic} that mixes in something creative, like music or art",
        "A seasonal {topic} inspired by the time of year",
        "A {topic} built around food from a different culture",
        "A learning-focused {topic} where everyone tries something new",
        "A {topic} with a charitable or community angle",
    ),
    "tips": (
        "Set a clear, realistic goal for {topic} before you start",
        "Build a simple routine around {topic} and stick to it",
        "Start small with {topic} and increase gradually",
        "Track your progress with {topic} so you can see what works",
        "Remove the distractions that get in the way of {topic}",
        "Learn from people who are already good at {topic}",
        "Plan ahead for {topic} instead of improvising",
        "Keep {topic} enjoyable so it's easy to stay consistent",
        "Review your approach to {topic} every few weeks",
        "Don't aim for perfection with {topic}; aim for steady progress",
        "Ask for feedback on {topic} from someone you trust",
        "Celebrate small wins with {topic} to stay motivated",
    ),
    "reasons": (
        "Time savings: once {topic} is part of your routine, a lot of work gets easier",
        "Lower costs over the long run thanks to {topic}",
        "More predictable results with {topic}",
        "An easy start: getting into {topic} takes little up-front effort",
        "A large community around {topic}, with plenty of resources",
        "Room to grow, because {topic} scales with your needs",
        "Better quality, since {topic} helps catch problems early",
        "More flexibility later on with {topic}",
        "Wide recognition: {topic} is well known and well understood",
        "Easier collaboration with others through {topic}",
        "Sharper focus on what matters most with {topic}",
        "Compounding returns: {topic} pays off more the longer you stick with it",
    ),
    "facts": (
        "The history of {topic} goes back further than most people expect",
        "Views on {topic} vary a lot from one region to another",
        "Specialists in several fields study {topic}",
        "The basics of {topic} can be learned in a day, but mastery takes years",
        "You run into {topic} in everyday life more often than you might think",
        "Many common assumptions about {topic} turn out to be myths",
        "Our understanding of {topic} has changed a lot over the last few decades",
        "There are several distinct types of {topic}",
        "There is more than one way to measure {topic}",
        "Small changes in {topic} can have surprisingly large effects",
        "Books, films and art have all been inspired by {topic}",
        "Research on {topic} is still ongoing",
    ),
    "questions": (
        "What problem is {topic} meant to solve?",
        "Who benefits most from {topic}?",
        "What does success look like for {topic}?",
        "What are the biggest risks with {topic}?",
        "How much time and money does {topic} need?",
        "What has already been tried with {topic}?",
        "Which parts of {topic} matter most right now?",
        "How will you measure progress on {topic}?",
        "What would make {topic} easier?",
        "Who should be involved in {topic}?",
        "What could go wrong with {topic}, and what's the backup plan?",
        "What's the very first step for {topic}?",
    ),
    "plain": (
        "A classic {item} that almost everyone knows",
        "A lesser-known {item} worth discovering",
        "A modern {item} that reflects recent trends",
        "A beginner-friendly {item} that is easy to start with",
        "A highly rated {item} with a loyal following",
        "A versatile {item} that suits many situations",
        "A specialist {item} for enthusiasts",
        "An affordable {item} that punches above its weight",
        "A timeless {item} that has stood the test of time",
        "A surprising {item} that most people overlook",
        "A practical {item} for everyday use",
        "A fun {item} that is easy to enjoy",
    ),
    "generic": (
        "A classic {item} on {topic} that almost everyone recommends",
        "A beginner-friendly {item} that makes {topic} easy to approach",
        "A budget-friendly {item} related to {topic}",
        "A popular {item} on {topic} with a strong following",
        "An underrated {item} on {topic} that deserves more attention",
        "A modern {item} that reflects recent thinking on {topic}",
        "A practical {item} on {topic} you can use right away",
        "A well-reviewed {item} on {topic}, known for its quality",
        "A versatile {item} that covers many sides of {topic}",
        "A specialist {item} for people who go deep into {topic}",
        "A fun {item} that makes {topic} more enjoyable",
        "A time-tested {item} on {topic} that has stood up well",
    ),
}
LIST_KIND_WORDS: dict[str, str] = {
    "ideas": "ideas", "idea": "ideas", "suggestions": "ideas", "themes": "ideas", "activities": "ideas",
    "tips": "tips", "ways": "tips", "strategies": "tips", "habits": "tips", "steps": "tips", "tricks": "tips",
    "practices": "tips", "hacks": "tips", "rules": "tips", "reasons": "reasons", "benefits": "reasons",
    "advantages": "reasons", "pros": "reasons", "facts": "facts", "things": "facts", "features": "facts",
    "trivia": "facts", "questions": "questions",
}
ITEM_DESCRIPTORS: tuple[str, ...] = (
    "a popular {item}", "a classic {item}", "a widely loved {item}", "a versatile {item}",
    "a well-known {item}", "an underrated {item}", "a common {item}", "a favourite {item} for many people",
)
# Small catalogues so "list 5 fruits" names real things.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "fruit": ("Apple", "Banana", "Mango", "Orange", "Strawberry", "Pineapple", "Grape", "Blueberry", "Peach",
              "Watermelon", "Cherry", "Kiwi", "Pear", "Lemon", "Papaya"),
    "vegetable": ("Carrot", "Broccoli", "Spinach", "Potato", "Tomato", "Onion", "Bell pepper", "Cucumber",
                  "Zucchini", "Cauliflower", "Kale", "Sweet potato", "Green beans", "Asparagus", "Peas"),
    "color": ("Red", "Blue", "Green", "Yellow", "Purple", "Orange", "Pink", "Teal", "Brown", "Black", "White",
              "Gray", "Turquoise", "Magenta", "Navy"),
    "colour": ("Red", "Blue", "Green", "Yellow", "Purple", "Orange", "Pink", "Teal", "Brown", "Black",
               "White", "Grey", "Turquoise", "Magenta", "Navy"),
    "animal": ("Elephant", "Dolphin", "Tiger", "Penguin", "Giraffe", "Octopus", "Wolf", "Kangaroo", "Owl",
               "Red fox", "Panda", "Cheetah", "Sea turtle", "Koala", "Eagle"),
    "country": ("Japan", "Brazil", "Canada", "Kenya", "Norway", "India", "Mexico", "Australia", "Italy",
                "Vietnam", "Egypt", "Argentina", "Germany", "New Zealand", "Morocco"),
    "programming language": ("Python", "JavaScript", "Java", "C#", "Go", "Rust", "TypeScript", "Kotlin",
                             "Swift", "C++", "Ruby", "PHP", "Scala", "Haskell", "Elixir"),
    "language": ("Python", "JavaScript", "Java", "Go", "Rust", "TypeScript", "Kotlin", "Swift", "C++",
                 "Ruby", "PHP", "C#", "Scala", "Haskell", "Elixir"),
    "planet": ("Mercury", "Venus", "Earth", "Mars", "Jupiter", "Saturn", "Uranus", "Neptune"),
    "city": ("Tokyo", "Paris", "New York", "Lisbon", "Cape Town", "Buenos Aires", "Seoul", "Istanbul",
             "Sydney", "Vancouver", "Barcelona", "Marrakesh", "Prague", "Singapore", "Mexico City"),
    "sport": ("Soccer", "Basketball", "Tennis", "Swimming", "Cycling", "Volleyball", "Baseball", "Cricket",
              "Rugby", "Table tennis", "Badminton", "Golf", "Running", "Rowing", "Climbing"),
    "instrument": ("Piano", "Guitar", "Violin", "Drums", "Flute", "Cello", "Trumpet", "Saxophone", "Ukulele",
                   "Clarinet", "Harp", "Bass guitar", "Trombone", "Accordion", "Harmonica"),
    "database": ("PostgreSQL", "MySQL", "SQLite", "MongoDB", "Redis", "Cassandra", "DynamoDB", "MariaDB",
                 "Elasticsearch", "Neo4j", "CockroachDB", "ClickHouse", "Oracle Database", "SQL Server",
                 "Firestore"),
    "python library": ("NumPy", "pandas", "Requests", "FastAPI", "Django", "Flask", "pytest", "SQLAlchemy",
                       "Matplotlib", "scikit-learn", "Pydantic", "Click", "Rich", "httpx", "Polars"),
    "web framework": ("Django", "Flask", "FastAPI", "Express", "Ruby on Rails", "Spring Boot", "Laravel",
                      "ASP.NET Core", "Next.js", "Phoenix", "Gin", "Svelte Kit", "Nuxt", "NestJS", "Remix"),
    "dog breed": ("Labrador Retriever", "German Shepherd", "Golden Retriever", "French Bulldog", "Beagle",
                  "Poodle", "Border Collie", "Dachshund", "Boxer", "Siberian Husky", "Corgi", "Shih Tzu",
                  "Great Dane", "Bernese Mountain Dog", "Whippet"),
}

# --- written pieces: "write an email to my boss asking for a day off" ---------------------------------------

LETTER_KINDS: frozenset[str] = frozenset("email e-mail letter message note memo".split())
LETTER_OPENINGS: tuple[str, ...] = ("Hi {to},", "Dear {to},", "Hello {to},")
LETTER_BODIES: tuple[str, ...] = (
    "I hope you're doing well. I'm writing {purpose}. Please let me know if you need anything else from me.",
    "I hope all is well. I wanted to reach out {purpose}. I'm happy to discuss it whenever suits you.",
    "Thank you for your time. I'm getting in touch {purpose}. Let me know what you think.",
)
LETTER_CLOSINGS: tuple[str, ...] = ("Best regards,\n[Your name]", "Kind regards,\n[Your name]",
                                    "Thanks,\n[Your name]")
PROSE_LEADS: tuple[str, ...] = (
    "Here's a short {kind} about {topic}:", "Here is a draft {kind} about {topic}:", "Sure, here's a {kind} on {topic}:",
)
PROSE_SENTENCES: tuple[tuple[str, ...], ...] = (
    ("{Topic} shapes more of everyday life than most people realise.",
     "{Topic} is one of those subjects that rewards a closer look."),
    ("At its best, it brings people together and opens up new possibilities.",
     "It has a history of surprising the people who take it for granted."),
    ("It also comes with challenges, and handling them well takes patience and curiosity.",
     "Getting it right takes a mix of curiosity, patience and a willingness to learn."),
    ("Looking ahead, {topic} will keep changing, which is exactly what makes it worth paying attention to.",
     "In the end, {topic} is worth the time it takes to understand."),
)

# --- comparisons -------------------------------------------------------------------------------------

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

# --- creative -----------------------------------------------------------------------------------------

STORY_NAMES: tuple[str, ...] = ("Mira", "Tomas", "Ada", "Jonah", "Leila", "Felix", "Nora", "Samir")
STORY_OPENINGS: tuple[str, ...] = (
    "Once upon a time, {name} set out to learn everything about {topic}.",
    "Nobody in the village paid much attention to {topic} until the day {name} arrived.",
    "On a quiet Tuesday morning, {name} stumbled upon something strange involving {topic}.",
    "{name} had always dreamed about {topic}, but had never dared to try.",
    "It began, as these things often do, with {name} and a small question about {topic}.",
)
STORY_MIDDLES: tuple[str, ...] = (
    "At first, every attempt went wrong, and {topic} seemed impossible to understand.",
    "A kind stranger offered a clue, and suddenly {topic} made a little more sense.",
    "The harder {name} worked at it, the more {topic} revealed its hidden surprises.",
    "There were setbacks, a storm, and one very stubborn goat, but {name} kept going.",
    "Day after day, {name} returned to {topic}, learning one small lesson at a time.",
)
STORY_ENDINGS: tuple[str, ...] = (
    "In the end, {name} realized that {topic} had been a teacher all along.",
    "By the time spring came, {name} knew {topic} better than anyone, and shared it with everyone.",
    "And so {topic} became the story people told whenever someone needed a little courage.",
    "When it was over, {name} smiled, because {topic} had changed everything for the better.",
    "From that day on, nobody overlooked {topic} again.",
)
POEM_STANZAS: tuple[tuple[str, ...], ...] = (
    ("In quiet hours I think of {topic},", "a thread of light through ordinary days;",
     "it asks for nothing, gives its gifts in turn,", "and leaves the world a little less the same."),
    ("Beneath the noise, {topic} waits,", "patient as the turning tide;",
     "it opens doors and closes gates,", "and walks with us, a steady guide."),
    ("They said that {topic} was small,", "a passing thought, a minor thing;",
     "but small things carry most of all,", "the way the winter carries spring."),
    ("Sing a song of {topic} now,", "of mornings bright and evenings long;",
     "of every why and every how,", "that turns a moment into song."),
)
HAIKU_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("Morning light on {topic}", "quiet thoughts begin to stir", "the day opens wide"),
    ("Soft wind over {topic}", "a single leaf drifts and turns", "everything is still"),
    ("Thinking of {topic}", "the old pond keeps its secrets", "ripples fade away"),
    ("{Topic} at dusk", "shadows stretch across the path", "a bird calls, then rests"),
    ("Winter sun, {topic}", "the world breathes out slow and white", "spring is on its way"),
)
JOKES: tuple[str, ...] = (
    "Why did the {item} go to therapy? It had too many unresolved issues with {topic}.",
    "I tried to write a joke about {topic}, but it needed a few more iterations.",
    "My friend asked me to explain {topic} in one word. I said, \"Complicated.\" They said, \"Go on.\"",
    "Why don't secrets last around {topic}? Because everything about it gets shared eventually.",
    "I'm reading a book about {topic}. It's impossible to put down, mostly because I haven't picked it up "
    "yet.",
    "What did the {item} say to the other {item}? \"Let's keep {topic} between us.\"",
)
CREATIVE_TAILS: tuple[str, ...] = (
    "Want another one?",
    "I can write a longer version if you like.",
    "Happy to try a different style.",
    "Let me know if you'd like a different tone.",
    "Shall I write one more?",
)

# --- arithmetic, summaries, tools -----------------------------------------------------------------------

MATH_TEMPLATES: tuple[str, ...] = (
    "{expr} {eq} {result}.",
    "The answer is {result}: {expr} {eq} {result}.",
    "That works out to {result} ({expr} {eq} {result}).",
    "Here you go: {expr} {eq} {result}.",
    "It's {result}. ({expr} {eq} {result})",
)
MATH_TAILS: tuple[str, ...] = (
    "Let me know if you'd like to see the steps.",
    "Happy to help with another calculation.",
    "Want me to check anything else?",
    "Anything else to calculate?",
    "I can break it down step by step if useful.",
)
SUMMARY_PREFIXES: tuple[str, ...] = (
    "In short: ", "Summary: ", "Here's the gist: ", "TL;DR: ", "The key points: ",
)
SUMMARY_MISSING: tuple[str, ...] = (
    "I'd be happy to summarize it, but I don't see any text yet. Paste the passage (or a link's content) "
    "and tell me how long the summary should be.",
    "Sure, I can write a summary. Please share the text you want summarized, and let me know if you need "
    "bullet points or a single paragraph.",
    "There's nothing to summarize yet. Send me the article, notes or transcript and I'll condense it.",
)
TOOL_LEADS: tuple[str, ...] = (
    "Here is what I found: {facts}.",
    "The result shows {facts}.",
    "According to the {source}, {facts}.",
    "I checked with the {source}: {facts}.",
    "Based on the {source}, {facts}.",
)
TOOL_TEXT_LEADS: tuple[str, ...] = (
    "The {source} returned: \"{text}\"",
    "Here's what the {source} says: \"{text}\"",
    "According to the {source}: \"{text}\"",
    "The result from the {source} reads: \"{text}\"",
    "I got this back from the {source}: \"{text}\"",
)
WEATHER_TEMPLATES: tuple[str, ...] = (
    "The weather in {place} is {temp} and {condition}.",
    "It's currently {temp} and {condition} in {place}.",
    "Right now it's {condition} in {place}, at {temp}.",
    "In {place} it is {condition} with a temperature of {temp}.",
    "Current conditions in {place}: {condition}, {temp}.",
)
TOOL_ERROR_TEMPLATES: tuple[str, ...] = (
    "The {source} reported an error: {error}.",
    "Unfortunately the {source} failed with: {error}.",
    "I couldn't get a result; the {source} said: {error}.",
    "Something went wrong on the {source}'s side: {error}.",
    "The request didn't succeed. The {source} responded with: {error}.",
)
TOOL_TAILS: tuple[str, ...] = (
    "Let me know if you need anything else.",
    "Is there anything else you'd like me to check?",
    "Want me to look up anything else?",
    "I can dig into more detail if you need it.",
    "Happy to check something else for you.",
)
EXTRA_CLOSERS: tuple[str, ...] = (
    "Hope that helps!",
    "I hope this is useful.",
    "Feel free to ask a follow-up.",
    "Let me know what you think.",
    "That's the short version.",
    "There's more to say if you're curious.",
    "Good luck with it!",
    "I'm happy to refine this further.",
)

# --- translation ----------------------------------------------------------------------------------------

LANGUAGE_NAMES: dict[str, str] = {
    "french": "fr", "francais": "fr", "français": "fr", "spanish": "es", "espanol": "es", "español": "es",
    "german": "de", "deutsch": "de", "italian": "it", "italiano": "it",
}
LANGUAGE_LABELS: dict[str, str] = {"fr": "French", "es": "Spanish", "de": "German", "it": "Italian"}
# phrase -> (French, Spanish, German, Italian)
TRANSLATIONS: dict[str, tuple[str, str, str, str]] = {
    "hello": ("Bonjour", "Hola", "Hallo", "Ciao"),
    "hi": ("Salut", "Hola", "Hallo", "Ciao"),
    "good morning": ("Bonjour", "Buenos días", "Guten Morgen", "Buongiorno"),
    "good afternoon": ("Bon après-midi", "Buenas tardes", "Guten Tag", "Buon pomeriggio"),
    "good evening": ("Bonsoir", "Buenas noches", "Guten Abend", "Buonasera"),
    "good night": ("Bonne nuit", "Buenas noches", "Gute Nacht", "Buonanotte"),
    "goodbye": ("Au revoir", "Adiós", "Auf Wiedersehen", "Arrivederci"),
    "bye": ("Salut", "Adiós", "Tschüss", "Ciao"),
    "see you later": ("À plus tard", "Hasta luego", "Bis später", "A più tardi"),
    "thank you": ("Merci", "Gracias", "Danke", "Grazie"),
    "thanks": ("Merci", "Gracias", "Danke", "Grazie"),
    "thank you very much": ("Merci beaucoup", "Muchas gracias", "Vielen Dank", "Grazie mille"),
    "please": ("S'il vous plaît", "Por favor", "Bitte", "Per favore"),
    "yes": ("Oui", "Sí", "Ja", "Sì"),
    "no": ("Non", "No", "Nein", "No"),
    "excuse me": ("Excusez-moi", "Disculpe", "Entschuldigung", "Mi scusi"),
    "sorry": ("Désolé", "Lo siento", "Es tut mir leid", "Mi dispiace"),
    "how are you": ("Comment allez-vous ?", "¿Cómo estás?", "Wie geht es dir?", "Come stai?"),
    "i love you": ("Je t'aime", "Te quiero", "Ich liebe dich", "Ti amo"),
    "what is your name": ("Comment vous appelez-vous ?", "¿Cómo te llamas?", "Wie heißt du?", "Come ti chiami?"),
    "my name is": ("Je m'appelle", "Me llamo", "Ich heiße", "Mi chiamo"),
    "nice to meet you": ("Enchanté", "Mucho gusto", "Freut mich", "Piacere di conoscerti"),
    "where is the bathroom": ("Où sont les toilettes ?", "¿Dónde está el baño?", "Wo ist die Toilette?",
                              "Dov'è il bagno?"),
    "happy birthday": ("Joyeux anniversaire", "Feliz cumpleaños", "Alles Gute zum Geburtstag",
                       "Buon compleanno"),
    "good luck": ("Bonne chance", "Buena suerte", "Viel Glück", "Buona fortuna"),
    "cheers": ("Santé", "Salud", "Prost", "Salute"),
    "welcome": ("Bienvenue", "Bienvenido", "Willkommen", "Benvenuto"),
    "the bill, please": ("L'addition, s'il vous plaît", "La cuenta, por favor", "Die Rechnung, bitte",
                         "Il conto, per favore"),
    "i don't understand": ("Je ne comprends pas", "No entiendo", "Ich verstehe nicht", "Non capisco"),
    "water": ("eau", "agua", "Wasser", "acqua"),
    "coffee": ("café", "café", "Kaffee", "caffè"),
    "cat": ("chat", "gato", "Katze", "gatto"),
    "dog": ("chien", "perro", "Hund", "cane"),
    "friend": ("ami", "amigo", "Freund", "amico"),
    "house": ("maison", "casa", "Haus", "casa"),
    "car": ("voiture", "coche", "Auto", "macchina"),
    "book": ("livre", "libro", "Buch", "libro"),
    "love": ("amour", "amor", "Liebe", "amore"),
    "food": ("nourriture", "comida", "Essen", "cibo"),
    "bread": ("pain", "pan", "Brot", "pane"),
    "beer": ("bière", "cerveza", "Bier", "birra"),
    "wine": ("vin", "vino", "Wein", "vino"),
    "today": ("aujourd'hui", "hoy", "heute", "oggi"),
    "tomorrow": ("demain", "mañana", "morgen", "domani"),
    "red": ("rouge", "rojo", "rot", "rosso"),
    "blue": ("bleu", "azul", "blau", "blu"),
    "green": ("vert", "verde", "grün", "verde"),
    "big": ("grand", "grande", "groß", "grande"),
    "small": ("petit", "pequeño", "klein", "piccolo"),
    "beautiful": ("beau", "hermoso", "schön", "bello"),
    "city": ("ville", "ciudad", "Stadt", "città"),
    "world": ("monde", "mundo", "Welt", "mondo"),
    "sun": ("soleil", "sol", "Sonne", "sole"),
    "time": ("temps", "tiempo", "Zeit", "tempo"),
    "day": ("jour", "día", "Tag", "giorno"),
    "night": ("nuit", "noche", "Nacht", "notte"),
    "family": ("famille", "familia", "Familie", "famiglia"),
    "school": ("école", "escuela", "Schule", "scuola"),
    "work": ("travail", "trabajo", "Arbeit", "lavoro"),
}
TRANSLATION_INDEX: dict[str, int] = {"fr": 0, "es": 1, "de": 2, "it": 3}
TRANSLATE_TEMPLATES: tuple[str, ...] = (
    "\"{source}\" in {language} is \"{target}\".",
    "In {language}, \"{source}\" is \"{target}\".",
    "The {language} for \"{source}\" is \"{target}\".",
    "You'd say \"{target}\" in {language}.",
    "\"{target}\" is how you say \"{source}\" in {language}.",
)
TRANSLATE_UNKNOWN: tuple[str, ...] = (
    "I don't have a full {language} dictionary here, so I can't translate \"{source}\" reliably.{known}",
    "A faithful {language} translation of \"{source}\" needs more than my small phrasebook.{known}",
    "I can't give a dependable {language} version of \"{source}\" offline.{known}",
)

# --- replies in other languages (system prompt "answer in French" etc.) -----------------------------------

LOCALIZED: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "greeting": ("Bonjour ! Comment puis-je vous aider aujourd'hui ?", "Salut ! Que puis-je faire pour vous ?",
                     "Bonjour ! De quoi voulez-vous parler ?"),
        "thanks": ("Avec plaisir ! N'hésitez pas si vous avez d'autres questions.", "De rien, c'était un plaisir !"),
        "bye": ("Au revoir et à bientôt !", "Bonne journée, à la prochaine !"),
        "answer": ("Bonne question sur {kw}. L'essentiel est de comprendre le rôle de {kw} dans votre situation. "
                   "Dites-moi si vous voulez plus de détails.",
                   "Parlons de {kw}. Le plus utile est de commencer par les bases, puis d'ajouter les détails. "
                   "Je peux développer si besoin.",
                   "Concernant {kw}, tout dépend un peu du contexte, mais les principes restent simples. "
                   "Voulez-vous un exemple concret ?"),
        "yes": ("Oui, en général. Pour {kw}, c'est le cas le plus courant.", "Oui : avec {kw}, cela fonctionne bien."),
        "no": ("Non, pas vraiment. Pour {kw}, il existe de meilleures options.",
               "Non : avec {kw}, ce n'est généralement pas conseillé."),
        "math": ("{expr} {eq} {result}.", "Le résultat est {result} ({expr} {eq} {result})."),
        "code": ("Voici un exemple en {lang} :", "Voici une solution en {lang} :"),
        "code_tail": ("Dites-moi si vous voulez des tests ou des explications.",),
        "summary": ("En bref : ", "Résumé : "),
        "list": ("Voici {n} idées sur {topic} :", "Voici une liste de {n} éléments sur {topic} :"),
        "item": ("{Topic} : commencer par l'essentiel", "{Topic} : fixer un objectif clair",
                 "{Topic} : avancer par petites étapes", "{Topic} : mesurer les progrès",
                 "{Topic} : demander des retours", "{Topic} : garder une routine régulière"),
        "steps": ("Voici comment procéder pour {task} :", "Pour {task}, suivez ces étapes :"),
        "step": ("Préparez ce qu'il faut pour {task}.", "Commencez par l'étape principale : {task}.",
                 "Vérifiez le résultat pour {task}.", "Ajustez si nécessaire, puis terminez : {task}."),
        "tool": ("Voici ce que j'ai trouvé : {facts}.", "Le résultat indique : {facts}."),
    },
    "es": {
        "greeting": ("¡Hola! ¿En qué puedo ayudarte hoy?", "¡Hola! ¿Qué puedo hacer por ti?",
                     "¡Buenas! ¿De qué quieres hablar?"),
        "thanks": ("¡De nada! Avísame si necesitas algo más.", "¡Con gusto! Aquí estoy si surge otra duda."),
        "bye": ("¡Adiós y hasta pronto!", "¡Que tengas un buen día!"),
        "answer": ("Buena pregunta sobre {kw}. Lo esencial es entender el papel de {kw} en tu situación. "
                   "Dime si quieres más detalles.",
                   "Hablemos de {kw}. Lo más útil es empezar por lo básico y luego añadir detalles. "
                   "Puedo ampliar si lo necesitas.",
                   "Sobre {kw}, depende un poco del contexto, pero los principios son sencillos. "
                   "¿Quieres un ejemplo concreto?"),
        "yes": ("Sí, en general. Con {kw} suele ser así.", "Sí: con {kw} funciona bien."),
        "no": ("No, no realmente. Para {kw} hay mejores opciones.", "No: con {kw} no suele ser recomendable."),
        "math": ("{expr} {eq} {result}.", "El resultado es {result} ({expr} {eq} {result})."),
        "code": ("Aquí tienes un ejemplo en {lang}:", "Esta es una solución en {lang}:"),
        "code_tail": ("Dime si quieres pruebas o más explicaciones.",),
        "summary": ("En resumen: ", "Resumen: "),
        "list": ("Aquí tienes {n} ideas sobre {topic}:", "Una lista de {n} puntos sobre {topic}:"),
        "item": ("{Topic}: empezar por lo esencial", "{Topic}: fijar un objetivo claro",
                 "{Topic}: avanzar en pasos pequeños", "{Topic}: medir el progreso",
                 "{Topic}: pedir opiniones", "{Topic}: mantener una rutina constante"),
        "steps": ("Así puedes {task}:", "Para {task}, sigue estos pasos:"),
        "step": ("Prepara lo necesario para {task}.", "Empieza por el paso principal: {task}.",
                 "Comprueba el resultado de {task}.", "Ajusta si hace falta y termina: {task}."),
        "tool": ("Esto es lo que encontré: {facts}.", "El resultado indica: {facts}."),
    },
    "de": {
        "greeting": ("Hallo! Wie kann ich Ihnen heute helfen?", "Hallo! Was kann ich für Sie tun?",
                     "Guten Tag! Worüber möchten Sie sprechen?"),
        "thanks": ("Gern geschehen! Melden Sie sich, wenn Sie noch etwas brauchen.", "Sehr gern!"),
        "bye": ("Auf Wiedersehen und bis bald!", "Einen schönen Tag noch!"),
        "answer": ("Gute Frage zu {kw}. Wichtig ist vor allem, welche Rolle {kw} in Ihrer Situation spielt. "
                   "Sagen Sie mir, wenn Sie mehr Details möchten.",
                   "Sprechen wir über {kw}. Am besten beginnt man mit den Grundlagen und ergänzt dann Details. "
                   "Ich kann gern mehr dazu sagen.",
                   "Bei {kw} hängt vieles vom Kontext ab, aber die Prinzipien sind einfach. "
                   "Möchten Sie ein konkretes Beispiel?"),
        "yes": ("Ja, in der Regel schon. Bei {kw} ist das üblich.", "Ja: mit {kw} funktioniert das gut."),
        "no": ("Nein, eher nicht. Für {kw} gibt es bessere Möglichkeiten.",
               "Nein: bei {kw} ist das meist nicht empfehlenswert."),
        "math": ("{expr} {eq} {result}.", "Das Ergebnis ist {result} ({expr} {eq} {result})."),
        "code": ("Hier ist ein Beispiel in {lang}:", "Hier ist eine Lösung in {lang}:"),
        "code_tail": ("Sagen Sie Bescheid, wenn Sie Tests oder Erklärungen möchten.",),
        "summary": ("Kurz gesagt: ", "Zusammenfassung: "),
        "list": ("Hier sind {n} Ideen zu {topic}:", "Eine Liste mit {n} Punkten zu {topic}:"),
        "item": ("{Topic}: mit dem Wesentlichen beginnen", "{Topic}: ein klares Ziel setzen",
                 "{Topic}: in kleinen Schritten vorgehen", "{Topic}: Fortschritte messen",
                 "{Topic}: um Feedback bitten", "{Topic}: eine feste Routine pflegen"),
        "steps": ("So gehen Sie vor, um {task}:", "Um {task}, folgen Sie diesen Schritten:"),
        "step": ("Bereiten Sie alles für {task} vor.", "Beginnen Sie mit dem Hauptschritt: {task}.",
                 "Prüfen Sie das Ergebnis von {task}.", "Passen Sie bei Bedarf an und schließen Sie ab: {task}."),
        "tool": ("Das habe ich gefunden: {facts}.", "Das Ergebnis zeigt: {facts}."),
    },
    "it": {
        "greeting": ("Ciao! Come posso aiutarti oggi?", "Buongiorno! Cosa posso fare per te?",
                     "Ciao! Di cosa vuoi parlare?"),
        "thanks": ("Prego! Fammi sapere se ti serve altro.", "Figurati, è stato un piacere!"),
        "bye": ("Arrivederci e a presto!", "Buona giornata!"),
        "answer": ("Bella domanda su {kw}. L'essenziale è capire il ruolo di {kw} nella tua situazione. "
                   "Dimmi se vuoi più dettagli.",
                   "Parliamo di {kw}. La cosa più utile è partire dalle basi e poi aggiungere i dettagli. "
                   "Posso approfondire se serve.",
                   "Riguardo a {kw}, dipende un po' dal contesto, ma i principi sono semplici. "
                   "Vuoi un esempio concreto?"),
        "yes": ("Sì, in generale. Con {kw} di solito è così.", "Sì: con {kw} funziona bene."),
        "no": ("No, non proprio. Per {kw} ci sono opzioni migliori.", "No: con {kw} di solito non è consigliato."),
        "math": ("{expr} {eq} {result}.", "Il risultato è {result} ({expr} {eq} {result})."),
        "code": ("Ecco un esempio in {lang}:", "Ecco una soluzione in {lang}:"),
        "code_tail": ("Fammi sapere se vuoi dei test o altre spiegazioni.",),
        "summary": ("In breve: ", "Riassunto: "),
        "list": ("Ecco {n} idee su {topic}:", "Una lista di {n} punti su {topic}:"),
        "item": ("{Topic}: partire dall'essenziale", "{Topic}: fissare un obiettivo chiaro",
                 "{Topic}: procedere a piccoli passi", "{Topic}: misurare i progressi",
                 "{Topic}: chiedere un parere", "{Topic}: mantenere una routine costante"),
        "steps": ("Ecco come {task}:", "Per {task}, segui questi passaggi:"),
        "step": ("Prepara il necessario per {task}.", "Inizia dal passaggio principale: {task}.",
                 "Controlla il risultato di {task}.", "Correggi se serve e concludi: {task}."),
        "tool": ("Ecco cosa ho trovato: {facts}.", "Il risultato indica: {facts}."),
    },
}

# --- personas (system prompt "You are a pirate") ----------------------------------------------------------

# name -> (openers, closers, word substitutions)
PERSONAS: dict[str, tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]] = {
    "pirate": (("Arr!", "Ahoy, matey!", "Yo-ho-ho!"), ("Fair winds to ye!", "Arr.", "Now hoist the sails!"),
               {"hello": "ahoy", "hi": "ahoy", "yes": "aye", "you": "ye", "your": "yer", "my": "me",
                "friend": "matey", "friends": "hearties", "is": "be", "are": "be", "the": "th'",
                "money": "doubloons", "treasure": "booty"}),
    "cowboy": (("Howdy, partner!", "Well, I'll be!", "Yeehaw!"), ("Happy trails.", "Giddy up!", "See ya 'round."),
               {"hello": "howdy", "hi": "howdy", "you all": "y'all", "friend": "partner", "going to": "fixin' to"}),
    "shakespeare": (("Hark!", "Good morrow!", "Prithee, attend:"), ("Fare thee well.", "Thus ends my counsel.",
                                                                     "Adieu, good friend."),
                    {"your": "thy", "yes": "aye", "hello": "good morrow", "before": "ere", "often": "oft"}),
    "robot": (("BEEP BOOP.", "PROCESSING REQUEST.", "AFFIRMATIVE."), ("END OF TRANSMISSION.", "BEEP.",
                                                                    "TASK COMPLETE."),
              {"yes": "affirmative", "no": "negative", "think": "compute", "people": "humans"}),
    "surfer": (("Dude!", "Whoa, totally!", "Hang loose!"), ("Stay stoked, dude.", "Catch you on the next wave!",
                                                            "Totally radical."),
               {"very": "super", "good": "gnarly", "great": "rad", "friend": "bro"}),
}
PERSONA_WORDS: dict[str, str] = {
    "pirate": "pirate", "buccaneer": "pirate", "cowboy": "cowboy", "cowgirl": "cowboy", "wild west": "cowboy",
    "shakespeare": "shakespeare", "shakespearean": "shakespeare", "bard": "shakespeare", "robot": "robot",
    "android": "robot", "surfer": "surfer",
}

# --- code -------------------------------------------------------------------------------------------------

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
CODE_TEMPLATES: dict[str, dict[str, str]] = {
    "reverse": {
        "python": 'def reverse_string(text: str) -> str:\n    """Return the characters of text in reverse order."""\n'
                  '    return text[::-1]\n\n\nprint(reverse_string("hello"))  # olleh',
        "javascript": 'function reverseString(str) {\n  return [...str].reverse().join("");\n}\n\n'
                      'console.log(reverseString("hello")); // "olleh"',
        "typescript": 'function reverseString(str: string): string {\n  return [...str].reverse().join("");\n}\n\n'
                      'console.log(reverseString("hello")); // "olleh"',
        "java": 'public class StringUtils {\n    public static String reverseString(String text) {\n'
                '        return new StringBuilder(text).reverse().toString();\n    }\n}',
        "go": 'func reverseString(s string) string {\n\trunes := []rune(s)\n'
              '\tfor i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {\n\t\trunes[i], runes[j] = runes[j], runes[i]\n'
              '\t}\n\treturn string(runes)\n}',
        "rust": 'fn reverse_string(s: &str) -> String {\n    s.chars().rev().collect()\n}\n\nfn main() {\n'
                '    println!("{}", reverse_string("hello")); // olleh\n}',
        "c": '#include <string.h>\n\nvoid reverse_string(char *s) {\n    size_t n = strlen(s);\n'
             '    for (size_t i = 0; i < n / 2; i++) {\n        char tmp = s[i];\n        s[i] = s[n - 1 - i];\n'
             '        s[n - 1 - i] = tmp;\n    }\n}',
        "cpp": '#include <algorithm>\n#include <string>\n\nstd::string reverse_string(std::string s) {\n'
               '    std::reverse(s.begin(), s.end());\n    return s;\n}',
        "csharp": 'public static string ReverseString(string text)\n{\n    var chars = text.ToCharArray();\n'
                  '    Array.Reverse(chars);\n    return new string(chars);\n}',
        "ruby": 'def reverse_string(text)\n  text.reverse\nend\n\nputs reverse_string("hello") # => olleh',
        "php": '<?php\n\nfunction reverseString(string $text): string\n{\n    return strrev($text);\n}\n\n'
               'echo reverseString("hello"); // olleh',
        "kotlin": 'fun reverseString(text: String): String = text.reversed()\n\nfun main() {\n'
                  '    println(reverseString("hello")) // olleh\n}',
        "swift": 'func reverseString(_ text: String) -> String {\n    return String(text.reversed())\n}\n\n'
                 'print(reverseString("hello")) // olleh',
        "bash": '#!/usr/bin/env bash\n\nreverse_string() {\n    local input="$1" reversed="" i\n'
                '    for (( i=${#input}-1; i>=0; i-- )); do\n        reversed+="${input:i:1}"\n    done\n'
                '    echo "$reversed"\n}\n\nreverse_string "hello"  # olleh',
    },
    "fibonacci": {
        "python": 'def fibonacci(n: int) -> list[int]:\n    """Return the first n Fibonacci numbers."""\n'
                  '    sequence = []\n    a, b = 0, 1\n    for _ in range(n):\n        sequence.append(a)\n'
                  '        a, b = b, a + b\n    return sequence\n\n\nprint(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]',
        "javascript": 'function fibonacci(n) {\n  const sequence = [];\n  let [a, b] = [0, 1];\n'
                      '  for (let i = 0; i < n; i++) {\n    sequence.push(a);\n    [a, b] = [b, a + b];\n  }\n'
                      '  return sequence;\n}\n\nconsole.log(fibonacci(10));',
        "typescript": 'function fibonacci(n: number): number[] {\n  const sequence: number[] = [];\n'
                      '  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) {\n    sequence.push(a);\n'
                      '    [a, b] = [b, a + b];\n  }\n  return sequence;\n}',
        "java": 'import java.util.ArrayList;\nimport java.util.List;\n\npublic class Fibonacci {\n'
                '    public static List<Long> fibonacci(int n) {\n        List<Long> sequence = new ArrayList<>();\n'
                '        long a = 0, b = 1;\n        for (int i = 0; i < n; i++) {\n            sequence.add(a);\n'
                '            long next = a + b;\n            a = b;\n            b = next;\n        }\n'
                '        return sequence;\n    }\n}',
        "go": 'func fibonacci(n int) []int {\n\tsequence := make([]int, 0, n)\n\ta, b := 0, 1\n'
              '\tfor i := 0; i < n; i++ {\n\t\tsequence = append(sequence, a)\n\t\ta, b = b, a+b\n\t}\n'
              '\treturn sequence\n}',
        "rust": 'fn fibonacci(n: usize) -> Vec<u64> {\n    let mut sequence = Vec::with_capacity(n);\n'
                '    let (mut a, mut b) = (0u64, 1u64);\n    for _ in 0..n {\n        sequence.push(a);\n'
                '        (a, b) = (b, a + b);\n    }\n    sequence\n}',
        "c": '#include <stdio.h>\n\nvoid print_fibonacci(int n) {\n    unsigned long long a = 0, b = 1;\n'
             '    for (int i = 0; i < n; i++) {\n        printf("%llu\\n", a);\n        unsigned long long next = a + b;\n'
             '        a = b;\n        b = next;\n    }\n}',
        "cpp": '#include <vector>\n\nstd::vector<long long> fibonacci(int n) {\n    std::vector<long long> sequence;\n'
               '    long long a = 0, b = 1;\n    for (int i = 0; i < n; ++i) {\n        sequence.push_back(a);\n'
               '        long long next = a + b;\n        a = b;\n        b = next;\n    }\n    return sequence;\n}',
        "csharp": 'public static List<long> Fibonacci(int n)\n{\n    var sequence = new List<long>();\n'
                  '    long a = 0, b = 1;\n    for (var i = 0; i < n; i++)\n    {\n        sequence.Add(a);\n'
                  '        (a, b) = (b, a + b);\n    }\n    return sequence;\n}',
        "ruby": 'def fibonacci(n)\n  sequence = []\n  a, b = 0, 1\n  n.times do\n    sequence << a\n'
                '    a, b = b, a + b\n  end\n  sequence\nend',
        "php": '<?php\n\nfunction fibonacci(int $n): array\n{\n    $sequence = [];\n    [$a, $b] = [0, 1];\n'
               '    for ($i = 0; $i < $n; $i++) {\n        $sequence[] = $a;\n        [$a, $b] = [$b, $a + $b];\n'
               '    }\n    return $sequence;\n}',
        "kotlin": 'fun fibonacci(n: Int): List<Long> {\n    val sequence = mutableListOf<Long>()\n'
                  '    var a = 0L\n    var b = 1L\n    repeat(n) {\n        sequence.add(a)\n'
                  '        val next = a + b\n        a = b\n        b = next\n    }\n    return sequence\n}',
        "swift": 'func fibonacci(_ n: Int) -> [Int] {\n    var sequence: [Int] = []\n    var (a, b) = (0, 1)\n'
                 '    for _ in 0..<n {\n        sequence.append(a)\n        (a, b) = (b, a + b)\n    }\n'
                 '    return sequence\n}',
        "bash": '#!/usr/bin/env bash\n\nfibonacci() {\n    local n="$1" a=0 b=1 i\n    for (( i=0; i<n; i++ )); do\n'
                '        echo "$a"\n        (( b = a + b, a = b - a ))\n    done\n}\n\nfibonacci 10',
    },
    "factorial": {
        "python": 'def factorial(n: int) -> int:\n    """Return n! for a non-negative integer n."""\n    if n < 0:\n'
                  '        raise ValueError("n must be non-negative")\n    result = 1\n    for i in range(2, n + 1):\n'
                  '        result *= i\n    return result\n\n\nprint(factorial(5))  # 120',
        "javascript": 'function factorial(n) {\n  if (n < 0) throw new RangeError("n must be non-negative");\n'
                      '  let result = 1;\n  for (let i = 2; i <= n; i++) result *= i;\n  return result;\n}',
        "typescript": 'function factorial(n: number): number {\n  if (n < 0) throw new RangeError("n must be non-negative");\n'
                      '  let result = 1;\n  for (let i = 2; i <= n; i++) result *= i;\n  return result;\n}',
        "java": 'public class MathUtils {\n    public static long factorial(int n) {\n'
                '        if (n < 0) throw new IllegalArgumentException("n must be non-negative");\n'
                '        long result = 1;\n        for (int i = 2; i <= n; i++) {\n            result *= i;\n'
                '        }\n        return result;\n    }\n}',
        "go": 'func factorial(n int) int {\n\tresult := 1\n\tfor i := 2; i <= n; i++ {\n\t\tresult *= i\n\t}\n'
              '\treturn result\n}',
        "rust": 'fn factorial(n: u64) -> u64 {\n    (1..=n).product()\n}',
        "c": 'unsigned long long factorial(unsigned int n) {\n    unsigned long long result = 1;\n'
             '    for (unsigned int i = 2; i <= n; i++) {\n        result *= i;\n    }\n    return result;\n}',
        "cpp": 'unsigned long long factorial(unsigned int n) {\n    return n <= 1 ? 1 : n * factorial(n - 1);\n}',
        "csharp": 'public static long Factorial(int n)\n{\n    long result = 1;\n    for (var i = 2; i <= n; i++)\n'
                  '    {\n        result *= i;\n    }\n    return result;\n}',
        "ruby": 'def factorial(n)\n  (1..n).reduce(1, :*)\nend',
        "php": '<?php\n\nfunction factorial(int $n): int\n{\n    return $n <= 1 ? 1 : $n * factorial($n - 1);\n}',
        "kotlin": 'fun factorial(n: Int): Long = (2..n).fold(1L) { acc, i -> acc * i }',
        "swift": 'func factorial(_ n: Int) -> Int {\n    return n <= 1 ? 1 : (2...n).reduce(1, *)\n}',
        "bash": '#!/usr/bin/env bash\n\nfactorial() {\n    local n="$1" result=1 i\n    for (( i=2; i<=n; i++ )); do\n'
                '        (( result *= i ))\n    done\n    echo "$result"\n}\n\nfactorial 5  # 120',
    },
    "prime": {
        "python": 'def is_prime(n: int) -> bool:\n    """Return True if n is a prime number."""\n    if n < 2:\n'
                  '        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n'
                  '            return False\n        i += 1\n    return True\n\n\nprint([n for n in range(20) if is_prime(n)])',
        "javascript": 'function isPrime(n) {\n  if (n < 2) return false;\n  for (let i = 2; i * i <= n; i++) {\n'
                      '    if (n % i === 0) return false;\n  }\n  return true;\n}',
        "typescript": 'function isPrime(n: number): boolean {\n  if (n < 2) return false;\n'
                      '  for (let i = 2; i * i <= n; i++) {\n    if (n % i === 0) return false;\n  }\n  return true;\n}',
        "java": 'public class Primes {\n    public static boolean isPrime(int n) {\n        if (n < 2) return false;\n'
                '        for (int i = 2; (long) i * i <= n; i++) {\n            if (n % i == 0) return false;\n'
                '        }\n        return true;\n    }\n}',
        "go": 'func isPrime(n int) bool {\n\tif n < 2 {\n\t\treturn false\n\t}\n\tfor i := 2; i*i <= n; i++ {\n'
              '\t\tif n%i == 0 {\n\t\t\treturn false\n\t\t}\n\t}\n\treturn true\n}',
        "rust": 'fn is_prime(n: u64) -> bool {\n    if n < 2 {\n        return false;\n    }\n'
                '    (2..).take_while(|i| i * i <= n).all(|i| n % i != 0)\n}',
        "c": '#include <stdbool.h>\n\nbool is_prime(int n) {\n    if (n < 2) return false;\n'
             '    for (int i = 2; i * i <= n; i++) {\n        if (n % i == 0) return false;\n    }\n    return true;\n}',
        "cpp": 'bool is_prime(int n) {\n    if (n < 2) return false;\n    for (int i = 2; i * i <= n; ++i) {\n'
               '        if (n % i == 0) return false;\n    }\n    return true;\n}',
        "csharp": 'public static bool IsPrime(int n)\n{\n    if (n < 2) return false;\n    for (var i = 2; i * i <= n; i++)\n'
                  '    {\n        if (n % i == 0) return false;\n    }\n    return true;\n}',
        "ruby": 'def prime?(n)\n  return false if n < 2\n\n  (2..Math.sqrt(n)).none? { |i| (n % i).zero? }\nend',
        "php": '<?php\n\nfunction isPrime(int $n): bool\n{\n    if ($n < 2) {\n        return false;\n    }\n'
               '    for ($i = 2; $i * $i <= $n; $i++) {\n        if ($n % $i === 0) {\n            return false;\n'
               '        }\n    }\n    return true;\n}',
        "kotlin": 'fun isPrime(n: Int): Boolean {\n    if (n < 2) return false\n'
                  '    return (2..Math.sqrt(n.toDouble()).toInt()).none { n % it == 0 }\n}',
        "swift": 'func isPrime(_ n: Int) -> Bool {\n    guard n >= 2 else { return false }\n    var i = 2\n'
                 '    while i * i <= n {\n        if n % i == 0 { return false }\n        i += 1\n    }\n    return true\n}',
        "bash": '#!/usr/bin/env bash\n\nis_prime() {\n    local n="$1" i\n    (( n < 2 )) && return 1\n'
                '    for (( i=2; i*i<=n; i++ )); do\n        (( n % i == 0 )) && return 1\n    done\n    return 0\n}\n\n'
                'is_prime 17 && echo "17 is prime"',
    },
    "sort": {
        "python": 'def sort_numbers(values: list[float], descending: bool = False) -> list[float]:\n'
                  '    """Return a new list with the values sorted."""\n    return sorted(values, reverse=descending)\n\n\n'
                  'print(sort_numbers([5, 2, 9, 1]))  # [1, 2, 5, 9]',
        "javascript": 'function sortNumbers(values) {\n  return [...values].sort((a, b) => a - b);\n}\n\n'
                      'console.log(sortNumbers([5, 2, 9, 1])); // [1, 2, 5, 9]',
        "typescript": 'function sortNumbers(values: number[]): number[] {\n  return [...values].sort((a, b) => a - b);\n}',
        "java": 'import java.util.ArrayList;\nimport java.util.Collections;\nimport java.util.List;\n\n'
                'public class Sorting {\n    public static List<Integer> sortNumbers(List<Integer> values) {\n'
                '        List<Integer> sorted = new ArrayList<>(values);\n        Collections.sort(sorted);\n'
                '        return sorted;\n    }\n}',
        "go": 'import "sort"\n\nfunc sortNumbers(values []int) []int {\n\tsorted := append([]int(nil), values...)\n'
              '\tsort.Ints(sorted)\n\treturn sorted\n}',
        "rust": 'fn sort_numbers(values: &[i32]) -> Vec<i32> {\n    let mut sorted = values.to_vec();\n'
                '    sorted.sort();\n    sorted\n}',
        "c": '#include <stdlib.h>\n\nstatic int compare_ints(const void *a, const void *b) {\n'
             '    int x = *(const int *)a, y = *(const int *)b;\n    return (x > y) - (x < y);\n}\n\n'
             'void sort_numbers(int *values, size_t count) {\n    qsort(values, count, sizeof(int), compare_ints);\n}',
        "cpp": '#include <algorithm>\n#include <vector>\n\nstd::vector<int> sort_numbers(std::vector<int> values) {\n'
               '    std::sort(values.begin(), values.end());\n    return values;\n}',
        "csharp": 'public static List<int> SortNumbers(IEnumerable<int> values)\n{\n'
                  '    return values.OrderBy(v => v).ToList();\n}',
        "ruby": 'def sort_numbers(values)\n  values.sort\nend\n\np sort_numbers([5, 2, 9, 1]) # => [1, 2, 5, 9]',
        "php": '<?php\n\nfunction sortNumbers(array $values): array\n{\n    sort($values);\n    return $values;\n}',
        "kotlin": 'fun sortNumbers(values: List<Int>): List<Int> = values.sorted()',
        "swift": 'func sortNumbers(_ values: [Int]) -> [Int] {\n    return values.sorted()\n}',
        "bash": '#!/usr/bin/env bash\n\nsort_numbers() {\n    printf "%s\\n" "$@" | sort -n\n}\n\nsort_numbers 5 2 9 1',
    },
    "binary_search": {
        "python": 'def binary_search(items: list[int], target: int) -> int:\n'
                  '    """Return the index of target in the sorted list items, or -1."""\n'
                  '    low, high = 0, len(items) - 1\n    while low <= high:\n        mid = (low + high) // 2\n'
                  '        if items[mid] == target:\n            return mid\n        if items[mid] < target:\n'
                  '            low = mid + 1\n        else:\n            high = mid - 1\n    return -1',
        "javascript": 'function binarySearch(items, target) {\n  let low = 0;\n  let high = items.length - 1;\n'
                      '  while (low <= high) {\n    const mid = Math.floor((low + high) / 2);\n'
                      '    if (items[mid] === target) return mid;\n    if (items[mid] < target) low = mid + 1;\n'
                      '    else high = mid - 1;\n  }\n  return -1;\n}',
        "typescript": 'function binarySearch(items: number[], target: number): number {\n  let low = 0;\n'
                      '  let high = items.length - 1;\n  while (low <= high) {\n'
                      '    const mid = Math.floor((low + high) / 2);\n    if (items[mid] === target) return mid;\n'
                      '    if (items[mid] < target) low = mid + 1;\n    else high = mid - 1;\n  }\n  return -1;\n}',
        "java": 'public class Search {\n    public static int binarySearch(int[] items, int target) {\n'
                '        int low = 0, high = items.length - 1;\n        while (low <= high) {\n'
                '            int mid = low + (high - low) / 2;\n            if (items[mid] == target) return mid;\n'
                '            if (items[mid] < target) low = mid + 1;\n            else high = mid - 1;\n        }\n'
                '        return -1;\n    }\n}',
        "go": 'func binarySearch(items []int, target int) int {\n\tlow, high := 0, len(items)-1\n'
              '\tfor low <= high {\n\t\tmid := low + (high-low)/2\n\t\tswitch {\n\t\tcase items[mid] == target:\n'
              '\t\t\treturn mid\n\t\tcase items[mid] < target:\n\t\t\tlow = mid + 1\n\t\tdefault:\n'
              '\t\t\thigh = mid - 1\n\t\t}\n\t}\n\treturn -1\n}',
        "rust": 'fn binary_search(items: &[i32], target: i32) -> Option<usize> {\n'
                '    let (mut low, mut high) = (0usize, items.len());\n    while low < high {\n'
                '        let mid = low + (high - low) / 2;\n        match items[mid].cmp(&target) {\n'
                '            std::cmp::Ordering::Equal => return Some(mid),\n'
                '            std::cmp::Ordering::Less => low = mid + 1,\n'
                '            std::cmp::Ordering::Greater => high = mid,\n        }\n    }\n    None\n}',
        "c": 'int binary_search(const int *items, int count, int target) {\n    int low = 0, high = count - 1;\n'
             '    while (low <= high) {\n        int mid = low + (high - low) / 2;\n'
             '        if (items[mid] == target) return mid;\n        if (items[mid] < target) low = mid + 1;\n'
             '        else high = mid - 1;\n    }\n    return -1;\n}',
        "cpp": '#include <vector>\n\nint binary_search(const std::vector<int>& items, int target) {\n'
               '    int low = 0, high = static_cast<int>(items.size()) - 1;\n    while (low <= high) {\n'
               '        int mid = low + (high - low) / 2;\n        if (items[mid] == target) return mid;\n'
               '        if (items[mid] < target) low = mid + 1;\n        else high = mid - 1;\n    }\n    return -1;\n}',
        "csharp": 'public static int BinarySearch(int[] items, int target)\n{\n    int low = 0, high = items.Length - 1;\n'
                  '    while (low <= high)\n    {\n        int mid = low + (high - low) / 2;\n'
                  '        if (items[mid] == target) return mid;\n        if (items[mid] < target) low = mid + 1;\n'
                  '        else high = mid - 1;\n    }\n    return -1;\n}',
        "ruby": 'def binary_search(items, target)\n  low, high = 0, items.length - 1\n  while low <= high\n'
                '    mid = (low + high) / 2\n    return mid if items[mid] == target\n\n'
                '    items[mid] < target ? low = mid + 1 : high = mid - 1\n  end\n  -1\nend',
        "php": '<?php\n\nfunction binarySearch(array $items, int $target): int\n{\n    $low = 0;\n'
               '    $high = count($items) - 1;\n    while ($low <= $high) {\n        $mid = intdiv($low + $high, 2);\n'
               '        if ($items[$mid] === $target) {\n            return $mid;\n        }\n'
               '        if ($items[$mid] < $target) {\n            $low = $mid + 1;\n        } else {\n'
               '            $high = $mid - 1;\n        }\n    }\n    return -1;\n}',
        "kotlin": 'fun binarySearch(items: List<Int>, target: Int): Int {\n    var low = 0\n'
                  '    var high = items.size - 1\n    while (low <= high) {\n        val mid = (low + high) ushr 1\n'
                  '        when {\n            items[mid] == target -> return mid\n'
                  '            items[mid] < target -> low = mid + 1\n            else -> high = mid - 1\n        }\n'
                  '    }\n    return -1\n}',
        "swift": 'func binarySearch(_ items: [Int], _ target: Int) -> Int? {\n    var low = 0\n'
                 '    var high = items.count - 1\n    while low <= high {\n        let mid = (low + high) / 2\n'
                 '        if items[mid] == target { return mid }\n        if items[mid] < target {\n'
                 '            low = mid + 1\n        } else {\n            high = mid - 1\n        }\n    }\n'
                 '    return nil\n}',
    },
    "read_file": {
        "python": 'from pathlib import Path\n\n\ndef read_file(path: str) -> str:\n'
                  '    """Return the whole text content of the file at path."""\n'
                  '    return Path(path).read_text(encoding="utf-8")\n\n\nfor line in read_file("notes.txt").splitlines():\n'
                  '    print(line)',
        "javascript": 'const fs = require("fs/promises");\n\nasync function readFile(path) {\n'
                      '  return fs.readFile(path, "utf8");\n}\n\nreadFile("notes.txt").then(console.log);',
        "typescript": 'import { readFile } from "fs/promises";\n\nasync function readTextFile(path: string): Promise<string> {\n'
                      '  return readFile(path, "utf8");\n}',
        "java": 'import java.io.IOException;\nimport java.nio.file.Files;\nimport java.nio.file.Path;\n\n'
                'public class FileReader {\n    public static String readFile(String path) throws IOException {\n'
                '        return Files.readString(Path.of(path));\n    }\n}',
        "go": 'import "os"\n\nfunc readFile(path string) (string, error) {\n\tdata, err := os.ReadFile(path)\n'
              '\tif err != nil {\n\t\treturn "", err\n\t}\n\treturn string(data), nil\n}',
        "rust": 'use std::fs;\nuse std::io;\n\nfn read_file(path: &str) -> io::Result<String> {\n'
                '    fs::read_to_string(path)\n}',
        "c": '#include <stdio.h>\n\nint print_file(const char *path) {\n    FILE *file = fopen(path, "r");\n'
             '    if (file == NULL) return -1;\n    char line[1024];\n    while (fgets(line, sizeof line, file)) {\n'
             '        fputs(line, stdout);\n    }\n    fclose(file);\n    return 0;\n}',
        "cpp": '#include <fstream>\n#include <sstream>\n#include <string>\n\nstd::string read_file(const std::string& path) {\n'
               '    std::ifstream file(path);\n    std::stringstream buffer;\n    buffer << file.rdbuf();\n'
               '    return buffer.str();\n}',
        "csharp": 'public static string ReadFile(string path)\n{\n    return File.ReadAllText(path);\n}',
        "ruby": 'def read_file(path)\n  File.read(path)\nend\n\nputs read_file("notes.txt")',
        "php": '<?php\n\nfunction readTextFile(string $path): string\n{\n    $contents = file_get_contents($path);\n'
               '    if ($contents === false) {\n        throw new RuntimeException("Cannot read $path");\n    }\n'
               '    return $contents;\n}',
        "kotlin": 'import java.io.File\n\nfun readFile(path: String): String = File(path).readText()',
        "swift": 'import Foundation\n\nfunc readFile(atPath path: String) throws -> String {\n'
                 '    return try String(contentsOfFile: path, encoding: .utf8)\n}',
        "bash": '#!/usr/bin/env bash\n\nread_file() {\n    local path="$1" line\n'
                '    while IFS= read -r line; do\n        echo "$line"\n    done < "$path"\n}\n\nread_file notes.txt',
    },
    "http": {
        "python": 'import json\nimport urllib.request\n\n\ndef fetch_json(url: str) -> dict:\n'
                  '    """GET url and decode the JSON response body."""\n'
                  '    with urllib.request.urlopen(url, timeout=10) as response:\n        return json.load(response)\n\n\n'
                  'print(fetch_json("https://api.example.com/items"))',
        "javascript": 'async function fetchJson(url) {\n  const response = await fetch(url);\n  if (!response.ok) {\n'
                      '    throw new Error(`Request failed with status ${response.status}`);\n  }\n'
                      '  return response.json();\n}',
        "typescript": 'async function fetchJson<T>(url: string): Promise<T> {\n  const response = await fetch(url);\n'
                      '  if (!response.ok) {\n    throw new Error(`Request failed with status ${response.status}`);\n'
                      '  }\n  return (await response.json()) as T;\n}',
        "java": 'import java.net.URI;\nimport java.net.http.HttpClient;\nimport java.net.http.HttpRequest;\n'
                'import java.net.http.HttpResponse;\n\npublic class Fetcher {\n'
                '    public static String fetch(String url) throws Exception {\n'
                '        HttpClient client = HttpClient.newHttpClient();\n'
                '        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();\n'
                '        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();\n    }\n}',
        "go": 'import (\n\t"io"\n\t"net/http"\n)\n\nfunc fetch(url string) (string, error) {\n'
              '\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn "", err\n\t}\n\tdefer resp.Body.Close()\n'
              '\tbody, err := io.ReadAll(resp.Body)\n\treturn string(body), err\n}',
        "rust": '// Cargo.toml: reqwest = { version = "0.12", features = ["blocking"] }\n'
                'fn fetch(url: &str) -> Result<String, reqwest::Error> {\n'
                '    reqwest::blocking::get(url)?.text()\n}',
        "c": '#include <curl/curl.h>\n\nint fetch(const char *url) {\n    CURL *curl = curl_easy_init();\n'
             '    if (curl == NULL) return -1;\n    curl_easy_setopt(curl, CURLOPT_URL, url);\n'
             '    CURLcode result = curl_easy_perform(curl);\n    curl_easy_cleanup(curl);\n'
             '    return result == CURLE_OK ? 0 : -1;\n}',
        "cpp": '#include <curl/curl.h>\n#include <string>\n\nstatic size_t append(char *data, size_t size, size_t count, void *out) {\n'
               '    static_cast<std::string *>(out)->append(data, size * count);\n    return size * count;\n}\n\n'
               'std::string fetch(const std::string& url) {\n    std::string body;\n    CURL *curl = curl_easy_init();\n'
               '    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());\n'
               '    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);\n'
               '    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);\n    curl_easy_perform(curl);\n'
               '    curl_easy_cleanup(curl);\n    return body;\n}',
        "csharp": 'private static readonly HttpClient Client = new();\n\npublic static async Task<string> FetchAsync(string url)\n'
                  '{\n    var response = await Client.GetAsync(url);\n    response.EnsureSuccessStatusCode();\n'
                  '    return await response.Content.ReadAsStringAsync();\n}',
        "ruby": 'require "net/http"\nrequire "json"\n\ndef fetch_json(url)\n  response = Net::HTTP.get_response(URI(url))\n'
                '  raise "Request failed: #{response.code}" unless response.is_a?(Net::HTTPSuccess)\n\n'
                '  JSON.parse(response.body)\nend',
        "php": '<?php\n\nfunction fetchJson(string $url): array\n{\n    $body = file_get_contents($url);\n'
               '    if ($body === false) {\n        throw new RuntimeException("Request to $url failed");\n    }\n'
               '    return json_decode($body, true, 512, JSON_THROW_ON_ERROR);\n}',
        "kotlin": 'import java.net.URL\n\nfun fetch(url: String): String = URL(url).readText()',
        "swift": 'import Foundation\n\nfunc fetch(_ url: URL) async throws -> Data {\n'
                 '    let (data, _) = try await URLSession.shared.data(from: url)\n    return data\n}',
        "bash": '#!/usr/bin/env bash\nset -euo pipefail\n\nurl="${1:-https://api.example.com/items}"\n'
                'curl --fail --silent --show-error "$url"',
    },
    "hello": {
        "python": 'def main() -> None:\n    print("Hello, world!")\n\n\nif __name__ == "__main__":\n    main()',
        "javascript": 'console.log("Hello, world!");',
        "typescript": 'const greeting: string = "Hello, world!";\nconsole.log(greeting);',
        "java": 'public class HelloWorld {\n    public static void main(String[] args) {\n'
                '        System.out.println("Hello, world!");\n    }\n}',
        "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, world!")\n}',
        "rust": 'fn main() {\n    println!("Hello, world!");\n}',
        "c": '#include <stdio.h>\n\nint main(void) {\n    printf("Hello, world!\\n");\n    return 0;\n}',
        "cpp": '#include <iostream>\n\nint main() {\n    std::cout << "Hello, world!" << std::endl;\n    return 0;\n}',
        "csharp": 'using System;\n\nclass Program\n{\n    static void Main()\n    {\n'
                  '        Console.WriteLine("Hello, world!");\n    }\n}',
        "ruby": 'puts "Hello, world!"',
        "php": '<?php\n\necho "Hello, world!\\n";',
        "kotlin": 'fun main() {\n    println("Hello, world!")\n}',
        "swift": 'print("Hello, world!")',
        "bash": '#!/usr/bin/env bash\n\necho "Hello, world!"',
        "html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>Hello</title>\n'
                '</head>\n<body>\n  <h1>Hello, world!</h1>\n</body>\n</html>',
        "sql": "SELECT 'Hello, world!' AS greeting;",
    },
    "sum": {
        "python": 'def sum_list(numbers: list[float]) -> float:\n    """Return the sum of all numbers in the list."""\n'
                  '    total = 0\n    for number in numbers:\n        total += number\n    return total\n\n\n'
                  'print(sum_list([1, 2, 3, 4]))  # 10',
        "javascript": 'function sumList(numbers) {\n  return numbers.reduce((total, n) => total + n, 0);\n}\n\n'
                      'console.log(sumList([1, 2, 3, 4])); // 10',
        "typescript": 'function sumList(numbers: number[]): number {\n  return numbers.reduce((total, n) => total + n, 0);\n}',
        "java": 'import java.util.List;\n\npublic class Sums {\n    public static int sumList(List<Integer> numbers) {\n'
                '        return numbers.stream().mapToInt(Integer::intValue).sum();\n    }\n}',
        "go": 'func sumList(numbers []int) int {\n\ttotal := 0\n\tfor _, n := range numbers {\n\t\ttotal += n\n\t}\n'
              '\treturn total\n}',
        "rust": 'fn sum_list(numbers: &[i64]) -> i64 {\n    numbers.iter().sum()\n}',
        "c": 'long sum_list(const int *numbers, size_t count) {\n    long total = 0;\n'
             '    for (size_t i = 0; i < count; i++) {\n        total += numbers[i];\n    }\n    return total;\n}',
        "cpp": '#include <numeric>\n#include <vector>\n\nlong long sum_list(const std::vector<int>& numbers) {\n'
               '    return std::accumulate(numbers.begin(), numbers.end(), 0LL);\n}',
        "csharp": 'public static int SumList(IEnumerable<int> numbers)\n{\n    return numbers.Sum();\n}',
        "ruby": 'def sum_list(numbers)\n  numbers.sum\nend',
        "php": '<?php\n\nfunction sumList(array $numbers): float\n{\n    return array_sum($numbers);\n}',
        "kotlin": 'fun sumList(numbers: List<Int>): Int = numbers.sum()',
        "swift": 'func sumList(_ numbers: [Int]) -> Int {\n    return numbers.reduce(0, +)\n}',
        "bash": '#!/usr/bin/env bash\n\nsum_list() {\n    local total=0 n\n    for n in "$@"; do\n'
                '        (( total += n ))\n    done\n    echo "$total"\n}\n\nsum_list 1 2 3 4  # 10',
    },
    "count_words": {
        "python": 'from collections import Counter\n\n\ndef count_words(text: str) -> Counter[str]:\n'
                  '    """Count how often each word appears in text, ignoring case."""\n'
                  '    return Counter(text.lower().split())\n\n\nprint(count_words("the cat and the hat").most_common(2))',
        "javascript": 'function countWords(text) {\n  const counts = new Map();\n'
                      '  for (const word of text.toLowerCase().split(/\\s+/).filter(Boolean)) {\n'
                      '    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts;\n}',
        "typescript": 'function countWords(text: string): Map<string, number> {\n  const counts = new Map<string, number>();\n'
                      '  for (const word of text.toLowerCase().split(/\\s+/).filter(Boolean)) {\n'
                      '    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts;\n}',
        "java": 'import java.util.HashMap;\nimport java.util.Map;\n\npublic class WordCounter {\n'
                '    public static Map<String, Integer> countWords(String text) {\n'
                '        Map<String, Integer> counts = new HashMap<>();\n'
                '        for (String word : text.toLowerCase().split("\\\\s+")) {\n'
                '            if (!word.isEmpty()) counts.merge(word, 1, Integer::sum);\n        }\n'
                '        return counts;\n    }\n}',
        "go": 'import "strings"\n\nfunc countWords(text string) map[string]int {\n\tcounts := make(map[string]int)\n'
              '\tfor _, word := range strings.Fields(strings.ToLower(text)) {\n\t\tcounts[word]++\n\t}\n'
              '\treturn counts\n}',
        "rust": 'use std::collections::HashMap;\n\nfn count_words(text: &str) -> HashMap<String, usize> {\n'
                '    let mut counts = HashMap::new();\n    for word in text.split_whitespace() {\n'
                '        *counts.entry(word.to_lowercase()).or_insert(0) += 1;\n    }\n    counts\n}',
        "cpp": '#include <map>\n#include <sstream>\n#include <string>\n\n'
               'std::map<std::string, int> count_words(const std::string& text) {\n'
               '    std::map<std::string, int> counts;\n    std::istringstream stream(text);\n    std::string word;\n'
               '    while (stream >> word) {\n        ++counts[word];\n    }\n    return counts;\n}',
        "csharp": 'public static Dictionary<string, int> CountWords(string text)\n{\n'
                  '    return text.ToLowerInvariant()\n'
                  '        .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)\n'
                  '        .GroupBy(word => word)\n        .ToDictionary(group => group.Key, group => group.Count());\n}',
        "ruby": 'def count_words(text)\n  text.downcase.split.tally\nend',
        "php": '<?php\n\nfunction countWords(string $text): array\n{\n'
               '    return array_count_values(str_word_count(strtolower($text), 1));\n}',
        "kotlin": 'fun countWords(text: String): Map<String, Int> =\n'
                  '    text.lowercase().split(Regex("\\\\s+")).filter { it.isNotEmpty() }.groupingBy { it }.eachCount()',
        "swift": 'func countWords(_ text: String) -> [String: Int] {\n    var counts: [String: Int] = [:]\n'
                 '    for word in text.lowercased().split(whereSeparator: { $0.isWhitespace }) {\n'
                 '        counts[String(word), default: 0] += 1\n    }\n    return counts\n}',
        "bash": '#!/usr/bin/env bash\n\ncount_words() {\n    tr -s "[:space:]" "\\n" < "$1" | tr "[:upper:]" "[:lower:]" \\\n'
                '        | sort | uniq -c | sort -rn\n}\n\ncount_words notes.txt',
    },
    "palindrome": {
        "python": 'def is_palindrome(text: str) -> bool:\n    """Return True if text reads the same forwards and backwards."""\n'
                  '    cleaned = [c.lower() for c in text if c.isalnum()]\n    return cleaned == cleaned[::-1]\n\n\n'
                  'print(is_palindrome("A man, a plan, a canal: Panama"))  # True',
        "javascript": 'function isPalindrome(text) {\n  const cleaned = text.toLowerCase().replace(/[^a-z0-9]/g, "");\n'
                      '  return cleaned === [...cleaned].reverse().join("");\n}',
        "typescript": 'function isPalindrome(text: string): boolean {\n'
                      '  const cleaned = text.toLowerCase().replace(/[^a-z0-9]/g, "");\n'
                      '  return cleaned === [...cleaned].reverse().join("");\n}',
        "java": 'public class Palindromes {\n    public static boolean isPalindrome(String text) {\n'
                '        String cleaned = text.toLowerCase().replaceAll("[^a-z0-9]", "");\n'
                '        return new StringBuilder(cleaned).reverse().toString().equals(cleaned);\n    }\n}',
        "go": 'import (\n\t"strings"\n\t"unicode"\n)\n\nfunc isPalindrome(text string) bool {\n\tvar cleaned []rune\n'
              '\tfor _, r := range strings.ToLower(text) {\n\t\tif unicode.IsLetter(r) || unicode.IsDigit(r) {\n'
              '\t\t\tcleaned = append(cleaned, r)\n\t\t}\n\t}\n\tfor i, j := 0, len(cleaned)-1; i < j; i, j = i+1, j-1 {\n'
              '\t\tif cleaned[i] != cleaned[j] {\n\t\t\treturn false\n\t\t}\n\t}\n\treturn true\n}',
        "rust": 'fn is_palindrome(text: &str) -> bool {\n    let cleaned: Vec<char> = text\n        .chars()\n'
                '        .filter(|c| c.is_alphanumeric())\n        .map(|c| c.to_ascii_lowercase())\n        .collect();\n'
                '    cleaned.iter().eq(cleaned.iter().rev())\n}',
        "c": '#include <ctype.h>\n#include <stdbool.h>\n#include <string.h>\n\nbool is_palindrome(const char *text) {\n'
             '    size_t i = 0, j = strlen(text);\n    while (i < j) {\n'
             '        if (!isalnum((unsigned char)text[i])) { i++; continue; }\n'
             '        if (!isalnum((unsigned char)text[j - 1])) { j--; continue; }\n'
             '        if (tolower((unsigned char)text[i]) != tolower((unsigned char)text[j - 1])) return false;\n'
             '        i++;\n        j--;\n    }\n    return true;\n}',
        "cpp": '#include <algorithm>\n#include <cctype>\n#include <string>\n\nbool is_palindrome(const std::string& text) {\n'
               '    std::string cleaned;\n    for (unsigned char c : text) {\n'
               '        if (std::isalnum(c)) cleaned += static_cast<char>(std::tolower(c));\n    }\n'
               '    return std::equal(cleaned.begin(), cleaned.begin() + cleaned.size() / 2, cleaned.rbegin());\n}',
        "csharp": 'public static bool IsPalindrome(string text)\n{\n'
                  '    var cleaned = new string(text.Where(char.IsLetterOrDigit).Select(char.ToLower).ToArray());\n'
                  '    return cleaned.SequenceEqual(cleaned.Reverse());\n}',
        "ruby": 'def palindrome?(text)\n  cleaned = text.downcase.gsub(/[^a-z0-9]/, "")\n  cleaned == cleaned.reverse\nend',
        "php": '<?php\n\nfunction isPalindrome(string $text): bool\n{\n'
               '    $cleaned = preg_replace("/[^a-z0-9]/", "", strtolower($text));\n    return $cleaned === strrev($cleaned);\n}',
        "kotlin": 'fun isPalindrome(text: String): Boolean {\n'
                  '    val cleaned = text.lowercase().filter { it.isLetterOrDigit() }\n    return cleaned == cleaned.reversed()\n}',
        "swift": 'func isPalindrome(_ text: String) -> Bool {\n'
                 '    let cleaned = text.lowercased().filter { $0.isLetter || $0.isNumber }\n'
                 '    return cleaned == String(cleaned.reversed())\n}',
        "bash": '#!/usr/bin/env bash\n\nis_palindrome() {\n'
                '    local cleaned\n    cleaned="$(echo "$1" | tr -cd "[:alnum:]" | tr "[:upper:]" "[:lower:]")"\n'
                '    [[ "$cleaned" == "$(echo "$cleaned" | rev)" ]]\n}\n\nis_palindrome "Racecar" && echo "palindrome"',
    },
    "backup": {
        "bash": '#!/usr/bin/env bash\nset -euo pipefail\n\nsource_dir="${1:?usage: backup.sh SOURCE_DIR [DEST_DIR]}"\n'
                'dest_dir="${2:-$HOME/backups}"\ntimestamp="$(date +%Y%m%d-%H%M%S)"\narchive="$dest_dir/$(basename "$source_dir")-$timestamp.tar.gz"\n\n'
                'mkdir -p "$dest_dir"\ntar -czf "$archive" -C "$(dirname "$source_dir")" "$(basename "$source_dir")"\n'
                'echo "Backup written to $archive"',
        "python": 'import shutil\nfrom datetime import datetime\nfrom pathlib import Path\n\n\n'
                  'def backup_folder(source: str, destination: str = "backups") -> Path:\n'
                  '    """Write a timestamped .tar.gz archive of source into destination."""\n'
                  '    Path(destination).mkdir(parents=True, exist_ok=True)\n'
                  '    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")\n'
                  '    base = Path(destination) / f"{Path(source).name}-{stamp}"\n'
                  '    return Path(shutil.make_archive(str(base), "gztar", root_dir=source))',
    },
}

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
