"""The quote cue lexicon: every word that can attribute words to a speaker, grouped by kind.

A verb here cues a quote only with content the parse gives it (a that-clause, a to-infinitive, a
prepositional or object phrase where its role allows it), so a broad list does not mean broad matching.
Lemmas are lower-case; spaCy's English lemmatizer gives `say` for `said`, `emphasize` for `emphasizing`.
Beliefs and intentions (`believe`, `hope`, `plan`, `want`, `expect`) are deliberately absent: they are
not speech unless someone states them, and then the stating verb is the cue.
"""

from __future__ import annotations

# Plain statements and answers.
STATEMENT_VERBS: frozenset[str] = frozenset(
    {
        "acknowledge",
        "add",
        "admit",
        "affirm",
        "agree",
        "announce",
        "answer",
        "argue",
        "assert",
        "boast",
        "brag",
        "cite",
        "comment",
        "concede",
        "conclude",
        "confide",
        "confirm",
        "contend",
        "counter",
        "declare",
        "describe",
        "disclose",
        "echo",
        "explain",
        "grumble",
        "hint",
        "indicate",
        "inform",
        "insist",
        "joke",
        "lament",
        "maintain",
        "mention",
        "note",
        "observe",
        "proclaim",
        "quip",
        "reaffirm",
        "recall",
        "recount",
        "reiterate",
        "remark",
        "remind",
        "reply",
        "respond",
        "retort",
        "reveal",
        "say",
        "signal",
        "state",
        "suggest",
        "tell",
        "testify",
        "claim",
        "complain",
        "concur",
        "confess",
        "protest",
        "emphasise",
        "emphasize",
        "highlight",
        "stress",
        "underline",
        "underscore",
        "point",  # only with the particle `out`: PARTICLE_REQUIRED
        "speak",  # only `speak of / about`: PREP_CONTENT
        "talk",  # only `talk about`: PREP_CONTENT
    }
)

# Accusations and blame: `accused the firm of hiding losses`, `alleged that ...`, `charged that ...`.
ACCUSATION_VERBS: frozenset[str] = frozenset({"accuse", "allege", "blame", "charge"})

# Denials and disputes: `denied that ...`, `disputed the figures in the report`.
DENIAL_VERBS: frozenset[str] = frozenset({"deny", "dismiss", "dispute", "rebut", "refute", "reject"})

# Praise and criticism: their object is the target, content only with a complement (`as ...`, `for ...`).
EVALUATION_VERBS: frozenset[str] = frozenset(
    {
        "applaud",
        "attack",
        "blast",
        "brand",
        "commend",
        "condemn",
        "criticise",
        "criticize",
        "decry",
        "denounce",
        "hail",
        "label",
        "lambast",
        "laud",
        "mock",
        "praise",
        "ridicule",
        "slam",
        "welcome",
    }
)

# Demands and appeals: `demanded that ...`, `urged voters to ...`, `called for an inquiry into ...`.
DEMAND_VERBS: frozenset[str] = frozenset(
    {"advise", "appeal", "beg", "call", "demand", "implore", "plead", "propose", "recommend", "request", "urge"}
)

# Questions: `asked whether ...`, `questioned why ...`, `wondered aloud whether ...`.
QUESTION_VERBS: frozenset[str] = frozenset({"ask", "enquire", "inquire", "query", "question"})

# Promises and warnings, and spoken forecasts: `vowed to ...`, `warned that ...`, `predicted that ...`.
COMMITMENT_VERBS: frozenset[str] = frozenset(
    {
        "assure",
        "caution",
        "forecast",
        "guarantee",
        "pledge",
        "predict",
        "promise",
        "swear",
        "threaten",
        "vow",
        "warn",
        "estimate",
    }
)

# Written and published reports: `wrote that ...`, `tweeted that ...`, `the paper reported that ...`.
WRITTEN_VERBS: frozenset[str] = frozenset({"email", "post", "publish", "report", "tweet", "write"})

REPORTING_VERBS: frozenset[str] = (
    STATEMENT_VERBS
    | ACCUSATION_VERBS
    | DENIAL_VERBS
    | EVALUATION_VERBS
    | DEMAND_VERBS
    | QUESTION_VERBS
    | COMMITMENT_VERBS
    | WRITTEN_VERBS
)

# Verbs that may stand after their content: `<content>, the minister said.` (not `..., rebels attacked.`).
INVERTED_VERBS: frozenset[str] = (
    STATEMENT_VERBS | WRITTEN_VERBS | QUESTION_VERBS | COMMITMENT_VERBS | frozenset({"allege", "charge"})
) - frozenset({"cite", "describe"})

# Estimates are judgements rather than speech: a quote they cue is less certain.
WEAK_REPORTING_VERBS: frozenset[str] = frozenset({"estimate", "forecast", "predict", "suggest", "indicate", "signal"})

# Verbs that cue nothing alone, only with their particle: `pointed out that`, not `pointed at the map`.
PARTICLE_REQUIRED: dict[str, frozenset[str]] = {
    "point": frozenset({"out"}),
    "call": frozenset(),  # `call` is a cue only through PREP_CONTENT (`call for`) or an infinitive (`call on`)
    "speak": frozenset(),
    "talk": frozenset(),
}

