"""Superset's metadata database: initialise it (once) and import the dashboard bundle, in one process.

    python bi/superset/metadata.py <bundle.zip>

Initialising is what `superset db upgrade`, `superset fab create-admin` and `superset init` do (the
schema migrations, the admin user with the password in $SUPERSET_HOME/admin_password, the roles); done
here in one process because each of those commands loads the whole application anew. The import is
Superset's assets import (the command behind `/api/v1/assets/import/`): it overwrites the database,
datasets, charts and dashboard it finds by UUID, so importing again after a change of the spec or of
BUDGET_PUBLISH_DIR updates them in place. Prints each phase's time. Runs in Superset's environment with
SUPERSET_HOME and SUPERSET_CONFIG_PATH set (bi/superset/superset.sh sets them).
"""

import contextlib
import importlib.metadata
import os
import sys
import time
from pathlib import Path
from zipfile import ZipFile

ADMIN = "admin"


def initialise(home: Path) -> bool:
    """Migrate the schema, create the admin and the roles, unless this Superset version already did."""
    from flask_migrate import upgrade
    from superset import appbuilder, db, security_manager

    stamp, version = home / ".initialised", importlib.metadata.version("apache-superset")
    if stamp.exists() and stamp.read_text().strip() == version:
        return False
    with contextlib.redirect_stdout(sys.stderr):  # the migrations' progress goes to the log
        upgrade()
    appbuilder.add_permissions(update_perms=True)
    security_manager.sync_role_definitions()
    if security_manager.find_user(username=ADMIN) is None:
        security_manager.add_user(ADMIN, "Budget", "Analyst", "admin@localhost", security_manager.find_role("Admin"),
                                  password=(home / "admin_password").read_text().strip())
    db.session.commit()
    stamp.write_text(version)
    return True


def import_bundle(bundle_path: Path) -> int:
    from flask import g
    from superset import security_manager
    from superset.commands.importers.v1.assets import ImportAssetsCommand
    from superset.commands.importers.v1.utils import get_contents_from_bundle

    g.user = security_manager.find_user(username=ADMIN)
    with ZipFile(bundle_path) as bundle:
        contents = get_contents_from_bundle(bundle)
    ImportAssetsCommand(contents).run()
    return sum(name.startswith("charts/") for name in contents)


def main(bundle_path: Path) -> None:
    started = time.monotonic()
    from superset.app import create_app

    app = create_app()
    home = Path(os.environ["SUPERSET_HOME"])
    with app.test_request_context():
        if initialise(home):
            print(f"superset init (metadata database, roles, admin): {time.monotonic() - started:.1f} s", flush=True)
        started = time.monotonic()
        charts = import_bundle(bundle_path)
        print(f"dashboard import ({charts} charts): {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
