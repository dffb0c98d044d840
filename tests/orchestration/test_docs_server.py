"""The docs server behind the Dagster UI's links: http links under BUDGET_DOCS_URL, the pages served,
nothing outside the served folders."""

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from extract.locations import docs_link
from orchestration.docs_server import make_server


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    quality, published = tmp_path / "quality_docs", tmp_path / "published"
    (quality / "validations").mkdir(parents=True)
    (quality / "validations" / "raw_units.html").write_text("<h1>raw_units 原始</h1>", encoding="utf-8")
    (published / "builds" / "b1").mkdir(parents=True)
    (published / "builds" / "b1" / "docs.html").write_text("<h1>dbt docs</h1>", encoding="utf-8")
    (published / "current").symlink_to(published / "builds" / "b1")
    (tmp_path / "secret.txt").write_text("not served", encoding="utf-8")
    monkeypatch.setenv("BUDGET_QUALITY_DOCS", str(quality))
    monkeypatch.setenv("BUDGET_PUBLISH_DIR", str(published))
    return {"quality": quality, "published": published, "root": tmp_path}


def test_links_are_http_under_the_docs_url_and_file_uris_without(folders, monkeypatch) -> None:
    page = folders["quality"] / "validations" / "raw_units.html"
    monkeypatch.delenv("BUDGET_DOCS_URL", raising=False)
    assert docs_link(page) == page.as_uri()
    monkeypatch.setenv("BUDGET_DOCS_URL", "http://127.0.0.1:3001/")
    assert docs_link(page) == "http://127.0.0.1:3001/quality_docs/validations/raw_units.html"
    assert docs_link(folders["published"] / "current" / "docs.html") == \
        "http://127.0.0.1:3001/published/current/docs.html"
    outside = folders["root"] / "secret.txt"
    assert docs_link(outside) == outside.as_uri()  # not served: stays a file link


def test_server_serves_the_linked_pages_and_nothing_else(folders, monkeypatch) -> None:
    server = make_server(port=0)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("BUDGET_DOCS_URL", f"http://127.0.0.1:{port}")
    try:
        page = docs_link(folders["quality"] / "validations" / "raw_units.html")
        with urllib.request.urlopen(page) as response:
            assert response.status == 200
            assert "raw_units 原始" in response.read().decode("utf-8")
        with urllib.request.urlopen(docs_link(folders["published"] / "current" / "docs.html")) as response:
            assert b"dbt docs" in response.read()
        for path in ("/secret.txt", "/quality_docs/../secret.txt", "/quality_docs/%2e%2e/secret.txt",
                     "/quality_docs/", "/other/x.html"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}")
            assert refused.value.code == 404, path
    finally:
        server.shutdown()
        server.server_close()
