"""Training without Rasa's training cache (bot/nlu.py): the model answers exactly as one Rasa
trains its own way, and Rasa is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.fastpath import FastModel
from bot.nlu import dump_training_data, train

ROOT = Path(__file__).resolve().parent.parent

EXAMPLES = {
    "ask_law": [
        "is it illegal to carry a knife",
        "can i get arrested for a blade",
        "whats the law on knives",
        "am i allowed a pocket knife",
        "law about carrying a knife in public",
        "will i go to jail for having a knife",
    ],
    "report": [
        "how do i report a knife without my name",
        "can i tell someone anonymously",
        "i want to report someone carrying",
        "who do i tell about a lad with a knife",
        "report it but stay anonymous",
        "how to report a knife online",
    ],
    "greet": ["hi", "hello there", "hiya", "hey", "good morning", "alright"],
}
ASKED = ["can i report it without anyone knowing", "is a flick knife legal", "hey you", "what"]


def _data(folder: Path) -> Path:
    folder.mkdir()
    blocks = [
        {"intent": name, "metadata": {"writer": "t"}, "examples": "".join(f"- {t}\n" for t in ts)}
        for name, ts in EXAMPLES.items()
    ]
    (folder / "data.yml").write_text(dump_training_data(blocks), encoding="utf-8")
    return folder


def test_a_model_trained_without_the_cache_answers_as_rasas_own_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.engine.training import graph_trainer
    from rasa.engine.training.hooks import TrainingHook
    from rasa.model_training import train_nlu

    data = _data(tmp_path / "data")
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    ours = train(ROOT / "config.yml", data, tmp_path / "ours" / "nlu.tar.gz")
    assert graph_trainer.TrainingHook is TrainingHook  # put back afterwards
    rasas = train_nlu(
        config=str(ROOT / "config.yml"),
        nlu_data=str(data),
        output=str(tmp_path / "rasas"),
        fixed_model_name="nlu",
    )
    assert rasas is not None
    a, b = FastModel.load(ours), FastModel.load(Path(rasas))
    for text in ASKED:
        assert a.rank(text) == b.rank(text), text
    assert a.rank(ASKED[0])[0][0] == "report"
