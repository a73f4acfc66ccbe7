"""The trained NLU models run without Rasa: the same numbers, without TensorFlow's weight.

Rasa trains, evaluates and packages the models (`python -m bot train`, the `.tar.gz` archives);
at answer time the pipeline in config.yml needs only what its components persisted: the
vocabularies of the two CountVectorsFeaturizers and the logistic regression's weights. Loading
Rasa to run them imports TensorFlow (seconds, and hundreds of MB); this module reads the archive
with the standard library and numpy and repeats Rasa 3.6's inference step by step, in the same
order and with the same arithmetic, so the intent ranking is Rasa's own (tests/test_fastpath.py
compares them on every training, held-out and safety message).

It covers exactly the components listed in `KNOWN`, with the settings it checks in `_plan`.
An archive holding anything else (another component, another setting, another Rasa version)
raises `UnsupportedModel`, and the bot loads it with Rasa instead (bot/startup.py): it never
answers differently. Nothing here imports Rasa, TensorFlow, scikit-learn or scipy.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import tarfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import regex

from bot.nlu import IntentScore, NLUUnavailable, Parse, missing_model

# Every component the fast path reproduces, by the class path Rasa writes in the archive.
CONVERTER = "rasa.graph_components.converters.nlu_message_converter.NLUMessageConverter"
TOKENIZER = "rasa.nlu.tokenizers.whitespace_tokenizer.WhitespaceTokenizer"
FEATURIZER = (
    "rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer.CountVectorsFeaturizer"
)
CLASSIFIER = "rasa.nlu.classifiers.logistic_regression_classifier.LogisticRegressionClassifier"
REGEX_HANDLER = "rasa.nlu.classifiers.regex_message_handler.RegexMessageHandler"
KNOWN = (CONVERTER, TOKENIZER, FEATURIZER, CLASSIFIER, REGEX_HANDLER)
RASA_VERSION = "3.6."

# Each component's default settings in Rasa 3.6 (the archive stores only those config.yml set).
TOKENIZER_DEFAULTS: dict[str, Any] = {
    "intent_tokenization_flag": False,
    "intent_split_symbol": "_",
    "token_pattern": None,
    "prefix_separator_symbol": None,
}
FEATURIZER_DEFAULTS: dict[str, Any] = {
    "alias": None,
    "use_shared_vocab": False,
    "analyzer": "word",
    "strip_accents": None,
    "stop_words": None,
    "min_df": 1,
    "max_df": 1.0,
    "min_ngram": 1,
    "max_ngram": 1,
    "max_features": None,
    "lowercase": True,
    "OOV_token": None,
    "OOV_words": [],
    "use_lemma": True,
}
CLASSIFIER_DEFAULTS: dict[str, Any] = {
    "max_iter": 100,
    "solver": "lbfgs",
    "tol": 1e-4,
    "random_state": 42,
    "ranking_length": 10,
}

# WhitespaceTokenizer.tokenize (rasa/nlu/tokenizers/whitespace_tokenizer.py), character for
# character: Rasa uses the `regex` module here and `re` for the emoji.
_NOT_WORD = regex.compile(
    r"[^\w#@&]+(?=\s|$)|"
    r"(\s|^)[^\w#@&]+(?=[^0-9\s])|"
    r"(?<=[^0-9\s])[^\w._~:/?#\[\]()@!$&*+,;=-]+(?=[^0-9\s])"
)
_EMOJI = re.compile(
    "["
    "\U0001f600-\U0001f64f"
    "\U0001f300-\U0001f5ff"
    "\U0001f680-\U0001f6ff"
    "\U0001f1e0-\U0001f1ff"
    "\U00002702-\U000027b0"
    "\U000024c2-\U0001f251"
    "\u200d"
    "\u200c"
    "]+",
    flags=re.UNICODE,
)
# CountVectorsFeaturizer._process_tokens, and scikit-learn's CountVectorizer.
_NUMBER = re.compile(r"\b[0-9]+\b")
_WORD_TOKEN = re.compile(r"(?u)\b\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")
# YAMLStoryReader._regex_message_pattern: "/intent@0.9{...}" sets the intent directly.
_INTENT_PAYLOAD = re.compile(
    r"^/(?P<name>[^{@]+)(?P<confidence>@[0-9.]+)?(?P<entities>{.+})?(?P<rest>.*)"
)


class UnsupportedModel(Exception):
    """The archive holds something the fast path does not reproduce exactly."""


def tokenize(text: str) -> list[str]:
    """WhitespaceTokenizer's words for a message (the text as Rasa's UserMessage keeps it)."""
    words = _NOT_WORD.sub(" ", text).split()
    words = [word for word in words if _EMOJI.fullmatch(word) is None]
    return words or [text]


def _word_ngrams(document: str, low: int, high: int) -> list[str]:
    """scikit-learn's word analyzer with Rasa's token pattern (preprocessing done)."""
    tokens = _WORD_TOKEN.findall(document)
    if high == 1:
        return tokens
    grams = list(tokens) if low == 1 else []
    count = len(tokens)
    for n in range(max(low, 2), min(high + 1, count + 1)):
        for i in range(count - n + 1):
            grams.append(" ".join(tokens[i : i + n]))
    return grams


def _char_wb_ngrams(document: str, low: int, high: int) -> list[str]:
    """scikit-learn's char_wb analyzer: character n-grams inside words padded with spaces."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", document).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a short word counts once
                break
    return grams


