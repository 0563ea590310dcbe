"""Synthetic corpora for the benchmark: distinct articles recombined from BBC paragraphs.

Each synthetic article is a BBC title followed by 6 to 12 paragraphs, each taken from a random BBC
article of the title's category. Articles are written as `.txt` files in the sample-article form (title,
blank line, paragraphs separated by blank lines) so that `parse_text` reads back exactly the title and
the body that were generated. Generation is deterministic for a seed, and every body is distinct: a
draw that repeats an earlier body is drawn again, and the builder asserts the bodies are unique.

Corpora are built once and cached by size and seed under `benchmarks/.corpus/` (git-ignored).

usage: .venv/bin/python benchmarks/synth.py --n 20000 [--seed 2025] [--bbc ../shared/corpus/bbc]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBC_DIR = ROOT.parent / "shared" / "corpus" / "bbc"
CACHE_DIR = ROOT / "benchmarks" / ".corpus"
DEFAULT_SEED = 2025
MIN_PARAGRAPHS = 6
MAX_PARAGRAPHS = 12
# A paragraph kept for recombination ends like a sentence, so `parse_text` never mistakes the first one
# for a subtitle nor joins two of them as one hard-wrapped paragraph.
SENTENCE_END = tuple('.!?:;"\u201d\u2019)')
COMPLETE_MARKER = ".complete.json"
# Redraws allowed per article before the source is declared too small to give distinct bodies.
MAX_REDRAWS = 1000


@dataclass(frozen=True)
class SourceArticle:
    """One distinct BBC article: its category (folder), title and body paragraphs."""

    category: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class SynthArticle:
    category: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        """The body as `parse_text` builds it: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    def render(self) -> str:
        """The `.txt` file: title, blank line, paragraphs separated by blank lines."""
        return f"{self.title}\n\n{self.body}\n"


def load_source(bbc_dir: Path) -> dict[str, list[SourceArticle]]:
    """Distinct articles per category folder, read as the pipeline reads them (`parse_text`)."""
    from pipeline.ingest.common import InputError
    from pipeline.ingest.text import parse_text

    by_category: dict[str, list[SourceArticle]] = {}
    seen_bodies: set[str] = set()
    for folder in sorted(p for p in bbc_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(folder.glob("*.txt")):
            try:
                article = parse_text(path.read_bytes(), str(path))
            except InputError:
                continue
            if article.body in seen_bodies:
                continue
            seen_bodies.add(article.body)
            paragraphs = tuple(p for p in article.body.split("\n\n") if p.endswith(SENTENCE_END))
            if paragraphs:
                by_category.setdefault(folder.name, []).append(SourceArticle(folder.name, article.title, paragraphs))
    if not by_category:
        raise ValueError(f"{bbc_dir}: no category folders with .txt articles to recombine")
    return by_category


def _body_key(body: str) -> bytes:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).digest()


def generate(source: Mapping[str, Sequence[SourceArticle]], n: int, seed: int) -> Iterator[SynthArticle]:
    """`n` synthetic articles with pairwise distinct bodies, the same for the same source and seed."""
    rng = random.Random(seed)
    categories = sorted(source)
    # Every source article is equally likely to lend its title (and so its category).
    titled = [(c, i) for c in categories for i in range(len(source[c]))]
    seen: set[bytes] = set()
    for _ in range(n):
        for _attempt in range(MAX_REDRAWS):
            category, index = rng.choice(titled)
            pool = source[category]
            k = rng.randint(MIN_PARAGRAPHS, MAX_PARAGRAPHS)
            picked: list[str] = []
            chosen: set[str] = set()
            for _pick in range(k * 20):
                donor = rng.choice(pool)
                paragraph = rng.choice(donor.paragraphs)
                if paragraph not in chosen:
                    chosen.add(paragraph)
                    picked.append(paragraph)
                    if len(picked) == k:
                        break
            article = SynthArticle(category, pool[index].title, tuple(picked))
            key = _body_key(article.body)
            if len(picked) == k and key not in seen:
                seen.add(key)
                yield article
                break
        else:
            raise ValueError(f"could not draw {n} distinct articles: the source has too few paragraphs per category")
    assert len(seen) == n, "duplicate synthetic bodies"


def corpus_dir(n: int, seed: int, cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"synth-{n}-seed{seed}"


def is_built(path: Path) -> bool:
    return (path / COMPLETE_MARKER).is_file()


def write_corpus(articles: Iterator[SynthArticle], target: Path) -> dict[str, int]:
    """Write articles as `<category>/<index>.txt`; returns files per category. Asserts distinct bodies."""
    counts: dict[str, int] = {}
    bodies: set[bytes] = set()
    for i, article in enumerate(articles):
        key = _body_key(article.body)
        assert key not in bodies, f"duplicate body at synthetic article {i}"
        bodies.add(key)
        folder = target / article.category
        if article.category not in counts:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.txt").write_text(article.render(), encoding="utf-8")
        counts[article.category] = counts.get(article.category, 0) + 1
    return counts


def build_corpus(
    n: int,
    seed: int = DEFAULT_SEED,
    bbc_dir: Path = BBC_DIR,
    cache_dir: Path = CACHE_DIR,
    log: bool = True,
) -> Path:
    """The folder of `n` synthetic articles for `seed`, built on first use and cached afterwards.

    The folder appears under its final name only when complete (built beside it, then renamed), so an
    interrupted build is never mistaken for a finished one.
    """
    target = corpus_dir(n, seed, cache_dir)
    if is_built(target):
        return target
    if not bbc_dir.is_dir():
        raise FileNotFoundError(f"{bbc_dir}: the BBC corpus is needed to build synthetic articles")
    t0 = time.perf_counter()
    if log:
        print(f"building synthetic corpus of {n} articles (seed {seed}) in {target} ...", flush=True)
    source = load_source(bbc_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    building = cache_dir / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    counts = write_corpus(generate(source, n, seed), building)
    manifest = {
        "articles": n,
        "seed": seed,
        "source": str(bbc_dir),
        "per_category": counts,
        "build_seconds": round(time.perf_counter() - t0, 1),
    }
    (building / COMPLETE_MARKER).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    if log:
        print(f"built {target} in {manifest['build_seconds']} s", flush=True)
    return target


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--n", type=int, required=True, help="number of synthetic articles")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--bbc", type=Path, default=BBC_DIR, help="the BBC corpus (category folders)")
    p.add_argument("--cache", type=Path, default=CACHE_DIR, help="where built corpora are kept")
    args = p.parse_args(argv)
    print(build_corpus(args.n, args.seed, args.bbc, args.cache))


if __name__ == "__main__":
    main()
