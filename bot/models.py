"""The trained models on disk: the pair in use, the versions kept beside it, and the switch.

The bot loads the pair at MODEL_PATH and SAFETY_MODEL_PATH (models/nlu.tar.gz and
models/safety.tar.gz). Models trained from the console are kept in models/versions/<id>/ with
their evaluation; activating one copies its pair into place (each file replaced atomically) and
then rewrites models/active.json, the one small file a running bot watches
(`bot.modelswitch`): when it changes, the bot loads the pair and swaps it in without a restart.
The pair that was in use is kept as a version too, so it can be restored.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.content.writing import write_text
from bot.settings import Settings

ACTIVE = "active.json"
VERSIONS = "versions"
STATUS = "status.json"
KEEP = 6


@dataclass(frozen=True)
class Version:
    """One trained pair in models/versions/, with what its training job wrote about it."""

    id: str
    folder: Path
    status: dict[str, Any]

    @property
    def has_models(self) -> bool:
        return (self.folder / "nlu.tar.gz").exists() and (self.folder / "safety.tar.gz").exists()


def new_id(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y%m%d-%H%M%S")


class ModelShelf:
    """The models folder of one project."""

    def __init__(self, settings: Settings) -> None:
        self.nlu = settings.model_path
        self.safety = settings.safety_model_path
        self.folder = settings.model_path.parent
        self.versions_folder = self.folder / VERSIONS
        self.pointer = self.folder / ACTIVE

    def active(self) -> dict[str, Any]:
        """What active.json says: the version in use, the one before it, when and by whom."""
        try:
            data = json.loads(self.pointer.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def versions(self) -> list[Version]:
        found = []
        if self.versions_folder.exists():
            for folder in sorted(self.versions_folder.iterdir(), reverse=True):
                if folder.is_dir():
                    found.append(Version(folder.name, folder, read_status(folder)))
        return found

    def version(self, version_id: str) -> Version | None:
        folder = self.versions_folder / version_id
        if "/" in version_id or version_id.startswith(".") or not folder.is_dir():
            return None
        return Version(version_id, folder, read_status(folder))

    def keep_current(self) -> str | None:
        """Keep the pair in use as a version (if it is not one already); its id."""
        active = self.active().get("version")
        if isinstance(active, str) and self.version(active) is not None:
            return active
        if not (self.nlu.exists() and self.safety.exists()):
            return None
        version_id = "before-" + new_id(
            datetime.fromtimestamp(self.nlu.stat().st_mtime, timezone.utc)
        )
        folder = self.versions_folder / version_id
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.nlu, folder / "nlu.tar.gz")
        shutil.copyfile(self.safety, folder / "safety.tar.gz")
        write_status(folder, {"state": "kept", "step": "the model in use before the console"})
        return version_id

    def activate(self, version_id: str, by: str) -> None:
        """Put a version's pair in use, then tell the running bot (active.json)."""
        version = self.version(version_id)
        if version is None or not version.has_models:
            raise FileNotFoundError(f"there is no trained model called {version_id}")
        previous = self.keep_current()
        for name, target in (("nlu.tar.gz", self.nlu), ("safety.tar.gz", self.safety)):
            temporary = target.with_name(f".{target.name}.incoming")
            shutil.copyfile(version.folder / name, temporary)
            temporary.replace(target)
        pointer = {
            "version": version_id,
            "previous": previous if previous != version_id else self.active().get("previous"),
            "activated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "by": by,
        }
        write_text(self.pointer, json.dumps(pointer, indent=2) + "\n")
        self.prune()

    def prune(self, keep: int = KEEP) -> None:
        """Delete old versions (each is tens of megabytes): the newest `keep` stay, and so do
        the one in use and the one before it."""
        active = self.active()
        needed = {active.get("version"), active.get("previous")}
        for version in self.versions()[keep:]:
            if version.id not in needed and version.status.get("state") != "running":
                shutil.rmtree(version.folder, ignore_errors=True)


def read_status(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / STATUS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_status(folder: Path, status: dict[str, Any]) -> None:
    write_text(folder / STATUS, json.dumps(status, indent=2, ensure_ascii=False) + "\n")
