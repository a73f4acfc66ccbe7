"""Leave-one-writer-out in minutes: a research tool for the safety net and the NLU settings.

`python -m bot evaluate` measures leave-one-writer-out (LOWO) with Rasa's own components: two
models per fold (a writer of intent examples, or a few writers of safety grades only: see
`bot.generalisation.writer_folds`). That is the figure to report. To compare many
settings, this script trains the same pipeline (CountVectorsFeaturizer word 1-2 and char_wb
2-5 n-grams, then scikit-learn's LogisticRegression as Rasa's LogisticRegressionClassifier
calls it) with scikit-learn directly, runs it with the bot's own fast path (bot/fastpath.py) and
answers every left-out message with the whole engine, as evaluate does. It is a replica: check
it against evaluate before trusting a difference that is small.

    .venv/bin/python bench/fast_lowo.py                          # the settings in config files
    .venv/bin/python bench/fast_lowo.py --safety C=0.5           # safety classifier settings
    .venv/bin/python bench/fast_lowo.py --check                  # replica vs the trained models
    .venv/bin/python bench/fast_lowo.py --groups 8 --record g.jsonl  # 8 folds: about 5 minutes

With --groups K every writer is in one of K groups (every K-th writer in order) and each group
is left out in turn: a rougher figure than one writer at a time, but quick enough to replay
threshold changes on (bench/safety_thresholds.py reads the --record file).

The NLU model of each fold is kept in /tmp between runs (it changes only with nlu/data/).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import hashlib
import json
import pickle
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import ContentStore  # noqa: E402
from bot.engine import Engine, model_text  # noqa: E402
from bot.fastpath import (  # noqa: E402
    FastModel,
    FastParser,
    Featurizer,
    features_document,
    tokenize,
)
from bot.generalisation import (  # noqa: E402
    Block,
    Project,
    Scores,
    cases_from,
    fold_name,
    pooled,
    read_blocks,
    score,
    table,
    writer_folds,
)
from bot.numbers import name_numbers  # noqa: E402
from bot.safety import grade_of_intent  # noqa: E402
from bot.text import plain  # noqa: E402

CACHE = Path("/tmp/fast-lowo-cache")


def pipeline_settings(config_file: Path) -> dict[str, Any]:
    """The featurizers' n-gram ranges and min_df, and the classifier's settings, from a config."""
    pipeline = yaml.safe_load(config_file.read_text(encoding="utf-8"))["pipeline"]
    featurizers = [p for p in pipeline if p["name"] == "CountVectorsFeaturizer"]
    (classifier,) = [p for p in pipeline if p["name"] == "LogisticRegressionClassifier"]
    return {
        "featurizers": [
            {
                "analyzer": f.get("analyzer", "word"),
                "ngram": (f.get("min_ngram", 1), f.get("max_ngram", 1)),
                "min_df": f.get("min_df", 1),
            }
            for f in featurizers
        ],
        "C": 1.0,
        "max_iter": classifier.get("max_iter", 100),
        "random_state": classifier.get("random_state", 42),
        "ranking_length": classifier.get("ranking_length", 10),
        "class_weight": "balanced",
    }


def train(examples: list[tuple[str, str, str]], settings: dict[str, Any]) -> FastModel:
    """The pipeline trained on (text, label, writer) examples, as a FastModel."""
    from scipy.sparse import hstack
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    # Rasa drops repeated examples (the same text and label in the same writer's block).
    examples = list(
        dict.fromkeys((text.strip(), label, writer) for text, label, writer in examples)
    )
    docs = [
        features_document(tokenize(name_numbers(text).strip()), True) for text, _, _ in examples
    ]
    labels = [label for _, label, _ in examples]
    featurizers, blocks = [], []
    for f in settings["featurizers"]:
        vectorizer = CountVectorizer(
            analyzer=f["analyzer"],
            ngram_range=tuple(f["ngram"]),
            min_df=f["min_df"],
            token_pattern=r"(?u)\b\w+\b",
            lowercase=True,
        )
        blocks.append(vectorizer.fit_transform(docs))
        vocabulary = {gram: int(i) for gram, i in vectorizer.vocabulary_.items()}
        low, high = f["ngram"]
        featurizers.append(Featurizer(vocabulary, f["analyzer"], low, high, lowercase=True))
    features = hstack(blocks).tocsr()
    classifier = LogisticRegression(
        C=settings["C"],
        solver="lbfgs",
        max_iter=settings["max_iter"],
        class_weight=settings["class_weight"],
        tol=1e-4,
        random_state=settings["random_state"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(features, labels)
    return FastModel(
        featurizers,
        [str(c) for c in classifier.classes_],
        np.asarray(classifier.coef_, dtype=np.float64),
        np.asarray(classifier.intercept_, dtype=np.float64),
        multinomial=len(classifier.classes_) > 2,
        ranking_length=settings["ranking_length"],
        regex_handler=False,
    )


def examples_of(blocks: list[Block], rename: Any = None) -> list[tuple[str, str, str]]:
    return [
        (text, rename(b.name) if rename else b.name, b.writer)
        for b in blocks
        for text in b.examples
    ]


def nlu_model(
    left_out: tuple[str, ...], intent_blocks: list[Block], settings: dict[str, Any]
) -> FastModel:
    kept = [b for b in intent_blocks if b.writer not in left_out]
    key = hashlib.sha256(
        json.dumps([examples_of(kept), settings], sort_keys=True, default=str).encode()
    ).hexdigest()[:20]
    cached = CACHE / f"nlu-{fold_name(left_out)}-{key}.pickle"
    if cached.exists():
        model: FastModel = pickle.loads(cached.read_bytes())
        return model
    model = train(examples_of(kept), settings)
    CACHE.mkdir(exist_ok=True)
    cached.write_bytes(pickle.dumps(model))
    return model


def safety_examples(
    left_out: tuple[str, ...],
    intent_blocks: list[Block],
    grade_blocks: list[Block],
    extra: list[Block],
) -> list[tuple[str, str, str]]:
    return (
        examples_of([b for b in grade_blocks if b.writer not in left_out])
        + examples_of([b for b in intent_blocks if b.writer not in left_out], grade_of_intent)
        + examples_of(extra)
    )


def fold(
    job: tuple[tuple[str, ...], dict[str, Any], dict[str, Any], list[Path]],
) -> tuple[str, Scores, list[dict[str, Any]]]:
    left_out, nlu_settings, safety_settings, extra_files = job
    project = Project(ROOT)
    intent_blocks, _ = read_blocks(project.intent_files)
    grade_blocks, _ = read_blocks(project.grade_files)
    extra, _ = read_blocks(extra_files)
    parser = FastParser(nlu_model(left_out, intent_blocks, nlu_settings))
    grader_model = train(
        safety_examples(left_out, intent_blocks, grade_blocks, extra), safety_settings
    )
    engine = Engine(
        content=ContentStore(ROOT / "content"), parser=parser, grader=FastParser(grader_model)
    )
    cases = cases_from([b for b in intent_blocks if b.writer in left_out], False)
    cases += cases_from([b for b in grade_blocks if b.writer in left_out], True)
    scores = asyncio.run(score(engine, cases))
    rows = []
    for case in cases:
        text = model_text(plain(case.text))
        rows.append(
            {
                "writer": case.writer,
                "text": case.text,
                "intent": case.intent,
                "grade": case.grade,
                "nlu": [[n, round(c, 5)] for n, c in parser.model.rank(text)],
                "grades": [[n, round(c, 5)] for n, c in grader_model.rank(text)],
            }
        )
    return fold_name(left_out), scores, rows


def overrides(pairs: list[str]) -> dict[str, Any]:
    """NAME=VALUE settings. A value is read as Python writes it: "1e-3" is a number (YAML
    would read it as text), "None" is None, and anything else ("balanced") stays text."""
    found: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"{pair!r} is not a setting: write NAME=VALUE, like C=0.5")
        try:
            found[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            found[name] = value
    return found


def check(nlu_settings: dict[str, Any], safety_settings: dict[str, Any]) -> None:
    """Train the replica on everything and compare it with the trained models' fast path."""
    project = Project(ROOT)
    intent_blocks, _ = read_blocks(project.intent_files)
    grade_blocks, _ = read_blocks(project.grade_files)
    test_blocks, _ = read_blocks([ROOT / "nlu" / "test" / "blind.yml"])
    texts = [model_text(plain(t)) for b in test_blocks for t in b.examples]
    pairs = [
        ("nlu", train(examples_of(intent_blocks), nlu_settings), ROOT / "models" / "nlu.tar.gz"),
        (
            "safety",
            train(safety_examples((), intent_blocks, grade_blocks, []), safety_settings),
            ROOT / "models" / "safety.tar.gz",
        ),
    ]
    for name, replica, archive in pairs:
        real = FastModel.load(archive)
        same_top, gaps = 0, []
        for text in texts:
            a, b = dict(replica.rank(text)), real.rank(text)
            same_top += max(a, key=a.get) == b[0][0]  # type: ignore[arg-type]
            gaps += [abs(a.get(n, 0.0) - c) for n, c in b]
        print(
            f"{name}: same top answer on {same_top}/{len(texts)} blind messages; "
            f"largest confidence gap {max(gaps):.4f}, mean {np.mean(gaps):.5f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--safety", nargs="*", default=[], help="safety classifier NAME=VALUE")
    parser.add_argument("--nlu", nargs="*", default=[], help="NLU classifier NAME=VALUE")
    parser.add_argument("--extra", nargs="*", default=[], help="more safety training files")
    parser.add_argument("--writers", help="comma-separated writers (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--record", help="write every prediction here (JSON lines)")
    parser.add_argument("--check", action="store_true", help="replica vs the trained models")
    parser.add_argument("--groups", type=int, default=0, help="leave K groups of writers out")
    args = parser.parse_args()
    nlu_settings = {**pipeline_settings(ROOT / "config.yml"), **overrides(args.nlu)}
    safety_settings = {
        **pipeline_settings(ROOT / "nlu" / "safety" / "config.yml"),
        **overrides(args.safety),
    }
    if args.check:
        check(nlu_settings, safety_settings)
        return 0
    project = Project(ROOT)
    intent_blocks, _ = read_blocks(project.intent_files)
    grade_blocks, _ = read_blocks(project.grade_files)
    writers = (
        args.writers.split(",")
        if args.writers
        else sorted({b.writer for b in intent_blocks} | {b.writer for b in grade_blocks})
    )
    extra = [Path(p) for p in args.extra]
    started = time.perf_counter()
    results: dict[str, Scores] = {}
    rows: list[dict[str, Any]] = []
    if args.groups:
        folds = [tuple(writers[i :: args.groups]) for i in range(args.groups)]
        label = f"{args.groups} groups left out (replica)"
    else:
        folds = writer_folds(writers, {b.writer for b in intent_blocks})
        label = "leave one writer out (replica)"
    jobs = [(f, nlu_settings, safety_settings, extra) for f in folds]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name, scores, found in pool.map(fold, jobs):
            results[name] = scores
            rows += found
    print(f"safety settings: {safety_settings}")
    print(table({label: pooled(results)}))
    print(f"{len(writers)} writers in {len(folds)} folds in {time.perf_counter() - started:.0f} s")
    if args.record:
        with Path(args.record).open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