# Verbs whose content is the object of a preposition: `called for a ban on ...`, `accused X of lying`.
PREP_CONTENT: dict[str, frozenset[str]] = {
    "accuse": frozenset({"of"}),
    "argue": frozenset({"against", "for"}),
    "blame": frozenset({"for"}),
    "call": frozenset({"for"}),
    "charge": frozenset({"with"}),
    "complain": frozenset({"about", "of"}),
    "criticise": frozenset({"for"}),
    "criticize": frozenset({"for"}),
    "praise": frozenset({"for"}),
    "speak": frozenset({"about", "of"}),
    "talk": frozenset({"about"}),
    "warn": frozenset({"about", "against", "of"}),
    "hint": frozenset({"at"}),
    "appeal": frozenset({"for"}),
    "plead": frozenset({"for"}),
    "ask": frozenset({"for"}),
}

# Praise and criticism with its reason is content: `praised the nurses for their courage`.
EVALUATION_REASON_PREPS: frozenset[str] = frozenset({"for"})

# Verbs that name what something is, with an object predicate: `called the decision "a betrayal"`.
# A proper-noun predicate is a name, not a judgement (`called their daughter Rose`).
OPRD_CONTENT_VERBS: frozenset[str] = frozenset({"brand", "call", "label"})

# Verbs whose infinitive is content only with one of these prepositions: `called on X to ...`, not `called to say`.
XCOMP_NEEDS_PREP: dict[str, frozenset[str]] = {"call": frozenset({"on", "upon"})}

# Verbs whose content can be a to-infinitive: `urged the industry to eliminate barriers`, `called on X to ...`.
XCOMP_REPORTING_VERBS: frozenset[str] = frozenset(
    {
        "advise",
        "appeal",
        "ask",
        "beg",
        "call",
        "demand",
        "implore",
        "pledge",
        "plead",
        "promise",
        "swear",
        "tell",
        "threaten",
        "urge",
        "vow",
        "warn",
    }
)

# Verbs whose content can be their object phrase, when it carries a complement of its own
# (`highlighted the need to ...`, `cited figures showing ...`, `denied reports that ...`).
OBJECT_REPORTING_VERBS: frozenset[str] = frozenset(
    {
        "announce",
        "cite",
        "demand",
        "deny",
        "describe",
        "dispute",
        "emphasise",
        "emphasize",
        "highlight",
        "mention",
        "note",
        "propose",
        "question",
        "reaffirm",
        "recommend",
        "reiterate",
        "reject",
        "reveal",
        "stress",
        "underline",
        "underscore",
        "disclose",
        "echo",
        "predict",
        "promise",
        "pledge",
        "vow",
    }
)

# Object-content verbs that are cues only through their object (`cited figures showing ...`): no clause.
OBJECT_ONLY_VERBS: frozenset[str] = frozenset({"cite", "describe"})

# Praise and criticism verbs take `as ...` content: `criticised the plan as "a mess"`.
AS_CONTENT_VERBS: frozenset[str] = EVALUATION_VERBS | frozenset({"describe", "dismiss"})

# Verbs whose direct object is the hearer, not the content: `told reporters that ...`.
HEARER_OBJECT_VERBS: frozenset[str] = frozenset(
    {"advise", "ask", "assure", "beg", "caution", "implore", "inform", "promise", "remind", "tell", "urge", "warn"}
)

# Nouns that cue a quote with a that-clause and a stated source: `his claim that ...`,
# `the ministry's statement that ...`, `a warning from the regulator that ...`.
SPEECH_NOUNS: frozenset[str] = frozenset(
    {
        "accusation",
        "admission",
        "allegation",
        "announcement",
        "argument",
        "assertion",
        "assurance",
        "charge",
        "claim",
        "comment",
        "contention",
        "declaration",
        "demand",
        "denial",
        "insistence",
        "pledge",
        "prediction",
        "promise",
        "remark",
        "report",
        "statement",
        "suggestion",
        "testimony",
        "threat",
        "vow",
        "warning",
    }
)

# Prepositions naming the source of a speech noun: `a statement from the ministry that ...`.
SPEECH_NOUN_SOURCE_PREPS: frozenset[str] = frozenset({"by", "from"})

# Common nouns that can be the source in `according to X` (names and organisations always can).
SOURCE_NOUNS: frozenset[str] = frozenset(
    {
        "account",
        "adviser",
        "advisor",
        "agency",
        "aide",
        "analysis",
        "analyst",
        "association",
        "author",
        "authority",
        "board",
        "campaign",
        "chairman",
        "chairwoman",
        "club",
        "coach",
        "colleague",
        "commission",
        "committee",
        "company",
        "complaint",
        "council",
        "court",
        "critic",
        "data",
        "department",
        "diplomat",
        "director",
        "doctor",
        "document",
        "economist",
        "employee",
        "estimate",
        "executive",
        "expert",
        "family",
        "figure",
        "filing",
        "firm",
        "forecast",
        "friend",
        "government",
        "group",
        "industry",
        "insider",
        "investigator",
        "lawsuit",
        "lawyer",
        "leader",
        "letter",
        "manager",
        "member",
        "memo",
        "minister",
        "ministry",
        "neighbour",
        "observer",
        "office",
        "officer",
        "official",
        "organiser",
        "organizer",
        "party",
        "people",
        "person",
        "police",
        "poll",
        "president",
        "prosecutor",
        "record",
        "relative",
        "report",
        "research",
        "researcher",
        "resident",
        "scientist",
        "source",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "staff",
        "statement",
        "statistic",
        "study",
        "survey",
        "transcript",
        "union",
        "witness",
        "worker",
    }
)
