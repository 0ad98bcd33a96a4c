"""One round of the cycle: ingest -> privacy -> segment -> embed -> domains -> themes -> deepen -> connect -> report.

Each stage reads what it needs from the store and writes its results back in one transaction,
so an interrupted run leaves every earlier stage intact and can simply be run again.
"""

from __future__ import annotations

import datetime as dt
import logging
import platform
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .connect import LinkConfig, consequences, infer_item_domains, item_text, link_themes, load_calibration
from .deepen import deepen_themes
from .domains import ZeroShotDomainClassifier
from .embed import Embedder, embed_cached
from .errors import IngestError, LerendeWijkError
from .ingest import is_transcript, read_transcript
from .model import Document, ProgrammeItem
from .privacy import Pseudonymiser
from .programme import parse_programme
from .progress import bar
from .rounds import assign_ids, latest_versions, theme_status
from .segment import segment_document
from .steering import load_rules
from .themes import ThemeConfig, find_themes, quote
from .workspace import Workspace

Progress = Callable[[str, str], None]
log = logging.getLogger("lerendewijk")
SKIP_NAMES = re.compile(r"^(readme|leesmij|license|licentie|programma|formats?)([.\-_].*)?$", re.I)


@dataclass
class IngestResult:
    document_ids: list[int] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    rounds: Counter[str] = field(default_factory=Counter)


@dataclass
class RoundResult:
    round_id: str
    report: Path | None
    data: dict[str, Any]
    errors: list[str]
    timings: dict[str, float]


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders are searched for transcripts (READMEs and programmes skipped)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and is_transcript(child) and not SKIP_NAMES.match(child.name):
                    found.append(child)
        else:
            found.append(path)
    return found


def ingest(workspace: Workspace, paths: Iterable[str | Path], progress: Progress | None = None) -> IngestResult:
    """Read, pseudonymise and segment each file; a bad file is reported and skipped, never half-stored."""
    result = IngestResult()
    store = workspace.store
    pseudonymiser: Pseudonymiser | None = None  # the key is read only when a new transcript arrives
    files = expand_inputs(paths)
    with bar("inlezen en pseudonimiseren", len(files), "bestanden") as advance:
        for path in files:
            advance(1)
            try:
                raw = read_transcript(path)
            except IngestError as exc:
                log.warning("niet ingelezen: %s", exc)
                result.errors.append(str(exc))
                if progress:
                    progress("fout", str(exc))
                continue
            existing = store.document_id_by_hash(raw.content_hash)
            if raw.meta.get("ronde"):
                result.rounds[str(raw.meta["ronde"])] += 1
            if existing is not None:
                result.document_ids.append(existing)
                result.known.append(path.name)
                result.inputs.append({"bestand": _safe_name(store, existing), "sha256": raw.content_hash, "nieuw": False})
                continue
            if pseudonymiser is None:
                pseudonymiser = Pseudonymiser(workspace.key, workspace.config.lokale_namen, allowed=[workspace.config.wijk])
            document = pseudonymiser.pseudonymise_document(raw)
            del raw  # the identifying text is not needed past this point
            # the key is saved before the store commits: a pseudonym in the store always has its key entry
            workspace.key.save()
            with store.transaction():
                document.id = store.add_document(document)
                store.add_fragments(segment_document(document))
            result.document_ids.append(document.id)
            result.new.append(document.name)
            result.inputs.append({"bestand": document.name, "sha256": document.content_hash, "nieuw": True})
            log.info("ingelezen: %s (%d beurten)", document.name, len(document.turns))
            if progress:
                progress("ingest", f"{document.name}: {len(document.turns)} beurten")
    return result


def _safe_name(store: Any, document_id: int) -> str:
    row = store.conn.execute("SELECT name FROM documents WHERE id = ?", (document_id,)).fetchone()
    return row[0] if row else str(document_id)


