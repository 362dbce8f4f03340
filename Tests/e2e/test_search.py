"""The search page in headless Chromium: typing finds ranked results, a facet narrows them,
and the URL keeps the state so a reload (or a shared link) shows the same search."""

from urllib.parse import parse_qs, urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait


def results(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#search-results [data-result]")


def wait_for_results(browser, predicate=lambda items: len(items) > 0):
    WebDriverWait(browser, 10).until(lambda driver: predicate(results(driver)))
    return results(browser)


def test_typing_a_query_shows_ranked_results(portal, browser):
    server, _, _ = portal
    browser.get(server.url + "search/")
    box = browser.find_element(By.CSS_SELECTOR, "input[type=search][name=q]:not(#header-q)")
    box.send_keys("comestibles")
    items = wait_for_results(browser)
    first = items[0].find_element(By.TAG_NAME, "a")
    assert first.get_attribute("href").endswith("/cases/incroyables-comestibles/")
    status = browser.find_element(By.ID, "search-status").text
    assert status and status[0].isdigit() or "résultat" in status


def test_facet_and_reload_keep_the_state(portal, browser):
    server, _, _ = portal
    browser.get(server.url + "search/?q=projet")
    before = wait_for_results(browser)
    assert len(before) > 1
    box = browser.find_element(By.CSS_SELECTOR, 'input[data-facet="outcome"][value="failure"]')
    browser.execute_script("arguments[0].click()", box)
    WebDriverWait(browser, 10).until(lambda driver: "outcome=failure" in driver.current_url)
    after = wait_for_results(browser, lambda items: 0 < len(items) < len(before))
    hrefs = [item.find_element(By.TAG_NAME, "a").get_attribute("href") for item in after]
    assert all("/cases/homejoy/" in href or "/cases/sidecar/" in href for href in hrefs), hrefs
    query = parse_qs(urlsplit(browser.current_url).query)
    assert query == {"q": ["projet"], "outcome": ["failure"]}

    browser.refresh()
    reloaded = wait_for_results(browser, lambda items: len(items) == len(after))
    assert [item.find_element(By.TAG_NAME, "a").get_attribute("href") for item in reloaded] == hrefs
    assert browser.find_element(By.CSS_SELECTOR, 'input[data-facet="outcome"][value="failure"]').is_selected()
    assert browser.find_element(By.ID, "search-q").get_attribute("value") == "projet"


def test_unaccented_query_finds_accented_text(portal, browser):
    server, _, _ = portal
    browser.get(server.url + "search/?q=refugies")
    items = wait_for_results(browser)
    assert any("/cases/singa/" in item.find_element(By.TAG_NAME, "a").get_attribute("href") for item in items)
