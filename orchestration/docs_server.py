"""Serve the generated docs over http on 127.0.0.1, for the links in the Dagster UI.

A browser does not open a ``file://`` link from an http page such as the Dagster UI, so ``make dev``
starts this server beside ``dagster dev`` and ``make run``/``make dev`` set ``BUDGET_DOCS_URL`` to it: a
check's ``data_docs`` link (its Great Expectations result page) and ``published_marts``' ``dbt_docs``
link then open with a click. It serves ``/quality_docs/…`` from ``$BUDGET_QUALITY_DOCS`` and
``/published/…`` from ``$BUDGET_PUBLISH_DIR`` (`extract.locations.SERVED`), read-only, nothing else.

    python -m orchestration.docs_server [--port 3001]
"""

from __future__ import annotations

import argparse
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from extract.locations import SERVED

DEFAULT_PORT = 3001


class DocsHandler(SimpleHTTPRequestHandler):
    """`SimpleHTTPRequestHandler` over the served folders: the first path segment picks the folder."""

    def translate_path(self, path: str) -> str:
        prefix, _, rest = unquote(urlsplit(path).path).lstrip("/").partition("/")
        folder = SERVED.get(prefix)
        if folder is None:
            return str(Path("/nonexistent") / "-")  # 404 for everything outside the served folders
        root = folder().resolve()
        target = (root / rest).resolve()
        if target != root and root not in target.parents:  # `..` or a link leading out of the folder
            return str(Path("/nonexistent") / "-")
        return str(target)

    def list_directory(self, path: str):  # noqa: ANN201 — no directory listings
        self.send_error(404, "No listing")
        return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — quiet beside dagster dev
        pass


def make_server(port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), functools.partial(DocsHandler, directory="/nonexistent"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m orchestration.docs_server", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    server = make_server(args.port)
    print(f"docs on http://127.0.0.1:{args.port}/quality_docs/index.html and "
          f"http://127.0.0.1:{args.port}/published/docs.html", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
