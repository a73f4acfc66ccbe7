"""The fast path (bot/fastpath.py) against Rasa's own Agent.parse_message, on the real models.

The gate for running the models without Rasa: on every message of the training data, the
held-out and blind sets and the safety sets, as written and as the engine hands them to the
models, both archives give the same intents in the same order with the same confidences. An
archive the fast path does not know is loaded by Rasa instead, with a warning.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine import model_text
from bot.fastpath import FastModel, FastParser, UnsupportedModel
from bot.nlu import RasaParser
from bot.retraining import fast_path_differences
from bot.settings import Settings
from bot.startup import make_grader, make_parser
from bot.text import plain
from tests.conftest import MODEL, ROOT, SAFETY_MODEL

pytestmark = pytest.mark.model

# Messages that take the tokenizer and featurizers down their rarer paths.
EDGES = [
    "",
    "   ",
    "😀😀",
    "hi 😀",
    "?!",
    ":)",
    "/greet",
    "/greet@0.3",
    '/law_carrying{"x": 1}',
    "call 0800 555 111 or 07700 900123",
    "İSTANBUL ŞEHİR straße",
    "wot   happens\tif i\ngot caught",
    "a",
    "blah@example.com 10'000.00 http://x.y/z?q=1",
    "k" * 300,
]


def _texts(value: Any) -> list[str]:
    """Every message in a YAML document: Rasa's `examples` blocks and plain lists."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "examples" and isinstance(item, str):
                found += [
                    line.strip()[2:] for line in item.splitlines() if line.strip().startswith("- ")
                ]
            elif key != "metadata":
                found += _texts(item)
    elif isinstance(value, list):
        for item in value:
            found += [item] if isinstance(item, str) else _texts(item)
    return found


# Rasa's own parse takes about 5 ms a message, so comparing the fast path with it on all of the
# 41,000 training messages would take over three minutes for each model. Every test message is
# compared (nlu/test/, with the edge cases above), every second training example in file order,
# and every eighth of the 22,000 of the writers who became safety training data
# (nlu/safety/data/writers_*.yml): a share of each writer's blocks, about 15,000 messages in all.
SAMPLED_WRITERS = 8
SAMPLED_TRAINING = 2


def _every(path: Path) -> int:
    if path.parent.name == "test":
        return 1
    return SAMPLED_WRITERS if path.name.startswith("writers_") else SAMPLED_TRAINING


def every_message() -> list[str]:
    files = [
        *sorted((ROOT / "nlu" / "data").glob("*.yml")),
        *sorted((ROOT / "nlu" / "safety" / "data").glob("*.yml")),
        *sorted((ROOT / "nlu" / "test").glob("*.yml")),
    ]
    messages: set[str] = set(EDGES)
    for path in files:
        texts = _texts(yaml.safe_load(path.read_text(encoding="utf-8")))
        for text in texts[:: _every(path)]:
            messages.add(text)
            messages.add(model_text(plain(text)))
    return sorted(messages)


def test_the_message_sets_are_all_read() -> None:
    assert len(every_message()) > 12000


def _rasa_ranking(parser: RasaParser, text: str) -> list[tuple[str, float]]:
    """Rasa's own answer: Agent.parse_message, through its graph runner."""
    return [(score.name, score.confidence) for score in parser.rasas_own(text).ranking]


def _rasas_rankings(archive: Path, texts: list[str]) -> list[list[tuple[str, float]]]:
    """Rasa's own rankings of `texts`, from a parser of its own (runs in a worker process)."""
    parser = RasaParser.load(archive)
    return [_rasa_ranking(parser, text) for text in texts]


