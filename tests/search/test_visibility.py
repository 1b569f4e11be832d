"""Who finds whom: LNOs never see nor count a hidden expert; coordinators see all and filter."""

from __future__ import annotations

from datetime import timedelta

from roster.accounts.models import User
from tests.search.conftest import names, search
from tests.support.factories import TODAY


def _hidden_roster(make_expert, db_session, make_user):
    make_expert("Listed", topics={"crsv": 3}, regions=["UA"], bio="mediation")
    make_expert("Pending", vetting_status="pending", topics={"crsv": 3}, bio="mediation")
    make_expert("Suspended", vetting_status="suspended", topics={"crsv": 3}, bio="mediation")
    make_expert("Rejected", vetting_status="rejected", topics={"crsv": 3}, bio="mediation")
    make_expert(
        "Lapsed", vetting_valid_until=TODAY - timedelta(days=1), topics={"crsv": 3}, bio="mediation"
    )
    make_expert("Deactivated", active=False, topics={"crsv": 3}, bio="mediation")
    make_expert("Erased", pseudonym="erased-1", active=False, topics={"crsv": 3}, bio="mediation")
    locked: User = make_user("expert", active=False)
    make_expert("Locked account", user_id=locked.id, topics={"crsv": 3}, bio="mediation")


def test_lno_never_sees_or_counts_hidden_experts(
    auth, client, make_expert, db_session, make_user, lno
):
    _hidden_roster(make_expert, db_session, make_user)
    for query in ("", "q=mediation", "topic=crsv:3", "sort=last_engaged"):
        body = search(client, auth.bearer(lno), query)
        assert names(body) == ["Listed"], query
        assert body["total"] == 1
        assert body["facets"]["topic"] == {"crsv": 1}
        assert all(n == 1 for counts in body["facets"].values() for n in counts.values())
    item = search(client, auth.bearer(lno))["items"][0]
    assert "email" not in item and "vetting" not in item and "version" not in item


def test_coordinator_sees_everyone_but_the_erased_and_filters_by_vetting(
    auth, client, make_expert, db_session, make_user, coordinator
):
    _hidden_roster(make_expert, db_session, make_user)
    everyone = search(client, auth.bearer(coordinator), "sort=name&per_page=100")
    assert "Erased" not in names(everyone)
    assert everyone["total"] == 7
    expired = search(client, auth.bearer(coordinator), "vetting=expired")
    assert names(expired) == ["Lapsed"]
    vetted = search(client, auth.bearer(coordinator), "vetting=vetted&sort=name")
    assert names(vetted) == ["Deactivated", "Listed", "Locked account"]
    assert "vetting" in vetted["items"][0]
