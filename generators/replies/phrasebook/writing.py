"""Letters, short prose, stories, poems, haiku and jokes."""

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