def features_document(words: list[str], lowercase: bool) -> str:
    """What a CountVectorsFeaturizer reads of a message's words: numbers as __NUMBER__, and
    (when it lower-cases) Rasa lowers the tokens, then scikit-learn the document."""
    tokens = [_NUMBER.sub("__NUMBER__", word) for word in words]
    if lowercase:
        tokens = [token.lower() for token in tokens]
    document = " ".join(tokens)
    return document.lower() if lowercase else document


class Featurizer:
    """One CountVectorsFeaturizer's sentence features: n-gram counts over its vocabulary."""

    CACHED_WORDS = 50_000
    # Longer "words" (a link, a keyboard mash) are rarely seen twice: caching them would only
    # let a stranger fill memory with them.
    CACHED_LENGTH = 32

    def __init__(
        self,
        vocabulary: Mapping[str, int],
        analyzer: str,
        low: int,
        high: int,
        lowercase: bool,
    ) -> None:
        self.vocabulary = vocabulary
        self.analyzer = analyzer
        self.low = low
        self.high = high
        self.lowercase = lowercase
        # char_wb n-grams never cross a space, so each word's features are looked up once.
        self._by_word: dict[str, tuple[int, ...]] = {}

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def features(self, words: list[str]) -> list[int]:
        """The index of every feature found in the words, once for each time it is found."""
        document = features_document(words, self.lowercase)
        if self.analyzer == "char_wb":
            found: list[int] = []
            for word in document.split():
                found.extend(self._word_features(word))
            return found
        vocabulary = self.vocabulary
        grams = _word_ngrams(document, self.low, self.high)
        return [vocabulary[gram] for gram in grams if gram in vocabulary]

    def _word_features(self, word: str) -> tuple[int, ...]:
        known = self._by_word.get(word)
        if known is None:
            vocabulary = self.vocabulary
            grams = _char_wb_ngrams(word, self.low, self.high)
            known = tuple(vocabulary[gram] for gram in grams if gram in vocabulary)
            if len(word) <= self.CACHED_LENGTH:
                if len(self._by_word) >= self.CACHED_WORDS:
                    self._by_word.clear()
                self._by_word[word] = known
        return known


