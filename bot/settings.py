"""Settings: one frozen object read from the environment once, at start-up.

Every value the bot can be configured with is here, with its environment variable and default.
`.env.example` lists the same variables for people setting the bot up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_API = "https://api.telegram.org"
# A Bot API token is the bot's numeric id, a colon, and a 35-character secret.
TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=value lines from a .env file, if there is one (the real environment wins)."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


class SettingsError(Exception):
    """A setting is missing or malformed; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    root: Path
    content_dir: Path
    nlu_dir: Path
    config_file: Path
    model_path: Path
    safety_model_path: Path
    var_dir: Path
    database_url: str
    telegram_token: str | None
    telegram_api_base_url: str
    webhook_url: str | None
    webhook_secret: str | None
    port: int
    nlu_url: str | None
    nlu_token: str | None
    pseudonym_key: str | None
    collect_not_understood: bool
    retention_days: int
    log_level: str
    send_rate: int
    # The staff console (python -m bot console).
    console_host: str = "127.0.0.1"
    console_port: int = 8081
    # The console's public address behind the proxy; https:// makes its cookies Secure.
    console_url: str | None = None
    console_idle_minutes: int = 30

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, root: Path | None = None) -> Settings:
        """Read every setting from `env` (the process environment by default)."""
        if root is None:
            # PROJECT_DIR: another project folder (config.yml, nlu/, content/, models/); the
            # console's training jobs and the tests use it.
            chosen = (env if env is not None else os.environ).get("PROJECT_DIR", "").strip()
            root = Path(chosen).resolve() if chosen else PROJECT_ROOT
        if env is None:
            env = {**read_dotenv(root / ".env"), **os.environ}
        var_dir = Path(env.get("VAR_DIR") or root / "var")

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def integer(name: str, default: int, low: int, high: int) -> int:
            raw = text(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
            if not low <= value <= high:
                raise SettingsError(f"{name} must be between {low} and {high}, not {value}.")
            return value

        def flag(name: str) -> bool:
            raw = (text(name) or "no").lower()
            if raw in {"1", "true", "yes", "on"}:
                return True
            if raw in {"0", "false", "no", "off"}:
                return False
            raise SettingsError(f"{name} must be yes or no, not {raw!r}.")

        webhook_url = text("WEBHOOK_URL")
        webhook_secret = text("WEBHOOK_SECRET")
        if webhook_url and not webhook_url.startswith("https://"):
            raise SettingsError(
                "WEBHOOK_URL must start with https:// (Telegram only calls webhooks over HTTPS)."
            )
        if webhook_secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", webhook_secret):
            raise SettingsError(
                "WEBHOOK_SECRET may only use letters, digits, _ and - (1 to 256 characters)."
            )
        model_path = Path(text("MODEL_PATH") or root / "models" / "nlu.tar.gz")
        console_url = text("CONSOLE_URL")
        if console_url and not console_url.startswith(("https://", "http://")):
            raise SettingsError(
                "CONSOLE_URL must be the console's address, starting https:// (or http:// "
                "on this machine only)."
            )
        return cls(
            root=root,
            content_dir=Path(text("CONTENT_DIR") or root / "content"),
            nlu_dir=root / "nlu",
            config_file=root / "config.yml",
            model_path=model_path,
            # The safety net's classifier lives beside the NLU model unless set apart.
            safety_model_path=Path(
                text("SAFETY_MODEL_PATH") or model_path.with_name("safety.tar.gz")
            ),
            var_dir=var_dir,
            database_url=text("DATABASE_URL") or f"sqlite:///{var_dir / 'bot.sqlite3'}",
            telegram_token=text("TELEGRAM_BOT_TOKEN"),
            telegram_api_base_url=(text("TELEGRAM_API_BASE_URL") or TELEGRAM_API).rstrip("/"),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            port=integer("PORT", 8080, 1, 65535),
            nlu_url=text("NLU_URL"),
            nlu_token=text("NLU_TOKEN"),
            pseudonym_key=text("PSEUDONYM_KEY"),
            collect_not_understood=flag("COLLECT_NOT_UNDERSTOOD"),
            retention_days=integer("RETENTION_DAYS", 30, 1, 365),
            log_level=(text("LOG_LEVEL") or "INFO").upper(),
            # Telegram allows a bot about 30 messages a second; raise it only for a local Bot
            # API server or a benchmark.
            send_rate=integer("SEND_RATE", 30, 1, 10_000),
            console_host=text("CONSOLE_HOST") or "127.0.0.1",
            console_port=integer("CONSOLE_PORT", 8081, 1, 65535),
            console_url=console_url,
            console_idle_minutes=integer("CONSOLE_IDLE_MINUTES", 30, 1, 24 * 60),
        )

    def require_token(self) -> str:
        """The Telegram token, or a SettingsError saying how to get one."""
        token = self.telegram_token
        if token is None:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather on Telegram, then "
                "run: TELEGRAM_BOT_TOKEN=123456:ABC... make run"
            )
        if not TOKEN_SHAPE.match(token):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (it should look like "
                "123456789:AAH...xyz, as @BotFather gives it). Check it was copied whole."
            )
        return token
