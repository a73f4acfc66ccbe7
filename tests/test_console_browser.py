"""The staff console in a real browser (Debian's headless chromium, driven by Selenium), the
way a youth worker uses it: with JavaScript off unless a test says otherwise, every field
labelled, and a screenshot of each page in reports/console/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from bot.check import run_check
from bot.engine import User
from tests.conftest import MODEL, ROOT, SAFETY_MODEL
from tests.console_harness import (
    PASSWORD,
    RunningConsole,
    chromium,
    copy_project,
    keep_question,
    screenshot,
    settings_for,
    shrink,
    train_models,
)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[RunningConsole]:
    project = copy_project(tmp_path / "project")
    running = RunningConsole(
        settings_for(project, f"sqlite:///{tmp_path / 'bot.sqlite3'}", COLLECT_NOT_UNDERSTOOD="yes")
    )
    for role in ("admin", "editor", "reviewer"):
        running.add(f"{role}@example.org", role)
    yield running
    running.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    driver = chromium(tmp_path / "chromium-profile")
    yield driver
    driver.quit()


@pytest.fixture
def browser_with_javascript(tmp_path: Path) -> Iterator[Any]:
    driver = chromium(tmp_path / "chromium-profile-js", javascript=True)
    yield driver
    driver.quit()


def labelled(driver: Any) -> None:
    """Every field a person can fill in has a label that names it."""
    for field in driver.find_elements(By.CSS_SELECTOR, "input, select, textarea"):
        if field.get_attribute("type") in ("hidden", "submit"):
            continue
        field_id = field.get_attribute("id")
        assert field_id, field.get_attribute("outerHTML")
        labels = driver.find_elements(By.CSS_SELECTOR, f"label[for='{field_id}']")
        assert labels and labels[0].text.strip(), f"no label for {field_id}"


def log_in(driver: Any, console: RunningConsole, email: str, password: str = PASSWORD) -> None:
    driver.get(f"{console.url}/login")
    labelled(driver)
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    press(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))


def press(driver: Any, element: Any) -> None:
    """Click a button or link and wait for the page it leads to."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait_for_new(driver, page)


