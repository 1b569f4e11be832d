"""Imports every table module so the metadata is complete (for Alembic and test schemas)."""

from __future__ import annotations

import sqlalchemy as sa

from roster import audit  # noqa: F401 - imported so its tables join the metadata
from roster.accounts import models as accounts_models  # noqa: F401 - imported so its tables join the metadata
from roster.db import metadata as _metadata
from roster.experts import models as experts_models  # noqa: F401 - imported so its tables join the metadata
from roster.imports import models as imports_models  # noqa: F401 - imported so its tables join the metadata
from roster.notify import models as notify_models  # noqa: F401 - imported so its tables join the metadata
from roster.reference import models as reference_models  # noqa: F401 - imported so its tables join the metadata
from roster.requests import models as requests_models  # noqa: F401 - imported so its tables join the metadata
from roster.requests import roster_version  # noqa: F401 - imported so every session moves the version on
from roster.search import models as search_models  # noqa: F401 - imported so its tables join the metadata
from roster.settings import models as settings_models  # noqa: F401 - imported so its tables join the metadata


def metadata() -> sa.MetaData:
    return _metadata()
