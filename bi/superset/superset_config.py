"""Superset's configuration for the budget warehouse: local, offline, on the published copy only.

Read by Superset through SUPERSET_CONFIG_PATH (bi/superset/superset.sh sets it). Everything Superset
keeps lives in SUPERSET_HOME (default warehouse/superset/, never committed): the SQLite metadata
database, the generated SECRET_KEY, the admin password, the PID and the log.
"""

import os
from pathlib import Path

SUPERSET_HOME = Path(os.environ["SUPERSET_HOME"])

SECRET_KEY = (SUPERSET_HOME / "secret_key").read_text().strip()  # written once by superset.sh
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"

# Offline: no map tiles, no telemetry pixel, no fonts or scripts from elsewhere.
MAPBOX_API_KEY = ""
SCARF_ANALYTICS = False
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
CONTENT_SECURITY_POLICY_WARNING = False
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {  # the browser may fetch from this server only
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}

# One local analyst: no rate limit on logins made by the tests, no example data.
RATELIMIT_ENABLED = False
AUTH_RATE_LIMITED = False
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS = {"DASHBOARD_RBAC": False, "ALERT_REPORTS": False, "THUMBNAILS": False}

# The published copy is replaced per build; every query opens it afresh (the database's engine_params
# also ask for NullPool) and no result outlives its build in a cache.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