class FastModel:
    """An NLU archive's pipeline, ready to rank intents for a message."""

    def __init__(
        self,
        featurizers: list[Featurizer],
        classes: list[str],
        weights: np.ndarray[Any, Any],
        intercept: np.ndarray[Any, Any],
        multinomial: bool,
        ranking_length: int,
        regex_handler: bool,
    ) -> None:
        self.featurizers = featurizers
        self.offsets = []
        total = 0
        for featurizer in featurizers:
            self.offsets.append(total)
            total += featurizer.size
        if weights.shape[1] != total:
            raise UnsupportedModel(
                f"the classifier expects {weights.shape[1]} features, the featurizers give {total}"
            )
        self.classes = classes
        # One row of weights per feature, so a message's few features are a few rows.
        self.rows = np.ascontiguousarray(weights.T)
        self.intercept = intercept
        self.multinomial = multinomial
        self.ranking_length = ranking_length
        self.regex_handler = regex_handler

    @classmethod
    def load(cls, path: Path) -> FastModel:
        """Read an archive made by `python -m bot train`; UnsupportedModel when it holds
        something this module does not reproduce exactly."""
        if not path.exists():
            raise missing_model(path)
        try:
            files = _read_archive(path)
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise UnsupportedModel(f"the archive could not be read: {exc}") from exc
        return _plan(files)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Rasa's intent_ranking for `text`, as (intent, confidence), most likely first."""
        text = text.strip()  # as rasa.core.channels.UserMessage keeps it
        if self.regex_handler and text.startswith("/"):
            payload = _intent_payload(text)
            if payload is not None:
                return [payload]
        words = tokenize(text)
        # Every feature of every featurizer, as a column of the classifier's weights; counted,
        # and in the order of their columns (np.unique sorts), which is the order scipy sums.
        found = np.concatenate(
            [
                np.asarray(featurizer.features(words), dtype=np.intp) + offset
                for featurizer, offset in zip(self.featurizers, self.offsets, strict=True)
            ]
        )
        columns, counts = np.unique(found, return_counts=True)
        probabilities = self._probabilities(columns, counts)
        ranking = sorted(
            zip(self.classes, probabilities.tolist(), strict=True), key=lambda item: -item[1]
        )
        if self.ranking_length > 0:
            ranking = ranking[: self.ranking_length]
        return ranking

    def _probabilities(
        self, columns: np.ndarray[Any, Any], values: np.ndarray[Any, Any]
    ) -> np.ndarray[Any, Any]:
        """LogisticRegression.predict_proba on one row of sparse counts, summed in the order
        scipy sums them (column by column), so the floating-point results are the same. One
        row, worked on as a flat array with the arrays' own methods: numpy's module-level
        functions cost more than the sums on arrays this small."""
        decision: np.ndarray[Any, Any]
        if len(columns):
            weighted = values.astype(np.float64)[:, None] * self.rows[columns]
            decision = np.add.reduce(weighted, axis=0)
            decision += self.intercept
        else:
            decision = np.zeros(self.rows.shape[1]) + self.intercept
        if decision.shape[0] == 1:  # two intents: scikit-learn keeps one column of weights
            if self.multinomial:
                decision = np.array([-decision[0], decision[0]])
            else:
                positive = 1.0 / (1.0 + np.exp(-decision))
                return np.concatenate([1 - positive, positive])
        elif not self.multinomial:
            decision = 1.0 / (1.0 + np.exp(-decision))
            decision /= decision.sum()
            return decision
        decision -= decision.max()
        np.exp(decision, decision)
        decision /= decision.sum()
        return decision


def _intent_payload(text: str) -> tuple[str, float] | None:
    """RegexMessageHandler: "/greet" or "/greet@0.5" names the intent itself."""
    match = _INTENT_PAYLOAD.match(text)
    if match is None:
        return None
    confidence_text = match.group("confidence")
    confidence = 1.0
    if confidence_text is not None:
        try:
            confidence = min(1.0, float(confidence_text.strip()[1:]))
        except ValueError:
            confidence = 0.0
    return match.group("name").strip(), confidence


def _read_archive(path: Path) -> dict[str, bytes]:
    """Every file in the archive, by its name inside it."""
    files: dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                files[member.name.lstrip("/").removeprefix("./")] = handle.read()
    return files


