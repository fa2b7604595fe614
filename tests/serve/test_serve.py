"""``grader serve`` attacked over the network: without its token neither the page, the scripts nor
the websocket (which starts an app on the learner's progress) answer; another web site cannot
open the websocket; a proxy's public URL is what the page links to."""

from __future__ import annotations

from pathlib import Path

from serve_support import raw_request, served, status, websocket_handshake

from grader.serve import COOKIE, is_loopback


def test_off_localhost_a_token_is_made_and_required(tmp_path: Path) -> None:
    with served("--host", "0.0.0.0", data_dir=tmp_path / "data") as server:
        token = server.token
        assert token and len(token) >= 16, server.text
        port = server.port
        # no token, a wrong one, a guessed prefix, in each place a token may travel
        for path in ("/", "/static/js/textual.js", "/download/x"):
            assert status(raw_request(port, path)) == 403
        assert status(raw_request(port, "/?token=wrong")) == 403
        assert status(raw_request(port, f"/?token={token[:-1]}")) == 403
        assert status(raw_request(port, "/", {"Cookie": f"{COOKIE}=wrong"})) == 403
        assert status(raw_request(port, "/", {"Authorization": "Bearer wrong"})) == 403
        assert websocket_handshake(port).split()[1] == "403"
        assert websocket_handshake(port, {"Cookie": f"{COOKIE}=wrong"}).split()[1] == "403"
        assert websocket_handshake(port, {"Cookie": f"{COOKIE}={token}x"}).split()[1] == "403"
        # the printed link works and sets the cookie the page's scripts and websocket then carry
        head = raw_request(port, f"/?token={token}")
        assert status(head) == 200
        assert f"Set-Cookie: {COOKIE}={token}; HttpOnly; Path=/; SameSite=Strict" in head
        cookie = {"Cookie": f"{COOKIE}={token}"}
        assert status(raw_request(port, "/static/js/textual.js", cookie)) == 200
        assert status(raw_request(port, "/", {"Authorization": f"Bearer {token}"})) == 200
        assert websocket_handshake(port, cookie).startswith("HTTP/1.1 101")


def test_a_given_token_is_required_on_localhost_too(tmp_path: Path) -> None:
    token = "a-token-of-the-lab-0123"
    env = {"GRADER_SERVE_TOKEN": token}  # read from the environment, kept out of `ps`
    with served(data_dir=tmp_path / "data", env=env) as server:
        assert server.printed_url.endswith(f"/?token={token}")
        assert status(raw_request(server.port, "/")) == 403
        assert websocket_handshake(server.port).split()[1] == "403"
        assert status(raw_request(server.port, f"/?token={token}")) == 200


def test_localhost_needs_no_token_but_refuses_other_sites(tmp_path: Path) -> None:
    """A page from another web site can open a websocket to localhost; its Origin gives it away."""
    with served(data_dir=tmp_path / "data") as server:
        port = server.port
        assert server.token is None
        assert server.printed_url == f"http://127.0.0.1:{port}/"
        assert status(raw_request(port, "/")) == 200
        evil = {"Origin": "http://evil.example"}
        assert websocket_handshake(port, evil).split()[1] == "403"
        lookalike = {"Origin": f"http://127.0.0.1:{port}.evil.example"}
        assert websocket_handshake(port, lookalike).split()[1] == "403"
        own = {"Origin": f"http://127.0.0.1:{port}"}
        assert websocket_handshake(port, own).startswith("HTTP/1.1 101")


def test_a_proxy_prefix_is_what_the_page_links_to(tmp_path: Path) -> None:
    public = "https://lab.example.org/alice"
    with served("--public-url", public + "/", data_dir=tmp_path / "data") as server:
        head = raw_request(server.port, "/")
        assert status(head) == 200
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=20) as answer:
            page = answer.read().decode()
        assert 'data-session-websocket-url="wss://lab.example.org/alice/ws"' in page
        assert "https://lab.example.org/alice/static/js/textual.js" in page
        proxied = {"Origin": "https://lab.example.org"}
        assert websocket_handshake(server.port, proxied).startswith("HTTP/1.1 101")


def test_bad_options_are_refused(tmp_path: Path) -> None:
    from cli_support import run_grader

    done = run_grader("serve", "--token", "short", cwd=tmp_path)
    assert done.returncode == 2 and "at least 16" in done.stderr
    done = run_grader("serve", "--public-url", "lab.example.org", cwd=tmp_path)
    assert done.returncode == 2 and "--public-url" in done.stderr
    done = run_grader("serve", "--help", cwd=tmp_path)
    assert "ONE learner's data directory" in " ".join(done.stdout.split())


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ("localhost", "127.0.0.1", "127.3.2.1", "::1", "[::1]")))
    assert not any(map(is_loopback, ("0.0.0.0", "::", "10.0.0.5", "lab.example.org")))
