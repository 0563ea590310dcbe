"""Word lists for the NLP extractors: reporting verbs, quotation marks, title cues.

Lemmas are lower-case; spaCy's English lemmatizer gives `say` for `said`, `emphasize` for `emphasizing`.
"""

from __future__ import annotations

# Verbs that report speech or a stated position. A verb here with a content clause is a quote cue.
REPORTING_VERBS: frozenset[str] = frozenset(
    {
        "acknowledge",
        "add",
        "admit",
        "advise",
        "allege",
        "announce",
        "answer",
        "argue",
        "ask",
        "assert",
        "assure",
        "believe",
        "boast",
        "caution",
        "claim",
        "comment",
        "complain",
        "concede",
        "conclude",
        "confide",
        "confirm",
        "contend",
        "declare",
        "deny",
        "emphasise",
        "emphasize",
        "estimate",
        "explain",
        "forecast",
        "highlight",
        "indicate",
        "insist",
        "joke",
        "maintain",
        "note",
        "observe",
        "pledge",
        "point",  # only with the particle `out`, checked in code
        "predict",
        "promise",
        "quip",
        "reaffirm",
        "recall",
        "remark",
        "reiterate",
        "reply",
        "report",
        "respond",
        "reveal",
        "say",
        "state",
        "stress",
        "tell",
        "testify",
        "underline",
        "underscore",
        "urge",
        "vow",
        "warn",
        "write",
    }
)

# Epistemic verbs: reported belief rather than speech, so a quote they cue is less certain.
WEAK_REPORTING_VERBS: frozenset[str] = frozenset({"believe", "estimate", "forecast", "predict"})

# Verbs whose content can be a to-infinitive: `urged the industry to eliminate barriers`.
XCOMP_REPORTING_VERBS: frozenset[str] = frozenset({"advise", "ask", "pledge", "promise", "tell", "urge", "vow", "warn"})

# Verbs whose content can be their object phrase: `highlighted the need to ...`.
OBJECT_REPORTING_VERBS: frozenset[str] = frozenset(
    {
        "emphasise",
        "emphasize",
        "highlight",
        "note",
        "reaffirm",
        "reiterate",
        "stress",
        "underline",
        "underscore",
    }
)

# Verbs whose direct object is the hearer, not the content: `told reporters that ...`.
HEARER_OBJECT_VERBS: frozenset[str] = frozenset({"assure", "tell", "warn", "advise", "urge", "remind"})

# Common nouns that can be the source in `according to X` (names and organisations always can).
SOURCE_NOUNS: frozenset[str] = frozenset(
    {
        "analysis",
        "analyst",
        "authority",
        "data",
        "estimate",
        "expert",
        "figure",
        "forecast",
        "government",
        "industry",
        "minister",
        "ministry",
        "official",
        "police",
        "poll",
        "report",
        "research",
        "researcher",
        "source",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "statement",
        "statistic",
        "study",
        "survey",
        "witness",
    }
)

# Subjects that are never a speaker: expletives and relative pronouns resolved elsewhere.
NON_SPEAKER_SUBJECTS: frozenset[str] = frozenset({"it", "this", "that", "there", "what", "which", "these"})

PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"they"})

# Quotation marks, by family. Nested quotes use the other family.
DOUBLE_QUOTES: frozenset[str] = frozenset({'"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb"})
SINGLE_QUOTES: frozenset[str] = frozenset({"'", "\u2018", "\u2019", "\u201a", "\u2039", "\u203a"})
OPENING_QUOTES: frozenset[str] = frozenset({"\u201c", "\u201e", "\u00ab", "\u2018", "\u201a", "\u2039"})
CLOSING_QUOTES: frozenset[str] = frozenset({"\u201d", "\u00bb", "\u2019", "\u203a"})

# Characters after which a quotation mark still opens (`said: "We`, `("We`).
OPEN_CONTEXT: frozenset[str] = frozenset("([{\u2014\u2013-:/")
# Characters before which a quotation mark still closes (`imports".`, `win"?`).
CLOSE_CONTEXT: frozenset[str] = frozenset(".,;:!?)]}\u2014\u2013-")

# A quoted phrase right after one of these is a title, name or scare quote, not speech.
TITLE_CUES: frozenset[str] = frozenset(
    {
        "album",
        "book",
        "brand",
        "called",
        "campaign",
        "dubbed",
        "entitled",
        "episode",
        "film",
        "headline",
        "magazine",
        "movie",
        "musical",
        "named",
        "newspaper",
        "nicknamed",
        "novel",
        "opera",
        "phrase",
        "play",
        "programme",
        "program",
        "series",
        "show",
        "single",
        "slogan",
        "so-called",
        "song",
        "term",
        "titled",
        "track",
        "word",
        "words",
    }
)

# Connectives stripped from the start of reported content: `However, there is ...` -> `there is ...`.
LEADING_CONNECTIVES: frozenset[str] = frozenset(
    {"also", "and", "but", "however", "meanwhile", "moreover", "nonetheless", "so", "still", "yet"}
)

# Honorifics before a name are part of how the speaker is written, not a title.
HONORIFICS: frozenset[str] = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "mr.", "mrs.", "ms.", "dr."}
)

# Entity types that can speak. NORP is left out: `the Brazilian said` is a person, not a nationality.
SPEAKER_ENTITY_TYPES: frozenset[str] = frozenset({"PERSON", "ORG", "GPE"})