def choose_round(store: Any, requested: str | None, rounds: Counter[str]) -> tuple[str, str]:
    if requested:
        label = str(requested)
    elif rounds:
        label = rounds.most_common(1)[0][0]
    else:
        label = str(len(store.round_ids()) + 1)
    slug = re.sub(r"[^\w\-]+", "-", label.strip().lower()).strip("-") or "1"
    return (slug if slug.startswith("ronde") else f"ronde-{slug}"), label


def run_cycle(
    workspace: Workspace,
    paths: Iterable[str | Path] = (),
    programme: str | Path | None = None,
    round_label: str | None = None,
    reports_dir: str | Path | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> RoundResult:
    """Run every stage for one round and write its report (in ``language``, else the workspace's)."""
    from .report.i18n import catalogue

    language = language or workspace.config.taal or "nl"
    catalogue(language)  # an unknown language fails before any work is done
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now
        log.info("%s klaar in %.2f s", stage, timings[stage])
        if progress:
            progress("stap", f"{stage} klaar ({timings[stage]:.1f} s)")

    store = workspace.store
    paths = list(paths)
    log.info("cyclus gestart: %d invoerpad(en), taal %s", len(paths), language)
    ingested = ingest(workspace, paths, progress)
    lap("ingest")
    if not ingested.document_ids and not round_label and store.round_ids():
        # no new files: run the latest round again (after steering, or with a new programme)
        latest = store.get_round(store.round_ids()[-1]) or {}
        round_label = latest.get("label")
    round_id, label = choose_round(store, round_label, ingested.rounds)
    with store.transaction():
        store.ensure_round(round_id, label)
        store.add_round_documents(round_id, ingested.document_ids)
    document_ids = store.round_document_ids(round_id)
    if not document_ids:
        raise LerendeWijkError("geen bruikbare transcripten in deze ronde" + (": " + "; ".join(ingested.errors) if ingested.errors else ""))
    documents = store.documents(document_ids)
    fragments = store.fragments(document_ids)

    embedder = Embedder(workspace.config.embedding)
    vectors = embed_cached([f.text for f in fragments], embedder, store)
    lap("embed")

    classifier, predict_domains = domain_predictor(workspace, embedder)
    predictions = predict_domains([f.text for f in fragments], [f.lemmas for f in fragments], vectors)
    by_fragment = {f.id: p for f, p in zip(fragments, predictions) if f.id is not None}
    indicator_model = score_indicators(fragments, vectors, predictions, embedder)
    lap("domains")

    names = {d.id: d.name for d in documents if d.id is not None}
    signals = detect_signals(fragments, vectors)
    lap("signals")
    themes = find_themes(fragments, vectors, by_fragment, names, ThemeConfig(seed=workspace.config.seed), load_rules(store))
    round_of_document = {d.id: d.ronde or label for d in documents}
    document_of = {f.id: f.document_id for f in fragments}
    for theme in themes:
        theme["rounds"] = sorted({str(round_of_document.get(document_of.get(m[0]), label)) for m in theme["members"]})
    resident = [i for i, f in enumerate(fragments) if f.role != "facilitator"]
    reference = vectors[resident].mean(axis=0) if resident else None
    gone = follow_themes(store, round_id, themes, len(resident), reference)
    lap("themes")

    programme_path = programme or (workspace.root / workspace.config.programma if workspace.config.programma else None)
    items: list = []
    header: dict[str, Any] = {}
    if programme_path:
        header, items = parse_programme(programme_path)
        infer_item_domains(items, lambda texts: predict_domains(texts, None, None))
    else:
        # a round run again (after steering) keeps the programme version it was run with
        header, items = stored_programme(store, round_id)
    subjects = [str(sub.get("titel") or sub.get("title") or "") for item in items for sub in item.sub_items]
    subjects = [s for s in subjects if s]
    subject_vectors = embed_cached(subjects, embedder, store) if subjects else None
    deepen_themes(themes, fragments, vectors, by_fragment, names, workspace.config.seed, subjects, subject_vectors)
    lap("deepen")

    programme_info: dict[str, Any] | None = None
    connection: dict[str, Any] = {"links": [], "blind_spots": [], "no_resonance": []}
    if items:
        item_vectors = embed_cached([item_text(i) for i in items], embedder, store)
        vector_of = {f.id: v for f, v in zip(fragments, vectors) if f.id is not None}
        quote_of = {f.id: quote(f, names) for f in fragments if f.id is not None}
        connection = link_themes(themes, items, item_vectors, vector_of, quote_of, link_config(embedder))
        carry_decisions(store, round_id, themes, connection["links"])
        connection["consequences"] = consequences(items, connection["links"], themes, connection["blind_spots"], by_fragment, quote_of)
        programme_info = {
            "naam": str(header.get("naam") or header.get("name") or Path(str(programme_path or "programma")).stem),
            "items": [i.__dict__ for i in items],
        }
    lap("connect")

    target = Path(reports_dir) if reports_dir else workspace.reports_dir
    manifest = build_manifest(workspace, round_id, label, ingested, documents, embedder.model_id, classifier, programme_info)
    # where the report goes (also with --rapporten), so the web app and later refreshes find it
    # relative inside the workspace, so a copied or moved workspace still finds its own reports
    folder = (target / round_id).resolve()
    root = workspace.root.resolve()
    manifest["verslagmap"] = str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder)
    if indicator_model is not None:
        manifest["modellen"]["indicatoren"] = indicator_model.meta.get("data_sha256", "")[:16]
    with store.transaction():
        store.clear_round_results(round_id)
        store.save_annotations(round_id, [f.id for f in fragments if f.id is not None], predictions, classifier.model_kind)
        store.save_themes(round_id, themes)
        if programme_info:
            manifest["programma_hash"] = store.save_programme(programme_info["naam"], programme_info)
        store.save_links(round_id, connection["links"])
        store.save_signals(round_id, signals)
        store.finish_round(round_id, manifest)
    lap("store")

    from .report import build_report_data, fragment_map, write_report

    data = build_report_data(store, round_id, documents, fragments, predictions, themes, connection, programme_info, manifest, signals)
    data["themes_gone"] = gone
    data["taal"] = language
    data["map"] = fragment_map(fragments, vectors, themes, workspace.config.seed)
    data["timings"] = timings  # the stages before the report; the report's own time is in the log
    report = write_report(data, target / round_id)
    lap("report")
    log.info(
        "%s klaar: %d gesprek(ken), %d fragmenten, %d thema's, %d koppeling(en)",
        round_id,
        len(documents),
        len(fragments),
        len(themes),
        len(connection["links"]),
    )
    return RoundResult(round_id=round_id, report=report, data=data, errors=ingested.errors, timings=timings)


