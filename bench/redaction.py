"""How many probe messages still leak a personal detail after redaction.

    .venv/bin/python bench/redaction.py                  # this checkout
    .venv/bin/python bench/redaction.py --commit ddf42af # the code of a commit (before)
    .venv/bin/python bench/redaction.py --root DIR       # another checkout

Each probe in bench/redaction_probes.yml lists the details in it (a name, handle, email,
number, date or address); a probe leaks when any of them is still in the redacted text. The
`keep` probes are ordinary questions whose words must survive, so that redacting everything
cannot pass for good redaction.
"""

from __future__ import annotations

import argparse
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PROBES = HERE / "redaction_probes.yml"


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--root", default=str(HERE.parent), help="the checkout to measure")
    arguments.add_argument("--commit", help="measure the code of this commit instead")
    arguments.add_argument("--show", action="store_true", help="print every leaking probe")
    args = arguments.parse_args()
    root = Path(args.root).resolve()
    if args.commit:
        root = Path(tempfile.mkdtemp(prefix="redaction-"))
        archive = subprocess.run(
            ["git", "archive", args.commit], cwd=HERE.parent, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tree:
            tree.extractall(root)
    sys.path.insert(0, str(root))
    redact = importlib.import_module("bot.redact").redact
    doc = yaml.safe_load(PROBES.read_text(encoding="utf-8"))
    leaked = 0
    details = 0
    leaked_details = 0
    for probe in doc["probes"]:
        out = redact(probe["text"]).lower()
        left = [leak for leak in probe["leaks"] if str(leak).lower() in out]
        details += len(probe["leaks"])
        leaked_details += len(left)
        if left:
            leaked += 1
            if args.show:
                print(f"  leaks {left}: {probe['text']!r} -> {out!r}")
    lost = 0
    for probe in doc["keep"]:
        out = redact(probe["text"]).lower()
        missing = [word for word in probe["kept"] if word not in out]
        if missing:
            lost += 1
            if args.show:
                print(f"  lost {missing}: {probe['text']!r} -> {out!r}")
    total = len(doc["probes"])
    print(
        f"{leaked} of {total} probes leaked a personal detail "
        f"({leaked_details} of {details} details); "
        f"{lost} of {len(doc['keep'])} ordinary questions lost words they needed."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
