"""``grader serve``: the app in a web browser (textual-serve), for one learner's progress."""

from __future__ import annotations

from typing import Any

import click

from grader.cli.options import course_option, data_dir_option

__all__ = ["serve"]


@click.command("serve", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but localhost needs a token.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--token",
    envvar="GRADER_SERVE_TOKEN",
    default=None,
    help="Require this token (16+ characters) of every request, the page and the websocket "
    "alike; read from GRADER_SERVE_TOKEN when not given, which keeps it out of `ps`. Off "
    "localhost a random one is made when none is given.",
)
@click.option(
    "--public-url",
    default=None,
    metavar="URL",
    help="Where browsers reach this server, with a proxy's prefix (e.g. "
    "https://lab.example.org/alice); the proxy forwards it to the server's root.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="The app's language (default: GRADER_LANG, else the locale); F2 switches it.",
)
@course_option
@data_dir_option
def serve(**options: Any) -> None:
    """Serve the app in a web browser: the same screens, keys and progress store.

    One server serves ONE learner's data directory (--data-dir, else GRADER_DATA_DIR, else
    the user data directory): every browser tab opened on it reads and writes that learner's
    progress, and each tab runs its own app process. For a lab, run one server per student,
    each with its own --data-dir, --port and token.

    \b
    Synopsis:
      grader serve [--host 127.0.0.1] [--port 8000] [--token TOKEN] [--public-url URL]
                   [--lang zh|en] [--course DIR] [--data-dir DIR]
    \b
    Examples:
      grader serve                                   # http://127.0.0.1:8000/
      grader serve --host 0.0.0.0 --port 8001 --data-dir ~/lab/alice
                                                     # prints the URL with a new token
    \b
    In the browser, keys the browser keeps for itself move: Run checks is F3 (not F5),
    Next and Previous are PgDn and PgUp (not Ctrl+N/P), Finish an exam is Ctrl+E (not
    Ctrl+T); the footer shows them. Ctrl+O ($EDITOR) is not offered in a browser.
    """
    from grader.serve import serve as run_server

    run_server(**options)