def _plan(files: dict[str, bytes]) -> FastModel:
    """Check the archive's prediction graph is a pipeline this module reproduces, and load it."""
    try:
        metadata = json.loads(files["metadata.json"])
    except (KeyError, ValueError) as exc:
        raise UnsupportedModel("the archive has no readable metadata.json") from exc
    version = str(metadata.get("rasa_open_source_version", ""))
    if not version.startswith(RASA_VERSION):
        raise UnsupportedModel(f"it was made by Rasa {version}, not {RASA_VERSION}x")
    nodes: dict[str, Any] = metadata.get("predict_schema", {}).get("nodes", {})
    order = _chain(nodes, metadata.get("nlu_target"))
    for name in order:
        uses = nodes[name].get("uses")
        if uses not in KNOWN:
            raise UnsupportedModel(f"the component {uses} ({name}) is not one it knows")
    kinds = [nodes[name]["uses"] for name in order]
    expected_shape = (
        kinds[:2] == [CONVERTER, TOKENIZER]
        and kinds[-1] == REGEX_HANDLER
        and kinds[-2] == CLASSIFIER
        and len(kinds) > 4
        and all(kind == FEATURIZER for kind in kinds[2:-2])
    )
    if not expected_shape:
        raise UnsupportedModel("the pipeline is not tokenizer, count vectors, classifier")
    expected_fn = ["convert_user_message"] + ["process"] * (len(order) - 1)
    if [nodes[name].get("fn") for name in order] != expected_fn:
        raise UnsupportedModel("a component is used in a way it does not know")

    tokenizer = {**TOKENIZER_DEFAULTS, **(nodes[order[1]].get("config") or {})}
    _require(tokenizer, TOKENIZER_DEFAULTS, "WhitespaceTokenizer")
    if tokenizer["token_pattern"]:
        raise UnsupportedModel("WhitespaceTokenizer has a token_pattern")

    featurizers = [_featurizer(nodes[name], files) for name in order[2:-2]]
    classifier_node = nodes[order[-2]]
    settings = {**CLASSIFIER_DEFAULTS, **(classifier_node.get("config") or {})}
    _require(settings, CLASSIFIER_DEFAULTS, "LogisticRegressionClassifier")
    resource = _resource(classifier_node)
    skops = files.get(f"components/{resource}/{resource}.skops")
    if skops is None:
        raise UnsupportedModel("the classifier's weights are missing")
    classes, weights, intercept, multinomial = _logistic_regression(skops)
    return FastModel(
        featurizers,
        classes,
        weights,
        intercept,
        multinomial,
        int(settings["ranking_length"]),
        regex_handler=True,
    )


def _chain(nodes: dict[str, Any], target: Any) -> list[str]:
    """The nodes from the message to `target`, when the graph is one straight line."""
    order: list[str] = []
    previous = "__message__"
    remaining = dict(nodes)
    while remaining:
        following = [
            name
            for name, node in remaining.items()
            if isinstance(node, dict) and node.get("needs") == {"messages": previous}
        ]
        if len(following) != 1:
            raise UnsupportedModel("the prediction graph is not one straight line")
        previous = following[0]
        order.append(previous)
        del remaining[previous]
    if not order or previous != target:
        raise UnsupportedModel("the prediction graph does not end at its NLU target")
    return order


def _require(settings: dict[str, Any], defaults: dict[str, Any], name: str) -> None:
    """Every setting is one the fast path knows the meaning of."""
    unknown = sorted(set(settings) - set(defaults))
    if unknown:
        raise UnsupportedModel(f"{name} has settings it does not know: {', '.join(unknown)}")


def _resource(node: dict[str, Any]) -> str:
    resource = node.get("resource") or {}
    name = resource.get("name") if isinstance(resource, dict) else None
    if not isinstance(name, str) or not name or "/" in name:
        raise UnsupportedModel("a component has no stored resource")
    return name


def _featurizer(node: dict[str, Any], files: dict[str, bytes]) -> Featurizer:
    settings = {**FEATURIZER_DEFAULTS, **(node.get("config") or {})}
    _require(settings, FEATURIZER_DEFAULTS, "CountVectorsFeaturizer")
    changed = [
        key
        for key in ("use_shared_vocab", "strip_accents", "stop_words", "OOV_token", "OOV_words")
        if settings[key] != FEATURIZER_DEFAULTS[key]
    ]
    if changed:
        raise UnsupportedModel(f"CountVectorsFeaturizer sets {', '.join(changed)}")
    analyzer = settings["analyzer"]
    if analyzer not in ("word", "char_wb"):
        raise UnsupportedModel(f"CountVectorsFeaturizer's analyzer {analyzer!r}")
    low, high = settings["min_ngram"], settings["max_ngram"]
    if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
        raise UnsupportedModel("CountVectorsFeaturizer's n-gram range")
    resource = _resource(node)
    try:
        stored = json.loads(files[f"components/{resource}/vocabularies.json"])
        oov_words = json.loads(files[f"components/{resource}/oov_words.json"])
    except (KeyError, ValueError) as exc:
        raise UnsupportedModel("a featurizer's vocabulary is missing") from exc
    vocabulary = stored.get("text") if isinstance(stored, dict) else None
    if not isinstance(vocabulary, dict) or not vocabulary or oov_words:
        raise UnsupportedModel("a featurizer has no vocabulary for the message text")
    if sorted(vocabulary.values()) != list(range(len(vocabulary))):
        raise UnsupportedModel("a featurizer's vocabulary is not numbered 0 to n-1")
    return Featurizer(vocabulary, analyzer, low, high, bool(settings["lowercase"]))


