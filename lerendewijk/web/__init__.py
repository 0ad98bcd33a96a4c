"""The local web app: ``lerendewijk serve``. A thin layer over the same library calls as the command line."""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import webbrowser
from pathlib import Path

from ..errors import LerendeWijkError
from .app import create_app

__all__ = ["create_app", "serve"]

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"]
MIN_PASSWORD = 8


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, password: str | None) -> None:
    """Anyone on the network could read residents' words: a host beyond this machine needs a password."""
    if is_loopback(host):
        return
    if not password:
        raise LerendeWijkError(
            f"--host {host} maakt de web-app bereikbaar voor anderen; geef een wachtwoord met --wachtwoord of LERENDEWIJK_WACHTWOORD"
        )
    if len(password) < MIN_PASSWORD:
        raise LerendeWijkError(f"het wachtwoord is te kort voor --host {host}; kies er een van minstens {MIN_PASSWORD} tekens")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise LerendeWijkError(f"kan niet luisteren op {host}:{port} ({exc.strerror}); kies een andere poort met --port") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(workspace_dir: Path, host: str = "127.0.0.1", port: int = 8765, password: str | None = None, open_browser: bool = True) -> None:
    """Run the web app for one workspace until Ctrl-C; a missing workspace is created first, as 'lerendewijk cycle' does."""
    import uvicorn

    from ..workspace import CONFIG_NAME, Workspace

    check_exposure(host, password)
    root = Path(workspace_dir)
    if not (root / CONFIG_NAME).exists():
        Workspace.init(root)
        print(f"nieuwe werkruimte: {root}", file=sys.stderr)
    loopback = is_loopback(host)
    app = create_app(root, password, allowed_hosts=LOOPBACK_NAMES if loopback else None)
    sock = _bind(host, port)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    print(f"lerendewijk draait op {url} (werkruimte {root}); stoppen met Ctrl-C", file=sys.stderr)
    if not loopback:
        print("let op: het verkeer is niet versleuteld (http); gebruik dit alleen op een vertrouwd netwerk", file=sys.stderr)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5))
    server.run(sockets=[sock])
