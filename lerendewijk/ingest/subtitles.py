"""WebVTT and SRT from transcription tools; consecutive cues of one speaker become one turn."""

from __future__ import annotations

import re
from typing import Any

from ..model import RawTurn
from .meta import decode_text

_TIMING = re.compile(r"^\s*(?P<start>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3})")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_PREFIX = re.compile(r"^\s*(?:\[(?P<b>[^\]]{1,60})\]|(?P<n>[A-ZÀ-ÖØ-Þ][\w.'’\-]*(?:\s+[\w.'’\-]+){0,4}?))\s*:\s*(?P<text>.*)$")
_DASH_SPEAKER = re.compile(r"^\s*-\s*")


def _blocks(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [b.split("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]


def _timestamp(value: str) -> str:
    parts = value.replace(",", ".").split(".")[0].split(":")
    if len(parts) == 2:
        parts = ["0", *parts]
    return ":".join(p.zfill(2) for p in parts)


def _cues(text: str, vtt: bool) -> list[tuple[str, str]]:
    cues: list[tuple[str, str]] = []
    for block in _blocks(text):
        head = block[0].strip()
        if vtt and (head.startswith("WEBVTT") or head.startswith(("NOTE", "STYLE", "REGION"))):
            continue
        timing_at = next((i for i, line in enumerate(block) if _TIMING.match(line)), None)
        if timing_at is None:
            continue
        start = _TIMING.match(block[timing_at]).group("start")  # type: ignore[union-attr]
        body = "\n".join(block[timing_at + 1 :]).strip()
        if body:
            cues.append((_timestamp(start), body))
    return cues


def _merge(cues: list[tuple[str, str]], kind: str) -> list[RawTurn]:
    turns: list[RawTurn] = []
    current: str | None = None
    for start, body in cues:
        voice = _VOICE.search(body)
        speaker = voice.group("name").strip() if voice else None
        text = _TAG.sub("", body)
        lines = [_DASH_SPEAKER.sub("", line).strip() for line in text.split("\n")]
        text = " ".join(line for line in lines if line)
        if speaker is None:
            prefix = _PREFIX.match(text)
            if prefix:
                speaker = (prefix.group("b") or prefix.group("n")).strip()
                text = prefix.group("text").strip()
        if speaker is None:
            speaker = current or "Onbekend"
        if turns and speaker == current:
            turns[-1].text = f"{turns[-1].text} {text}".strip()
        else:
            turns.append(RawTurn(speaker=speaker, text=text, timestamp=start))
        current = speaker
    if not turns:
        raise ValueError(f"geen ondertitels gevonden; is dit wel een {kind}-bestand?")
    return turns


def read_vtt(data: bytes) -> tuple[dict[str, Any], list[RawTurn]]:
    text, _ = decode_text(data)
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValueError("geen geldig WebVTT-bestand: de eerste regel moet 'WEBVTT' zijn")
    return {}, _merge(_cues(text, vtt=True), "WebVTT")


def read_srt(data: bytes) -> tuple[dict[str, Any], list[RawTurn]]:
    text, _ = decode_text(data)
    return {}, _merge(_cues(text, vtt=False), "SRT")
