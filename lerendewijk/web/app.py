"""The pages of the web app. Every action calls the library, exactly as the command line does."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import re
import tempfile
import time
import zipfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import LerendeWijkError
from ..ingest import MAX_FILE_BYTES
from ..workspace import Workspace
from . import auth
from .jobs import Busy, Jobs, Progress
from .uploads import (
    PROGRAMME_SUFFIXES,
    TRANSCRIPT_SUFFIXES,
    FileTooLarge,
    human_size,
    latest_programme,
    remove_transcripts,
    store_uploads,
)

WEB = Path(__file__).resolve().parent
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"
MAX_FILES = 100
REPORT_FILES = {
    "data.json": "application/json",
    "gespreksverslag.md": "text/markdown; charset=utf-8",
    "beleidsspiegel.md": "text/markdown; charset=utf-8",
}
EXPORTS = {
    "csv": (
        "zip",
        "application/zip",
        "CSV-tabellen (zip)",
        "Eén tabel per bestand: fragmenten, thema's, koppelingen met besluiten, programmadekking.",
    ),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel-werkmap",
        "Dezelfde tabellen, elk op een eigen blad.",
    ),
    "json": ("json", "application/json", "JSON", "De hele ronde volgens het schema ronde.schema.json."),
    "qdpx": (
        "qdpx",
        "application/zip",
        "REFI-QDA-project (qdpx)",
        "Voor ATLAS.ti, MAXQDA, NVivo of QualCoder: bronnen, codeboek en elke gecodeerde passage.",
    ),
    "qdc": ("qdc", "application/xml", "Codeboek (qdc)", "Alleen het codeboek: levensdomeinen, aspecten, actoren en thema's."),
}
FLASH = {
    "besluit": "Het besluit is vastgelegd. Het telt mee in de vergelijking met de volgende ronde en in de leergeschiedenis.",
    "uitgelogd": "U bent uitgelogd.",
}
SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.S)
REPORT_BAR = """<style>
.lw-appbar{{background:#1b5e8c;padding:.55rem max(1rem,calc((100% - 60rem)/2));display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;font-size:.95rem}}
.lw-appbar a{{color:#fff;font-weight:600;text-decoration:none}}.lw-appbar a:hover,.lw-appbar a:focus{{text-decoration:underline}}
.lw-appbar a:focus-visible{{outline:3px solid #f2a900;outline-offset:2px}}@media print{{.lw-appbar{{display:none}}}}
</style>
<nav class="lw-appbar" aria-label="Web-app"><a href="/">&larr; Rondes</a><a href="/rondes/{rid}/themas">Thema's bijsturen</a><a href="/rondes/{rid}/koppelingen">Koppelingen</a><a href="/rondes/{rid}/export">Export</a></nav>
"""


@dataclass
class WebState:
    root: Path
    password: str | None
    session_seconds: float
    clock: Callable[[], float]
    max_file_bytes: int
    jobs: Jobs
    env: Any


def state_of(request: Request) -> WebState:
    return request.app.state.web


@contextmanager
def opened(state: WebState, lock: bool = False) -> Iterator[Workspace]:
    """A workspace per request: the store's connection belongs to the thread that opened it."""
    if lock and state.jobs.running():
        # our own job holds the workspace lock; say so, instead of "in use by another process" after a wait
        raise Busy("er loopt nog een berekening; probeer het opnieuw zodra die klaar is")
    workspace = Workspace(state.root)
    try:
        if lock:
            # the same lock the command line takes, so a 'lerendewijk cycle' in a terminal cannot write at the same time
            workspace.lock()
        yield workspace
    finally:
        workspace.close()


def make_env() -> Any:
    """The report's jinja environment (escaping, filters, labels), with the web app's templates in front."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from ..report import template_env

    env = template_env()
    env.loader = ChoiceLoader([FileSystemLoader(TEMPLATES), env.loader])
    env.globals.update(human_size=human_size, transcript_suffixes=TRANSCRIPT_SUFFIXES, programme_suffixes=PROGRAMME_SUFFIXES)
    return env


def page(request: Request, template: str, status: int = 200, round_id: str | None = None, **context: Any) -> HTMLResponse:
    state = state_of(request)
    session = auth.session_of(request)
    with opened(state) as workspace:
        rounds = workspace.store.round_ids()
        wijk = workspace.config.wijk
    running = state.jobs.running()
    html = state.env.get_template(template).render(
        request_path=request.url.path,
        csrf=session.csrf,
        login_used=state.password is not None,
        authenticated=session.authenticated,
        wijk=wijk,
        rounds=rounds,
        round_id=round_id or (rounds[-1] if rounds else None),
        running=running.id if running else None,
        flash=FLASH.get(request.query_params.get("gelukt", "")),
        max_file=human_size(state.max_file_bytes),
        **context,
    )
    return HTMLResponse(html, status_code=status)


def known_round(workspace: Workspace, round_id: str) -> dict[str, Any]:
    info = workspace.store.get_round(round_id)
    if info is None:
        raise HTTPException(404, f"ronde {round_id!r} bestaat niet in deze werkruimte")
    return info


def round_summary(workspace: Workspace, round_id: str) -> dict[str, Any]:
    store = workspace.store
    info = known_round(workspace, round_id)
    manifest = info["manifest"]
    documents = store.round_document_ids(round_id)
    return {
        "id": round_id,
        "label": info["label"],
        "date": str(manifest.get("gemaakt") or info.get("created_at") or "")[:16].replace("T", " "),
        "status": info.get("status"),
        "documents": len(documents),
        "fragments": len(store.fragments(documents)),
        "themes": len(store.themes(round_id)),
        "programme": manifest.get("programma"),
        "report": (workspace.report_folder(round_id) / "index.html").exists(),
    }


def cycle_summary(result: Any) -> dict[str, Any]:
    counts = result.data["counts"]
    return {
        "round_id": result.round_id,
        "documents": counts["documents"],
        "fragments": counts["fragments"],
        "themes": len(result.data["themes"]),
        "skipped": len(result.errors),
    }


def recompute(root: Path, label: str | None, action: Callable[[Workspace], str] | None = None) -> Callable[[Progress], dict[str, Any]]:
    """A job: take the steering decision (when given), then compute the round again, as 'lerendewijk cycle' without files."""
    from ..cycle import run_cycle

    def work(progress: Progress) -> dict[str, Any]:
        with Workspace(root) as workspace:
            if action is not None:
                progress("besluit", action(workspace))
            return cycle_summary(run_cycle(workspace, [], round_label=label, progress=progress))

    return work


def posted(handler: Callable[[Request, FormData], Awaitable[Response]], max_files: int = 0) -> Callable[[Request], Awaitable[Response]]:
    """Every POST goes through here, so no state-changing route can forget the CSRF check."""

    async def endpoint(request: Request) -> Response:
        try:
            form = await auth.checked_form(request, max_files=max_files)
        except HTTPException as exc:
            # the multipart parser's own refusals (too many files or fields) come in English
            raise HTTPException(exc.status_code, f"het formulier kon niet worden gelezen ({exc.detail})") from exc
        try:
            return await handler(request, form)
        finally:
            await form.close()

    endpoint.__name__ = handler.__name__
    endpoint.csrf_checked = True  # type: ignore[attr-defined]
    return endpoint


def field(form: FormData, name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def number(form: FormData, name: str) -> int:
    try:
        return int(field(form, name))
    except ValueError:
        raise LerendeWijkError("kies een thema") from None


# -- pages ------------------------------------------------------------------------------------


def rounds_page(request: Request) -> Response:
    with opened(state_of(request)) as workspace:
        rows = [round_summary(workspace, r) for r in reversed(workspace.store.round_ids())]
    return page(request, "rondes.html.j2", nav="rondes", rows=rows)


def new_round_page(request: Request, status: int = 200, error: str | None = None, refused: list[str] | None = None) -> Response:
    state = state_of(request)
    with opened(state) as workspace:
        configured = workspace.config.programma
    previous = latest_programme(state.root)
    return page(
        request,
        "nieuwe_ronde.html.j2",
        status=status,
        nav="nieuwe-ronde",
        error=error,
        refused=refused or [],
        configured_programme=configured,
        previous_programme=previous.name if previous else None,
    )


def _files(form: FormData, name: str) -> list[UploadFile]:
    # a file input left empty still sends one part without a name and without content
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and (f.filename or f.size)]


async def new_round(request: Request, form: FormData) -> Response:
    from ..cycle import run_cycle

    state = state_of(request)
    transcripts = _files(form, "transcripten")
    programmes = _files(form, "programma")
    label = field(form, "ronde", 40) or None
    if not transcripts:
        return new_round_page(request, 400, "Kies minstens één transcript om in te lezen.")
    if state.jobs.running():
        return new_round_page(request, 409, "Er loopt al een berekening. Wacht tot die klaar is en probeer het dan opnieuw.")
    try:
        stored = await store_uploads(state.root, transcripts, programmes[0] if programmes else None, state.max_file_bytes)
    except FileTooLarge as exc:
        return new_round_page(request, 413, str(exc))
    if not stored.transcripts:
        return new_round_page(request, 400, "Geen van de gekozen bestanden is een transcript dat lerendewijk kan lezen.", stored.refused)
    notes = [f"{len(stored.transcripts)} bestand(en) ontvangen"]
    programme = stored.programme
    if programme is None:
        with opened(state) as workspace:
            configured = workspace.config.programma
        if not configured:
            programme = latest_programme(state.root, before=stored.folder)
            if programme is not None:
                notes.append(f"Programma van een eerdere upload gebruikt: {programme.name}")

    def work(progress: Progress) -> dict[str, Any]:
        try:
            with Workspace(state.root) as workspace:
                result = run_cycle(workspace, stored.transcripts, programme=programme, round_label=label, progress=progress)
        finally:
            # the uploaded copies still hold real names; the store now has the pseudonymised text
            remove_transcripts(stored.folder)
        return cycle_summary(result)

    job_id = state.jobs.start("Nieuwe ronde verwerken", work, notes=notes, errors=stored.refused, strip=f"{stored.folder}/")
    return RedirectResponse(f"/taken/{job_id}", status_code=303)


def pick_round(request: Request) -> Response:
    """The round picker works without JavaScript: a plain GET form lands here."""
    target = request.query_params.get("naar", "")
    round_id = request.query_params.get("ronde", "")
    if target not in ("verslag/", "themas", "koppelingen", "export"):
        target = "themas"
    with opened(state_of(request)) as workspace:
        known_round(workspace, round_id)
    return RedirectResponse(f"/rondes/{quote(round_id)}/{target}", status_code=303)


def job_page(request: Request) -> Response:
    snapshot = state_of(request).jobs.get(request.path_params["job_id"])
    if snapshot is None:
        raise HTTPException(404, "deze berekening is niet (meer) bekend; de server is misschien opnieuw gestart")
    return page(request, "taak.html.j2", nav="taak", job=snapshot, round_id=snapshot["result"].get("round_id"))


def job_status(request: Request) -> Response:
    snapshot = state_of(request).jobs.get(request.path_params["job_id"])
    if snapshot is None:
        return JSONResponse({"state": "onbekend"}, status_code=404)
    return JSONResponse(snapshot, headers={"cache-control": "no-store"})


def report_redirect(request: Request) -> Response:
    return RedirectResponse(f"/rondes/{quote(request.path_params['round_id'])}/verslag/", status_code=307)


def report_page(request: Request) -> Response:
    """The report exactly as the cycle wrote it, with a bar back into the app on top."""
    state = state_of(request)
    round_id = request.path_params["round_id"]
    with opened(state) as workspace:
        known_round(workspace, round_id)
        path = workspace.report_folder(round_id) / "index.html"
    if not path.exists():
        return page(request, "geen_verslag.html.j2", status=404, nav="verslag", round_id=round_id)
    html = path.read_text(encoding="utf-8")
    html = html.replace("<body>", "<body>\n" + REPORT_BAR.format(rid=quote(round_id)), 1)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode('utf-8')).digest()).decode()}'" for s in SCRIPT.findall(html))
    # the report is one self-contained file with inline script and styles: allow exactly its own scripts
    csp = (
        f"default-src 'none'; script-src {hashes or chr(39) + 'none' + chr(39)}; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    return HTMLResponse(html, headers={"content-security-policy": csp})


def report_file(request: Request) -> Response:
    state = state_of(request)
    round_id, name = request.path_params["round_id"], request.path_params["name"]
    if name not in REPORT_FILES:
        raise HTTPException(404, "dit bestand hoort niet bij het verslag")
    with opened(state) as workspace:
        known_round(workspace, round_id)
        path = workspace.report_folder(round_id) / name
    if not path.exists():
        raise HTTPException(404, f"{name} ontbreekt; bereken de ronde opnieuw")
    return FileResponse(path, media_type=REPORT_FILES[name])


# -- steering the themes ------------------------------------------------------------------------


def themes_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    from ..steering import load_rules

    state = state_of(request)
    round_id = request.path_params["round_id"]
    with opened(state) as workspace:
        info = known_round(workspace, round_id)
        themes = sorted(workspace.store.themes(round_id), key=lambda t: t["number"])
        rules = load_rules(workspace.store).rules
    shown = [
        {"id": r.id, "action": r.action, "payload": {k: v for k, v in r.payload.items() if k not in ("anchor", "anchors", "vector")}}
        for r in rules
    ]
    return page(
        request, "themas.html.j2", status=status, nav="themas", round_id=round_id, info=info, themes=themes, rules=shown, error=error
    )


async def steer(request: Request, form: FormData) -> Response:
    """Check the decision against the stored round now (a clear error on the page), take it and recompute in a job."""
    from ..steering import load_rules, merge_themes, remove_rule, rename_theme, round_theme, seed_theme, split_theme

    state = state_of(request)
    round_id = request.path_params["round_id"]
    action = request.path_params["action"]

    def check() -> tuple[str | None, Callable[[Workspace], str]]:
        with opened(state) as workspace:
            store = workspace.store
            label = known_round(workspace, round_id)["label"]
            if action == "hernoem":
                nummer, naam = number(form, "nummer"), field(form, "naam", 120)
                round_theme(store, round_id, nummer)
                if not naam:
                    raise LerendeWijkError("geef het thema een nieuwe naam")

                def apply(ws: Workspace) -> str:
                    rule, theme = rename_theme(ws.store, round_id, nummer, naam)
                    return f"Besluit {rule}: '{theme['label']}' heet voortaan '{naam}'"

            elif action == "samenvoegen":
                eerste, tweede = number(form, "eerste"), number(form, "tweede")
                if eerste == tweede:
                    raise LerendeWijkError("kies twee verschillende thema's")
                round_theme(store, round_id, eerste)
                round_theme(store, round_id, tweede)

                def apply(ws: Workspace) -> str:
                    rule, a, b = merge_themes(ws.store, round_id, eerste, tweede)
                    return f"Besluit {rule}: '{b['label']}' gaat op in '{a['label']}'"

            elif action == "splits":
                nummer = number(form, "nummer")
                round_theme(store, round_id, nummer)

                def apply(ws: Workspace) -> str:
                    rule, theme = split_theme(ws.store, round_id, nummer)
                    return f"Besluit {rule}: '{theme['label']}' wordt gesplitst"

            elif action == "zaai":
                naam, beschrijving = field(form, "naam", 120), field(form, "beschrijving", 1000)
                if not naam or not beschrijving:
                    raise LerendeWijkError("geef het verwachte thema een naam en een korte beschrijving")

                def apply(ws: Workspace) -> str:
                    from ..embed import Embedder

                    rule = seed_theme(ws.store, Embedder(ws.config.embedding), naam, beschrijving)
                    return f"Besluit {rule}: thema '{naam}' gezaaid"

            elif action == "intrekken":
                besluit = number(form, "besluit")
                if besluit not in {rule.id for rule in load_rules(store).rules}:
                    raise LerendeWijkError(f"besluit {besluit} bestaat niet (meer)")

                def apply(ws: Workspace) -> str:
                    if not remove_rule(ws.store, besluit):
                        raise LerendeWijkError(f"besluit {besluit} bestaat niet (meer)")
                    return f"Besluit {besluit} ingetrokken"

            else:
                raise HTTPException(404, "onbekende bijsturing")
        return label, apply

    try:
        label, apply = await run_in_threadpool(check)
        job_id = state.jobs.start("Thema's bijsturen en de ronde opnieuw berekenen", recompute(state.root, label, apply))
    except LerendeWijkError as exc:
        return await run_in_threadpool(themes_page, request, 409 if isinstance(exc, Busy) else 400, _sentence(str(exc)))
    return RedirectResponse(f"/taken/{job_id}", status_code=303)


async def refresh(request: Request, form: FormData) -> Response:
    """Compute a round again, so decisions and steering show in its report."""
    state = state_of(request)
    round_id = request.path_params["round_id"]

    def label() -> str:
        with opened(state) as workspace:
            return str(known_round(workspace, round_id)["label"])

    job_id = state.jobs.start("De ronde opnieuw berekenen", recompute(state.root, await run_in_threadpool(label)))
    return RedirectResponse(f"/taken/{job_id}", status_code=303)


# -- links and decisions ----------------------------------------------------------------------


def link_view(workspace: Workspace, round_id: str) -> dict[str, Any]:
    store = workspace.store
    info = known_round(workspace, round_id)
    themes = sorted(store.themes(round_id), key=lambda t: t["number"])
    by_key = {t["key"]: t for t in themes}
    digest = info["manifest"].get("programma_hash")
    programme = store.programme(digest) if digest else None
    items = (programme or {}).get("items", [])
    decisions: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for decision in store.decisions():
        decisions.setdefault((decision["theme_id"], decision["item_id"]), []).append(decision)
    links = store.links(round_id)
    linked_themes = {link["theme"] for link in links}
    rows = []
    for item in items:
        item_links = [
            {**link, "theme": by_key[link["theme"]], "decisions": decisions.get((by_key[link["theme"]].get("id"), item["id"]), [])}
            for link in links
            if link["item"] == item["id"] and link["theme"] in by_key
        ]
        proposed = {link["theme"].get("id") for link in item_links}
        own = [
            {"theme": next((t for t in themes if t.get("id") == tid), {"id": tid, "label": tid, "number": "?"}), "decisions": found}
            for (tid, iid), found in decisions.items()
            if iid == item["id"] and tid not in proposed
        ]
        rows.append({"item": item, "links": item_links, "own": own})
    # the items residents spoke about most come first; a stable sort keeps the programme's order among equals
    rows.sort(key=lambda row: -len(row["links"]) - len(row["own"]))
    return {
        "info": info,
        "programme": (programme or {}).get("naam"),
        "items": rows,
        "themes": themes,
        "blind": [t for t in themes if t["key"] not in linked_themes],
    }


def links_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    round_id = request.path_params["round_id"]
    with opened(state_of(request)) as workspace:
        view = link_view(workspace, round_id)
    return page(request, "koppelingen.html.j2", status=status, nav="koppelingen", round_id=round_id, error=error, **view)


async def decide(request: Request, form: FormData) -> Response:
    from ..rounds import record_decision

    state = state_of(request)
    round_id = request.path_params["round_id"]
    item_id = field(form, "onderdeel", 200)
    kind = field(form, "besluit", 20) or None

    def record() -> None:
        with opened(state, lock=True) as workspace:
            known_round(workspace, round_id)
            record_decision(
                workspace.store, round_id, field(form, "thema", 40), item_id, kind, field(form, "notitie"), field(form, "gedaan")
            )

    try:
        await run_in_threadpool(record)
    except LerendeWijkError as exc:
        return await run_in_threadpool(links_page, request, 409 if isinstance(exc, Busy) else 400, _sentence(str(exc)))
    return RedirectResponse(f"/rondes/{quote(round_id)}/koppelingen?gelukt=besluit#onderdeel-{quote(item_id)}", status_code=303)


# -- exports -------------------------------------------------------------------------------------


def export_page(request: Request) -> Response:
    round_id = request.path_params["round_id"]
    with opened(state_of(request)) as workspace:
        summary = round_summary(workspace, round_id)
        order = workspace.store.round_ids()
    previous = order[order.index(round_id) - 1] if order.index(round_id) > 0 else None
    return page(request, "export.html.j2", nav="export", round_id=round_id, summary=summary, exports=EXPORTS, previous=previous)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "lerendewijk"


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type, headers={"content-disposition": f'attachment; filename="{filename}"'})


def export_file(request: Request) -> Response:
    """The same export function as 'lerendewijk export', written to a temporary folder and handed over."""
    from ..export import export_round

    state = state_of(request)
    round_id, fmt = request.path_params["round_id"], request.path_params["fmt"]
    if fmt not in EXPORTS:
        raise HTTPException(404, "onbekend exportformaat")
    extension, media_type, _, _ = EXPORTS[fmt]
    with opened(state, lock=True) as workspace, tempfile.TemporaryDirectory(prefix="lerendewijk-export-") as tmp:
        known_round(workspace, round_id)
        wijk = workspace.config.wijk
        target = Path(tmp) / ("csv" if fmt == "csv" else f"{round_id}.{fmt}")
        written = export_round(workspace.store, round_id, fmt, target)
        if fmt == "csv":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    archive.write(path, f"{round_id}-csv/{path.name}")
            content = buffer.getvalue()
        else:
            content = written[0].read_bytes()
    return _download(content, media_type, f"{_slug(wijk)}-{round_id}.{extension}")


def history_file(request: Request) -> Response:
    """The learning history over all rounds, via the same function as 'lerendewijk leergeschiedenis'."""
    from ..report.history import write_learning_history

    fmt = request.path_params["fmt"]
    if fmt not in ("html", "md"):
        raise HTTPException(404, "kies html of md")
    with opened(state_of(request), lock=True) as workspace, tempfile.TemporaryDirectory(prefix="lerendewijk-") as tmp:
        html, markdown = write_learning_history(workspace.store, workspace.config.wijk, Path(tmp))
        content = (html if fmt == "html" else markdown).read_bytes()
        wijk = workspace.config.wijk
    media_type = "text/html; charset=utf-8" if fmt == "html" else "text/markdown; charset=utf-8"
    return _download(content, media_type, f"{_slug(wijk)}-leergeschiedenis.{fmt}")


def comparison_file(request: Request) -> Response:
    """What changed since the previous round, via the same functions as 'lerendewijk compare'."""
    from ..report.history import compare_html, compare_markdown
    from ..rounds import compare_rounds

    round_id, fmt = request.path_params["round_id"], request.path_params["fmt"]
    if fmt not in ("html", "md"):
        raise HTTPException(404, "kies html of md")
    with opened(state_of(request), lock=True) as workspace:
        known_round(workspace, round_id)
        order = workspace.store.round_ids()
        if order.index(round_id) == 0:
            raise HTTPException(404, "dit is de eerste ronde; er is nog niets om mee te vergelijken")
        data = compare_rounds(workspace.store, order[order.index(round_id) - 1], round_id)
        wijk = workspace.config.wijk
    text = compare_html(data, wijk) if fmt == "html" else compare_markdown(data)
    media_type = "text/html; charset=utf-8" if fmt == "html" else "text/markdown; charset=utf-8"
    return _download(text.encode("utf-8"), media_type, f"{_slug(wijk)}-vergelijking-{round_id}.{fmt}")


# -- login ----------------------------------------------------------------------------------------


def login_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    state = state_of(request)
    if state.password is None:
        return RedirectResponse("/", status_code=303)
    expired = request.query_params.get("verlopen") == "1"
    return page(request, "inloggen.html.j2", status=status, nav="inloggen", error=error, expired=expired)


async def login(request: Request, form: FormData) -> Response:
    state = state_of(request)
    if auth.login(request, state.password, field(form, "wachtwoord", 1000), state.session_seconds, state.clock()):
        return RedirectResponse("/", status_code=303)
    # a pause per wrong try makes guessing over the network slow
    await asyncio.sleep(1.0)
    return login_page(request, 401, "Dat wachtwoord klopt niet.")


async def logout(request: Request, form: FormData) -> Response:
    state = state_of(request)
    auth.logout(request, state.session_seconds, state.clock(), state.password)
    return RedirectResponse("/inloggen?gelukt=uitgelogd" if state.password else "/", status_code=303)


def report_css(request: Request) -> Response:
    from ..report import TEMPLATES as REPORT_TEMPLATES

    return FileResponse(REPORT_TEMPLATES / "report.css", media_type="text/css")


def favicon(request: Request) -> Response:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


async def problem(request: Request, exc: Exception) -> Response:
    if isinstance(exc, auth.CsrfError):
        status, message = (
            403,
            "Dit formulier is verlopen of kwam niet van deze web-app. Ga terug, vernieuw de pagina en probeer het opnieuw.",
        )
    elif isinstance(exc, HTTPException):
        status, message = exc.status_code, _sentence(str(exc.detail))
    elif isinstance(exc, Busy):
        status, message = 409, _sentence(str(exc))
    else:
        status, message = 400, _sentence(str(exc))
    if request.url.path.endswith(".json"):
        return JSONResponse({"fout": message}, status_code=status)
    return await run_in_threadpool(page, request, "fout.html.j2", status, None, nav="fout", message=message, code=status)


def create_app(
    workspace_dir: Path,
    password: str | None = None,
    *,
    session_seconds: float = auth.SESSION_SECONDS,
    max_file_bytes: int = MAX_FILE_BYTES,
    allowed_hosts: list[str] | None = None,
    clock: Callable[[], float] = time.time,
) -> Starlette:
    """The web app for one workspace. ``allowed_hosts`` (None: any) guards a loopback server against DNS rebinding."""
    root = Path(workspace_dir)
    Workspace(root).close()  # a clear error now when the folder is no workspace
    password = password or None
    routes = [
        Route("/", rounds_page),
        Route("/nieuwe-ronde", new_round_page),
        Route("/nieuwe-ronde", posted(new_round, max_files=MAX_FILES + 1), methods=["POST"]),
        Route("/kies-ronde", pick_round),
        Route("/taken/{job_id}.json", job_status),
        Route("/taken/{job_id}", job_page),
        Route("/rondes/{round_id}/verslag", report_redirect),
        Route("/rondes/{round_id}/verslag/", report_page),
        Route("/rondes/{round_id}/verslag/{name}", report_file),
        Route("/rondes/{round_id}/themas", themes_page),
        Route("/rondes/{round_id}/themas/{action}", posted(steer), methods=["POST"]),
        Route("/rondes/{round_id}/bijwerken", posted(refresh), methods=["POST"]),
        Route("/rondes/{round_id}/koppelingen", links_page),
        Route("/rondes/{round_id}/koppelingen/besluit", posted(decide), methods=["POST"]),
        Route("/rondes/{round_id}/export", export_page),
        Route("/rondes/{round_id}/export/{fmt}", export_file),
        Route("/rondes/{round_id}/vergelijking.{fmt}", comparison_file),
        Route("/leergeschiedenis.{fmt}", history_file),
        Route("/inloggen", login_page),
        Route("/inloggen", posted(login), methods=["POST"]),
        Route("/uitloggen", posted(logout), methods=["POST"]),
        Route("/static/report.css", report_css),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    # the whole upload may hold many files; each one is checked against max_file_bytes on its own
    upload_limit = max(4 * max_file_bytes, 256 * 1024 * 1024)
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                auth.Guard,
                signer=auth.SessionSigner(),
                password=password,
                session_seconds=session_seconds,
                clock=clock,
                upload_limit=upload_limit,
                allowed_hosts=allowed_hosts,
            )
        ],
        exception_handlers={auth.CsrfError: problem, HTTPException: problem, LerendeWijkError: problem},
    )
    app.state.web = WebState(
        root=root,
        password=password,
        session_seconds=session_seconds,
        clock=clock,
        max_file_bytes=max_file_bytes,
        jobs=Jobs(),
        env=make_env(),
    )
    return app
