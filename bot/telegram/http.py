"""A small HTTP/1.1 client for the Bot API: kept-alive connections, one write a request.

Measured with bench/spy_path.py (py-spy), aiohttp's client spent about a fifth of the
bot's CPU on each request to Telegram: a task to write each body, the headers and the body
sent as two packets, and bookkeeping for features the Bot API does not use (cookies,
redirects, proxies, compression). The Bot API needs one thing: a POST with a JSON (or, for an
upload, multipart) body, answered with a status and a body. This does that and no more.

Every failure is one of two exceptions the caller maps to python-telegram-bot's errors:
`HTTPTimeout` (no connection or no answer in time) and `HTTPFailure` (the connection failed
or the answer could not be read). A connection that failed in any way is closed, never
reused.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from contextlib import suppress
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit

# Far more than any Bot API answer (getUpdates returns at most 100 updates): a body larger than
# this is refused rather than held in memory.
MAX_BODY = 32 * 1024 * 1024
MAX_HEAD = 64 * 1024


class HTTPFailure(Exception):
    """The request could not be made or its answer could not be read."""


class HTTPTimeout(HTTPFailure):
    """No connection, or no whole answer, within the time allowed."""


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = field(default_factory=time.monotonic)

    def usable(self, keepalive: float) -> bool:
        return (
            not self.writer.is_closing()
            and not self.reader.at_eof()
            and time.monotonic() - self.idle_since < keepalive
        )

    def close(self) -> None:
        self.writer.close()


class _Deadline:
    """Cancels the current task when time runs out, and turns that into HTTPTimeout (as
    asyncio.timeout does from Python 3.11, without a task per request as wait_for needs)."""

    def __init__(self, seconds: float | None, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.fired = False
        self._handle: asyncio.TimerHandle | None = None

    async def __aenter__(self) -> _Deadline:
        if self.seconds is not None:
            task = asyncio.current_task()
            assert task is not None
            self._handle = asyncio.get_running_loop().call_later(self.seconds, self._fire, task)
        return self

    def _fire(self, task: asyncio.Task[object]) -> None:
        self.fired = True
        task.cancel()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.cancel()
        if self.fired and kind is asyncio.CancelledError:
            raise HTTPTimeout(f"no {self.what} within {self.seconds:g} s") from error


class HttpClient:
    """Up to `pool_size` connections at once, kept open between requests for `keepalive`
    seconds."""

    def __init__(
        self,
        pool_size: int,
        user_agent: str,
        keepalive: float = 30.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.pool_size = pool_size
        self.user_agent = user_agent
        self.keepalive = keepalive
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._slots: asyncio.Semaphore | None = None
        # The system's certificate authorities unless told otherwise (tests trust their own).
        self._tls: ssl.SSLContext | None = tls
        self._closed = False

    async def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 10.0,
    ) -> tuple[int, bytes]:
        """(status, body) of one request."""
        if self._closed:
            raise HTTPFailure("the HTTP client is closed")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HTTPFailure(f"not an http(s) address: {parts.scheme}://{parts.hostname}")
        secure = parts.scheme == "https"
        try:
            port = parts.port or (443 if secure else 80)
        except ValueError as exc:
            raise HTTPFailure(f"a bad port in the address: {exc}") from exc
        key = (parts.scheme, parts.hostname, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        head = (
            f"{method} {target} HTTP/1.1\r\n"
            f"Host: {parts.netloc.rsplit('@', 1)[-1]}\r\n"
            f"User-Agent: {self.user_agent}\r\n"
            "Accept-Encoding: identity\r\n"
        )
        if body is not None:
            head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        payload = (head + "\r\n").encode("latin-1") + (body or b"")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.pool_size)
        async with self._slots:
            connection = self._take(key)
            if connection is None:
                connection = await self._open(key, connect_timeout)
            try:
                async with _Deadline(read_timeout, "answer"):
                    status, data, reusable = await _exchange(connection, payload)
            except BaseException:
                connection.close()
                raise
            if reusable and not self._closed:
                connection.idle_since = time.monotonic()
                self._idle.setdefault(key, []).append(connection)
            else:
                connection.close()
            return status, data

    def _take(self, key: tuple[str, str, int]) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if connection.usable(self.keepalive):
                return connection
            connection.close()
        return None

    async def _open(self, key: tuple[str, str, int], timeout: float | None) -> _Connection:
        scheme, host, port = key
        tls = None
        if scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            tls = self._tls
        try:
            async with _Deadline(timeout, "connection"):
                reader, writer = await asyncio.open_connection(host, port, ssl=tls, limit=MAX_HEAD)
        except OSError as exc:
            raise HTTPFailure(f"could not connect to {host}:{port}: {exc}") from exc
        return _Connection(reader, writer)

    async def close(self) -> None:
        self._closed = True
        connections = [c for idle in self._idle.values() for c in idle]
        self._idle.clear()
        for connection in connections:
            connection.close()
        for connection in connections:
            with suppress(OSError, ssl.SSLError):  # it is closed either way
                await connection.writer.wait_closed()


async def _exchange(connection: _Connection, payload: bytes) -> tuple[int, bytes, bool]:
    """Send one request and read its answer: (status, body, whether the connection can be
    used again)."""
    reader, writer = connection.reader, connection.writer
    try:
        writer.write(payload)
        if writer.transport.get_write_buffer_size() > MAX_HEAD:
            await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status, headers = _parse_head(head)
        if status in (204, 304) or status < 200:  # no body, whatever the headers say
            body, closes = b"", False
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _read_chunked(reader)
            closes = False
        elif "content-length" in headers:
            length = _number(headers["content-length"], "Content-Length")
            if length > MAX_BODY:
                raise HTTPFailure(f"an answer of {length} bytes is too large")
            body = await reader.readexactly(length)
            closes = False
        else:  # the answer ends when the server closes the connection
            collected = bytearray()
            while chunk := await reader.read(MAX_HEAD):
                collected += chunk
                if len(collected) > MAX_BODY:
                    raise HTTPFailure("the answer is too large")
            body, closes = bytes(collected), True
    except asyncio.IncompleteReadError as exc:
        raise HTTPFailure("the server closed the connection before answering") from exc
    except asyncio.LimitOverrunError as exc:
        raise HTTPFailure("the answer's headers are too long") from exc
    except (OSError, ssl.SSLError) as exc:
        raise HTTPFailure(f"the connection failed: {exc}") from exc
    closes = closes or headers.get("connection", "").lower() == "close"
    return status, body, not closes


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status_line = lines[0].split(" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/1."):
        raise HTTPFailure(f"not an HTTP answer: {lines[0][:80]!r}")
    status = _number(status_line[1], "status")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = _number(size_line.split(b";", 1)[0].strip().decode("latin-1"), "chunk size", 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # trailers, which the Bot API does not send
            return bytes(body)
        if len(body) + size > MAX_BODY:
            raise HTTPFailure("the answer is too large")
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise HTTPFailure("a chunk of the answer is malformed")


def _number(text: str, what: str, base: int = 10) -> int:
    try:
        value = int(text, base)
    except ValueError:
        raise HTTPFailure(f"the answer's {what} is not a number: {text[:20]!r}") from None
    if value < 0:
        raise HTTPFailure(f"the answer's {what} is negative")
    return value
