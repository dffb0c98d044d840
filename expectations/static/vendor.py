"""Refresh `expectations/static/vendor/`: the CSS, JavaScript and fonts that Great Expectations' Data Docs
load from CDNs, taken from packages on the Python package registry so that the pages render offline.

    .venv/bin/python expectations/static/vendor.py     # needs the registry; the pipeline never runs it

Each source is one exact distribution; only the listed members are kept (with their licences). The
addresses GX writes and the files that replace them are in `expectations/data_docs.py` (`CDN_FILES`).
No package on the registry ships bootstrap-table 1.19 (GX's version): kotti-bstable carries 1.11.1, which
fills, sorts, searches and pages GX's index tables the same way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"


@dataclass(frozen=True)
class Source:
    requirement: str  # name==version, downloaded without dependencies
    members: dict[str, str]  # path inside the distribution (after its top folder for an sdist) -> under vendor/


XSTATIC = "xstatic/pkg"
KOTTI = "kotti_bstable/static/ext"
SOURCES = (
    Source("XStatic-jQuery==3.7.1.1", {f"{XSTATIC}/jquery/data/jquery.min.js": "jquery/jquery.min.js"}),
    Source("XStatic-Bootstrap==4.5.3.1", {
        f"{XSTATIC}/bootstrap/data/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
        f"{XSTATIC}/bootstrap/data/js/bootstrap.bundle.min.js": "bootstrap/js/bootstrap.bundle.min.js",  # with Popper
    }),
    Source("XStatic-Font-Awesome==6.2.1.2", {
        f"{XSTATIC}/font_awesome/data/css/all.min.css": "font-awesome/css/all.min.css",
        f"{XSTATIC}/font_awesome/data/webfonts/fa-solid-900.woff2": "font-awesome/webfonts/fa-solid-900.woff2",
        f"{XSTATIC}/font_awesome/data/webfonts/fa-regular-400.woff2": "font-awesome/webfonts/fa-regular-400.woff2",
        f"{XSTATIC}/font_awesome/data/LICENSE.txt": "font-awesome/LICENSE.txt",
    }),
    Source("kotti-bstable==1.0.2", {
        f"{KOTTI}/bootstrap-table/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
        f"{KOTTI}/bootstrap-table/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
        f"{KOTTI}/bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
            "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.js",
        f"{KOTTI}/bootstrap-table/dist/extensions/filter-control/bootstrap-table-filter-control.css":
            "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.css",
        f"{KOTTI}/bootstrap-table/LICENSE": "bootstrap-table/LICENSE",
        f"{KOTTI}/bootstrap-datepicker/dist/js/bootstrap-datepicker.min.js":
            "bootstrap-datepicker/js/bootstrap-datepicker.min.js",
        f"{KOTTI}/bootstrap-datepicker/dist/css/bootstrap-datepicker.min.css":
            "bootstrap-datepicker/css/bootstrap-datepicker.min.css",
        f"{KOTTI}/bootstrap-datepicker/LICENSE": "bootstrap-datepicker/LICENSE",
    }),
)


def distribution_members(archive: Path) -> dict[str, bytes]:
    """Every file of a wheel, or of an sdist without its top folder (`name-version/`)."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            return {name: wheel.read(name) for name in wheel.namelist() if not name.endswith("/")}
    with tarfile.open(archive) as sdist:
        return {member.name.split("/", 1)[1]: sdist.extractfile(member).read()
                for member in sdist.getmembers() if member.isfile() and "/" in member.name}


def fetch(source: Source, into: Path) -> None:
    with tempfile.TemporaryDirectory() as download:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", download,
                        source.requirement], check=True)
        (archive,) = Path(download).iterdir()
        files = distribution_members(archive)
        for member, target in source.members.items():
            path = into / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[member])


def main() -> None:
    fresh = VENDOR.with_name(".vendor-new")
    shutil.rmtree(fresh, ignore_errors=True)
    for source in SOURCES:
        fetch(source, fresh)
    shutil.rmtree(VENDOR, ignore_errors=True)
    fresh.rename(VENDOR)
    print(f"{sum(1 for p in VENDOR.rglob('*') if p.is_file())} files in {VENDOR}")


if __name__ == "__main__":
    main()