def stored_programme(store: Any, round_id: str) -> tuple[dict[str, Any], list[ProgrammeItem]]:
    """The programme version a round was last run with, from the store."""
    manifest = (store.get_round(round_id) or {}).get("manifest", {})
    content = store.programme(manifest["programma_hash"]) if manifest.get("programma_hash") else None
    if not content:
        return {}, []
    return {"naam": content.get("naam")}, [ProgrammeItem(**item) for item in content.get("items", [])]


def link_config(embedder: Embedder) -> LinkConfig:
    """The threshold calibrated on labelled links, when it was calibrated for this embedding model."""
    calibration = load_calibration()
    if calibration.get("embedding_id") == embedder.model_id:
        return LinkConfig(threshold=calibration["threshold"], domain_weight=calibration["domain_weight"])
    return LinkConfig()


def detect_signals(fragments: list, vectors: np.ndarray) -> list:
    """Fragments of residents and workers that suggest someone needs help now."""
    from .signals import SignalDetector

    detector = SignalDetector.load()
    if detector is None:
        return []
    chosen = [i for i, f in enumerate(fragments) if f.role != "facilitator" and len(f.text.split()) >= 4]
    return detector.detect(
        [fragments[i].id for i in chosen],
        [fragments[i].text for i in chosen],
        vectors[chosen] if chosen else vectors[:0],
        [fragments[i].lemmas for i in chosen],
        [fragments[i].speaker for i in chosen],
    )


