"""The shipped content is right about the numbers; broken edits are caught with file and line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.check import readability_grade, run_check
from bot.content import ContentStore, load_content, valid_uk_number
from tests.conftest import ROOT

CONTENT, PROBLEMS = load_content(ROOT / "content")


def test_the_shipped_content_loads_without_errors() -> None:
    errors = [p.format(ROOT) for p in PROBLEMS if p.level == "error"]
    assert errors == []
    assert CONTENT is not None


def test_check_passes_on_the_shipped_content_and_data() -> None:
    errors = [p.format(ROOT) for p in run_check(ROOT) if p.level == "error"]
    assert errors == []


# Short lines the engine adds to other replies (never sent alone): each carries only the
# number its topic promises.
LINES = {
    "reporting_line": "0800 555 111",
    "crisis_line": "116 123",
    "urgent_banner": "999",
    "urgent_banner_hurt": "999",
}


def replies_of(topic: str) -> list[tuple[str, str]]:
    assert CONTENT is not None
    return [
        (r.id, r.text) for r in CONTENT.replies.values() if r.topic == topic and r.id not in LINES
    ]


@pytest.mark.parametrize(("reply_id", "number"), LINES.items())
def test_the_lines_added_to_replies_carry_their_topics_number(reply_id: str, number: str) -> None:
    assert CONTENT is not None
    assert number in CONTENT.replies[reply_id].text.split("\n\n")[0]


@pytest.mark.parametrize(("reply_id", "text"), replies_of("reporting"))
def test_every_reporting_reply_gives_crimestoppers(reply_id: str, text: str) -> None:
    assert "Crimestoppers" in text or "0800 555 111" in text
    assert "0800 555 111" in text


@pytest.mark.parametrize(("reply_id", "text"), replies_of("emergency"))
def test_every_emergency_reply_says_999_first(reply_id: str, text: str) -> None:
    assert "999" in text.split("\n\n")[0]


@pytest.mark.parametrize(("reply_id", "text"), replies_of("crisis"))
def test_every_crisis_reply_gives_the_helplines(reply_id: str, text: str) -> None:
    assert "116 123" in text  # Samaritans
    assert "0800 1111" in text  # Childline
    assert "85258" in text  # Shout
    assert "999" in text


def test_only_the_numbers_in_contacts_appear_in_replies() -> None:
    assert CONTENT is not None
    known = {
        value
        for contact in CONTENT.contacts.values()
        for value in (contact.phone, contact.text, contact.textphone)
        if value
    }
    numbers = re.compile(r"(?<![\w.£])\d(?: ?\d){2,}(?![\w])")
    for reply in CONTENT.replies.values():
        for found in numbers.findall(reply.text):
            if re.fullmatch(r"(19|20)\d\d", found):
                continue  # a year
            assert any(found in number or number in found for number in known), (reply.id, found)


def test_the_published_numbers_are_the_checked_ones() -> None:
    assert CONTENT is not None
    contacts = CONTENT.contacts
    assert contacts["crimestoppers"].phone == "0800 555 111"
    assert contacts["childline"].phone == "0800 1111"
    assert contacts["samaritans"].phone == "116 123"
    assert (contacts["shout"].text, contacts["shout"].text_word) == ("85258", "SHOUT")
    assert contacts["police_emergency"].phone == "999"
    assert contacts["police_non_emergency"].phone == "101"
    assert contacts["british_transport_police"].text == "61016"
    assert contacts["victim_support"].phone == "08 08 16 89 111"
    assert contacts["nspcc"].phone == "0808 800 5000"
    assert contacts["citizens_advice_consumer"].phone == "0808 223 1133"


def test_uk_number_validation() -> None:
    for good in ["0800 555 111", "116 123", "999", "101", "85258", "0808 800 5000"]:
        assert valid_uk_number(good), good
    for bad in ["0800 555 11", "12", "phone", "+1 212 555 0100", "0800-555-111x"]:
        assert not valid_uk_number(bad), bad


def test_replies_are_short_and_readable_enough() -> None:
    assert CONTENT is not None
    for reply in CONTENT.replies.values():
        assert len(reply.text) <= 1000, reply.id
        assert readability_grade(reply.text) <= 9, reply.id


# -- broken copies: each kind of mistake is reported with the file and the line


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in `path`; return the line number where it was."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:index].count("\n") + 1


def errors_for(content_dir: Path) -> list[str]:
    content, problems = load_content(content_dir)
    assert content is None, "a broken copy must not load"
    return [p.format(content_dir.parent) for p in problems if p.level == "error"]


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # a number typed straight into a reply
        (
            "replies/reporting.yml",
            "Call {crimestoppers.phone}, any time",
            "Call 0800 555 111, any time",
            "typed into the text",
        ),
        # a placeholder with a typo in the contact name
        (
            "replies/reporting.yml",
            "Call {crimestoppers.phone}, any",
            "Call {crimestopers.phone}, any",
            "did you mean",
        ),
        # a placeholder for a field the contact does not have
        (
            "replies/crisis.yml",
            "Samaritans: call {samaritans.phone}",
            "Samaritans: call {samaritans.web}",
            "has no 'web'",
        ),
        # a web address typed into a reply
        (
            "replies/support.yml",
            "{st_giles_trust.web}",
            "https://www.stgilestrust.org.uk",
            "web address",
        ),
        # an unknown topic
        ("replies/consequences.yml", "topic: consequences", "topic: law", "is not one of"),
        # a misspelt field
        (
            "replies/consequences.yml",
            "  buttons: [law_folding_knife",
            "  butons: [law_folding_knife",
            "not a reply field",
        ),
        # a button to a reply that does not exist
        (
            "replies/consequences.yml",
            "buttons: [law_folding_knife",
            "buttons: [law_folding_knif",
            "no reply has that id",
        ),
        # a date that is not a date
        (
            "replies/support.yml",
            "last_reviewed: 2026-11-24",
            "last_reviewed: last week",
            "must be a date",
        ),
        # a wrong phone number in the registry
        ("contacts.yml", 'phone: "0800 555 111"', 'phone: "0800 555 11"', "not a valid UK number"),
        # a web address that is not https
        (
            "contacts.yml",
            "web: https://www.childline.org.uk",
            "web: http://www.childline.org.uk",
            "https://",
        ),
        # broken YAML (a colon in an unquoted line)
        (
            "replies/fallback.yml",
            'title: "Other questions"',
            "title: Other: questions",
            "a colon inside a line of text confuses YAML",
        ),
        # a tab used for indenting
        ("replies/fallback.yml", "  topic: fallback", "\ttopic: fallback", "tab character"),
        # a reporting reply without Crimestoppers
        (
            "replies/reporting.yml",
            "call Crimestoppers on {crimestoppers.phone}",
            "call the police",
            None,
        ),
        # an emergency reply that does not start with 999
        (
            "replies/emergency.yml",
            "call {police_emergency.phone} now.",
            "stay calm.",
            "first paragraph",
        ),
        # the reply for reporting something happening now (the safety net gives it to a
        # clear emergency) that does not start with 999
        (
            "replies/reporting.yml",
            "is in danger right now, call {police_emergency.phone} now.",
            "is in danger right now, tell someone.",
            "given in an emergency, so its first paragraph must say",
        ),
        # a command pointing to a missing reply
        ("commands.yml", "reply: menu_law", "reply: menu_laws", "does not exist"),
        # a service with an unknown contact
        ("services.yml", "contact: safer_london", "contact: safer_londn", "not in contacts.yml"),
        # a duplicated id
        ("replies/fallback.yml", "id: empty", "id: fallback", "already used"),
    ],
)
def test_each_kind_of_mistake_is_reported_with_its_line(
    content_copy: Path, file: str, old: str, new: str, expected: str | None
) -> None:
    path = content_copy / file
    line = edit(path, old, new)
    errors = errors_for(content_copy)
    assert errors, "the mistake was not noticed"
    mentioned = [e for e in errors if e.startswith(f"content/{file}:")]
    assert mentioned, errors
    if expected is not None:
        assert any(expected in e for e in mentioned), mentioned
    # The error points at the edited line or the start of the reply around it.
    lines = [int(e.split(":")[1]) for e in mentioned]
    assert any(abs(found - line) <= 25 for found in lines), (line, mentioned)


def test_a_reporting_reply_without_crimestoppers_is_named(content_copy: Path) -> None:
    path = content_copy / "replies" / "reporting.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: report_transport")
    end = text.index("- id: report_shop")
    block = text[start:end].replace("{crimestoppers.phone}", "the police")
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    errors = errors_for(content_copy)
    assert any("report_transport" in e and "Crimestoppers" in e for e in errors), errors


def test_check_command_exit_codes(content_copy: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    shutil.copytree(ROOT / "nlu", tmp_path / "nlu")
    (tmp_path / "config.yml").write_text((ROOT / "config.yml").read_text())
    env = {"PATH": "/usr/bin:/bin", "CONTENT_DIR": str(content_copy)}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    ok = run()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    line = edit(
        content_copy / "replies" / "crisis.yml", "call {samaritans.phone}", "call {samaritans.phon}"
    )
    broken = run()
    assert broken.returncode == 1
    assert f"crisis.yml:{line}:" in broken.stdout


def test_a_stale_review_date_is_a_warning_not_an_error() -> None:
    content, problems = load_content(ROOT / "content", today=date(2027, 12, 1))
    assert content is not None
    assert any("over six months ago" in p.message for p in problems if p.level == "warning")


def test_live_reload_and_a_broken_edit_keeps_the_last_good_content(content_copy: Path) -> None:
    store = ContentStore(content_copy, check_every=0)
    before = store.current().reply("goodbye").text
    path = content_copy / "replies" / "smalltalk.yml"
    edit(path, "Take care of yourself.", "Look after yourself.")
    assert store.current().reply("goodbye").text.startswith("Look after yourself.")
    assert before.startswith("Take care of yourself.")
    # A broken edit: the bot keeps serving the last good text.
    edit(path, "Look after yourself.", "Look after yourself. {childline.phon}")
    assert store.current().reply("goodbye").text.startswith("Look after yourself.")
    assert "{childline" not in store.current().reply("goodbye").text
    # Fixing it makes the fix live.
    edit(path, "Look after yourself. {childline.phon}", "Mind how you go.")
    assert store.current().reply("goodbye").text.startswith("Mind how you go.")


# -- the mistakes staff made when trying the check (issue 12): one error each, on the line to fix


def check_errors(root: Path) -> list[str]:
    return [p.format(root) for p in run_check(root) if p.level == "error"]


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "nlu", tmp_path / "nlu")
    return tmp_path


def test_the_unused_writers_are_kept_out_of_training(project_copy: Path) -> None:
    """evaluate measures the models on nlu/unused/ as writers they never saw: the check (which
    passes on the real project) refuses any of their messages as a training example."""
    kept_out = [
        str(text)
        for path in (ROOT / "nlu" / "unused").glob("*.yml")
        for texts in yaml.safe_load(path.read_text(encoding="utf-8")).values()
        for text in texts
    ]
    assert len(kept_out) >= 900
    grades = project_copy / "nlu" / "safety" / "data" / "not_urgent.yml"
    grades.write_text(
        grades.read_text(encoding="utf-8")
        + f"- intent: everyday\n  metadata:\n    writer: staff\n  examples: |\n    - {kept_out[0]}\n",
        encoding="utf-8",
    )
    assert any(
        "is also a training example" in e and "nlu/unused" in e for e in check_errors(project_copy)
    )


def test_leave_one_writer_out_leaves_every_training_writer_out_exactly_once() -> None:
    """Topic accuracy is measured one writer at a time; writers of safety grades only are left
    out a few at a time, so that the 98 of them do not take four times as long."""
    from bot.generalisation import Project, read_blocks, writer_folds, writers_of

    project = Project(ROOT)
    intent_blocks, _ = read_blocks(project.intent_files)
    with_intents = {b.writer for b in intent_blocks}
    writers = writers_of(project)
    folds = writer_folds(writers, with_intents)
    left_out = [w for fold in folds for w in fold]
    assert sorted(left_out) == sorted(writers)
    assert len(left_out) == len(set(left_out))
    assert [f for f in folds if set(f) & with_intents and len(f) > 1] == []
    assert {len(f) for f in folds} <= {1, 2, 3, 4}
    assert len(folds) < len(writers) / 2


def test_writers_are_grouped_in_number_order() -> None:
    from bot.generalisation import writer_folds

    assert writer_folds(["t10", "t9", "t2", "t1", "t100", "t11", "x"], {"t2"}) == [
        ("t2",),
        ("t1", "t9", "t10", "t11"),
        ("t100", "x"),
    ]


STAFF_MISTAKES = [
    # a missing colon: one error, on the line without the colon (not 146 lines, not a line low)
    (
        "content/contacts.yml",
        "  name: Police, ambulance or fire (emergency)",
        "  name Police, ambulance or fire (emergency)",
        "no colon after its name",
    ),
    # a tab: only the file's own error, none about other files
    ("content/replies/support.yml", '  title: "I feel unsafe"', '\ttitle: "I feel unsafe"', "tab"),
    # a text line indented 2 spaces instead of 4
    (
        "content/replies/support.yml",
        "    • Shout: text",
        "  • Shout: text",
        "indent every line of the text by 4 spaces",
    ),
    # area: for areas:
    ("content/services.yml", "\nareas:", "\narea:", "did you mean 'areas:'?"),
    # an unquoted number that YAML reads as octal
    (
        "content/contacts.yml",
        'phone: "0800 555 111"',
        "phone: 02075463",
        "must be written in quotes",
    ),
    # a promise the bot cannot keep
    (
        "content/replies/reporting.yml",
        "I'm not the police, so I can't take a report.",
        "Tell me here and I will pass it to the police.",
        "cannot take a report",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), STAFF_MISTAKES)
def test_a_staff_mistake_gives_one_error_on_the_line_to_fix(
    project_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    line = edit(project_copy / file, old, new) + (1 if old.startswith("\n") else 0)
    errors = check_errors(project_copy)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{file}:{line}: "), (line, errors)
    assert expected in errors[0]


def test_a_typed_999_names_its_own_placeholder(project_copy: Path) -> None:
    path = project_copy / "content" / "replies" / "emergency.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("{police_emergency.phone}", text.index("text: |"))
    path.write_text(text[:start] + "999" + text[start + 24 :], encoding="utf-8")
    (error,) = check_errors(project_copy)
    assert "write {police_emergency.phone} instead" in error


def test_an_intent_with_fewer_than_15_examples_is_refused(project_copy: Path) -> None:
    path = project_copy / "nlu" / "data" / "smalltalk.yml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "- intent: goodbye_forever\n  metadata:\n    writer: staff\n  examples: |\n"
        + "".join(f"    - see you never {n}\n" for n in range(6)),
        encoding="utf-8",
    )
    errors = check_errors(project_copy)
    assert any("'goodbye_forever' has 6 examples; the model needs at least 15" in e for e in errors)
