"""Sessions, login, CSRF and the protective headers of the web app.

Even on 127.0.0.1 without a password every visitor gets a session: any web page the facilitator
has open could otherwise post forms to the local app (CSRF), so the CSRF token needs a home.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "lerendewijk_sessie"
# a working day: a facilitator logs in once in the morning, a forgotten laptop is closed by the evening
SESSION_SECONDS = 8 * 60 * 60
PUBLIC_PATHS = ("/inloggen", "/static/", "/favicon.ico")

APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class CsrfError(Exception):
    """A state-changing request without the session's token, or from another site."""


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class Session:
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    authenticated: bool = False
    expires: float = 0.0
    changed: bool = False
    expired: bool = False

    def renew(self, seconds: float, now: float) -> None:
        """New identity on login, so a session id planted before login is worth nothing after it."""
        self.sid = secrets.token_urlsafe(16)
        self.csrf = secrets.token_urlsafe(32)
        self.expires = now + seconds
        self.changed = True


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Cookie = payload.signature (HMAC-SHA256); the payload carries its own expiry."""

    def __init__(self, secret: bytes | None = None) -> None:
        # a fresh secret per start: restarting the server logs everyone out, which is what an operator expects
        self.secret = secret or secrets.token_bytes(32)

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self.secret, payload.encode("ascii"), hashlib.sha256).digest())

    def dumps(self, session: Session) -> str:
        payload = _b64(
            json.dumps({"sid": session.sid, "csrf": session.csrf, "auth": session.authenticated, "exp": int(session.expires)}).encode()
        )
        return f"{payload}.{self._sign(payload)}"

    def loads(self, cookie: str, now: float) -> Session | None:
        """The session in a cookie; None when it is forged or malformed, ``expired`` set when it ran out."""
        payload, _, signature = cookie.partition(".")
        if not payload or not hmac.compare_digest(signature.encode(), self._sign(payload).encode()):
            return None
        try:
            data = json.loads(_unb64(payload))
            session = Session(sid=str(data["sid"]), csrf=str(data["csrf"]), authenticated=bool(data["auth"]), expires=float(data["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        if session.expires <= now:
            return Session(expired=session.authenticated, changed=True)
        return session


def password_matches(given: str, expected: str) -> bool:
    # digests of equal length, so the comparison time says nothing about the password's length
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def session_of(request: Request) -> Session:
    return request.scope["lerendewijk.session"]


class Guard:
    """ASGI middleware: session cookie, login wall, body size limits and security headers."""

    def __init__(
        self,
        app: ASGIApp,
        signer: SessionSigner,
        password: str | None,
        session_seconds: float,
        clock: Callable[[], float],
        upload_limit: int,
        allowed_hosts: list[str] | None,
    ) -> None:
        self.app = app
        self.signer = signer
        self.password = password
        self.session_seconds = session_seconds
        self.clock = clock
        self.upload_limit = upload_limit
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            # a foreign host name pointing at 127.0.0.1 (DNS rebinding) must not reach the local data
            await _plain(send, 400, "Onbekende hostnaam; open de web-app via http://127.0.0.1.")
            return
        now = self.clock()
        session = self.signer.loads(request.cookies.get(COOKIE, ""), now) if COOKIE in request.cookies else None
        if session is None or session.expired:
            expired = session is not None and session.expired
            session = Session(expires=now + self.session_seconds, changed=True, expired=expired)
            session.authenticated = self.password is None
        scope["lerendewijk.session"] = session
        path = scope["path"]
        if self.password is not None and not session.authenticated and not path.startswith(PUBLIC_PATHS):
            if scope["method"] in ("GET", "HEAD"):
                target = "/inloggen?verlopen=1" if session.expired else "/inloggen"
                await self._respond(send, request, session, 303, b"", [(b"location", target.encode())])
            else:
                await self._respond(send, request, session, 401, b"Log eerst in.", [])
            return

        limit = self.upload_limit if path == "/nieuwe-ronde" else 1024 * 1024
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await self._respond(send, request, session, 413, _too_large(limit).encode(), [])
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                _security_headers(headers)
                if session.changed:
                    headers.append("set-cookie", self._cookie(session, request))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge as exc:
            if started:
                raise
            await self._respond(send, request, session, 413, _too_large(exc.limit).encode(), [])

    def _cookie(self, session: Session, request: Request) -> str:
        secure = "; Secure" if request.url.scheme == "https" else ""
        max_age = max(0, int(session.expires - self.clock()))
        return f"{COOKIE}={self.signer.dumps(session)}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"

    async def _respond(
        self, send: Send, request: Request, session: Session, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
    ) -> None:
        start: Message = {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *headers],
        }
        mutable = MutableHeaders(scope=start)
        _security_headers(mutable)
        if session.changed:
            mutable.append("set-cookie", self._cookie(session, request))
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> str:
    return f"Te groot: een upload mag samen hoogstens {limit // (1024 * 1024)} MB zijn. Splits de bestanden over meer keren."


async def _plain(send: Send, status: int, text: str) -> None:
    start: Message = {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain; charset=utf-8")]}
    _security_headers(MutableHeaders(scope=start))
    await send(start)
    await send({"type": "http.response.body", "body": text.encode("utf-8")})


def _security_headers(headers: MutableHeaders) -> None:
    # pages carry personal data of residents: never framed, cached or leaked through a Referer
    if "content-security-policy" not in headers:
        headers["content-security-policy"] = APP_CSP
    headers["x-frame-options"] = "DENY"
    headers["referrer-policy"] = "no-referrer"
    headers["x-content-type-options"] = "nosniff"
    headers["cross-origin-opener-policy"] = "same-origin"
    headers["cross-origin-resource-policy"] = "same-origin"
    headers["permissions-policy"] = "camera=(), microphone=(), geolocation=()"
    if "cache-control" not in headers:
        headers["cache-control"] = "no-store"


async def checked_form(request: Request, max_files: int = 0) -> FormData:
    """The posted form, after the CSRF checks every state-changing request goes through."""
    origin = request.headers.get("origin")
    # with Referrer-Policy no-referrer the browser sends "Origin: null" for its own forms; the token decides then
    if origin is not None and origin != "null":
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != own:
            raise CsrfError("ander origin")
    form = await request.form(max_files=max_files, max_fields=200)
    token = request.headers.get("x-csrf-token") or form.get("csrf")
    if not isinstance(token, str) or not hmac.compare_digest(token.encode(), session_of(request).csrf.encode()):
        raise CsrfError("token ontbreekt of klopt niet")
    return form


def login(request: Request, password: str | None, given: str, session_seconds: float, now: float) -> bool:
    session = session_of(request)
    if password is None or not password_matches(given, password):
        return False
    session.renew(session_seconds, now)
    session.authenticated = True
    session.expired = False
    return True


def logout(request: Request, session_seconds: float, now: float, password: str | None) -> None:
    session = session_of(request)
    session.renew(session_seconds, now)
    session.authenticated = password is None
