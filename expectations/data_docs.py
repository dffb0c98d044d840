"""Great Expectations Data Docs that keep every suite's history and render offline.

GX renders a site from the validation results its context holds, and its index builder deletes each page
whose result the context does not hold. Our contexts are ephemeral (one per gate, or per check), so every
build used to delete the pages of all the suites it had not just validated. Hence:

* validation results are kept on disk beside the pages (`validation_results/`, GX's JSON), the newest
  `HISTORY_RUNS` per suite; a build renders only this run's pages and the index lists every kept result.
  Once its page is rendered a kept result loses its per-expectation details (the page and
  `quality.validation_results` hold them): the index reads every kept result on each build, and the
  details made that several times slower;
* every suite is registered in the context, so each suite's expectation page stays listed;
* GX's pages load Bootstrap, jQuery, bootstrap-table, Font Awesome… from CDNs: the files vendored in
  `static/vendor/` (from the package registry, see `static/vendor.py`) are copied into the site and each
  page's addresses rewritten to them (`CDN_FILES`), so the pages render from `file://` without internet;
* one build at a time per site (a lock file): the pipeline and `python -m expectations` may overlap.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import great_expectations as gx
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.store import ValidationResultsStore
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from expectations.suite import TableSuite

SITE_NAME = "budget_quality"
RESULTS_STORE = "kept_validation_results"
RESULTS_DIR = "validation_results"
HISTORY_RUNS = 20  # validation results kept (and listed) per suite
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
SITE_VENDOR = Path("static") / "vendor"  # where the vendored files go inside the site

# Each address GX 1.24 writes into a page, and the vendored file (under static/vendor, or a GX image) that
# replaces it; None drops the tag: Popper is inside bootstrap.bundle, the dark theme is optional, and no
# suite renders a Vega chart.
CDN_FILES: tuple[tuple[str, str | None], ...] = (
    (r"https://code\.jquery\.com/jquery-3\.[\d.]+\.min\.js", "vendor/jquery/jquery.min.js"),
    (r"https://[a-z]+\.bootstrapcdn\.com/bootstrap/4\.[\d.]+/css/bootstrap\.min\.css",
     "vendor/bootstrap/css/bootstrap.min.css"),
    (r"https://[a-z]+\.bootstrapcdn\.com/bootstrap/4\.[\d.]+/js/bootstrap\.min\.js",
     "vendor/bootstrap/js/bootstrap.bundle.min.js"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/popper\.js/[^\"')]+", None),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.js",
     "vendor/bootstrap-table/bootstrap-table.min.js"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/bootstrap-table\.min\.css",
     "vendor/bootstrap-table/bootstrap-table.min.css"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/"
     r"bootstrap-table-filter-control\.min\.js",
     "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.js"),
    (r"https://unpkg\.com/bootstrap-table@[\d.]+/dist/extensions/filter-control/"
     r"bootstrap-table-filter-control(\.min)?\.css",
     "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.css"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/[\d.]+/js/bootstrap-datepicker\.min\.js",
     "vendor/bootstrap-datepicker/js/bootstrap-datepicker.min.js"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/[\d.]+/css/bootstrap-datepicker\.min\.css",
     "vendor/bootstrap-datepicker/css/bootstrap-datepicker.min.css"),
    (r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/6\.[\d.]+/css/all\.min\.css",
     "vendor/font-awesome/css/all.min.css"),
    (r"https://cdn\.jsdelivr\.net/npm/@forevolve/bootstrap-dark@[^\"')]+", None),
    (r"https://cdn\.jsdelivr\.net/npm/vega(-lite|-embed)?@\d+", None),
    (r"https://great-expectations-web-assets\.[^\"')]+/(full_)?logo[^\"')]*\.png(\?[^\"')]*)?",
     "images/logo-long.png"),
)
_RULES = [(re.compile(pattern + r"$"), target) for pattern, target in CDN_FILES]
_ASSET_TAG = re.compile(r"<(script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"'][^>]*>"
                        r"(\s*</script>)?", re.IGNORECASE)
# GX's own files, addressed from a page (the favicon of a result page is one folder short in GX 1.24)
_SITE_STATIC = re.compile(r"(?:\.{1,2}/)*static/(.+)")
_CSS_URL = re.compile(r"url\(\s*[\"']?(https?://[^\"')]+)[\"']?\s*\)")


def add_site(context: AbstractDataContext, docs_dir: Path) -> None:
    """The site in `docs_dir`, rendered from validation results kept in `docs_dir/validation_results/`
    (GX's site sections read the context's validation results store, which this replaces)."""
    context.add_store(RESULTS_STORE, {
        "class_name": "ValidationResultsStore",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": str(docs_dir / RESULTS_DIR)},
    })
    context.validation_results_store_name = RESULTS_STORE
    context.add_data_docs_site(SITE_NAME, {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
    })


def build_site(context: AbstractDataContext, docs_dir: Path, run_id: str,
               suites: Iterable[TableSuite]) -> str | None:
    """Render this run's pages, the index of every kept result, and make them offline; the index's URL
    (None when no suite could run and there is no index yet)."""
    started = time.time()
    with _site_lock(docs_dir):
        _register(context, suites)
        store = context.validation_results_store
        keys = store.list_keys()
        for old in _beyond_history(keys):
            store.remove_key(old)
        this_run = [k for k in keys if k.run_id.run_name == run_id]
        if not this_run:  # GX would take an empty list as "every page": nothing new, nothing to render
            index = docs_dir / "index.html"
            return index.as_uri() if index.exists() else None
        validated = {k.expectation_suite_identifier.name for k in this_run}
        pages = [*this_run, *(ExpectationSuiteIdentifier(name) for name in sorted(validated))]
        index = context.build_data_docs(site_names=[SITE_NAME], resource_identifiers=pages)[SITE_NAME]
        for key in this_run:
            _keep_summary(store, key)
        _install_vendor(docs_dir)
        for path in (*docs_dir.glob("static/styles/*.css"), *docs_dir.rglob("*.html")):
            if path.stat().st_mtime >= started - 1:  # written by this build (pages of older runs are done)
                localize(path, docs_dir)
    return index


def result_pages(docs_dir: Path, run_id: str) -> dict[str, Path]:
    """This run's result page of each suite it validated: validations/<suite>/<run>/<time>/<batch>.html."""
    return {page.parts[-4]: page for page in (docs_dir / "validations").glob(f"*/{run_id}/*/*.html")}


