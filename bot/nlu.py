"""Working out what a message means: the Rasa model, in this process or on a Rasa server.

`Parser` is what the engine needs: `await parser.parse(text)` gives the intents ranked by
confidence. `RasaParser` loads the trained model once and runs it on a worker thread so other
chats are not held up; `RemoteParser` asks a Rasa server (`rasa run --enable-api`) over HTTP.
Rasa and TensorFlow are imported only when a model is really loaded or trained: they take
seconds to import and nothing else needs them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True)
class Parse:
    """The model's view of one message: every intent it considered, most likely first."""

    ranking: tuple[IntentScore, ...]

    @property
    def top(self) -> IntentScore | None:
        return self.ranking[0] if self.ranking else None

    @classmethod
    def from_rasa(cls, data: dict[str, Any]) -> Parse:
        ranking = data.get("intent_ranking") or []
        if not ranking and data.get("intent"):
            ranking = [data["intent"]]
        scores = [
            IntentScore(str(item["name"]), float(item.get("confidence") or 0.0))
            for item in ranking
            if item.get("name")
        ]
        scores.sort(key=lambda score: score.confidence, reverse=True)
        return cls(tuple(scores))


class NLUUnavailable(Exception):
    """The model could not be asked (a remote server is down, or the model failed)."""


class Parser(Protocol):
    async def parse(self, text: str) -> Parse: ...

    async def close(self) -> None: ...


class RasaParser:
    """The trained Rasa model, loaded once, in this process."""

    def __init__(self, agent: Any) -> None:
        self._agent = agent
        # TensorFlow work runs on one worker thread with its own event loop, so the bot's
        # loop stays free for other chats while a message is being parsed.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")
        self._local = threading.local()

    @classmethod
    def load(cls, model_path: Path) -> RasaParser:
        """Load a model archive made by `python -m bot train` (takes several seconds)."""
        if not model_path.exists():
            raise FileNotFoundError(
                f"There is no trained model at {model_path}. Run 'make run' (which trains it) "
                "or 'python -m bot train'."
            )
        from bot.logs import quiet_imports, quiet_structlog

        # Rasa would otherwise print every message's text; privacy cannot depend on the caller
        # having set up logging first.
        quiet_structlog()
        with quiet_imports():
            from rasa.core.agent import Agent

            agent = Agent.load(str(model_path))
        if agent.processor is None:
            raise NLUUnavailable(f"{model_path} could not be loaded as a Rasa model")
        return cls(agent)

    def _parse_blocking(self, text: str) -> dict[str, Any]:
        loop = getattr(self._local, "loop", None)
        if loop is None:
            loop = self._local.loop = asyncio.new_event_loop()
        result: dict[str, Any] = loop.run_until_complete(self._agent.parse_message(text))
        return result

    async def parse(self, text: str) -> Parse:
        loop = asyncio.get_running_loop()
        try:
            data = await loop.run_in_executor(self._executor, self._parse_blocking, text)
        except Exception as exc:
            raise NLUUnavailable(f"the model failed on a message: {type(exc).__name__}") from exc
        return Parse.from_rasa(data)

    def parse_now(self, text: str) -> Parse:
        """Parse without an event loop (for evaluation scripts)."""
        return Parse.from_rasa(self._executor.submit(self._parse_blocking, text).result())

    def _close_loop(self) -> None:
        loop = getattr(self._local, "loop", None)
        if loop is not None:
            loop.close()
            self._local.loop = None

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close_loop)
        self._executor.shutdown(wait=False)


class RemoteParser:
    """A Rasa server started with `rasa run --enable-api`, asked over HTTP."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )

    async def parse(self, text: str) -> Parse:
        try:
            response = await self._client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise NLUUnavailable(f"the NLU server did not answer: {type(exc).__name__}") from exc
        if not isinstance(data, dict):
            raise NLUUnavailable("the NLU server sent something that is not a parse result")
        return Parse.from_rasa(data)

    async def close(self) -> None:
        await self._client.aclose()


def train(config_file: Path, nlu_dir: Path, model_path: Path) -> Path:
    """Train the NLU-only model from `config_file` and the data in `nlu_dir`."""
    from bot.logs import quiet_imports

    model_path.parent.mkdir(parents=True, exist_ok=True)
    name = model_path.name.removesuffix(".tar.gz")
    with quiet_imports():
        from rasa.model_training import train_nlu

        result = train_nlu(
            config=str(config_file),
            nlu_data=str(nlu_dir),
            output=str(model_path.parent),
            fixed_model_name=name,
        )
    if result is None:
        raise RuntimeError("Rasa did not produce a model; see the messages above")
    return Path(result)


def model_is_stale(model_path: Path, config_file: Path, nlu_dir: Path) -> bool:
    """True when the model is missing or older than the config or any training file."""
    if not model_path.exists():
        return True
    built = model_path.stat().st_mtime
    sources = [config_file, *nlu_dir.glob("*.yml")]
    return any(path.stat().st_mtime > built for path in sources if path.exists())
