"""Word lists for entity resolution (`pipeline.nlp.entities`). Lower-case unless noted."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# spaCy labels that name things; DATE, TIME, MONEY, PERCENT, QUANTITY, CARDINAL, ORDINAL do not.
ENTITY_LABELS = _words("PERSON ORG GPE LOC NORP EVENT FAC PRODUCT LAW WORK_OF_ART LANGUAGE")

# Leading words that are not part of a name: `the Ministry of ...`, `its Gartner unit`.
LEADING_DETERMINERS = _words("the a an this that these those its their his her")

# Titles before a person's name: `Mr Gao` is `Gao`, `Sir Alex Ferguson` is `Alex Ferguson`.
HONORIFICS = _words(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame lord lady mister madam madame monsieur herr"
)

# Edition numbers before an event's name: `the 22nd China International Semiconductor Expo`.
ORDINAL_WORDS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth "
    "fiftieth hundredth annual inaugural"
)

# Legal forms dropped from a company's canonical name (kept as an alias): `Microsoft Corp` -> `Microsoft`.
LEGAL_SUFFIXES = _words("inc inc. corp corp. corporation ltd ltd. limited plc co co. llc l.l.c. ag gmbh nv n.v.")

# The last word (or two) of an event's name: a name of two or more words ending so is an EVENT,
# whatever label the model gave it (`China International Semiconductor Expo`, `Australian Open`).
EVENT_HEADS = _words(
    "expo exposition exhibition fair summit conference festival olympics games cup championship "
    "championships open marathon awards trophy tournament week"
) | {"grand prix", "world cup"}

# Upper-case abbreviations of common nouns that the model often labels ORG (`China's IC sector`).
GENERIC_ACRONYMS = _words(
    "IC ICS AI IT PC PCS TV CEO CFO COO CTO GDP GNP DVD DVDS CD CDS MP3 SMS PDA PDAS LCD VAT IPO R&D "
    "3G 4G 5G GPS ID DNA HIV PR HR QC VCR CPU GPU RAM OS PIN ATM SUV LED EV EVS AM PM HQ MP MPS MEP "
    "MEPS OK FM HD VR WIFI ISP ISPS P2P URL PHD MBA GCSE GCSES A-LEVEL A-LEVELS IVF CCTV DJ DJS TB "
    "ASBO ASBOS UFO SIM"
)

# `Five-Year`, `12-month`: numbers and time units, never a name.
NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "thousand million billion trillion half quarter dozen year years month months week weeks day days "
    "hour hours minute minutes second seconds decade decades century centuries yearly annual"
)

# Words skipped when taking a name's initials: `Securities and Exchange Commission` -> `SEC`.
ACRONYM_STOPWORDS = _words("of and the for & in on de du des la le to")


def spells_acronym(acronym: str, name: str) -> bool:
    """Whether the acronym's letters are initials of the name's words, in order and from the first
    (`SEC`: `Securities and Exchange Commission`; `OECD`: `Organisation for Economic Co-operation and
    Development`), not a longer name that merely starts with it (`BBC` is not `BBC Sport`)."""
    letters = acronym.replace(".", "").replace("&", "").upper()
    initials = [w[0].upper() for w in name.replace("-", " ").split() if w[0].isalpha()]
    if len(letters) < 2 or not initials or initials[0] != letters[0]:
        return False
    it = iter(initials)
    return all(any(c == i for i in it) for c in letters)


# Cue words between a long form and its alternative name: `..., also known as IC China`.
ALIAS_CUES: tuple[tuple[str, ...], ...] = (
    ("also", "known", "as"),
    ("better", "known", "as"),
    ("formerly", "known", "as"),
    ("known", "as"),
    ("aka",),
    ("a.k.a.",),
)

# Places whose name is also a common surname: a lone `Jordan` labelled GPE stays the place even when
# a `Michael Jordan` is in the article. Title case.
PLACE_SURNAMES = _words(
    "Jordan Chad Georgia Israel England Ireland Scotland Wales Holland France Washington London Paris "
    "Lincoln Houston Dallas Austin Jackson Chester Kent Devon Florence Sydney Adelaide Victoria "
    "Carolina Orlando Madison Phoenix Denver Troy Preston Bolton Derby Hull Reading Burnley Wigan "
    "Barnsley Bury Chelsea Everton Fulham Charlton Norwich Leicester Oxford Cambridge Brighton York "
    "Lancaster Stafford Warwick Bedford Buckingham Clinton Kingston Hamilton Wellington Nelson Camden "
    "Richmond Chelmsford Bristol Sheffield Milan Monaco China Japan India America Britain Europe "
    "Africa Asia Iran Iraq Cuba Kenya Sudan Peru Chile Mali Niger Oman Togo Fiji Malta"
)

# Common short names of a few places and bodies, so they share one entity_id across articles.
# key (entity_key of the short form) -> (canonical name, type).
CANONICAL_ALIASES: dict[str, tuple[str, str]] = {
    "us": ("United States", "GPE"),
    "u s": ("United States", "GPE"),
    "usa": ("United States", "GPE"),
    "u s a": ("United States", "GPE"),
    "united states of america": ("United States", "GPE"),
    "uk": ("United Kingdom", "GPE"),
    "u k": ("United Kingdom", "GPE"),
    "eu": ("European Union", "ORG"),
    "un": ("United Nations", "ORG"),
    "u n": ("United Nations", "ORG"),
}

# The last word of a sports club's name after its town (`Manchester United`, `Leicester City`): an ORG
# whatever label the model gave it, unless the whole name is a place (`Mexico City`).
CLUB_HEADS = _words("united city rovers athletic wanderers albion hotspur county town villa rangers fc afc")

# Nouns that introduce a company or a body by its name (`oil giant Yukos`), or follow it (`Yukos shares`):
# a one-word name the model read as a person is an ORG there.
ORG_BEFORE = _words(
    "firm company group giant maker producer operator carrier airline retailer bank insurer broadcaster "
    "conglomerate manufacturer supplier distributor developer publisher chain brand subsidiary rival "
    "club side outfit label studio agency network provider exporter importer"
)
ORG_AFTER = _words("shares stock shareholders subsidiary subsidiaries executives bosses board spokesman spokeswoman")

# Playing positions and roles written before a player's name in sports reports (`centre Parker`).
SPORTS_POSITIONS = _words(
    "centre center striker midfielder defender goalkeeper keeper winger forward full-back fullback fly-half "
    "scrum-half prop hooker flanker lock number wing skipper captain coach manager boss substitute replacement "
    "teammate team-mate"
)
