"""Word lists for the NLP extractors: quotation marks, title cues, speaker words (cue words: `cues.py`).

Lemmas are lower-case; spaCy's English lemmatizer gives `say` for `said`, `emphasize` for `emphasizing`.
"""

from __future__ import annotations

# Subjects that are never a speaker: expletives and relative pronouns resolved elsewhere.
NON_SPEAKER_SUBJECTS: frozenset[str] = frozenset({"it", "this", "that", "there", "what", "which", "these"})

# Pronoun speakers, possessives included: `his claim that ...` is his.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "his", "her"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"they", "their"})
THING_PRONOUNS: frozenset[str] = frozenset({"it", "its"})

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