def _logistic_regression(
    skops: bytes,
) -> tuple[list[str], np.ndarray[Any, Any], np.ndarray[Any, Any], bool]:
    """The classes, weights and intercepts of the scikit-learn LogisticRegression Rasa saved
    with skops (a zip of a JSON schema and .npy arrays), read without scikit-learn."""
    try:
        with zipfile.ZipFile(io.BytesIO(skops)) as archive:
            schema = json.loads(archive.read("schema.json"))
            if (schema.get("__module__"), schema.get("__class__")) != (
                "sklearn.linear_model._logistic",
                "LogisticRegression",
            ):
                raise UnsupportedModel(f"the classifier is a {schema.get('__class__')}")
            state = schema["content"]["content"]

            def value(key: str) -> Any:
                node = state[key]
                if node.get("__loader__") == "JsonNode":
                    return json.loads(node["content"])
                if node.get("__loader__") == "NdArrayNode" and node.get("type") == "numpy":
                    return np.load(io.BytesIO(archive.read(node["file"])), allow_pickle=False)
                raise UnsupportedModel(f"the classifier's {key} is stored in a way it cannot read")

            classes = value("classes_")
            weights = np.asarray(value("coef_"), dtype=np.float64)
            intercept = np.asarray(value("intercept_"), dtype=np.float64)
            multi_class, solver = value("multi_class"), value("solver")
            features = value("n_features_in_")
    except (KeyError, ValueError, zipfile.BadZipFile, AttributeError, TypeError) as exc:
        raise UnsupportedModel(f"the classifier could not be read: {exc}") from exc
    if classes.dtype.kind != "U" or weights.ndim != 2 or weights.shape[1] != features:
        raise UnsupportedModel("the classifier's arrays are not the expected shape")
    if intercept.shape != (weights.shape[0],):
        raise UnsupportedModel("the classifier's intercepts are not the expected shape")
    if multi_class not in ("auto", "ovr", "multinomial"):
        raise UnsupportedModel(f"the classifier's multi_class {multi_class!r}")
    # LogisticRegression.predict_proba: one-vs-rest for "ovr", for "auto" with two classes or
    # liblinear; otherwise the softmax of the decision function.
    ovr = multi_class == "ovr" or (
        multi_class == "auto" and (classes.size <= 2 or solver == "liblinear")
    )
    return [str(name) for name in classes.tolist()], weights, intercept, not ovr


class FastParser:
    """A Parser (bot.nlu) on the fast path. A short message takes well under a millisecond, so
    it is answered on the event loop itself: a hop to a worker thread would cost more than
    that. Longer ones go to a worker thread: Rasa's tokenizer pattern can take tens of
    milliseconds on a crafted 1,000 characters ("1-----…-1"), and no chat should wait for it."""

    ON_THE_LOOP = 200  # characters

    def __init__(self, model: FastModel) -> None:
        self.model = model

    @classmethod
    def load(cls, model_path: Path) -> FastParser:
        return cls(FastModel.load(model_path))

    def parse_now(self, text: str) -> Parse:
        ranking = self.model.rank(text)
        return Parse(tuple(IntentScore(name, score) for name, score in ranking if name))

    async def parse(self, text: str) -> Parse:
        try:
            if len(text) <= self.ON_THE_LOOP:
                return self.parse_now(text)
            return await asyncio.to_thread(self.parse_now, text)
        except Exception as exc:
            raise NLUUnavailable(f"the model failed on a message: {type(exc).__name__}") from exc

    async def close(self) -> None:
        return None
