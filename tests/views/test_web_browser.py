"""The page in a real browser (headless Debian Chromium through Selenium), used as a person would: type
a question and read the verdict, follow a term link, run a competency question in the editor and see
its rows — at a laptop and at a phone width, with screenshots in the test's temp dir. Chromium is told to
resolve no host but 127.0.0.1, and every resource the page loaded is checked to come from the server."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from spinekg.sparql.questions import find_question
from spinekg.stores.dataset import require_release_edges
from spinekg.stores.endpoint import make_server, serve_in_thread
from spinekg.stores.loader import load
from spinekg.views.web import mount

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian chromium and chromium-driver (.ci/run installs them)")
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store = tmp_path_factory.mktemp("browser") / "store"
    load(require_release_edges(), [], store=store)
    server = make_server(store, 0, timeout=10, workers=1)
    mount(server)
    serve_in_thread(server)
    yield server.url.removesuffix("sparql")
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-first-run"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def shoot(browser, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshot of the whole page (the window grown to its height) in the test's temp dir."""
    width = browser.execute_script("return window.innerWidth")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(browser.get_window_size()["width"], min(height + 120, 4000))
    browser.save_screenshot(str(tmp_path / f"{name}.png"))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width + 1, f"{name}: scrolls sideways"


def only_local(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in loaded if not url.startswith(site) and not url.startswith("data:")] == []


def wait_for(condition, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    end = time.time() + timeout
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the page")


@pytest.mark.parametrize("width", WIDTHS)
def test_ask_read_the_verdict_and_follow_a_term(site, browser, tmp_path, width):
    from selenium.webdriver.common.by import By

    browser.set_window_size(*WIDTHS[width])
    browser.get(site)
    box = browser.find_element(By.ID, "q")
    box.send_keys("L4-L5 microdiscectomy")
    browser.find_element(By.CSS_SELECTOR, "form.ask button").click()
    answers = wait_for(lambda: {b.get_attribute("data-answer"): b.text
                                for b in browser.find_elements(By.CSS_SELECTOR, "[data-answer]")})
    assert answers == {"spine surgery": "yes", "back surgery": "yes"}
    steps = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "ol.why li")]
    assert steps[0] == "read as: microdiscectomy at L4-L5 intervertebral disc (spinekg:Microdiscectomy)"
    shoot(browser, tmp_path, f"ask-{width}")
    only_local(browser, site)
    link = browser.find_element(By.CSS_SELECTOR, "ol.why li:nth-child(2) a.term")
    assert link.text == "L4-L5 intervertebral disc"
    link.click()
    wait_for(lambda: browser.current_url.endswith("/term/DiscL4L5"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "L4-L5 intervertebral disc"
    assert browser.find_element(By.CSS_SELECTOR, ".definition").text == "The intervertebral disc between L4 and L5."
    shoot(browser, tmp_path, f"term-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_run_a_competency_question_in_the_editor(site, browser, tmp_path, width):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    question = find_question("04")
    browser.set_window_size(*WIDTHS[width])
    browser.get(site + "editor")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".yasqe_queryButton"))
    Select(browser.find_element(By.ID, "cq")).select_by_value("3")
    shown = browser.execute_script("return window.spinekgYasgui.getTab().getQuery()")
    assert shown == question.text
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".yasr table.dataTable tbody tr"))
    cells = [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]
    shoot(browser, tmp_path, f"editor-{width}")
    only_local(browser, site)
    # every answer row is shown, in the query's order, each with its procedure and its label
    assert len(cells) == len(question.expected) == 15
    for shown, row in zip(cells, question.expected):
        assert row["procedure"] in " ".join(shown) and row["label"] in " ".join(shown), (shown, row)
