"""Segmentation: speaker turns -> fragments, with exact character offsets.

A spaCy pipeline (``spacy.blank("nl")`` + sentencizer + a simplemma lemmatizer component)
splits each turn into sentences; short sentences are joined with their neighbours so that a
fragment is a meaningful unit ("Ja. Nee. Die lift, hè." is one fragment, not three).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .model import Document, Fragment


@dataclass(frozen=True)
class SegmentConfig:
    min_tokens: int = 8
    max_tokens: int = 60


# simplemma turns a few frequent nouns of this field into verbs or worse ("geloof" -> "wangeloven")
LEMMA_OVERRIDES = {"geloof": "geloof", "lift": "lift", "tuin": "tuin", "huur": "huur"}


@lru_cache(maxsize=1)
def load_pipeline() -> Any:
    import simplemma

    from .language import import_spacy

    spacy = import_spacy()
    from spacy.language import Language
    from spacy.tokens import Token

    if not Token.has_extension("simplemma_done"):
        Token.set_extension("simplemma_done", default=False)

    if "simplemma_lemmatizer" not in Language.factories:

        @Language.component("simplemma_lemmatizer")
        def simplemma_lemmatizer(doc: Any) -> Any:
            # spaCy's Dutch lookup tables need an extra package; simplemma ships its data
            for token in doc:
                if token.is_alpha:
                    token.lemma_ = LEMMA_OVERRIDES.get(token.lower_) or simplemma.lemmatize(token.lower_, lang="nl").lower()
                else:
                    token.lemma_ = token.lower_
            return doc

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("simplemma_lemmatizer")
    return nlp


def _word_count(span: Any) -> int:
    return sum(1 for t in span if not t.is_punct and not t.is_space)


def segment_document(document: Document, config: SegmentConfig | None = None) -> list[Fragment]:
    """Split every turn of a stored document into fragments pointing into ``document.text``."""
    if document.id is None:
        raise ValueError("document has no id yet; store it before segmenting")
    config = config or SegmentConfig()
    nlp = load_pipeline()
    fragments: list[Fragment] = []
    texts = [turn.text for turn in document.turns]
    for turn_index, (turn, doc) in enumerate(zip(document.turns, nlp.pipe(texts, batch_size=256))):
        groups: list[list[Any]] = []
        current: list[Any] = []
        words = 0
        for sent in doc.sents:
            n = _word_count(sent)
            if current and (words >= config.min_tokens or words + n > config.max_tokens):
                groups.append(current)
                current, words = [], 0
            current.append(sent)
            words += n
        if current:
            if groups and words < config.min_tokens // 2 and _word_count_all(groups[-1]) + words <= config.max_tokens:
                groups[-1].extend(current)
            else:
                groups.append(current)
        for group in groups:
            start = group[0].start_char
            end = group[-1].end_char
            raw = turn.text[start:end]
            # trim whitespace without losing the offsets
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw) - len(raw.rstrip())
            start, end = start + lead, end - trail
            if end <= start:
                continue
            lemmas = [t.lemma_ for s in group for t in s if t.is_alpha]
            fragments.append(
                Fragment(
                    document_id=document.id,
                    turn_index=turn_index,
                    speaker=turn.speaker,
                    role=turn.role,
                    text=turn.text[start:end],
                    start=turn.start + start,
                    end=turn.start + end,
                    lemmas=lemmas,
                    timestamp=turn.timestamp,
                    stop=turn.stop,
                    lat=turn.lat,
                    lon=turn.lon,
                )
            )
    return fragments


def _word_count_all(group: list[Any]) -> int:
    return sum(_word_count(s) for s in group)


def lemmatise(texts: list[str]) -> list[list[str]]:
    nlp = load_pipeline()
    return [[t.lemma_ for t in doc if t.is_alpha] for doc in nlp.pipe(texts, batch_size=256)]