def rasas_rankings_in_parallel(
    archive: Path, texts: list[str], workers: int = 2
) -> list[list[tuple[str, float]]]:
    """Rasa's own rankings, by `workers` processes that each load the archive and parse a
    share of the messages: Agent.parse_message takes about 5 ms a message, and this machine
    has a core for each."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares = [texts[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")  # TensorFlow does not survive a fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = list(pool.map(_rasas_rankings, [archive] * workers, shares))
    rankings: list[list[tuple[str, float]]] = [[] for _ in texts]
    for i, share in enumerate(done):
        rankings[i::workers] = share
    return rankings


@pytest.mark.parametrize("which", ["nlu", "safety"])
def test_the_fast_path_ranks_intents_as_rasa_does(
    which: str, rasa_parser: RasaParser, safety_grader: RasaParser
) -> None:
    rasa, path = (rasa_parser, MODEL) if which == "nlu" else (safety_grader, SAFETY_MODEL)
    fast = FastModel.load(path)
    texts = every_message()
    reference = rasas_rankings_in_parallel(path, texts)
    # the workers' answers are Rasa's own, in the order of the messages
    for i in range(0, len(texts), len(texts) // 7):
        assert reference[i] == _rasa_ranking(rasa, texts[i]), texts[i]
    differences = []
    for text, expected in zip(texts, reference, strict=True):
        got = fast.rank(text)
        same = [name for name, _ in got] == [name for name, _ in expected] and all(
            abs(a - b) <= 1e-6 for (_, a), (_, b) in zip(got, expected, strict=True)
        )
        if not same:
            differences.append((text, expected[:3], got[:3]))
    assert differences == []


def test_the_fast_path_imports_neither_rasa_nor_tensorflow() -> None:
    """The bot's own way of loading a model, then a message parsed, in a fresh interpreter."""
    script = f"""
import asyncio, sys
from pathlib import Path
from bot.settings import Settings
from bot.startup import make_grader, make_parser
settings = Settings.from_env({{"MODEL_PATH": {str(MODEL)!r}}}, root=Path({str(ROOT)!r}))
parser, grader = make_parser(settings), make_grader(settings)
assert asyncio.run(parser.parse("who can i talk to")).top is not None
assert asyncio.run(grader.parse("someone has a knife")).top is not None
heavy = sorted({{name.split(".")[0] for name in sys.modules}} & {{"rasa", "tensorflow", "sklearn", "scipy"}})
print(" ".join(heavy) or "none")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "none"


def _rewritten(source: Path, target: Path, change: Any) -> Path:
    """A copy of the archive with its metadata.json changed by `change`."""
    with tarfile.open(source, "r:gz") as archive:
        members = []
        for member in archive:
            handle = archive.extractfile(member) if member.isfile() else None
            members.append((member, handle.read() if handle is not None else None))
    with tarfile.open(target, "w:gz") as archive:
        for member, data in members:
            if member.name.lstrip("/") == "metadata.json" and data is not None:
                metadata = json.loads(data)
                change(metadata["predict_schema"]["nodes"])
                data = json.dumps(metadata).encode()
                member.size = len(data)
            archive.addfile(member, None if data is None else io.BytesIO(data))
    return target


def _tokenizer(nodes: dict[str, Any]) -> dict[str, Any]:
    return next(node for node in nodes.values() if node["uses"].endswith("WhitespaceTokenizer"))


def test_a_setting_the_fast_path_does_not_reproduce_is_refused(tmp_path: Path) -> None:
    def token_pattern(nodes: dict[str, Any]) -> None:
        _tokenizer(nodes)["config"] = {"token_pattern": r"\w+"}

    def stop_words(nodes: dict[str, Any]) -> None:
        featurizer = next(n for n in nodes.values() if n["uses"].endswith("CountVectorsFeaturizer"))
        featurizer["config"] = {**featurizer["config"], "stop_words": "english"}

    def new_setting(nodes: dict[str, Any]) -> None:
        _tokenizer(nodes)["config"] = {"some_future_setting": True}

    for change, why in [
        (token_pattern, "token_pattern"),
        (stop_words, "stop_words"),
        (new_setting, "some_future_setting"),
    ]:
        archive = _rewritten(MODEL, tmp_path / f"{why}.tar.gz", change)
        with pytest.raises(UnsupportedModel, match=why):
            FastModel.load(archive)


def test_an_unknown_component_falls_back_to_rasa_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def marked(nodes: dict[str, Any]) -> None:
        _tokenizer(nodes)["uses"] = "tests.marked_tokenizer.MarkedTokenizer"

    archive = _rewritten(MODEL, tmp_path / "nlu.tar.gz", marked)
    with pytest.raises(UnsupportedModel, match="MarkedTokenizer"):
        FastModel.load(archive)
    settings = Settings.from_env({"MODEL_PATH": str(archive)}, root=ROOT)
    with caplog.at_level(logging.WARNING, logger="bot"):
        parser = make_parser(settings)
    try:
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert "loaded with Rasa itself" in warnings[0].getMessage()
        assert isinstance(parser.parser, RasaParser)
        # Rasa runs the marked archive; its answer is the original model's.
        text = "how do i report someone without them knowing"
        expected = FastModel.load(MODEL).rank(text)
        got = asyncio.run(parser.parse(text))
        assert [s.name for s in got.ranking] == [name for name, _ in expected]
    finally:
        asyncio.run(parser.close())


def test_the_default_parsers_are_the_fast_path() -> None:
    settings = Settings.from_env({"MODEL_PATH": str(MODEL)}, root=ROOT)
    assert isinstance(make_parser(settings).parser, FastParser)
    assert isinstance(make_grader(settings), FastParser)


def test_retraining_refuses_a_model_the_fast_path_answers_differently(
    tmp_path: Path, rasa_parser: RasaParser
) -> None:
    texts = ["who can i talk to", "someone has a knife", "hi", ""]
    assert fast_path_differences(MODEL, rasa_parser, texts) == []
    # The safety classifier's archive, checked against Rasa's NLU model: nothing agrees.
    assert fast_path_differences(SAFETY_MODEL, rasa_parser, texts) == texts

    def marked(nodes: dict[str, Any]) -> None:
        _tokenizer(nodes)["uses"] = "tests.marked_tokenizer.MarkedTokenizer"

    # An archive the fast path does not run is answered by Rasa: nothing to compare.
    archive = _rewritten(MODEL, tmp_path / "nlu.tar.gz", marked)
    assert fast_path_differences(archive, rasa_parser, texts) == []


def test_long_and_crafted_messages_get_the_same_answer_and_leave_no_long_words_cached() -> None:
    """A message over the loop's limit is answered on a worker thread, with the same ranking;
    words too long to meet again are not kept."""
    parser = FastParser.load(MODEL)
    crafted = "1" + "-" * 998 + "1"
    long_word = "x" * 500
    for text in (crafted, "what happens if i get caught with a knife " * 20, long_word):
        assert asyncio.run(parser.parse(text)) == parser.parse_now(text)
    cached = [
        word
        for featurizer in parser.model.featurizers
        for word in featurizer._by_word
        if len(word) > featurizer.CACHED_LENGTH
    ]
    assert cached == []


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("multinomial", [True, False])
def test_probabilities_match_scikit_learn_for_every_kind_of_logistic_regression(
    classes: int, multinomial: bool
) -> None:
    """The sums the fast path does itself, for two intents or more, softmax or one-vs-rest,
    give what scikit-learn's predict_proba gives on the same counts."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    from bot.fastpath import Featurizer

    rng = np.random.default_rng(7)
    counts = rng.poisson(0.3, size=(60, 12))
    labels = np.arange(60) % classes
    model = LogisticRegression(
        multi_class="multinomial" if multinomial else "ovr", random_state=7, max_iter=200
    ).fit(csr_matrix(counts), labels)
    vocabulary = {f"w{i}": i for i in range(12)}
    fast = FastModel(
        [Featurizer(vocabulary, "word", 1, 1, True)],
        [str(c) for c in model.classes_],
        model.coef_,
        model.intercept_,
        multinomial=multinomial,
        ranking_length=0,
        regex_handler=False,
    )
    for row in [*counts[:10], np.zeros(12, dtype=int)]:
        columns = np.flatnonzero(row)
        expected = model.predict_proba(csr_matrix(row))[0]
        got = fast._probabilities(columns, row[columns])
        assert np.allclose(got, expected, rtol=0, atol=1e-12), (got, expected)
