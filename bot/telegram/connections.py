"""Who may hold a connection to the webhook port, and for how long.

aiohttp waits for a request's headers as long as the client likes, and keeps every connection
it accepts. A stranger can open thousands of connections and send a header a minute: each one
holds a file descriptor, and once the process runs out, Telegram's own call cannot get in.
`ConnectionGuard` sits between the listening socket and aiohttp:

- a connection must send a complete request head within `header_timeout` seconds of opening
  (and a kept-alive one its next request within `idle_timeout`), or it is closed;
- at most `max_connections` are open. When one more arrives, the connection that has waited
  longest without sending a request is closed to make room: a new caller (Telegram sends its
  request at once) always gets in, and only connections that never did anything are lost.

Whether a connection is in the middle of a request is told by `middleware`, which aiohttp runs
once a request's head has arrived.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


ACCEPT_BURST = 128  # the listen backlog: asyncio accepts up to this many sockets at once


def connection_limit(reserve: int = 256) -> int:
    """The file descriptors this process may open, less those kept for the database, the Bot
    API, the model and logs, and less the sockets accepted before the guard has seen them:
    asyncio accepts a burst per turn of the loop, and a closed one is only let go on a later
    turn, so up to four bursts are in flight. At least 64, at most 4,096 (Telegram itself
    opens at most 100 connections to a webhook)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(64, min(4096, soft - reserve - 4 * ACCEPT_BURST))


class _Guarded(asyncio.Protocol):
    """One connection: aiohttp's protocol, watched by the guard."""

    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self.guard = guard
        self.inner = inner
        self.transport: asyncio.Transport | None = None
        self.served = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.inner.connection_made(transport)
        self.guard._opened(self)

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard._closed(self)
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def drop(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.abort()


class ConnectionGuard:
    """Caps open connections and closes those that do not send a request in time."""

    def __init__(
        self,
        max_connections: int | None = None,
        header_timeout: float = 10.0,
        idle_timeout: float = 75.0,
        sweep_every: float = 1.0,
    ) -> None:
        self.max_connections = max_connections or connection_limit()
        self.header_timeout = header_timeout
        self.idle_timeout = idle_timeout
        self.sweep_every = sweep_every
        # Connections with no request in progress, oldest first: never served, and kept alive.
        self._fresh: OrderedDict[_Guarded, float] = OrderedDict()
        self._idle: OrderedDict[_Guarded, float] = OrderedDict()
        self._busy: set[_Guarded] = set()
        self._by_transport: dict[asyncio.BaseTransport, _Guarded] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self.timed_out = 0
        self.made_room = 0
        self.refused = 0

    @property
    def open(self) -> int:
        return len(self._fresh) + len(self._idle) + len(self._busy)

    def guarding(self, factory: Callable[[], Any]) -> Callable[[], asyncio.Protocol]:
        """`factory` (aiohttp's server) wrapped, to give `loop.create_server`."""

        def protocol() -> asyncio.Protocol:
            return _Guarded(self, factory())

        return protocol

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Marks the connection busy while a request is handled, and idle again after."""
        connection = self._by_transport.get(request.transport) if request.transport else None
        if connection is None:
            return await handler(request)
        self._fresh.pop(connection, None)
        self._idle.pop(connection, None)
        self._busy.add(connection)
        try:
            return await handler(request)
        finally:
            connection.served = True
            if connection in self._busy:
                self._busy.discard(connection)
                self._idle[connection] = asyncio.get_running_loop().time()

    def start(self) -> None:
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None

    # -- bookkeeping

    def _opened(self, connection: _Guarded) -> None:
        assert connection.transport is not None
        self._by_transport[connection.transport] = connection
        if self.open >= self.max_connections and not self._make_room():
            self.refused += 1
            connection.drop()
            return
        self._fresh[connection] = asyncio.get_running_loop().time()

    def _closed(self, connection: _Guarded) -> None:
        if connection.transport is not None:
            self._by_transport.pop(connection.transport, None)
        self._fresh.pop(connection, None)
        self._idle.pop(connection, None)
        self._busy.discard(connection)

    def _make_room(self) -> bool:
        """Close the connection that has waited longest without a request; False if every
        connection is in the middle of one."""
        for waiting in (self._fresh, self._idle):
            if waiting:
                oldest, _ = waiting.popitem(last=False)
                self.made_room += 1
                oldest.drop()
                return True
        return False

    async def _sweep(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.sweep_every)
            now = loop.time()
            for waiting, allowed in (
                (self._fresh, self.header_timeout),
                (self._idle, self.idle_timeout),
            ):
                while waiting:
                    oldest, since = next(iter(waiting.items()))
                    if now - since < allowed:
                        break
                    waiting.popitem(last=False)
                    self.timed_out += 1
                    oldest.drop()
