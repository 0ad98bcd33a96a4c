"""The web app in a real headless Chromium against a real uvicorn: upload the example round, watch the
cycle, read the report, merge two themes, accept a link, download the QDPX. No console errors."""

from __future__ import annotations

import gc
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lerendewijk.workspace import Workspace

from .conftest import chromium_options

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "corpora" / "voorbeeld"
ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """uvicorn on a free loopback port in a thread, serving a fresh workspace."""
    import uvicorn

    from lerendewijk.web import LOOPBACK_NAMES, create_app

    root = tmp_path_factory.mktemp("webbrowser") / "vlietkamp"
    Workspace.init(root, wijk="De Vlietkamp")
    app = create_app(root, allowed_hosts=LOOPBACK_NAMES)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    instance = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "root": root}
    instance.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options, driver_path = chromium_options("1280,1100")
    downloads = tmp_path_factory.mktemp("downloads")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False, "safebrowsing.enabled": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def no_console_errors(driver: Any) -> None:
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def shoot(driver: Any, name: str, full: bool = False) -> None:
    """A screenshot from the top of the page; ``full`` grows the window to the whole page first."""
    ARTEFACTS.mkdir(exist_ok=True)
    driver.execute_script("window.scrollTo(0, 0)")
    if full:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(max(height + 150, 800), 2400))
    driver.save_screenshot(str(ARTEFACTS / f"web-{name}.png"))
    if full:
        driver.set_window_size(1280, 1100)


def wait_for(driver: Any, css: str, timeout: float = 30) -> Any:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.25).until(expected_conditions.presence_of_element_located(("css selector", css)))


def test_upload_a_round_and_watch_the_cycle(server: dict[str, Any], browser: Any) -> None:
    browser.get(server["url"] + "/")
    assert "Nog geen rondes" in browser.page_source
    no_console_errors(browser)
    shoot(browser, "rondes-leeg")

    browser.get(server["url"] + "/nieuwe-ronde")
    transcripts = sorted(str(p) for p in (EXAMPLE / "ronde-1").iterdir() if p.is_file())
    browser.find_element("css selector", "#transcripten").send_keys("\n".join(transcripts))
    browser.find_element("css selector", "#programma").send_keys(str(EXAMPLE / "programma.yaml"))
    chosen = browser.find_elements("css selector", "#transcripten-lijst li")
    assert len(chosen) == len(transcripts) and not browser.find_elements("css selector", "#transcripten-lijst li.bad")
    browser.find_element("css selector", "#ronde").send_keys("1")
    no_console_errors(browser)
    shoot(browser, "nieuwe-ronde", full=True)

    browser.find_element("css selector", "#verwerk").click()
    wait_for(browser, "#taak-stappen")
    assert "/taken/" in browser.current_url
    # live progress: at least one stage is marked done while the page has not been reloaded by hand
    wait_for(browser, "li.stage.klaar", timeout=120)
    shoot(browser, "voortgang")
    wait_for(browser, "#open-verslag", timeout=240)
    assert "Klaar: ronde-1" in browser.page_source
    assert len(browser.find_elements("css selector", "li.stage.klaar")) == len(browser.find_elements("css selector", "li.stage"))
    no_console_errors(browser)
    shoot(browser, "klaar", full=True)
    # keep the loaded models out of pytest's garbage walks around every later test (see test_web.py)
    gc.freeze()


def test_open_the_report(server: dict[str, Any], browser: Any) -> None:
    browser.get(server["url"] + "/taken/onbekend")
    assert "niet (meer) bekend" in browser.page_source
    browser.get_log("browser")  # the 404 above is expected; only the pages below are checked
    browser.get(server["url"] + "/")
    browser.find_element("link text", "Verslag").click()
    wait_for(browser, "nav.lw-appbar")
    headings = [h.text for h in browser.find_elements("css selector", "h2")]
    assert "Thema's uit de vrije ruimte" in headings
    assert browser.find_element("css selector", "#gespreksverslag").is_displayed()
    no_console_errors(browser)
    shoot(browser, "verslag")
    browser.find_element("css selector", '.view-tab[data-view="beleidsspiegel"]').click()
    assert browser.find_element("css selector", "#beleidsspiegel").is_displayed()
    no_console_errors(browser)
    shoot(browser, "verslag-beleidsspiegel")


def test_merge_two_themes(server: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get(server["url"] + "/rondes/ronde-1/themas")
    before = len(browser.find_elements("css selector", "article.theme"))
    assert before >= 3
    no_console_errors(browser)
    shoot(browser, "themas")
    Select(browser.find_element("css selector", "#tweede")).select_by_value("3")
    Select(browser.find_element("css selector", "#eerste")).select_by_value("2")
    browser.find_element("css selector", "#samenvoegen button[type=submit]").click()
    wait_for(browser, "#open-verslag", timeout=120)
    assert "gaat op in" in browser.page_source
    browser.get(server["url"] + "/rondes/ronde-1/themas")
    assert len(browser.find_elements("css selector", "article.theme")) == before - 1
    assert "gaat op in" in browser.find_element("css selector", "#h-besluiten").find_element("xpath", "..").text
    no_console_errors(browser)


def test_accept_a_link(server: dict[str, Any], browser: Any) -> None:
    browser.get(server["url"] + "/rondes/ronde-1/koppelingen")
    first = browser.find_element("css selector", "article.link")
    title = first.find_element("css selector", "h3").text
    first.find_element("css selector", "button.accept").click()
    wait_for(browser, ".flash")
    assert "Het besluit is vastgelegd" in browser.find_element("css selector", ".flash").text
    accepted = [a for a in browser.find_elements("css selector", "article.link") if a.find_elements("css selector", ".decision-aanvaard")]
    assert [a.find_element("css selector", "h3").text for a in accepted] == [title]
    no_console_errors(browser)
    shoot(browser, "koppelingen")


def test_download_the_qdpx(server: dict[str, Any], browser: Any) -> None:
    browser.get(server["url"] + "/rondes/ronde-1/export")
    no_console_errors(browser)
    shoot(browser, "export", full=True)
    browser.find_element("css selector", 'a[data-export="qdpx"]').click()
    target = browser.downloads / "de-vlietkamp-ronde-1.qdpx"
    deadline = time.monotonic() + 30
    while not target.exists() or list(browser.downloads.glob("*.crdownload")):
        assert time.monotonic() < deadline, f"no download in {sorted(browser.downloads.iterdir())}"
        time.sleep(0.2)
    with zipfile.ZipFile(target) as archive:
        assert "project.qde" in archive.namelist()
        assert any(name.startswith("sources/") for name in archive.namelist())
    browser.get(server["url"] + "/")
    assert "ronde-1" in browser.page_source
    no_console_errors(browser)
    shoot(browser, "rondes")
