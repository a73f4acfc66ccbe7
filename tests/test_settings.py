"""Settings: defaults, and clear sentences when something is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError


def test_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env({}, root=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'bot.sqlite3'}"
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.port == 8080
    assert settings.collect_not_understood is False
    assert settings.retention_days == 30


def test_missing_or_malformed_token_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"TELEGRAM_BOT_TOKEN is not set.*BotFather"):
        Settings.from_env({}, root=tmp_path).require_token()
    with pytest.raises(SettingsError, match="does not look like a bot token"):
        Settings.from_env({"TELEGRAM_BOT_TOKEN": "hello"}, root=tmp_path).require_token()
    good = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": good}, root=tmp_path).require_token() == good


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between"),
        ({"WEBHOOK_URL": "http://example.org/hook"}, "must start with https://"),
        ({"WEBHOOK_SECRET": "has spaces in it"}, "WEBHOOK_SECRET may only use"),
        ({"COLLECT_NOT_UNDERSTOOD": "maybe"}, "must be yes or no"),
        ({"RETENTION_DAYS": "0"}, "RETENTION_DAYS must be between"),
    ],
)
def test_bad_values_fail_fast_with_a_sentence(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env, root=tmp_path)


def test_a_dotenv_file_is_read_but_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("# comment\nPORT=9000\nLOG_LEVEL='debug'\nRETENTION_DAYS=10\n")
    monkeypatch.setenv("RETENTION_DAYS", "20")
    settings = Settings.from_env(root=tmp_path)
    assert (settings.port, settings.log_level, settings.retention_days) == (9000, "DEBUG", 20)