def wait_for_new(driver: Any, page: Any) -> None:
    """Wait until `page` (the old <html>) is gone and the new page has loaded."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def replaced(driver: Any) -> bool:
        try:
            page.is_enabled()
        except WebDriverException:  # stale, or chromedriver no longer knows the node
            return bool(driver.execute_script("return document.readyState") == "complete")
        return False

    WebDriverWait(driver, 60).until(replaced)


def field_errors(driver: Any, name: str) -> str:
    found = driver.find_elements(By.ID, f"{name}-errors")
    return found[0].text if found else ""


def test_log_in_with_the_keyboard_alone_and_fail_to_log_in(
    console: RunningConsole, browser: Any
) -> None:
    log_in(browser, console, "editor@example.org", "not the password")
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert alert == "That email and password do not match an account. Check them and try again."
    assert browser.find_element(By.ID, "email").get_attribute("aria-invalid") == "true"
    screenshot(browser, "login-failed")
    # Now with the keyboard alone: Tab to each field, type, Enter.
    browser.get(f"{console.url}/login")
    screenshot(browser, "login")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the "skip to the page" link
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("name") == "email"
    browser.switch_to.active_element.send_keys("editor@example.org", Keys.TAB)
    assert browser.switch_to.active_element.get_attribute("name") == "password"
    page = browser.find_element(By.TAG_NAME, "html")
    browser.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    wait_for_new(browser, page)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"
    assert "editor@example.org (editor)" in browser.find_element(By.TAG_NAME, "header").text
    labelled(browser)
    screenshot(browser, "dashboard")


def open_reply(browser: Any, console: RunningConsole, search: str, title: str) -> None:
    browser.get(f"{console.url}/replies")
    labelled(browser)
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "q").send_keys(search, Keys.ENTER)
    wait_for_new(browser, page)
    screenshot(browser, "replies-search")
    press(browser, browser.find_element(By.LINK_TEXT, title))
    labelled(browser)


def set_text(browser: Any, old: str, new: str) -> None:
    area = browser.find_element(By.CSS_SELECTOR, "textarea[name=text]")
    text = area.get_attribute("value")
    assert old in text
    area.clear()
    area.send_keys(text.replace(old, new))


@pytest.mark.model
def test_an_edited_reply_is_what_ask_answers(console: RunningConsole, browser: Any) -> None:
    log_in(browser, console, "editor@example.org")
    open_reply(browser, console, "anonymous", "Report without your name")
    set_text(browser, "any time, day or night", "at any hour, day or night")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert "Saved. The bot uses the new version within a few seconds." in browser.page_source
    screenshot(browser, "reply-saved")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "can i report without giving my name"],
        cwd=ROOT,
        env={
            **os.environ,
            "CONTENT_DIR": str(console.settings.content_dir),
            "MODEL_PATH": str(MODEL),
            "SAFETY_MODEL_PATH": str(SAFETY_MODEL),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    answer = json.loads(done.stdout)
    assert answer["topic"] == "reporting"
    assert "Call 0800 555 111, at any hour, day or night." in answer["text"]


def test_a_broken_edit_is_refused_with_the_error_beside_the_text(
    console: RunningConsole, browser: Any
) -> None:
    path = console.settings.content_dir / "replies" / "reporting.yml"
    before = path.read_text(encoding="utf-8")
    log_in(browser, console, "editor@example.org")
    open_reply(browser, console, "anonymous", "Report without your name")
    set_text(browser, "Call {crimestoppers.phone}", "Call 0800 555 111")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"))
    error = field_errors(browser, "text")
    assert "the number '0800 555 111' is typed into the text" in error
    assert "write {crimestoppers.phone} instead" in error
    assert error.startswith("content/replies/reporting.yml, line ")
    text_box = browser.find_element(By.ID, "text")
    assert text_box.get_attribute("aria-invalid") == "true"
    assert "text-errors" in text_box.get_attribute("aria-describedby")
    assert "Nothing was saved" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    screenshot(browser, "reply-refused")
    assert path.read_text(encoding="utf-8") == before


def test_the_preview_shows_the_reply_as_telegram_will_without_saving(
    console: RunningConsole, browser: Any
) -> None:
    path = console.settings.content_dir / "replies" / "reporting.yml"
    before = path.read_text(encoding="utf-8")
    log_in(browser, console, "editor@example.org")
    open_reply(browser, console, "anonymous", "Report without your name")
    set_text(browser, "any time, day or night", "whenever you like")
    buttons = browser.find_element(By.ID, "buttons")
    buttons.clear()
    buttons.send_keys("report_what_happens, menu_report")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=preview]"))
    preview = browser.find_element(By.CLASS_NAME, "preview")
    assert "Preview of your edit (not saved yet)" in preview.text
    bubbles = preview.find_elements(By.CLASS_NAME, "bubble")
    assert len(bubbles) == 1
    # The placeholder is filled in as the young person will see it.
    assert "Call 0800 555 111, whenever you like." in bubbles[0].text
    labels = [b.text for b in preview.find_elements(By.CSS_SELECTOR, ".tg-buttons li")]
    assert labels == ["What happens after I report", "Report something"]
    screenshot(browser, "reply-preview")
    assert path.read_text(encoding="utf-8") == before


def test_a_change_is_shown_in_the_history_and_undone(console: RunningConsole, browser: Any) -> None:
    path = console.settings.content_dir / "replies" / "reporting.yml"
    before = path.read_text(encoding="utf-8")
    log_in(browser, console, "editor@example.org")
    open_reply(browser, console, "anonymous", "Report without your name")
    set_text(browser, "any time, day or night", "at any hour")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert path.read_text(encoding="utf-8") != before
    press(browser, browser.find_element(By.LINK_TEXT, "History"))
    entry = browser.find_element(By.CLASS_NAME, "entry")
    assert "editor@example.org edited the reply report_anonymous" in entry.text
    entry.find_element(By.TAG_NAME, "summary").click()
    diff = entry.find_element(By.CLASS_NAME, "diff").text
    assert "+    • Call {crimestoppers.phone}, at any hour." in diff
    screenshot(browser, "history")
    press(browser, entry.find_element(By.CSS_SELECTOR, "form button"))
    assert "Undone. The file is back as it was before that change." in browser.page_source
    screenshot(browser, "history-undone")
    assert path.read_text(encoding="utf-8") == before


def test_a_reviewed_question_becomes_a_training_example(
    console: RunningConsole, browser: Any
) -> None:
    keep_question(
        console.settings.database_url, "how do i grass on kwesi without him knowing", "5550001234"
    )
    log_in(browser, console, "reviewer@example.org")
    press(browser, browser.find_element(By.LINK_TEXT, "Questions"))
    labelled(browser)
    question = browser.find_element(By.CLASS_NAME, "question")
    assert "“how do i grass on [word] without him knowing”" in question.text
    screenshot(browser, "questions")
    # Nothing is added until the reviewer says what it is about...
    press(browser, question.find_element(By.CSS_SELECTOR, "button[value=add]"))
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert alert == "Choose what the question is asking about, then add it."
    question = browser.find_element(By.CLASS_NAME, "question")
    # ...and, added as it is, the gap is refused: the model must learn from real words.
    question.find_element(
        By.CSS_SELECTOR, "select[name=intent] option[value=report_anonymous]"
    ).click()
    press(browser, question.find_element(By.CSS_SELECTOR, "button[value=add]"))
    assert (
        "replace it with an ordinary word"
        in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    )
    question = browser.find_element(By.CLASS_NAME, "question")
    example = question.find_element(By.NAME, "example")
    example.clear()
    example.send_keys("how do i grass on my mate without him knowing")
    question.find_element(
        By.CSS_SELECTOR, "select[name=intent] option[value=report_anonymous]"
    ).click()
    press(browser, question.find_element(By.CSS_SELECTOR, "button[value=add]"))
    assert "Added as a training example" in browser.page_source
    screenshot(browser, "question-added")
    data = (console.settings.root / "nlu" / "data" / "reporting.yml").read_text(encoding="utf-8")
    block = data[data.rindex("- intent: report_anonymous") :]
    assert block.startswith("- intent: report_anonymous\n  metadata:\n    writer: staff\n")
    assert "    - how do i grass on my mate without him knowing\n" in block
    assert [p for p in run_check(console.settings.root) if p.level == "error"] == []


def test_an_editor_cannot_open_the_model_page_nor_a_reviewer_edit(
    console: RunningConsole, browser: Any
) -> None:
    log_in(browser, console, "editor@example.org")
    nav = browser.find_element(By.TAG_NAME, "nav").text
    assert "Model" not in nav and "Questions" not in nav
    browser.get(f"{console.url}/model")
    assert "Your account is an editor account, which cannot use this page" in browser.page_source
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/model/train']")
    screenshot(browser, "blocked-editor-model")
    press(browser, browser.find_element(By.CSS_SELECTOR, "form.logout button"))
    log_in(browser, console, "reviewer@example.org")
    browser.get(f"{console.url}/replies/report_anonymous")
    assert "Your account is a reviewer account, which cannot use this page" in browser.page_source
    assert not browser.find_elements(By.CSS_SELECTOR, "textarea[name=text]")
    screenshot(browser, "blocked-reviewer-edit")


def test_a_form_sent_without_its_csrf_token_is_refused(
    console: RunningConsole, browser_with_javascript: Any
) -> None:
    browser = browser_with_javascript
    path = console.settings.content_dir / "replies" / "reporting.yml"
    before = path.read_text(encoding="utf-8")
    log_in(browser, console, "editor@example.org")
    browser.get(f"{console.url}/replies/report_anonymous")
    set_text(browser, "any time, day or night", "never")
    browser.execute_script("document.querySelector('form.edit input[name=csrf_token]').remove();")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[value=save]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "This form could not be sent"
    screenshot(browser, "csrf-refused")
    assert path.read_text(encoding="utf-8") == before


def test_every_page_has_labelled_fields_and_a_screenshot(
    console: RunningConsole, browser: Any
) -> None:
    log_in(browser, console, "admin@example.org")
    pages = {
        "replies": "/replies",
        "reply": "/replies/support_talk",
        "contacts": "/contacts",
        "contact": "/contacts/crimestoppers",
        "contact-new": "/contacts/new",
        "services": "/services",
        "area": "/areas/islington",
        "area-new": "/areas/new",
        "service-new": "/services/new",
        "questions-empty": "/questions",
        "model": "/model",
        "accounts": "/staff",
    }
    for name, page in pages.items():
        browser.get(f"{console.url}{page}")
        assert browser.find_element(By.TAG_NAME, "h1").text, page
        labelled(browser)
        screenshot(browser, name)


def test_a_new_area_and_service_from_the_forms(console: RunningConsole, browser: Any) -> None:
    log_in(browser, console, "editor@example.org")
    browser.get(f"{console.url}/areas/new")
    for name, value in {
        "key": "hackney",
        "name": "Hackney",
        "also_called": "hackney wick, dalston",
        "postcode_districts": "E8, E9",
        "within": "london",
    }.items():
        browser.find_element(By.ID, name).send_keys(value)
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary"))
    assert "Saved." in browser.page_source
    browser.get(f"{console.url}/services/new")
    browser.find_element(By.ID, "contact").send_keys("childline")
    browser.find_element(By.ID, "areas").send_keys("hackney")
    browser.find_element(By.ID, "what").send_keys("a test listing for Hackney")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary"))
    assert "Saved." in browser.page_source
    screenshot(browser, "services-added")
    from bot.content import load_content

    content, _ = load_content(console.settings.content_dir)
    assert content is not None
    area = content.find_area("any help in dalston")
    assert area is not None and area.key == "hackney"
    assert any(s.what == "a test listing for Hackney" for s, _ in content.services_for(area))
    # A phone number typed without quotes is refused beside its field.
    browser.get(f"{console.url}/contacts/childline")
    phone = browser.find_element(By.ID, "phone")
    phone.clear()
    phone.send_keys("0800 11")
    press(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary"))
    assert "is not a valid UK number" in field_errors(browser, "phone")
    screenshot(browser, "contact-refused")


# -- the model: retrained on a tiny copy of the project, so each training takes seconds


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = shrink(copy_project(tmp_path_factory.mktemp("tiny") / "project"))
    train_models(project)
    return project


def wait_for_result(browser: Any, url: str, seconds: float = 900) -> str:
    from bot import retraining

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        browser.get(url)
        page = browser.find_element(By.TAG_NAME, "main").text
        if "Last training" in page and "Training a new model" not in page:
            for job in list(retraining._JOBS):  # let the training process end
                job.wait(timeout=120)
            return str(page)
        time.sleep(2)
    raise AssertionError("training did not finish")


@pytest.mark.model
def test_retrain_and_activate_and_the_bot_switches(
    trained: Path, tmp_path: Path, browser_with_javascript: Any
) -> None:
    from bot.content import ContentStore
    from bot.engine import Engine
    from bot.models import ModelShelf
    from bot.modelswitch import ModelSwitch
    from bot.startup import make_grader, make_parser

    browser = browser_with_javascript
    settings = settings_for(trained, f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    engine = Engine(
        content=ContentStore(settings.content_dir),
        parser=make_parser(settings),
        grader=make_grader(settings),
    )
    switch = ModelSwitch(
        ModelShelf(settings).pointer,
        engine,
        load=lambda: (make_parser(settings), make_grader(settings)),
    )
    with_console = RunningConsole(settings)
    try:
        with_console.add("admin@example.org", "admin")
        log_in(browser, with_console, "admin@example.org")
        browser.get(f"{with_console.url}/model")
        press(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/model/train'] button"))
        progress = browser.find_element(By.ID, "progress")
        assert progress.get_attribute("max") == "1"
        screenshot(browser, "model-training")
        page = wait_for_result(browser, f"{with_console.url}/model")
        screenshot(browser, "model-activated")
    finally:
        with_console.close()
    assert "The new model passed and is in use." in page
    active = json.loads((trained / "models" / "active.json").read_text())
    assert active["by"] == "admin@example.org" and active["previous"].startswith("before-")
    # The running bot swaps the new pair in by itself, and answers with it.
    old = engine.parser
    import asyncio

    assert asyncio.run(switch.check())
    assert engine.parser is not old
    reply = asyncio.run(engine.answer("how do i report without my name", User("test", "1")))
    assert reply.topic == "reporting"
    asyncio.run(engine.parser.close())
    if engine.grader is not None:
        asyncio.run(engine.grader.close())


@pytest.mark.model
def test_a_worse_model_is_refused_and_the_page_says_why(
    trained: Path, tmp_path: Path, browser: Any
) -> None:
    settings = settings_for(trained, f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    before = (trained / "models" / "nlu.tar.gz").read_bytes()
    pointer = trained / "models" / "active.json"
    active_before = pointer.read_text() if pointer.exists() else None
    # Someone's careless edit: the reporting examples filed under the law and back.
    reporting = trained / "nlu" / "data" / "reporting.yml"
    consequences = trained / "nlu" / "data" / "consequences.yml"
    original = (reporting.read_text(), consequences.read_text())
    reporting.write_text(original[0].replace("intent: report_anonymous", "intent: law_carrying"))
    consequences.write_text(original[1].replace("intent: law_carrying", "intent: report_anonymous"))
    with_console = RunningConsole(settings)
    try:
        with_console.add("admin@example.org", "admin")
        log_in(browser, with_console, "admin@example.org")
        browser.get(f"{with_console.url}/model")
        press(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/model/train'] button"))
        page = wait_for_result(browser, f"{with_console.url}/model")
        screenshot(browser, "model-refused")
    finally:
        with_console.close()
        reporting.write_text(original[0])
        consequences.write_text(original[1])
    assert "The new model was not put in use, because:" in page
    assert "topic accuracy on held-out messages fell from" in page
    assert (trained / "models" / "nlu.tar.gz").read_bytes() == before
    assert (pointer.read_text() if pointer.exists() else None) == active_before


def test_an_admin_adds_and_removes_a_colleague(console: RunningConsole, browser: Any) -> None:
    log_in(browser, console, "admin@example.org")
    press(browser, browser.find_element(By.LINK_TEXT, "Accounts"))
    browser.find_element(By.ID, "new-email").send_keys("new.worker@example.org")
    browser.find_element(By.CSS_SELECTOR, "#new-role option[value=reviewer]").click()
    browser.find_element(By.ID, "new-password").send_keys("short")
    # (The browser itself refuses a password under 12 characters; the console too.)
    assert browser.find_element(By.ID, "new-password").get_attribute("minlength") == "12"
    browser.find_element(By.ID, "new-password").send_keys(" but now long enough")
    press(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/staff/add'] button"))
    assert "Account added." in browser.page_source
    assert ("new.worker@example.org", "reviewer") in [
        (m.email, m.role) for m in console.accounts.list()
    ]
    screenshot(browser, "accounts")
    press(
        browser, browser.find_element(By.XPATH, "//button[text()='Remove new.worker@example.org']")
    )
    assert "Account removed" in browser.page_source
    assert "new.worker@example.org" not in [m.email for m in console.accounts.list()]


def focus_order(browser: Any, presses: int) -> list[str]:
    """What the Tab key reaches, in order, from the top of the page (a date field takes a
    press for each of its day, month and year: counted once)."""
    reached: list[str] = []
    for _ in range(presses):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        element = browser.switch_to.active_element
        name = (
            element.get_attribute("id")
            or element.get_attribute("value")
            or element.text
            or element.tag_name
        )
        if not reached or reached[-1] != name:
            reached.append(name)
    return reached


def test_a_reply_can_be_edited_and_saved_with_the_keyboard_alone(
    console: RunningConsole, browser: Any
) -> None:
    log_in(browser, console, "editor@example.org")
    browser.get(f"{console.url}/replies/report_anonymous")
    reached = focus_order(browser, 20)
    fields = ["title", "text", "buttons", "sources", "last_reviewed", "preview", "save"]
    assert [r for r in reached if r in fields] == fields, reached
    # Tab to the title, change it, and press Enter: the form is saved.
    browser.get(f"{console.url}/replies/report_anonymous")
    while browser.switch_to.active_element.get_attribute("id") != "title":
        browser.switch_to.active_element.send_keys(Keys.TAB)
    title = browser.switch_to.active_element
    title.send_keys(Keys.END, " anonymously")
    page = browser.find_element(By.TAG_NAME, "html")
    title.send_keys(Keys.ENTER)
    wait_for_new(browser, page)
    # Enter in a field presses the form's first button: Preview, which saves nothing.
    assert "Preview of your edit (not saved yet)" in browser.page_source
    assert "Report without your name anonymously" in browser.find_element(
        By.ID, "title"
    ).get_attribute("value")
