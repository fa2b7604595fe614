"""Provides :func:`serve`, behind ``grader serve``: the app in a web browser, through textual-serve.

textual-serve (pinned exactly in pyproject.toml) runs an aiohttp application: ``GET /`` is the
page (an xterm.js terminal), ``GET /ws`` the websocket that starts one ``grader quiz`` process per
connection (one per browser tab) and carries its screen and keys, ``/static`` the page's scripts
and ``/download/{key}`` files the app hands out. The page builds every URL it uses from the
public URL (``--public-url``, for a proxy's prefix), so the routes stay at the root behind it.

textual-serve has no authentication, so :class:`_GuardedServer` adds it around the whole
application (every route, the websocket included):

- **A token.** Any bind address other than loopback needs one (``--token``, else a random one is
  made and the URL with it is printed). A request carries it as ``?token=`` (the printed link),
  an ``Authorization: Bearer`` header, or the cookie the page's first answer sets (HttpOnly,
  SameSite=Strict), which is how the page's scripts and its websocket carry it. Anything else is
  answered 403 before textual-serve sees it.
- **The websocket's origin.** A browser lets any web site open a websocket to localhost; the
  handshake's ``Origin`` must be this server's own (its ``Host``, or the public URL's), so another
  site the learner visits cannot drive their app even without a token.

One server serves one learner's data directory (``--data-dir``, else ``GRADER_DATA_DIR``, else the
user data directory): every tab it starts reads and writes that learner's progress. A lab runs one
server per student, each with its own data directory, port and token. Tabs of the same learner
share the store; the app's exam lock (:mod:`grader.study.exam_lock`) keeps a running exam to one
of them.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from grader.errors import UsageError

__all__ = ["COOKIE", "TOKEN_ENV", "is_loopback", "serve", "served_command"]

COOKIE = "grader_token"
"""The cookie that carries the token after the first page load."""

TOKEN_ENV = "GRADER_SERVE_TOKEN"
"""The environment variable ``--token`` is read from (keeps the token out of ``ps``)."""


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` reaches this machine only (``localhost``, 127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_command(
    *,
    data_dir: Path,
    course: str | os.PathLike[str] | None = None,
    lang: str | None = None,
) -> str:
    """The shell command each tab runs: this Python's ``grader quiz`` on ``data_dir``."""
    args = [sys.executable, "-m", "grader", "quiz", "--data-dir", str(data_dir)]
    if course is not None:
        args += ["--course", str(Path(course).resolve())]
    if lang is not None:
        args += ["--lang", lang]
    return shlex.join(args)


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    public_url: str | None = None,
    course: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    lang: str | None = None,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the app on ``host``:``port`` until interrupted (the API behind ``grader serve``).

    ``token`` is required of every request when given; off loopback, a random one is made when
    it is None. ``public_url`` is where browsers reach the server (a proxy's URL and prefix).

    Raises:
        UsageError: a bad token or public URL.
    """
    from grader.study.paths import data_dir as resolve_data_dir

    if token is not None and (len(token) < 16 or not token.isascii() or not token.isprintable()):
        raise UsageError("--token: use at least 16 printable ASCII characters")
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--public-url: {public_url!r} is not an http(s) URL with a host")
        public_url = public_url.rstrip("/")
    os.environ.pop(TOKEN_ENV, None)  # the app processes inherit the environment
    store = resolve_data_dir(data_dir).resolve()
    server = _GuardedServer(
        served_command(data_dir=store, course=course, lang=lang),
        host=host,
        port=port,
        title="torch-grader",
        public_url=public_url,
        token=token,
    )
    url = server.public_url + "/"
    if public_url is None and not is_loopback(host):
        url = f"http://{socket.getfqdn() if host in ('0.0.0.0', '::') else host}:{port}/"
    echo(f"torch-grader: serving the progress in {store}")
    echo(f"Open {url}?token={token}" if token else f"Open {url}")
    echo("One server serves one learner's progress. Press Ctrl+C to stop.")
    server.serve()


class _GuardedServer(Server):
    """textual-serve's server with the token and origin checks in front of every route."""

    def __init__(self, command: str, *, token: str | None, **options: Any) -> None:
        super().__init__(command, **options)
        self.token = token
        self.fixed_url = options.get("public_url") is not None
        """Whether --public-url was given; without it each page links back to the host the
        browser asked for (a server on 0.0.0.0 is reached by some other name)."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()

        @web.middleware
        async def guard(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            return await self._guarded(request, handler)

        app.middlewares.append(guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; :func:`serve` has said where to go instead."""

    def _token_of(self, request: web.Request) -> tuple[str | None, bool]:
        """The token the request carries, and whether it came in the URL."""
        given = request.query.get("token")
        if given is not None:
            return given, True
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header[len("Bearer ") :], False
        return request.cookies.get(COOKIE), False

    def _same_origin(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:  # not a browser: the token alone decides
            return True
        netloc = urlsplit(origin).netloc.lower()
        allowed = {request.host.lower(), urlsplit(self.public_url).netloc.lower()}
        return netloc in allowed

    async def _guarded(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        is_websocket = request.path == "/ws"
        if is_websocket and not self._same_origin(request):
            raise web.HTTPForbidden(text="torch-grader: websocket from another origin refused\n")
        if self.token is None:
            return await self._answer(request, handler)
        given, in_url = self._token_of(request)
        if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            raise web.HTTPForbidden(
                text="torch-grader: this server needs its token; open the link it printed "
                "(…/?token=…)\n"
            )
        return await self._answer(request, handler, set_cookie=in_url and not is_websocket)

    async def _answer(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        *,
        set_cookie: bool = False,
    ) -> web.StreamResponse:
        if not self.fixed_url and request.path == "/":
            # textual-serve's page handler reads public_url before its first await, so no
            # other request can change it in between
            self.public_url = f"{request.scheme}://{request.host}"
        response = await handler(request)
        if set_cookie and self.token is not None:
            secure = self.public_url.startswith("https:")
            response.set_cookie(
                COOKIE, self.token, httponly=True, samesite="Strict", path="/", secure=secure
            )
        return response
