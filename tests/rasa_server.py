"""Starting Rasa's own HTTP server (`rasa run --enable-api`) on a model, for tests and bench/."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_rasa_server(
    model: Path, workdir: Path, timeout: float = 240
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server and wait until /status answers; returns the process and its URL."""
    port = free_port()
    rasa = Path(sys.executable).parent / "rasa"
    process = subprocess.Popen(
        [str(rasa), "run", "--enable-api", "--model", str(model), "--port", str(port)],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/status", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_rasa_server(process)
            raise RuntimeError("rasa run --enable-api did not start")
        time.sleep(0.5)


def stop_rasa_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
