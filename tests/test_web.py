"""The web app (lerendewijk serve) through Starlette's TestClient: pages, one real cycle, steering,
decisions, exports, and the protections a shared team machine needs."""

from __future__ import annotations

import gc
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from lerendewijk.errors import LerendeWijkError
from lerendewijk.steering import load_rules
from lerendewijk.workspace import Workspace

MINI = Path(__file__).parent / "data" / "mini"
PASSWORD = "verhalentafel-2025"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(client: TestClient, url: str = "/nieuwe-ronde") -> str:
    found = CSRF.search(client.get(url).text)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def job_of(response: Any) -> str:
    assert response.status_code == 303, response.text[:2000]
    location = response.headers["location"]
    assert location.startswith("/taken/")
    return location.rsplit("/", 1)[1]


def finish(client: TestClient, job_id: str) -> dict[str, Any]:
    snapshot = client.app.state.web.jobs.wait(job_id, timeout=300)
    assert snapshot["state"] == "klaar", snapshot
    return snapshot


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One workspace that went through a real upload and cycle in the web app (the mini corpus, plus bad files)."""
    from lerendewijk.web import create_app

    root = tmp_path_factory.mktemp("web") / "testwijk"
    Workspace.init(root, wijk="Testwijk")
    client = TestClient(create_app(root))
    token = csrf_of(client)
    files = [
        ("transcripten", (p.name, p.read_bytes(), "application/octet-stream")) for p in sorted(MINI.iterdir()) if p.name != "programma.yaml"
    ]
    files += [
        ("transcripten", ("../../ontsnapt.txt", b"", "text/plain")),
        ("transcripten", ("/tmp/absoluut.md", b"", "text/markdown")),
        ("transcripten", ("notities.pdf", b"%PDF-1.4", "application/pdf")),
        ("programma", ("programma.yaml", (MINI / "programma.yaml").read_bytes(), "application/yaml")),
    ]
    response = client.post("/nieuwe-ronde", data={"csrf": token, "ronde": ""}, files=files, follow_redirects=False)
    job_id = job_of(response)
    job = finish(client, job_id)
    # pytest walks all garbage around every test (its unraisable-exception check); with the models loaded
    # each walk takes seconds. Objects alive now (models, caches) are kept out of those walks.
    gc.freeze()
    yield {"root": root, "client": client, "job": job, "job_id": job_id}
    client.close()


def test_upload_runs_the_cycle_and_reports_bad_files(web: dict[str, Any]) -> None:
    job = web["job"]
    assert job["result"]["round_id"] == "ronde-1" and job["result"]["themes"] >= 2
    assert [s["state"] for s in job["stages"]] == ["klaar"] * len(job["stages"])
    # each bad file gets its own plain-language line, named as the facilitator named it; the others are processed
    errors = "\n".join(job["errors"])
    assert "ontsnapt.txt: bestand is leeg" in errors and "absoluut.md: bestand is leeg" in errors
    assert "notities.pdf: dit soort bestand kan lerendewijk niet lezen" in errors
    assert str(web["root"]) not in errors
    assert len(job["read"]) == 3
    page = web["client"].get(f"/taken/{web['job_id']}").text
    assert "Klaar: ronde-1" in page and "Niet ingelezen" in page and "notities.pdf" in page
    status = web["client"].get(f"/taken/{web['job_id']}.json").json()
    assert status["state"] == "klaar"


def test_uploads_stay_inside_the_workspace_and_transcripts_are_removed_after_ingest(web: dict[str, Any], tmp_path: Path) -> None:
    root: Path = web["root"]
    uploads = root / "uploads"
    stored = sorted(p.relative_to(uploads).as_posix() for p in uploads.rglob("*") if p.is_file())
    folder = stored[0].split("/")[0]
    assert re.fullmatch(r"\d{8}-\d{6}-\d{6}", folder)
    # the uploaded transcripts held real names: once the store has their pseudonymised text they are gone;
    # the programme (no personal data) stays for later rounds
    assert {s.split("/", 1)[1] for s in stored} == {"programma/programma.yaml"}
    # what was stored during the run came in under sanitised names (the job names the files it read)
    read = "\n".join(web["job"]["read"] + web["job"]["errors"])
    assert "ontsnapt.txt" in read and "absoluut.md" in read and "verhalentafel-zuid" in read
    assert not (root.parent / "ontsnapt.txt").exists() and not (root.parent.parent / "ontsnapt.txt").exists()
    assert not Path("/tmp/absoluut.md").exists()
    assert oct(uploads.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../x.txt", "x.txt"),
        ("/etc/passwd.md", "passwd.md"),
        ("C:\\Users\\els\\tafel 1.vtt", "tafel 1.vtt"),
        ("nul\x00byte.md", "nulbyte.md"),
        ("..", "bestand"),
        ("..\\..\\..\\x.srt", "x.srt"),
        (".verborgen.txt", "verborgen.txt"),
        ("a<b>\"c'|?*.md", "a_b_c_.md"),
        ("", "bestand"),
    ],
)
def test_file_names_are_sanitised(raw: str, expected: str) -> None:
    from lerendewijk.web.uploads import safe_name

    assert safe_name(raw) == expected


def test_pages_render_in_dutch_with_security_headers(web: dict[str, Any]) -> None:
    client = web["client"]
    expected = {
        "/": "Rondes",
        "/nieuwe-ronde": "Sleep de bestanden hierheen",
        "/rondes/ronde-1/themas": "Twee thema's samenvoegen",
        "/rondes/ronde-1/koppelingen": "Koppelingen",
        "/rondes/ronde-1/export": "REFI-QDA-project (qdpx)",
    }
    for url, text in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text.replace("'", "&#39;") in response.text or text in response.text, url
        assert '<html lang="nl">' in response.text
        csp = response.headers["content-security-policy"]
        assert "http" not in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "HttpOnly" in response.headers.get("set-cookie", "HttpOnly")
    rounds = client.get("/").text
    assert "ronde-1" in rounds and "Testwijk" in rounds
    assert client.get("/rondes/ronde-9/themas").status_code == 404


def test_report_is_the_written_file_with_its_own_scripts_allowed(web: dict[str, Any]) -> None:
    from lerendewijk.web.app import REPORT_BAR

    client = web["client"]
    assert client.get("/rondes/ronde-1/verslag", follow_redirects=False).status_code == 307
    response = client.get("/rondes/ronde-1/verslag/")
    assert response.status_code == 200
    written = (web["root"] / "rapporten" / "ronde-1" / "index.html").read_text(encoding="utf-8")
    assert "Thema&#39;s uit de vrije ruimte" in response.text or "Thema's uit de vrije ruimte" in response.text
    # the same content as the static report, plus the bar back into the app
    assert response.text.replace("\n" + REPORT_BAR.format(rid="ronde-1"), "", 1) == written
    csp = response.headers["content-security-policy"]
    assert "'sha256-" in csp and "unsafe-eval" not in csp and "http" not in csp
    data = client.get("/rondes/ronde-1/verslag/data.json")
    assert data.status_code == 200 and data.json()["ronde"] == "ronde-1"
    assert client.get("/rondes/ronde-1/verslag/gespreksverslag.md").status_code == 200
    assert client.get("/rondes/ronde-1/verslag/index.json").status_code == 404


def test_key_file_store_and_uploads_are_never_served(web: dict[str, Any]) -> None:
    client = web["client"]
    root: Path = web["root"]
    key = root / "sleutel" / "pseudoniemen.json"
    assert key.exists()
    secret = key.read_bytes()[:40]
    for url in [
        "/sleutel/pseudoniemen.json",
        "/static/../sleutel/pseudoniemen.json",
        "/static/..%2F..%2F..%2Fsleutel%2Fpseudoniemen.json",
        "/rondes/ronde-1/verslag/..%2F..%2Fsleutel%2Fpseudoniemen.json",
        "/rondes/..%2Fsleutel/verslag/pseudoniemen.json",
        "/lerendewijk.db",
        "/rondes/ronde-1/verslag/lerendewijk.db",
        "/uploads/",
        "/lerendewijk.toml",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert secret not in response.content


def test_every_post_needs_the_csrf_token(web: dict[str, Any]) -> None:
    client = web["client"]
    posts = [route.path for route in client.app.routes if "POST" in (getattr(route, "methods", None) or ())]
    assert len(posts) >= 6
    token = csrf_of(client)
    for path in posts:
        url = path.replace("{round_id}", "ronde-1").replace("{action}", "hernoem")
        assert client.post(url, data={"nummer": "1", "naam": "x"}).status_code == 403, url
        assert client.post(url, data={"nummer": "1", "naam": "x", "csrf": "vervalst"}).status_code == 403, url
        # the right token from another site's page is refused too
        assert client.post(url, data={"csrf": token}, headers={"origin": "http://kwaadaardig.example"}).status_code == 403, url
    page = client.post("/rondes/ronde-1/koppelingen/besluit", data={"thema": "T1"})
    assert "Dit formulier is verlopen" in page.text


def test_oversized_upload_is_refused_with_a_clear_413(web: dict[str, Any]) -> None:
    from lerendewijk.ingest import MAX_FILE_BYTES
    from lerendewijk.web import create_app

    assert MAX_FILE_BYTES == 64 * 1024 * 1024
    assert web["client"].app.state.web.max_file_bytes == MAX_FILE_BYTES
    before = set((web["root"] / "uploads").iterdir())
    with TestClient(create_app(web["root"], max_file_bytes=1000)) as small:
        token = csrf_of(small)
        files = [("transcripten", ("groot.txt", b"Bewoner: " + b"x" * 5000, "text/plain"))]
        response = small.post("/nieuwe-ronde", data={"csrf": token}, files=files)
    assert response.status_code == 413
    assert "groot.txt is te groot (5 kB, grens 1 kB)" in response.text
    assert set((web["root"] / "uploads").iterdir()) == before
    # past the limit for the whole request, the body is not even read
    response = web["client"].post(
        "/nieuwe-ronde", content=b"x", headers={"content-length": str(10**10), "content-type": "multipart/form-data"}
    )
    assert response.status_code == 413 and "Te groot" in response.text


def test_new_round_form_errors_are_plain(web: dict[str, Any]) -> None:
    client = web["client"]
    token = csrf_of(client)
    response = client.post("/nieuwe-ronde", data={"csrf": token}, files=[("programma", ("", b"", "application/octet-stream"))])
    assert response.status_code == 400 and "Kies minstens één transcript" in response.text
    response = client.post("/nieuwe-ronde", data={"csrf": token}, files=[("transcripten", ("foto.jpg", b"\xff\xd8", "image/jpeg"))])
    assert response.status_code == 400 and "foto.jpg: dit soort bestand" in response.text


def test_decision_on_a_link_is_recorded_and_feeds_the_history(web: dict[str, Any]) -> None:
    client = web["client"]
    with Workspace(web["root"]) as workspace:
        theme = workspace.store.themes("ronde-1")[0]
        manifest = workspace.store.get_round("ronde-1")["manifest"]
        item = workspace.store.programme(manifest["programma_hash"])["items"][0]
    token = csrf_of(client, "/rondes/ronde-1/koppelingen")
    response = client.post(
        "/rondes/ronde-1/koppelingen/besluit",
        data={"csrf": token, "thema": theme["id"], "onderdeel": item["id"], "besluit": "aanvaard", "notitie": "<b>klopt</b>"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "gelukt=besluit" in response.headers["location"]
    page = client.get(response.headers["location"]).text
    assert "Het besluit is vastgelegd" in page and "decision-aanvaard" in page
    assert "&lt;b&gt;klopt&lt;/b&gt;" in page and "<b>klopt</b>" not in page
    with Workspace(web["root"]) as workspace:
        decisions = workspace.store.decisions()
    assert [(d["theme_id"], d["item_id"], d["decision"]) for d in decisions] == [(theme["id"], item["id"], "aanvaard")]
    history = client.get("/leergeschiedenis.md")
    assert f"Besluit over {item['title']}: aanvaard" in history.text
    bad = client.post(
        "/rondes/ronde-1/koppelingen/besluit",
        data={"csrf": token, "thema": theme["id"], "onderdeel": "bestaat-niet", "besluit": "aanvaard"},
    )
    assert bad.status_code == 400 and "staat niet in het programma" in bad.text


def test_exports_download_with_the_right_types(web: dict[str, Any]) -> None:
    client = web["client"]
    expected = {
        "csv": "application/zip",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json": "application/json",
        "qdpx": "application/zip",
        "qdc": "application/xml",
    }
    bodies = {}
    for fmt, media_type in expected.items():
        response = client.get(f"/rondes/ronde-1/export/{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["content-type"].startswith(media_type), fmt
        assert response.headers["content-disposition"].startswith('attachment; filename="testwijk-ronde-1.')
        bodies[fmt] = response.content
    assert any(n.endswith(".csv") for n in zipfile.ZipFile(io.BytesIO(bodies["csv"])).namelist())
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(bodies["xlsx"])).namelist()
    assert json.loads(bodies["json"])
    assert "project.qde" in zipfile.ZipFile(io.BytesIO(bodies["qdpx"])).namelist()
    assert b"<CodeBook" in bodies["qdc"]
    for url, media_type in [
        ("/rondes/ronde-1/verslag/gespreksverslag.md", "text/markdown"),
        ("/rondes/ronde-1/verslag/beleidsspiegel.md", "text/markdown"),
        ("/leergeschiedenis.html", "text/html"),
        ("/leergeschiedenis.md", "text/markdown"),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["content-type"].startswith(media_type), url
    assert client.get("/rondes/ronde-1/export/pdf").status_code == 404
    # nothing was written into the workspace: downloads come from a temporary folder
    assert not (web["root"] / "rapporten" / "ronde-1" / "export").exists()


def test_steering_is_stored_and_the_round_recomputed(web: dict[str, Any]) -> None:
    client = web["client"]
    with Workspace(web["root"]) as workspace:
        before = {t["number"]: t for t in workspace.store.themes("ronde-1")}
    token = csrf_of(client, "/rondes/ronde-1/themas")
    same = client.post("/rondes/ronde-1/themas/samenvoegen", data={"csrf": token, "eerste": "1", "tweede": "1"})
    assert same.status_code == 400 and "Kies twee verschillende thema" in same.text
    missing = client.post("/rondes/ronde-1/themas/hernoem", data={"csrf": token, "nummer": "99", "naam": "x"})
    assert missing.status_code == 400 and "thema 99 bestaat niet" in missing.text.lower()

    name = "Bus & <b>boodschappen</b>"
    job = finish(
        client,
        job_of(client.post("/rondes/ronde-1/themas/hernoem", data={"csrf": token, "nummer": "1", "naam": name}, follow_redirects=False)),
    )
    assert any("heet voortaan" in n for n in job["notes"])
    page = client.get("/rondes/ronde-1/themas").text
    assert "Bus &amp; &lt;b&gt;boodschappen&lt;/b&gt;" in page and "<b>boodschappen" not in page
    report = json.loads((web["root"] / "rapporten" / "ronde-1" / "data.json").read_text(encoding="utf-8"))
    assert name in [t["label"] for t in report["themes"]]

    finish(
        client,
        job_of(
            client.post("/rondes/ronde-1/themas/samenvoegen", data={"csrf": token, "eerste": "1", "tweede": "2"}, follow_redirects=False)
        ),
    )
    with Workspace(web["root"]) as workspace:
        after = workspace.store.themes("ronde-1")
        rules = [r.action for r in load_rules(workspace.store).rules]
    assert len(after) == len(before) - 1
    assert rules == ["hernoem", "voeg_samen"]
    # the decision can be withdrawn again from the same page
    page = client.get("/rondes/ronde-1/themas").text
    assert "gaat op in" in page and "Intrekken" in page


def test_login_required_and_sessions_expire(web: dict[str, Any]) -> None:
    from lerendewijk.web import create_app

    now = [1_000_000.0]
    app = create_app(web["root"], password=PASSWORD, session_seconds=3600, clock=lambda: now[0])
    with TestClient(app) as client:
        response = client.get("/", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/inloggen"
        # a download link followed without a session lands on the login page, not on the data
        assert "Wachtwoord" in client.get("/rondes/ronde-1/export/json").text
        token = csrf_of(client, "/inloggen")
        assert client.post("/rondes/ronde-1/bijwerken", data={"csrf": token}).status_code == 401
        wrong = client.post("/inloggen", data={"csrf": token, "wachtwoord": "fout"})
        assert wrong.status_code == 401 and "klopt niet" in wrong.text
        right = client.post("/inloggen", data={"csrf": token, "wachtwoord": PASSWORD}, follow_redirects=False)
        assert right.status_code == 303
        assert client.get("/").status_code == 200
        # the token of before the login is worth nothing after it (a new session)
        assert client.post("/uitloggen", data={"csrf": token}).status_code == 403
        now[0] += 3601
        response = client.get("/", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/inloggen?verlopen=1"
        assert "Uw sessie is verlopen" in client.get("/inloggen?verlopen=1").text
        # a cookie signed by someone else is no session at all
        client.cookies.set("lerendewijk_sessie", "eyJhdXRoIjp0cnVlfQ.AAAA")
        assert client.get("/", follow_redirects=False).status_code == 303


def test_public_host_needs_a_password(web: dict[str, Any]) -> None:
    from lerendewijk.cli import main
    from lerendewijk.web import serve

    with pytest.raises(LerendeWijkError, match="wachtwoord"):
        serve(web["root"], host="0.0.0.0", password=None, open_browser=False)
    with pytest.raises(LerendeWijkError, match="te kort"):
        serve(web["root"], host="192.168.1.20", password="kort", open_browser=False)
    result = CliRunner().invoke(
        main, ["serve", "--workspace", str(web["root"]), "--host", "0.0.0.0", "--geen-browser"], env={"LERENDEWIJK_WACHTWOORD": None}
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fout: --host 0.0.0.0") and "wachtwoord" in lines[0]


def test_foreign_host_names_are_refused_on_loopback(web: dict[str, Any]) -> None:
    from lerendewijk.web import LOOPBACK_NAMES, create_app

    app = create_app(web["root"], allowed_hosts=LOOPBACK_NAMES)
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"host": "rebind.example:8765"}).status_code == 400


def test_a_running_job_makes_other_writes_wait_clearly(web: dict[str, Any]) -> None:
    import threading

    client = web["client"]
    jobs = client.app.state.web.jobs
    release = threading.Event()
    job_id = jobs.start("Proef", lambda progress: {} if release.wait(30) else {})
    try:
        token = csrf_of(client, "/rondes/ronde-1/koppelingen")
        assert "Er loopt een berekening" in client.get("/").text
        response = client.get("/rondes/ronde-1/export/json")
        assert response.status_code == 409 and "loopt nog een berekening" in response.text
        busy = client.post("/rondes/ronde-1/bijwerken", data={"csrf": token})
        assert busy.status_code == 409 and "loopt al een berekening" in busy.text
        files = [("transcripten", ("tafel.md", b"Bewoner: hallo", "text/markdown"))]
        assert client.post("/nieuwe-ronde", data={"csrf": token}, files=files).status_code == 409
    finally:
        release.set()
        jobs.wait(job_id)
