"""Staff accounts: roles, passwords (argon2id, from argon2-cffi), slowed failed logins, and the
console's sessions kept in the database.

A session is a random value in an HttpOnly, SameSite=Strict cookie (Secure behind https); the
database keeps only its SHA-256, with the time it was last used. It ends at logout, after
CONSOLE_IDLE_MINUTES without use, and when the account is removed or its password reset.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from aiohttp import web
from aiohttp_session import AbstractStorage, Session
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine

from bot.storage.tables import login_failures, staff, staff_sessions

Role = Literal["admin", "editor", "reviewer"]
ROLES: tuple[Role, ...] = ("admin", "editor", "reviewer")
# What each role may do: an editor edits content, a reviewer reviews questions, an admin
# does both and manages the model and accounts.
CAN = {
    "content": ("admin", "editor"),
    "questions": ("admin", "reviewer"),
    "model": ("admin",),
    "accounts": ("admin",),
}
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
# Failed logins in the last window slow an account (or an address) down, then stop it.
FAILURE_WINDOW = timedelta(minutes=15)
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 20
LAST_SEEN_EVERY = timedelta(seconds=60)


class AccountError(Exception):
    """An account cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    role: str

    def can(self, what: str) -> bool:
        return self.role in CAN[what]

    @property
    def described(self) -> str:
        """ "an editor account", "a reviewer account"."""
        return f"{'an' if self.role[0] in 'aeiou' else 'a'} {self.role} account"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class Accounts:
    """Staff accounts in the bot's database."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = utcnow,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        # A hash costs about 64 MB and tens of milliseconds: a flood of logins must not be
        # able to take all the memory, so only two are worked out at a time.
        self._hashing = asyncio.Semaphore(2)
        self._dummy_hash: str | None = None

    # -- managing accounts (python -m bot staff ...)

    @staticmethod
    def normal_email(email: str) -> str:
        email = email.strip().lower()
        if not EMAIL.match(email):
            raise AccountError(f"{email!r} is not an email address")
        return email

    def _password_hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password must be at least {MIN_PASSWORD} characters long")
        if len(password) > MAX_PASSWORD:
            raise AccountError(f"the password must be at most {MAX_PASSWORD} characters long")
        return self.hasher.hash(password)

    def add(self, email: str, role: str, password: str) -> StaffMember:
        email = self.normal_email(email)
        if role not in ROLES:
            raise AccountError(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
        hashed = self._password_hash(password)
        with self.engine.begin() as conn:
            if conn.execute(select(staff.c.id).where(staff.c.email == email)).first():
                raise AccountError(f"there is already an account for {email}")
            new_id = conn.execute(
                insert(staff).values(
                    email=email, password_hash=hashed, role=role, created_at=self.clock()
                )
            ).inserted_primary_key[0]
        return StaffMember(int(new_id), email, role)

    def list(self) -> list[StaffMember]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(staff.c.id, staff.c.email, staff.c.role).order_by("email"))
            return [StaffMember(int(i), str(e), str(r)) for i, e, r in rows]

    def remove(self, email: str) -> None:
        email = self.normal_email(email)
        with self.engine.begin() as conn:
            found = conn.execute(select(staff.c.id).where(staff.c.email == email)).scalar()
            if found is None:
                raise AccountError(f"there is no account for {email}")
            conn.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == found))
            conn.execute(delete(staff).where(staff.c.id == found))

    def reset(self, email: str, password: str) -> None:
        """A new password; every session of the account ends."""
        email = self.normal_email(email)
        hashed = self._password_hash(password)
        with self.engine.begin() as conn:
            found = conn.execute(select(staff.c.id).where(staff.c.email == email)).scalar()
            if found is None:
                raise AccountError(f"there is no account for {email}")
            conn.execute(update(staff).where(staff.c.id == found).values(password_hash=hashed))
            conn.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == found))
            conn.execute(delete(login_failures).where(login_failures.c.key == f"email:{email}"))

    def member(self, staff_id: int) -> StaffMember | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(staff.c.id, staff.c.email, staff.c.role).where(staff.c.id == staff_id)
            ).first()
        return StaffMember(int(row[0]), str(row[1]), str(row[2])) if row else None

    # -- logging in

    def _failures(self, key: str) -> int:
        since = self.clock() - FAILURE_WINDOW
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(login_failures)
                    .where(login_failures.c.key == key, login_failures.c.at >= since)
                ).scalar_one()
            )

    def _fail(self, *keys: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(insert(login_failures), [{"key": k[:300], "at": now} for k in keys])
            # Old failures are of no use; they go as new ones come.
            conn.execute(delete(login_failures).where(login_failures.c.at < now - FAILURE_WINDOW))

    def blocked(self, email: str, address: str) -> bool:
        """Too many failed logins lately, for this account or from this address."""
        return (
            self._failures(f"email:{email.strip().lower()[:254]}") >= FAILURES_PER_ACCOUNT
            or self._failures(f"ip:{address}") >= FAILURES_PER_ADDRESS
        )

    async def login(self, email: str, password: str, address: str) -> StaffMember | None:
        """The account, when the email and password are right and it is not blocked."""
        email = email.strip().lower()[:254]
        if await asyncio.to_thread(self.blocked, email, address):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(staff.c.id, staff.c.role, staff.c.password_hash).where(
                    staff.c.email == email
                )
            ).first()
        async with self._hashing:
            # Unknown emails take as long as known ones, so a stranger cannot tell which exist.
            hashed = str(row[2]) if row else await asyncio.to_thread(self._dummy)
            ok = await asyncio.to_thread(self._verify, hashed, password[:MAX_PASSWORD])
        if row is None or not ok:
            await asyncio.to_thread(self._fail, f"email:{email}", f"ip:{address}")
            # Each failure is slower than the one before (up to 4 s).
            failures = await asyncio.to_thread(self._failures, f"email:{email}")
            await asyncio.sleep(min(0.25 * 2 ** max(failures - 1, 0), 4.0))
            return None
        await asyncio.to_thread(self._succeeded, email)
        return StaffMember(int(row[0]), email, str(row[1]))

    def _succeeded(self, email: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == f"email:{email}"))

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_hex(16))
        return self._dummy_hash

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return bool(self.hasher.verify(hashed, password))
        except (VerificationError, InvalidHashError):
            return False


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class DatabaseSessions(AbstractStorage):
    """aiohttp-session's storage, kept in the staff_sessions table.

    The cookie holds a random token; the table holds its SHA-256, the account, when it was
    last used, and the session's data (the CSRF secret). A session unused for `idle` ends.
    """

    def __init__(
        self,
        engine: Engine,
        idle: timedelta,
        secure: bool,
        clock: Callable[[], datetime] = utcnow,
        cookie_name: str = "console_session",
    ) -> None:
        super().__init__(
            cookie_name=cookie_name, httponly=True, samesite="Strict", secure=secure, path="/"
        )
        self.engine = engine
        self.idle = idle
        self.clock = clock

    async def load_session(self, request: web.Request) -> Session:
        token = self.load_cookie(request)
        if not token or len(token) > 100:
            return Session(None, data=None, new=True)
        row = await asyncio.to_thread(self._read, session_id(token))
        if row is None:
            return Session(None, data=None, new=True)
        data: dict[str, Any] = json.loads(row["data"])
        data["staff_id"] = int(row["staff_id"])
        created = int(_aware(row["created_at"]).timestamp())
        return Session(token, data={"created": created, "session": data}, new=False)

    def _read(self, key: str) -> dict[str, Any] | None:
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(select(staff_sessions).where(staff_sessions.c.id == key)).first()
            if row is None:
                return None
            last_seen = _aware(row.last_seen)
            if now - last_seen > self.idle:
                conn.execute(delete(staff_sessions).where(staff_sessions.c.id == key))
                return None
            if now - last_seen > LAST_SEEN_EVERY:
                conn.execute(
                    update(staff_sessions).where(staff_sessions.c.id == key).values(last_seen=now)
                )
            return dict(row._mapping)

    async def save_session(
        self, request: web.Request, response: web.StreamResponse, session: Session
    ) -> None:
        token = session.identity
        if session.empty:
            if isinstance(token, str):
                await asyncio.to_thread(self._delete, session_id(token))
            self.save_cookie(response, "")
            return
        data = {k: v for k, v in session.items() if k != "staff_id"}
        if not isinstance(token, str):
            token = secrets.token_urlsafe(32)
            await asyncio.to_thread(
                self._create, session_id(token), int(session["staff_id"]), json.dumps(data)
            )
        else:
            await asyncio.to_thread(self._update, session_id(token), json.dumps(data))
        self.save_cookie(response, token)

    def _create(self, key: str, staff_id: int, data: str) -> None:
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(staff_sessions).values(
                    id=key, staff_id=staff_id, created_at=now, last_seen=now, data=data
                )
            )
            # Sessions left to expire are cleared as new ones start.
            conn.execute(delete(staff_sessions).where(staff_sessions.c.last_seen < now - self.idle))

    def _update(self, key: str, data: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(staff_sessions).where(staff_sessions.c.id == key).values(data=data))

    def _delete(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(staff_sessions).where(staff_sessions.c.id == key))
