"""The bot's HTTP client for the Bot API, against real sockets on 127.0.0.1: what it reads, what
it keeps alive, and how each way a server can fail reaches python-telegram-bot."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.http import MAX_BODY, HttpClient, HTTPFailure, HTTPTimeout
from bot.telegram.transport import BotAPIRequest

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(answer: Answer) -> AsyncIterator[tuple[str, list[int]]]:
    """A server that answers each connection with `answer`; yields its address and a list
    that grows by one for every connection it accepts."""
    connections: list[int] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            await answer(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", connections
    finally:
        server.close()
        await server.wait_closed()


async def read_request(reader: asyncio.StreamReader) -> tuple[str, bytes]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode()
    length = 0
    for line in head.split("\r\n"):
        if line.lower().startswith("content-length:"):
            length = int(line.split(":")[1])
    return head, await reader.readexactly(length)


def keep_answering(*answers: bytes) -> Answer:
    """Answer each request on the connection with the next of `answers`."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for raw in answers:
            await read_request(reader)
            writer.write(raw)
            await writer.drain()
        await reader.read()

    return answer


OK = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'


async def test_a_connection_is_kept_alive_between_requests() -> None:
    async with raw_server(keep_answering(OK, OK, OK)) as (url, connections):
        client = HttpClient(4, "test")
        for _ in range(3):
            assert await client.request("POST", f"{url}/botT/getMe", b"{}") == (200, b'{"ok":true}')
        await client.close()
    assert len(connections) == 1


async def test_the_request_carries_its_method_path_and_body() -> None:
    seen: list[tuple[str, bytes]] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        writer.write(OK)

    async with raw_server(answer) as (url, _):
        client = HttpClient(4, "test-agent")
        await client.request("POST", f"{url}/botT/sendMessage?x=1", b'{"text":"hi"}')
        await client.close()
    head, body = seen[0]
    assert head.startswith("POST /botT/sendMessage?x=1 HTTP/1.1\r\n")
    assert "User-Agent: test-agent\r\n" in head and "Content-Length: 13\r\n" in head
    assert body == b'{"text":"hi"}'


async def test_chunked_and_closing_answers_are_read_whole() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\n\r\n"
    )
    until_closed = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it"
    async with raw_server(keep_answering(chunked)) as (url, _):
        client = HttpClient(4, "test")
        assert await client.request("GET", url) == (200, b"hello, world")

    async def answer_and_hang_up(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_request(reader)
        writer.write(until_closed)
        await writer.drain()
        writer.close()

    async with raw_server(answer_and_hang_up) as (url, connections):
        assert await client.request("GET", url) == (200, b"all of it")
        assert await client.request("GET", url) == (200, b"all of it")
        await client.close()
    assert len(connections) == 2  # the server closed the first one


async def test_an_answer_without_a_body_is_empty() -> None:
    async with raw_server(keep_answering(b"HTTP/1.1 204 No Content\r\n\r\n", OK)) as (url, conns):
        client = HttpClient(4, "test")
        assert await client.request("POST", url, b"{}") == (204, b"")
        assert await client.request("POST", url, b"{}") == (200, b'{"ok":true}')
        await client.close()
    assert len(conns) == 1


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part",  # then the server hangs up
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        f"HTTP/1.1 200 OK\r\nContent-Length: {MAX_BODY + 1}\r\n\r\n".encode(),
    ],
)
async def test_a_broken_answer_is_a_failure_and_its_connection_is_not_reused(raw: bytes) -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(raw)
        await writer.drain()
        writer.close()

    async with raw_server(answer) as (url, connections):
        client = HttpClient(4, "test")
        with pytest.raises(HTTPFailure):
            await client.request("POST", url, b"{}")
        with pytest.raises(HTTPFailure):
            await client.request("POST", url, b"{}")
        await client.close()
    assert len(connections) == 2  # a new connection for the second request


async def test_no_answer_in_time_is_a_timeout_and_the_client_still_works() -> None:
    calls: list[int] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        calls.append(1)
        if len(calls) == 1:
            await asyncio.sleep(5)  # far longer than the client waits
        writer.write(OK)
        await writer.drain()

    async with raw_server(answer) as (url, _):
        client = HttpClient(4, "test")
        with pytest.raises(HTTPTimeout):
            await client.request("POST", url, b"{}", read_timeout=0.2)
        assert await client.request("POST", url, b"{}", read_timeout=2) == (200, b'{"ok":true}')
        await client.close()


async def test_nobody_listening_is_a_failure() -> None:
    async with raw_server(keep_answering()) as (url, _):
        pass  # closed again: nothing listens on that port now
    client = HttpClient(4, "test")
    with pytest.raises(HTTPFailure, match="could not connect"):
        await client.request("POST", url, b"{}")
    with pytest.raises(HTTPFailure, match="not an http"):
        await client.request("POST", "ftp://127.0.0.1/x", b"{}")
    await client.close()


async def test_python_telegram_bot_gets_its_own_errors() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async def too_slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(5)

    request = BotAPIRequest(read_timeout=0.2)
    await request.initialize()
    async with raw_server(hang_up) as (url, _):
        with pytest.raises(NetworkError):
            await request.do_request(url, "POST", RequestData([]))
    async with raw_server(too_slow) as (url, _):
        with pytest.raises(TimedOut):
            await request.do_request(url, "POST", RequestData([]))
    await request.shutdown()


async def test_an_upload_is_sent_as_a_form_a_server_can_read() -> None:
    """The bot sends no files today; if it ever does, the form must be one a server reads."""
    received: dict[str, object] = {}

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        received.update(form)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/botT/sendDocument", upload)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    data = RequestData(
        [
            RequestParameter.from_input("chat_id", 42),
            RequestParameter.from_input("caption", 'a "quoted" caption'),
            RequestParameter.from_input(
                "document", InputFile(b"\x00\x01 file bytes", filename="notes.txt")
            ),
        ]
    )
    request = BotAPIRequest()
    await request.initialize()
    try:
        status, body = await request.do_request(
            f"http://127.0.0.1:{port}/botT/sendDocument", "POST", data
        )
    finally:
        await request.shutdown()
        await runner.cleanup()
    assert (status, json.loads(body)) == (200, {"ok": True})
    assert received["chat_id"] == "42"
    assert received["caption"] == 'a "quoted" caption'
    document = received["document"]
    assert isinstance(document, web.FileField)
    assert document.filename == "notes.txt"
    with document.file:
        assert document.file.read() == b"\x00\x01 file bytes"


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself, and its key."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def test_https_is_spoken_and_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    """Telegram's Bot API is HTTPS: the answer comes over TLS from a server whose certificate
    is trusted, and a server whose certificate is not trusted gets no request at all."""
    cert_file, key_file = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    requests: list[str] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, _ = await read_request(reader)
        requests.append(head)
        writer.write(OK)
        await writer.drain()
        await reader.read()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await answer(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=server_tls)
    port = server.sockets[0].getsockname()[1]
    url = f"https://127.0.0.1:{port}/botT/getMe"
    try:
        trusting = ssl.create_default_context(cafile=str(cert_file))
        client = HttpClient(4, "test", tls=trusting)
        assert await client.request("POST", url, b"{}") == (200, b'{"ok":true}')
        await client.close()
        wary = HttpClient(4, "test")  # the system's authorities only
        with pytest.raises(HTTPFailure, match="could not connect"):
            await wary.request("POST", url, b"{}")
        await wary.close()
    finally:
        server.close()
        await server.wait_closed()
    assert len(requests) == 1
