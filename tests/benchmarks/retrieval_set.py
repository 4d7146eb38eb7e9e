"""A small retrieval set: 10 topics x 5 documents, a question per topic's two documents that shares words
with it, and a paraphrase per the same documents that shares none (stopwords aside): only meaning finds it.

Each query names the one document (topic, index) that answers it; a neighbour on the same topic is a miss.
"""
from __future__ import annotations

DOCUMENTS: dict[str, list[str]] = {
    "astronomy": [
        "The Moon orbits the Earth roughly every twenty-seven days and always shows the same face.",
        "Black holes form when massive stars collapse, and not even light escapes their gravity.",
        "Mars has the tallest volcano in the solar system, Olympus Mons, three times the height of Everest.",
        "Telescopes on satellites avoid the blurring caused by the atmosphere.",
        "A comet's tail points away from the Sun because the solar wind pushes its gas and dust.",
    ],
    "cooking": [
        "Knead bread dough for ten minutes so the gluten develops and the loaf rises well.",
        "Sear the steak in a very hot pan, then let the meat rest before slicing.",
        "Risotto needs warm stock added one ladle at a time while stirring the rice.",
        "Whisk egg whites with sugar until stiff peaks form to make meringue.",
        "Marinate the chicken overnight in yogurt, garlic and spices before grilling.",
    ],
    "football": [
        "The striker scored a hat-trick in the cup final and the crowd went wild.",
        "The goalkeeper saved a penalty in the last minute of extra time.",
        "The referee showed a red card after a dangerous tackle from behind.",
        "The club signed a young midfielder for a record transfer fee.",
        "The team was relegated to the second division after losing its last match.",
    ],
    "medicine": [
        "Antibiotics treat bacterial infections but are useless against viruses.",
        "Vaccines train the immune system to recognise a pathogen before an infection.",
        "High blood pressure raises the risk of heart attack and stroke.",
        "Insulin lets cells absorb glucose; diabetes appears when the body lacks it or resists it.",
        "A broken bone is set and held in a cast for several weeks while it heals.",
    ],
    "finance": [
        "The central bank raised interest rates to bring inflation down.",
        "Diversifying a portfolio across stocks and bonds reduces risk.",
        "The invoice must be paid within thirty days of receipt.",
        "Mortgage payments depend on the loan amount, the term and the rate.",
        "Shares of the company fell after it reported a quarterly loss.",
    ],
    "programming": [
        "Python lists are mutable sequences, while tuples cannot be changed after creation.",
        "A memory leak happens when a program keeps allocating memory it never frees.",
        "Git branches let developers work on features without touching the main code.",
        "Unit tests check small pieces of code in isolation to catch regressions early.",
        "A database index speeds up queries at the cost of slower writes.",
    ],
    "gardening": [
        "Tomato plants need full sun, regular watering and a stake to climb.",
        "Prune rose bushes in late winter to encourage new growth.",
        "Compost made from kitchen scraps enriches the soil with nutrients.",
        "Aphids on the leaves can be washed off or eaten by ladybugs.",
        "Plant tulip bulbs in autumn so they bloom in spring.",
    ],
    "music": [
        "The orchestra performed Beethoven's Ninth Symphony with a full choir.",
        "A guitar has six strings tuned E, A, D, G, B and E.",
        "The band's new album topped the charts in its first week.",
        "Jazz musicians often improvise solos over a chord progression.",
        "Piano students practise scales every day to build finger strength.",
    ],
    "travel": [
        "The flight was delayed three hours because of a storm at the airport.",
        "Pack your passport and check the visa requirements before an international trip.",
        "The hotel room had a balcony with a view of the sea.",
        "Trains in Japan are famous for leaving exactly on time.",
        "Travel insurance covers lost luggage and medical costs abroad.",
    ],
    "law": [
        "The jury found the defendant guilty after two days of deliberation.",
        "A contract is binding when both parties agree to its terms.",
        "The tenant sued the landlord for failing to return the deposit.",
        "Copyright protects original works such as books, songs and software.",
        "The suspect has the right to remain silent and to speak to a lawyer.",
    ],
}

# (topic, document index) -> (a question that shares words, a paraphrase that shares none)
QUERIES: dict[tuple[str, int], tuple[str, str]] = {
    ("astronomy", 1): ("What happens when massive stars collapse?",
                       "Which cosmic objects trap everything, photons included?"),
    ("astronomy", 2): ("Where is the tallest volcano in the solar system?",
                       "Which planet hosts a giant peak bigger than any mountain here?"),
    ("cooking", 0): ("How long should I knead bread dough?",
                     "Working yeast pastry by hand: for how much time?"),
    ("cooking", 3): ("How do I make meringue from egg whites?",
                     "Beating albumen with sweetener into firm foam"),
    ("football", 1): ("Did the goalkeeper save the penalty?",
                      "Keeper stopped a spot kick at the very end"),
    ("football", 2): ("Why did the referee show a red card?",
                      "Player sent off for a reckless foul"),
    ("medicine", 0): ("Do antibiotics work against viruses?",
                      "Can penicillin cure flu or a cold?"),
    ("medicine", 3): ("What does insulin do for glucose?",
                      "Hormone regulating sugar levels for diabetic patients"),
    ("finance", 0): ("Why did the central bank raise interest rates?",
                     "Monetary authority tightens policy against rising prices"),
    ("finance", 2): ("When must the invoice be paid?",
                     "Deadline for settling a bill"),
    ("programming", 1): ("What causes a memory leak in a program?",
                         "Software that allocates RAM without releasing it"),
    ("programming", 2): ("What are Git branches for?",
                         "Version control: parallel lines of development"),
    ("gardening", 0): ("What do tomato plants need?",
                       "Growing vegetables: sunlight, water, support"),
    ("gardening", 3): ("How do I get rid of aphids on the leaves?",
                       "Insect pests on foliage: what to do"),
    ("music", 1): ("How many strings does a guitar have?",
                   "Tuning an acoustic instrument with frets"),
    ("music", 3): ("Do jazz musicians improvise solos?",
                   "Spontaneous melodies played by saxophonists"),
    ("travel", 0): ("Why was the flight delayed at the airport?",
                    "Plane departure postponed by bad weather"),
    ("travel", 1): ("What should I pack for an international trip?",
                    "Documents needed to cross borders, entry permits"),
    ("law", 0): ("What did the jury decide about the defendant?",
                 "Verdict reached by jurors: convicted"),
    ("law", 2): ("Why did the tenant sue the landlord?",
                 "Renter takes property owner to court over money"),
}

STOPWORDS = frozenset(
    "a an and are as at be by can do does for from has have how i in is it its of on or the to what when "
    "where which why with".split())