def domain_predictor(workspace: Workspace, embedder: Embedder) -> tuple[Any, Callable[..., list]]:
    """The trained model of the workspace's profile (the zero-shot classifier when none is installed),
    as a function ``predict(texts, lemmas, vectors)``; ``vectors`` are the workspace embedder's, if known."""
    from .classify import EMBEDDING_OF_VIEW, load_profile

    store = workspace.store
    classifier = load_profile(workspace.config.levensdomeinen)
    if classifier is None:
        zero_shot = ZeroShotDomainClassifier().fit(lambda t: embed_cached(t, embedder, store))

        def predict_zero_shot(texts: list[str], lemmas: list | None = None, vectors: np.ndarray | None = None) -> list:
            return zero_shot.predict(vectors if vectors is not None else embed_cached(texts, embedder, store), texts)

        return zero_shot, predict_zero_shot
    view_embedders = {view: Embedder(name) for view, name in EMBEDDING_OF_VIEW.items()}

    def predict(texts: list[str], lemmas: list | None = None, vectors: np.ndarray | None = None) -> list:
        def embed(view: str, batch: list[str]) -> np.ndarray:
            if vectors is not None and batch is texts and view_embedders[view].model_id == embedder.model_id:
                return vectors
            return embed_cached(batch, view_embedders[view], store)

        return classifier.predict(texts, embed, lemmas=lemmas)

    return classifier, predict


def score_indicators(fragments: list, vectors: np.ndarray, predictions: list, embedder: Embedder) -> Any:
    """Fill in each prediction's performance indicators, when the model for this embedding is installed."""
    from .indicators import IndicatorClassifier

    model = IndicatorClassifier.load()
    if model is None or model.meta.get("embedding_model") != embedder.model_id:
        return None
    found = model.predict(vectors, [f.lemmas for f in fragments])
    for prediction, indicators, fragment in zip(predictions, found, fragments):
        prediction.indicators = indicators if fragment.role != "facilitator" else []
    return model


