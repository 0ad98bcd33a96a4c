"""The report in a real headless Chromium: self-contained, escaped, interactive, printable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lerendewijk.report import render_html

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,2000",
]
ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("headless Chromium is needed for the report tests: apt-get install chromium chromium-driver (make test does this)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def _network_requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_report_opens_offline_without_errors(browser, cycled: dict) -> None:
    report: Path = cycled["result"].report
    browser.get(report.as_uri())
    assert "Verslag" in browser.title
    headings = [h.text for h in browser.find_elements("css selector", "h2")]
    assert "Levensdomeinen" in headings and "Thema's uit de vrije ruimte" in headings
    # self-contained: the page itself is the only thing loaded
    requests = [u for u in _network_requests(browser) if not u.startswith(("file:", "data:", "about:"))]
    assert requests == []
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    ARTEFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTEFACTS / "verslag.png"))


def test_domain_filter_hides_other_themes(browser, cycled: dict) -> None:
    browser.get(cycled["result"].report.as_uri())
    themes = browser.find_elements("css selector", "#themas article.theme")
    assert themes
    domain = themes[0].get_attribute("data-domain")
    browser.find_element("css selector", f'.chip[data-domain="{domain}"]').click()
    visible = [t for t in themes if t.is_displayed()]
    assert visible and all(t.get_attribute("data-domain") == domain for t in visible)
    assert browser.find_element("css selector", f'.chip[data-domain="{domain}"]').get_attribute("aria-pressed") == "true"
    browser.find_element("css selector", '.chip[data-domain="alle"]').click()
    assert all(t.is_displayed() for t in themes)


def test_three_views_switch_and_render_their_charts(browser, cycled: dict) -> None:
    browser.get(cycled["result"].report.as_uri())
    views = {v.get_attribute("id"): v for v in browser.find_elements("css selector", ".view")}
    assert set(views) == {"gespreksverslag", "beleidsspiegel", "onderzoek"}
    assert views["gespreksverslag"].is_displayed() and not views["beleidsspiegel"].is_displayed()
    ARTEFACTS.mkdir(exist_ok=True)
    for name, expected in (("beleidsspiegel", "#verbinding"), ("onderzoek", "#kaart svg.scatter"), ("gespreksverslag", "#domeinen svg")):
        browser.find_element("css selector", f'.view-tab[data-view="{name}"]').click()
        assert views[name].is_displayed()
        assert all(not v.is_displayed() for other, v in views.items() if other != name)
        assert browser.find_element("css selector", f'.view-tab[data-view="{name}"]').get_attribute("aria-current") == "page"
        assert browser.find_element("css selector", expected).is_displayed()
        browser.save_screenshot(str(ARTEFACTS / f"verslag-{name}.png"))
    # a link into another view opens that view
    browser.get(cycled["result"].report.as_uri() + "#indicatoren")
    assert views and browser.find_element("css selector", "#beleidsspiegel").is_displayed()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_transcript_text_is_escaped(browser, tmp_path: Path, cycled: dict) -> None:
    data = json.loads(json.dumps(cycled["result"].data, default=str))
    evil = '<script>document.title="gehackt"</script><img src=x onerror="document.title=\'gehackt\'">'
    data["themes"][0]["quotes"][0]["text"] = evil
    data["themes"][0]["label"] = evil
    page = tmp_path / "index.html"
    page.write_text(render_html(data), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.title != "gehackt"
    assert "<script>document.title" in browser.find_element("css selector", "#themas article.theme h3").text
