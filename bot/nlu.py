"""Working out what a message means: the Rasa model, in this process or on a Rasa server.

`Parser` is what the engine needs: `await parser.parse(text)` gives the intents ranked by
confidence. The bot normally answers with bot.fastpath.FastParser, which runs the trained
archive without Rasa; `RasaParser` loads it with Rasa itself (when the fast path cannot run an
archive, and for training and evaluation) and runs it on a worker thread so other chats are not
held up; `RemoteParser` asks a Rasa server (`rasa run --enable-api`) over HTTP. Rasa and
TensorFlow are imported only when a model is loaded by Rasa or trained: they take seconds to
import and hundreds of MB, and nothing else needs them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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


def missing_model(model_path: Path) -> FileNotFoundError:
    """The one sentence for a model that is not there."""
    return FileNotFoundError(
        f"There is no trained model at {model_path}. Run 'make run' (which trains it) "
        "or 'python -m bot train'."
    )


class RasaParser:
    """The trained Rasa model, loaded once, in this process."""

    def __init__(self, agent: Any) -> None:
        self._agent = agent
        self._chain = _direct_chain(agent)
        # TensorFlow work runs on one worker thread with its own event loop, so the bot's
        # loop stays free for other chats while a message is being parsed.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")
        self._local = threading.local()

    @classmethod
    def load(cls, model_path: Path) -> RasaParser:
        """Load a model archive made by `python -m bot train` (takes several seconds)."""
        if not model_path.exists():
            raise missing_model(model_path)
        from bot.logs import quiet_imports, quiet_structlog

        # Rasa would otherwise print every message's text; privacy cannot depend on the caller
        # having set up logging first.
        quiet_structlog()
        with quiet_imports():
            from rasa.core.agent import Agent

            agent = Agent.load(str(model_path))
        if agent.processor is None:
            raise NLUUnavailable(f"{model_path} could not be loaded as a Rasa model")
        _lay_out_for_speed(agent)
        return cls(agent)

    def _parse_blocking(self, text: str) -> dict[str, Any]:
        if self._chain is not None:
            return self._chain(text)
        return self._parse_with_agent(text)

    def _parse_with_agent(self, text: str) -> dict[str, Any]:
        """Rasa's own way: Agent.parse_message, through its graph runner."""
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

    def rasas_own(self, text: str) -> Parse:
        """Rasa's own answer, through Agent.parse_message and its graph runner (slower): what
        the faster ways of answering are checked against."""
        return Parse.from_rasa(self._executor.submit(self._parse_with_agent, text).result())

    def _close_loop(self) -> None:
        loop = getattr(self._local, "loop", None)
        if loop is not None:
            loop.close()
            self._local.loop = None

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close_loop)
        self._executor.shutdown(wait=False)


def _direct_chain(agent: Any) -> Callable[[str], dict[str, Any]] | None:
    """The model's components called one after the other, without Rasa's graph scheduler.

    An NLU-only model is a straight line: message converter, tokenizer, featurizers,
    classifier. Rasa runs that line through a dask scheduler for every message, which costs
    more than the components themselves. When the trained graph is such a line (checked
    here), the same component objects are called in the same order, giving the same result
    (tests compare it with Agent.parse_message on every held-out message). For any other
    graph this returns None and Agent.parse_message is used.
    """
    try:
        from rasa.core.channels.channel import UserMessage

        processor = agent.processor
        schema = processor.model_metadata.predict_schema
        nodes = processor.graph_runner._instantiated_nodes
        order: list[str] = []
        previous = "__message__"
        remaining = dict(schema.nodes)
        while remaining:
            following = [n for n, node in remaining.items() if node.needs == {"messages": previous}]
            if len(following) != 1:
                return None
            previous = following[0]
            order.append(previous)
            del remaining[previous]
        if previous != processor.model_metadata.nlu_target:
            return None
        first, *rest = (nodes[name] for name in order)
        if first._fn_name != "convert_user_message" or any(n._fn_name != "process" for n in rest):
            return None
        convert = first._component.convert_user_message
        steps = [node._component.process for node in rest]
    except (AttributeError, KeyError, TypeError, ImportError):
        return None

    def parse(text: str) -> dict[str, Any]:
        messages = convert([UserMessage(text, message_id="bot")])  # (saves a uuid4 per message)
        for step in steps:
            messages = step(messages)
        data: dict[str, Any] = {
            "text": "",
            "intent": {"name": None, "confidence": 0.0},
            "entities": [],
        }
        data.update(messages[0].as_dict(only_output_properties=True))
        return data

    return parse


