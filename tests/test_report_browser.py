"""The report in a real headless Chromium: self-contained, escaped, interactive, printable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lerendewijk.report import render_html

from .conftest import chromium_options

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options, driver_path = chromium_options("1280,2000")
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


def _chip(browser, group: str, value: str):  # type: ignore[no-untyped-def]
    return browser.find_element("css selector", f'.filter[data-filter="{group}"] .chip[data-value="{value}"]')


def _render(tmp_path: Path, data: dict) -> str:
    page = tmp_path / "index.html"
    page.write_text(render_html(data), encoding="utf-8")
    return page.as_uri()


def test_domain_filter_hides_other_themes(browser, cycled: dict) -> None:
    browser.get(cycled["result"].report.as_uri())
    themes = browser.find_elements("css selector", "#themas article.theme")
    assert themes
    domain = themes[0].get_attribute("data-domain")
    _chip(browser, "domain", domain).click()
    visible = [t for t in themes if t.is_displayed()]
    assert visible and all(t.get_attribute("data-domain") == domain for t in visible)
    assert _chip(browser, "domain", domain).get_attribute("aria-pressed") == "true"
    assert "thema's getoond" in browser.find_element("css selector", ".filter-count").text
    _chip(browser, "domain", "alle").click()
    assert all(t.is_displayed() for t in themes)


def test_round_and_role_filters_combine(browser, cycled: dict, tmp_path: Path) -> None:
    data = json.loads(json.dumps(cycled["result"].data, default=str))
    # two rounds and two speaker roles, as in a workspace after a second story table
    first, *rest = data["themes"]
    first["rounds"] = ["1", "2"]
    for theme in rest:
        theme["rounds"] = ["1"]
    first["quotes"][0]["role"] = "professional"
    for theme in rest:
        for q in theme["quotes"]:
            q["role"] = "bewoner"
    browser.get(_render(tmp_path, data))
    themes = browser.find_elements("css selector", "#themas article.theme")
    _chip(browser, "round", "2").click()
    assert [t.get_attribute("id") for t in themes if t.is_displayed()] == [f"thema-{first['key']}"]
    _chip(browser, "round", "alle").click()
    _chip(browser, "role", "professional").click()
    shown = [t for t in themes if t.is_displayed()]
    assert [t.get_attribute("id") for t in shown] == [f"thema-{first['key']}"]
    shown[0].find_element("css selector", "summary").click()
    quotes = shown[0].find_elements("css selector", "blockquote")
    assert [q.get_attribute("data-role") for q in quotes if q.is_displayed()] == ["professional"]
    _chip(browser, "role", "alle").click()
    assert all(t.is_displayed() for t in themes)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_heat_map_cell_leads_to_the_evidence_of_its_link(browser, cycled: dict, tmp_path: Path) -> None:
    data = json.loads(json.dumps(cycled["result"].data, default=str))
    if not data["heatmap"]:
        pytest.fail("the mini corpus comes with a programme, so the report has a heat map")
    theme, item = data["themes"][0], data["heatmap"]["items"][-1]
    evidence = [q for t in data["themes"] for q in t["quotes"]][:4]
    # the link the linker would make, on the last item, with more quotes than the table shows at once
    data["programme"]["links"].append(
        {
            "theme": theme["key"],
            "item": item["id"],
            "score": 0.5,
            "evidence": evidence,
            "theme_label": theme["label"],
            "theme_number": theme["number"],
            "item_title": item["title"],
            "decision": None,
        }
    )
    data["heatmap"]["rows"][0]["cells"][-1] = 0.5
    browser.get(_render(tmp_path, data))
    browser.find_element("css selector", '.view-tab[data-view="beleidsspiegel"]').click()
    cells = browser.find_elements("css selector", ".heatmap a.cell-link")
    cell = next(c for c in cells if c.get_attribute("href").endswith(item["id"]))
    target = cell.get_attribute("href").split("#", 1)[1]
    cell.click()
    row = browser.find_element("id", target)
    assert row.is_displayed() and row.tag_name == "tr"
    assert len(row.find_elements("css selector", "q")) == 2
    details = row.find_element("css selector", "details")
    assert details.get_attribute("open") is not None and len(details.find_elements("css selector", "blockquote")) == 2
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_theme_chart_leads_to_the_theme_quotes(browser, cycled: dict) -> None:
    browser.get(cycled["result"].report.as_uri())
    bar = browser.find_element("css selector", "#themas svg.bars a")
    key = bar.get_dom_attribute("href").split("#thema-", 1)[1]
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar)
    article = browser.find_element("id", f"thema-{key}")
    assert article.find_element("css selector", "details").get_attribute("open") is not None
    assert article.find_element("css selector", "blockquote").is_displayed()


def test_agreement_section_shows_a_loaded_coding(browser, cycled: dict, tmp_path: Path) -> None:
    data = json.loads(json.dumps(cycled["result"].data, default=str))
    assert data["agreement"] == []
    per_domain = [{"key": k, "label": k, "kappa": 0.8, "alpha": 0.8, "agreement": 0.9} for k in ("lichaam_en_geest", "sociale_relaties")]
    data["agreement"] = [
        {
            "coder": "onderzoeker A",
            "n": 40,
            "primary_kappa": 0.71,
            "primary_alpha": 0.7,
            "primary_agreement": 0.78,
            "per_domain": per_domain,
        }
    ]
    browser.get(_render(tmp_path, data) + "#overeenstemming")
    section = browser.find_element("id", "overeenstemming")
    assert section.is_displayed() and "onderzoeker A" in section.text and "0.71" in section.text


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
    browser.get(_render(tmp_path, data))
    assert browser.title != "gehackt"
    assert "<script>document.title" in browser.find_element("css selector", "#themas article.theme h3").text
