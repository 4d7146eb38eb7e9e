"""Answers that report a result: arithmetic, summaries and tool output."""

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