def _lay_out_for_speed(agent: Any) -> None:
    """Store logistic-regression weights column-major: the same numbers, 2 to 3 times faster.

    scikit-learn multiplies each message's sparse features by the transposed weights; stored
    row-major, scipy copies the whole weight matrix (megabytes) for every message. Stored
    column-major, the transpose is already in the layout scipy wants and nothing is copied.
    """
    import numpy as np

    runner = getattr(agent.processor, "graph_runner", None)
    for node in getattr(runner, "_instantiated_nodes", {}).values():
        classifier: Any = getattr(getattr(node, "_component", None), "clf", None)
        weights = getattr(classifier, "coef_", None)
        if isinstance(weights, np.ndarray) and weights.ndim == 2:
            classifier.coef_ = np.asfortranarray(weights)


class RemoteParser:
    """A Rasa server started with `rasa run --enable-api`, asked over HTTP.

    `token` is the server's `--auth-token`, which Rasa reads from the query string.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        token: str | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            params={"token": token} if token else None,
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


def prepare_training_data(source: Path, target: Path) -> Path:
    """Copy the training files in `source` to `target`, each example as the model will see
    it when answering: with its phone numbers named (bot/numbers.py)."""
    from bot.numbers import name_numbers

    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        named = [name_numbers(line) if line.lstrip().startswith("- ") else line for line in lines]
        (target / path.name).write_text("".join(named), encoding="utf-8")
    return target


def train(config_file: Path, nlu_dir: Path, model_path: Path) -> Path:
    """Train an NLU-only model from `config_file` and the data in the folder `nlu_dir`."""
    with tempfile.TemporaryDirectory(prefix="training-data-") as work:
        return _train(config_file, prepare_training_data(nlu_dir, Path(work)), model_path)


def _train(config_file: Path, nlu_dir: Path, model_path: Path) -> Path:
    from bot.logs import quiet_imports

    model_path.parent.mkdir(parents=True, exist_ok=True)
    name = model_path.name.removesuffix(".tar.gz")
    with quiet_imports(), warnings.catch_warnings(), _without_training_cache():
        from rasa.model_training import train_nlu
        from sklearn.exceptions import ConvergenceWarning

        # The classifier stops after max_iter rounds (config.yml) before scikit-learn calls it
        # converged: measured leave-one-writer-out, 100 rounds are as accurate as 300, in a
        # third of the time, so the warning says nothing useful.
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = train_nlu(
            config=str(config_file),
            nlu_data=str(nlu_dir),
            output=str(model_path.parent),
            fixed_model_name=name,
            # every node trained afresh, without first working out which could be reused
            additional_arguments={"force_full_training": True},
        )
    if result is None:
        raise RuntimeError("Rasa did not produce a model; see the messages above")
    return Path(result)


@contextmanager
def _without_training_cache() -> Iterator[None]:
    """Rasa's training cache off while a model trains: the same model, in about three quarters
    of the time.

    To reuse a part of an earlier training whose data has not changed, Rasa works out a
    fingerprint of every step's input and output, which here means the whole training data
    with every message's features: a quarter of the safety classifier's training time. The
    models here are trained when their data has changed (on a fresh machine, with a writer
    left out, with staff's new examples), so nothing would be reused. Without the cache the
    archive answers exactly as before (tests/test_training.py)."""
    from rasa.engine.graph import ExecutionContext, GraphNodeHook
    from rasa.engine.training import graph_trainer

    class NoCache(GraphNodeHook):  # type: ignore[misc]
        def __init__(self, **_: Any) -> None:
            pass

        def on_before_node(
            self,
            node_name: str,
            execution_context: ExecutionContext,
            config: dict[str, Any],
            received_inputs: dict[str, Any],
        ) -> dict[str, Any]:
            return {}

        def on_after_node(
            self,
            node_name: str,
            execution_context: ExecutionContext,
            config: dict[str, Any],
            output: Any,
            input_hook_data: dict[str, Any],
        ) -> None:
            return None

    with _CACHE_SWAP:
        original = graph_trainer.TrainingHook
        graph_trainer.TrainingHook = NoCache
        try:
            yield
        finally:
            graph_trainer.TrainingHook = original


_CACHE_SWAP = threading.Lock()


def train_safety(safety_dir: Path, nlu_data: Path, model_path: Path) -> Path:
    """Train the safety net's classifier (nlu/safety/config.yml) on the graded examples in
    `safety_dir`/data, together with every intent example in `nlu_data` under the grade its
    intent implies (a law question is "general", a greeting "everyday"...).

    Without the intent examples the classifier has never seen an ordinary question: left out
    writer by writer, it took 18% of them for danger happening now (1% with them)."""
    from bot.safety import grade_of_intent

    with tempfile.TemporaryDirectory(prefix="safety-data-") as work:
        folder = Path(work)
        for path in sorted((safety_dir / "data").glob("*.yml")):
            shutil.copyfile(path, folder / path.name)
        mapped = folder / "from_intents.yml"
        mapped.write_text(graded_intents(nlu_data, grade_of_intent), encoding="utf-8")
        return train(safety_dir / "config.yml", folder, model_path)


def train_both(
    config_file: Path, nlu_dir: Path, model_path: Path, safety_model_path: Path
) -> list[tuple[Path, float]]:
    """Both models at once, each archive with the seconds it took: the safety classifier in a
    second process, so that each keeps a core busy (on 2 cores this takes about as long as
    the slower of the two instead of both). Rasa still opens its training cache's database
    (nothing goes into it: `_without_training_cache`), so the second process has a folder of
    its own, and the two never open the same database."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # TensorFlow does not survive a fork
    with ProcessPoolExecutor(1, mp_context=context, initializer=_own_training_cache) as pool:
        safety = pool.submit(
            _timed, train_safety, nlu_dir / "safety", nlu_dir / "data", safety_model_path
        )
        nlu = _timed(train, config_file, nlu_dir / "data", model_path)
        return [nlu, safety.result()]


def _own_training_cache() -> None:
    from rasa.engine.caching import CACHE_LOCATION_ENV, DEFAULT_CACHE_LOCATION

    os.environ[CACHE_LOCATION_ENV] = str(Path(DEFAULT_CACHE_LOCATION).with_name("cache-safety"))


def _timed(train_one: Callable[[Path, Path, Path], Path], *args: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    return train_one(*args), time.perf_counter() - started


def graded_intents(nlu_data: Path, grade_of: Callable[[str], str]) -> str:
    """The intent examples of `nlu_data` rewritten as Rasa training data over safety grades,
    keeping who wrote each block."""
    import yaml

    blocks = []
    for path in sorted(nlu_data.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            if not isinstance(item, dict) or "intent" not in item:
                continue
            examples = [
                line.strip()
                for line in str(item.get("examples", "")).splitlines()
                if line.strip().startswith("- ")
            ]
            if not examples:
                continue
            blocks.append(
                {
                    "intent": grade_of(str(item["intent"])),
                    "metadata": item.get("metadata") or {},
                    "examples": "\n".join(examples) + "\n",
                }
            )
    return dump_training_data(blocks)


def dump_training_data(items: list[dict[str, Any]]) -> str:
    """Rasa training data as YAML, with each block's examples as a literal block: one "- "
    line per example, as people write them, so that `prepare_training_data` names the phone
    numbers in every example (a quoted string would put the first example on the key's line)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(
        {"version": "3.1", "nlu": items}, Dumper=Dumper, allow_unicode=True, sort_keys=False
    )


def training_sources(config_file: Path, nlu_dir: Path) -> list[Path]:
    """Every file the two models are trained from."""
    return [
        config_file,
        *nlu_dir.glob("data/*.yml"),
        nlu_dir / "safety" / "config.yml",
        *nlu_dir.glob("safety/data/*.yml"),
    ]


def model_is_stale(model_path: Path, config_file: Path, nlu_dir: Path) -> bool:
    """True when the model is missing or older than any file it is trained from (`nlu_dir`
    is the nlu/ folder: its data/ and safety/ are both sources), or than the folders those
    files are in: a file taken out of a folder (or put in) changes the folder's time."""
    if not model_path.exists():
        return True
    built = model_path.stat().st_mtime
    folders = [nlu_dir / "data", nlu_dir / "safety" / "data"]
    return any(
        path.stat().st_mtime > built
        for path in [*training_sources(config_file, nlu_dir), *folders]
        if path.exists()
    )