def follow_themes(
    store: Any, round_id: str, themes: list[dict[str, Any]], total: int, reference: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """Stable theme ids across rounds, and each theme's status against the round before."""
    by_round: dict[str, list[dict[str, Any]]] = {}
    for rid, theme in store.all_themes():
        by_round.setdefault(rid, []).append(theme)
    assign_ids(themes, latest_versions(list(by_round.values())), reference)
    rounds_of: dict[str, set[str]] = {}
    for rid, round_themes in by_round.items():
        for theme in round_themes:
            rounds_of.setdefault(theme.get("id", ""), set()).add(rid)
    order = store.round_ids()
    previous_id = order[order.index(round_id) - 1] if round_id in order and order.index(round_id) > 0 else None
    if previous_id is None:
        for theme in themes:
            theme["share"] = round(theme["size"] / max(1, total), 4)
            theme["status"] = "nieuw"
        return []
    previous = store.themes(previous_id)
    previous_total = sum(1 for f in store.fragments(store.round_document_ids(previous_id)) if f.role != "facilitator")
    earlier_rounds = set(order[: order.index(previous_id)])
    seen_before = {tid for tid, rids in rounds_of.items() if rids & earlier_rounds}
    return theme_status(themes, total, previous, previous_total, seen_before)


def carry_decisions(store: Any, round_id: str, themes: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    """Each link shows the latest decision staff took on the same theme and item, in this or an earlier round."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for decision in store.decisions(up_to_round=round_id if round_id in store.round_ids() else None):
        if decision["decision"] == "notitie" and (decision["theme_id"], decision["item_id"]) in latest:
            latest[(decision["theme_id"], decision["item_id"])]["note"] += "\n" + decision["note"]
            continue
        latest[(decision["theme_id"], decision["item_id"])] = dict(decision)
    id_of = {t["key"]: t.get("id") for t in themes}
    for link in links:
        link["theme_id"] = id_of.get(link["theme"])
        found = latest.get((link["theme_id"], link["item"]))
        if found:
            link["decision"] = found["decision"]
            link["decision_note"] = found["note"]
            link["decision_action"] = found["action"]
            link["decision_round"] = found["round_id"]


MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


def model_hashes() -> dict[str, str]:
    """sha256 of every model file the cycle may read, so a report names the exact weights it used."""
    import hashlib

    found = {}
    if MODELS_DIR.is_dir():
        for path in sorted(MODELS_DIR.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".npz"):
                found[str(path.relative_to(MODELS_DIR))] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return found


def build_manifest(
    workspace: Workspace,
    round_id: str,
    label: str,
    ingested: IngestResult,
    documents: list[Document],
    embedding_id: str,
    classifier: Any,
    programme: dict[str, Any] | None,
) -> dict[str, Any]:
    import sklearn

    return {
        "ronde": round_id,
        "label": label,
        "gemaakt": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "lerendewijk": __version__,
        "python": platform.python_version(),
        "scikit_learn": sklearn.__version__,
        "wijk": workspace.config.wijk,
        "invoer": [{"bestand": d.name, "sha256": d.content_hash, "type": d.doc_type, "datum": d.meta.get("datum")} for d in documents],
        "nieuw_ingelezen": ingested.new,
        "fouten": ingested.errors,
        "configuratie": {
            # local names are identifying: the manifest records how many, never which
            **{k: v for k, v in workspace.config.__dict__.items() if k != "lokale_namen"},
            "lokale_namen": len(workspace.config.lokale_namen),
        },
        "model_bestanden": model_hashes(),
        "modellen": {
            "embedding": embedding_id,
            "levensdomeinen": classifier.model_kind
            + (f" ({classifier.config.profile}, {', '.join(classifier.views)})" if hasattr(classifier, "views") else ""),
        },
        "parameters": {
            "seed": workspace.config.seed,
            "themas": ThemeConfig().__dict__,
            "koppeling": link_config(Embedder(workspace.config.embedding)).__dict__,
        },
        "programma": programme["naam"] if programme else None,
    }


def forget(workspace: Workspace, pseudonym: str, progress: Progress | None = None) -> dict[str, Any]:
    """A resident's right to be forgotten: their words leave the store, the key and every report.

    Their fragments are deleted, their turns in the stored documents are masked, the key no longer
    maps the pseudonym to a person, and every round that held their words is computed again, so
    themes, links, signals and reports in the workspace no longer quote them. Copies made outside
    the workspace (exports, reports written elsewhere) cannot be reached and are listed as a warning.
    """
    if not re.fullmatch(r"(Bewoner|Professional|Gespreksleider|Persoon) \d+", pseudonym.strip()):
        raise LerendeWijkError(f"'{pseudonym}' is geen pseudoniem (zoals 'Bewoner 3'); de toolkit kent alleen pseudoniemen")
    pseudonym = pseudonym.strip()
    store = workspace.store
    if store.conn.execute("SELECT 1 FROM fragments WHERE speaker = ? LIMIT 1", (pseudonym,)).fetchone() is None:
        known = pseudonym in workspace.key.pseudonyms()
        if not known:
            raise LerendeWijkError(f"'{pseudonym}' komt in deze werkruimte niet voor")
    removed = store.forget_speaker(pseudonym)
    key = workspace.key
    gone = [name for name, entry in key.persons.items() if entry.get("pseudonym") == pseudonym]
    for name in gone:
        del key.persons[name]
    for alias in [a for a, target in key.aliases.items() if target in gone]:
        del key.aliases[alias]
    if gone:
        key.dirty = True
        key.save()
    removed["key_entries"] = len(gone)
    for round_id in removed["rounds"]:
        label = (store.get_round(round_id) or {}).get("label")
        if progress:
            progress("stap", f"{round_id} opnieuw berekenen")
        run_cycle(workspace, [], round_label=label, progress=progress)
    return removed