def localize(path: Path, docs_dir: Path) -> None:
    """Point a page's (or style sheet's) CDN addresses at the site's vendored copies, and its addresses of
    the site's static files at the right folder; drop unneeded tags."""
    text = path.read_text(encoding="utf-8")
    up = Path(os.path.relpath(docs_dir / "static", path.parent))

    def replacement(url: str) -> str | None:
        if not url.startswith(("http://", "https://")):
            static = _SITE_STATIC.fullmatch(url)
            return (up / static.group(1)).as_posix() if static else url
        for rule, target in _RULES:
            if rule.match(url):
                return None if target is None else (up / target).as_posix()
        return url  # unknown: left as is (and found by the tests)

    def tag(match: re.Match) -> str:
        local = replacement(match.group(2))
        return "" if local is None else match.group(0).replace(match.group(2), local)

    def css_url(match: re.Match) -> str:
        local = replacement(match.group(1))
        return "none" if local is None else f"url('{local}')"

    localized = _CSS_URL.sub(css_url, _ASSET_TAG.sub(tag, text))
    if localized != text:
        path.write_text(localized, encoding="utf-8")


def _register(context: AbstractDataContext, suites: Iterable[TableSuite]) -> None:
    known = {s.name for s in context.suites.all()}
    for suite in suites:
        if suite.name not in known:
            context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=suite.expectations()))


def _keep_summary(store: ValidationResultsStore, key: ValidationResultIdentifier) -> None:
    """The result without its per-expectation details: success, statistics and batch, what the index shows."""
    result = store.get(key)
    result.results = []
    store.set(key, result)


def _beyond_history(keys: list[ValidationResultIdentifier]) -> list[ValidationResultIdentifier]:
    by_suite: dict[str, list[ValidationResultIdentifier]] = defaultdict(list)
    for key in keys:
        by_suite[key.expectation_suite_identifier.name].append(key)
    return [old for runs in by_suite.values()
            for old in sorted(runs, key=lambda k: k.run_id.run_time, reverse=True)[HISTORY_RUNS:]]


def _install_vendor(docs_dir: Path) -> None:
    shutil.copytree(VENDOR, docs_dir / SITE_VENDOR, dirs_exist_ok=True)


@contextmanager
def _site_lock(docs_dir: Path) -> Iterator[None]:
    docs_dir.mkdir(parents=True, exist_ok=True)
    with open(docs_dir / ".build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
