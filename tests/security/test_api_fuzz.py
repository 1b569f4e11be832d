"""Fuzzing the API in-process from its own OpenAPI description (schemathesis): no 5xx, and
every answer matches what the description promises, for a token of each role."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.world import build

CASES = int(os.environ.get("ROSTER_FUZZ_CASES", "2000"))
ROLES = ("expert", "lno", "coordinator", "admin")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_fuzz_the_api_for_every_role(auth, app, db_session, make_user, make_expert):
    world = build(db_session, make_user, make_expert, auth)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Revoking the token would end the run's own authentication; it is tested elsewhere.
    operations = [op for op in operations if op.path != "/tokens/current"]
    # Operations without parameters give fewer distinct cases; ask each for more than its share.
    per_operation = max(2, 2 * -(-CASES // (len(operations) * len(ROLES))))
    failures: list[str] = []
    count = 0

    def runner(operation, role: str):
        headers = world.headers[role]

        @settings(
            max_examples=per_operation,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            nonlocal count
            count += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(
                    f"{role} {case.method} {case.formatted_path}: "
                    f"{type(exc).__name__}: {str(exc)[:300]}"
                )

        return run

    for role in ROLES:
        for operation in operations:
            runner(operation, role)()
    assert count >= CASES, f"only {count} cases ran"
    assert failures == [], "\n".join(sorted(set(failures))[:40])
