"""The schema comes only from Alembic, and the migrations produce exactly the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from roster.cli import alembic_config
from roster.db import make_engine
from roster.models_registry import metadata
from roster.search.models import include_object
from tests.conftest import ENGINES, new_database


@pytest.mark.parametrize("engine_name", ENGINES)
def test_migrations_match_the_models(engine_name, pg_server, tmp_path_factory):
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    try:
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            )
            diff = compare_metadata(context, metadata())
        engine.dispose()
        assert diff == []
    finally:
        drop()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_downgrade_to_base_and_up_again(engine_name, pg_server, tmp_path_factory):
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    try:
        config = alembic_config(url)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        engine = make_engine(url)
        tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        engine.dispose()
        assert tables == set()
        command.upgrade(config, "head")
    finally:
        drop()
