"""Words that classify a message: stopwords, request words, pronouns, determiners, numbers."""

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
