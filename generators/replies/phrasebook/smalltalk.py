"""Greetings, thanks, goodbyes, who-am-I answers and replies about attachments."""

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
