"""The fallback answer's prose, the empty-message replies and the closers that keep variants apart."""

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
