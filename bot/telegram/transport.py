"""Talking HTTP to the Bot API with the bot's own small client (bot/telegram/http.py).

Measured with bench/load.py: httpx, python-telegram-bot's default, spent about 2 ms of CPU on
each request (most of it in its connection pool's bookkeeping); aiohttp a fraction of that,
but still about a fifth of the bot's CPU (bench/spy_path.py); the small
client less again. This is python-telegram-bot's own extension point (`BaseRequest`):
everything above it, retries and errors included, is unchanged.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.http import HttpClient, HTTPFailure, HTTPTimeout


class BotAPIRequest(BaseRequest):
    """A `BaseRequest` on a bounded pool of kept-alive connections."""

    def __init__(
        self,
        connection_pool_size: int = 16,
        read_timeout: float = 10.0,
        connect_timeout: float = 5.0,
    ) -> None:
        # No write timeout of its own: a request is one write, inside the read timeout.
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._client: HttpClient | None = None

    @property
    def read_timeout(self) -> float:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._client is None:
            self._client = HttpClient(self._pool_size, self.USER_AGENT, keepalive=30.0)

    async def shutdown(self) -> None:
        if self._client is not None:
            await self._client.close()
        self._client = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._client is None:
            raise RuntimeError("This BotAPIRequest is not initialized")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        body: bytes | None = None
        content_type = "application/json"
        if request_data is not None:
            if request_data.contains_files:
                body, content_type = multipart(request_data)
            else:
                # One JSON body (the Bot API takes JSON for everything but uploads): cheaper
                # than form-encoding every value, measured with bench/profile_path.py.
                body = json.dumps(request_data.parameters).encode()
        try:
            return await self._client.request(
                method, url, body, content_type, connect_timeout=connect, read_timeout=read
            )
        except HTTPTimeout as exc:
            raise TimedOut(str(exc)) from exc
        except HTTPFailure as exc:
            raise NetworkError(str(exc)) from exc


def multipart(request_data: RequestData) -> tuple[bytes, str]:
    """A multipart/form-data body for an upload: the plain values, then the files."""
    boundary = uuid.uuid4().hex
    out = bytearray()

    def part(
        name: str, content: bytes, filename: str | None = None, mime: str | None = None
    ) -> None:
        disposition = f'form-data; name="{_quoted(name)}"'
        if filename is not None:
            disposition += f'; filename="{_quoted(filename)}"'
        out.extend(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        if mime:
            out.extend(f"Content-Type: {mime}\r\n".encode())
        out.extend(b"\r\n" + content + b"\r\n")

    for name, value in request_data.json_parameters.items():
        part(name, value.encode())
    for name, field in request_data.multipart_data.items():
        filename, content = field[0], field[1]
        data = content if isinstance(content, bytes) else content.read()
        part(name, data, filename or name, field[2] if len(field) > 2 else None)
    out.extend(f"--{boundary}--\r\n".encode())
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", " ").replace("\n", " ")
