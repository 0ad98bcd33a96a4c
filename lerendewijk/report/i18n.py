"""The language of a report: Dutch by default, English with ``--taal en``.

The Dutch text is the message id (the toolkit is written for Dutch neighbourhoods); a catalogue
per other language maps it to a translation. What people said is never translated: quotes stay
in their own words. Labels that the pipeline writes into the data (life domains, statuses, tones,
the deepening questions) are translated at render time, so one data.json serves every language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import LerendeWijkError

LANGUAGES = {"nl": "Nederlands", "en": "English"}
LOCALE = Path(__file__).parent / "locale"


@cache
def catalogue(language: str) -> dict[str, str]:
    if language not in LANGUAGES:
        raise LerendeWijkError(f"onbekende taal {language!r}; kies uit {', '.join(LANGUAGES)}")
    if language == "nl":
        return {}
    return dict(json.loads((LOCALE / f"{language}.json").read_text(encoding="utf-8")))


def translator(language: str = "nl", html: bool = False) -> Callable[..., str]:
    """``_(message, **values)``: the message in ``language``, with ``{name}`` fields filled in.

    Values that are themselves known labels (a domain's name in a question) are translated too.
    With ``html``, the result is markup: the catalogue's own text is trusted, while a message that
    is not in it (a label taken from a transcript) and every value are escaped.
    """
    from markupsafe import Markup, escape

    messages = catalogue(language)
    known = set(messages) | _dutch_messages() if html else set()

    def translate(message: Any, **values: Any) -> str:
        message = str(message)
        text = messages.get(message, message)
        filled = {k: messages.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
        if html:
            if message not in known:
                return escape(text.format(**filled) if filled else text)
            return Markup(text).format(**filled) if filled else Markup(text)
        try:
            return text.format(**filled) if filled else text
        except (KeyError, IndexError, ValueError):
            return message

    return translate


@cache
def _dutch_messages() -> frozenset[str]:
    """The Dutch messages of the report itself (for Dutch, the catalogue is empty: these are trusted)."""
    return frozenset(catalogue("en"))


def localised_question(translate: Callable[..., str], question: dict[str, Any], field: str) -> str:
    """A deepening question (``field`` "vraag") or its reason ("grond") from the template it was made with."""
    template = (question.get("sjablonen") or {}).get(field)
    return translate(template, **(question.get("waarden") or {})) if template else translate(question.get(field, ""))


MESSAGE = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def template_messages(text: str) -> set[str]:
    """The literal messages of ``_("...")`` calls in a template or module (for checking catalogues)."""
    found = (m.group(1) if m.group(1) is not None else m.group(2) for m in MESSAGE.finditer(text))
    return {message.replace('\\"', '"').replace("\\'", "'") for message in found}
