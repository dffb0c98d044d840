"""Import a bundle written by bundle.py into Superset's metadata database, as the admin user.

    python bi/superset/import_bundle.py <bundle.zip> <admin username>

Superset's assets import (the command behind `/api/v1/assets/import/`) overwrites the database,
datasets, charts and dashboard it finds by UUID, so importing again after a change of the spec or
of BUDGET_PUBLISH_DIR updates them in place. Runs in Superset's environment with its configuration.
"""

import sys
from zipfile import ZipFile


def main(bundle_path: str, username: str) -> None:
    from superset.app import create_app

    app = create_app()
    with app.test_request_context():
        from flask import g

        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle

        g.user = security_manager.find_user(username=username)
        if g.user is None:
            sys.exit(f"no Superset user {username!r}: run `make superset`, which creates it")
        with ZipFile(bundle_path) as bundle:
            contents = get_contents_from_bundle(bundle)
        ImportAssetsCommand(contents).run()
        print(f"imported {sum(name.startswith(('charts/', 'datasets/')) for name in contents)} charts and "
              f"datasets and {sum(name.startswith('dashboards/') for name in contents)} dashboard")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
