"""Every route, every role, against objects that are the viewer's own, someone else's, above
their clearance, or tied to an expired clearance. Built from `app.url_map`, so a route that
nobody classified fails the build.

Roles, in the order of each expectation string: anonymous, expert, lno, coordinator, admin,
lapsed (an LNO whose own clearance has expired). Codes: o = allowed (2xx/3xx, not sent to sign
in), i = gets past access control (any answer but 401/403/404, a sign-in redirect or a 5xx),
l = must sign in (pages: redirect to /login; API: 401), f = 403, h = 404, g = 410.
"""

from __future__ import annotations

import pytest

from tests.security.world import ROLES, build, page_csrf

EXPERT = {"own": "own_expert", "other": "other_expert", "pending": "pending_expert"}
REQUEST = {
    "own": "own_request",
    "foreign": "foreign_request",
    "secret": "secret_request",
    "lapsed": "lapsed_request",
    "accepted": "accepted_request",
}
OFFER = {"own": "own_offer", "other": "other_offer", "accepted": "accepted_offer"}

# (endpoint, method) -> {variant: expectations}. Variant names pick the objects in the URL.
MATRIX: dict[tuple[str, str], dict[str, str]] = {
    ("web.home", "GET"): {"-": "looooo"},
    ("web.health", "GET"): {"-": "oooooo"},
    ("language.switch", "POST"): {"-": "oooooo"},
    ("static", "GET"): {"-": "oooooo"},
    ("accounts.login", "GET"): {"-": "oooooo"},
    ("accounts.login", "POST"): {"-": "iiiiii"},
    ("accounts.logout", "POST"): {"-": "liiiii"},
    ("accounts.change_password", "GET"): {"-": "looooo"},
    ("accounts.change_password", "POST"): {"-": "liiiii"},
    ("accounts.accept_invitation", "GET"): {"-": "gggggg"},
    ("accounts.accept_invitation", "POST"): {"-": "gggggg"},
    ("accounts.users", "GET"): {"-": "lffoof"},
    ("accounts.set_active", "POST"): {"-": "lfffif"},
    ("accounts.reissue_invitation", "POST"): {"-": "lfffif"},
    ("reset.forgot", "GET"): {"-": "oooooo"},
    ("reset.forgot", "POST"): {"-": "iiiiii"},
    ("reset.choose", "GET"): {"-": "gggggg"},
    ("reset.choose", "POST"): {"-": "gggggg"},
    ("user_admin.edit", "GET"): {"-": "lfffof"},
    ("user_admin.edit", "POST"): {"-": "lfffif"},
    ("user_admin.send_reset", "POST"): {"-": "lfffif"},
    ("settings.index", "GET"): {"-": "looooo"},
    ("settings.save_preferences", "POST"): {"-": "liiiii"},
    ("settings.ask_email_change", "POST"): {"-": "liiiii"},
    ("settings.confirm_email", "GET"): {"-": "gggggg"},
    ("settings.confirm_email", "POST"): {"-": "gggggg"},
    ("settings.end_session", "POST"): {"-": "lhhhhh"},
    ("settings.end_all_sessions", "POST"): {"-": "liiiii"},
    ("settings.revoke_token", "POST"): {"-": "lhhhhh"},
    ("accounts.invite", "GET"): {"-": "lffoof"},
    ("accounts.invite", "POST"): {"-": "lffiif"},
    ("directory.commands", "GET"): {"-": "lfffof"},
    ("directory.new_command", "GET"): {"-": "lfffof"},
    ("directory.new_command", "POST"): {"-": "lfffif"},
    ("directory.edit_command", "GET"): {"-": "lfffof"},
    ("directory.edit_command", "POST"): {"-": "lfffif"},
    ("directory.delete_command", "POST"): {"-": "lfffif"},
    ("directory.directory", "GET"): {"-": "lfoooo"},
    ("directory.panel", "GET"): {"-": "lfoooo"},
    ("directory.new_term", "GET"): {"-": "lffoff"},
    ("directory.new_term", "POST"): {"-": "lffiff"},
    ("directory.edit_term", "GET"): {"-": "lffoff"},
    ("directory.edit_term", "POST"): {"-": "lffiff"},
    ("directory.end_term", "POST"): {"-": "lffiff"},
    ("directory.new_focal_point", "GET"): {"-": "lffoff"},
    ("directory.new_focal_point", "POST"): {"-": "lffiff"},
    ("directory.edit_focal_point", "GET"): {"-": "lffoff"},
    ("directory.edit_focal_point", "POST"): {"-": "lffiff"},
    ("directory.end_focal_point", "POST"): {"-": "lffiff"},
    ("notify.backlog", "GET"): {"-": "lfffof"},
    ("experts.my_profile", "GET"): {"-": "lohhhh"},
    ("experts.show", "GET"): {"own": "looooo", "other": "lhoooo", "pending": "lhhooh"},
    ("experts.edit", "GET"): {"own": "lofoff", "other": "lhfoff", "pending": "lhhofh"},
    ("experts.edit", "POST"): {"own": "lififf", "other": "lhfiff", "pending": "lhhifh"},
    ("experts.availability", "GET"): {"own": "lofoff", "other": "lhfoff"},
    ("experts.availability", "POST"): {"own": "lififf", "other": "lhfiff"},
    ("experts.remove_window", "POST"): {"own": "lififf", "other": "lhfiff"},
    ("experts.new", "GET"): {"-": "lffoof"},
    ("experts.new", "POST"): {"-": "lffiif"},
    ("review.queue", "GET"): {"-": "lffoff"},
    ("review.decide", "POST"): {"own": "lffiff", "other": "lhfiff", "pending": "lhhifh"},
    ("review.verify", "POST"): {"own": "lffiff", "other": "lhfiff", "pending": "lhhifh"},
    ("review.confirm_topic", "POST"): {"own": "lffiff", "other": "lhfiff"},
    ("review.set_active", "POST"): {"own": "lffiif", "other": "lhfiif", "pending": "lhhiih"},
    ("invitations.invite", "POST"): {"own": "lffiif", "other": "lhfiif", "pending": "lhhiih"},
    ("invitations.invite_from_queue", "POST"): {"-": "lffiif"},
    ("review.export", "GET"): {"own": "loffof", "other": "lhffof", "pending": "lhhfoh"},
    ("review.erase", "GET"): {"own": "loffof", "other": "lhffof"},
    ("review.erase", "POST"): {"own": "liffif", "other": "lhffif"},
    ("offers.index", "GET"): {"-": "loffff"},
    ("offer_pages.accept", "POST"): {"own": "liffff", "other": "lhffff"},
    ("offer_pages.show", "GET"): {"own": "loffff", "other": "lhffff", "accepted": "loffff"},
    ("offer_pages.calendar", "GET"): {"own": "lhffff", "other": "lhffff", "accepted": "loffff"},
    ("offer_pages.withdraw", "POST"): {"foreign": "lffiff", "secret": "lffhff"},
    ("offer_pages.again", "POST"): {"foreign": "lffiff", "secret": "lffhff"},
    ("offers.decline", "POST"): {"own": "liffff", "other": "lhffff"},
    ("offers.candidates", "GET"): {"own": "lffoff", "secret": "lffhff"},
    ("offers.candidates", "POST"): {"own": "lffiff"},
    ("requests.index", "GET"): {"-": "looooo"},
    ("requests.new", "GET"): {"-": "lfoofo"},
    ("requests.new", "POST"): {"-": "lfiifi"},
    ("requests.show", "GET"): {
        "own": "lhoohh",
        "foreign": "lohohh",
        "secret": "lhhhhh",
        "lapsed": "lhhohh",
    },
    ("requests.edit", "GET"): {"own": "lhoohh", "secret": "lhhhhh"},
    ("requests.edit", "POST"): {"own": "lhiihh"},
    ("requests.act", "POST"): {"own": "lhiihh", "foreign": "lfhihh", "secret": "lhhhhh"},
    ("requests.log", "POST"): {"own": "lhiihh", "foreign": "lfhihh"},
    ("requests.rate_request", "POST"): {"own": "lhiihh", "foreign": "lihihh"},
    ("requests.rate_expert", "POST"): {"own": "lhiihh", "foreign": "lihihh"},
    ("search.search", "GET"): {"-": "lfoooo"},
    ("api.openapi", "GET"): {"-": "oooooo"},
    ("api.list_topics", "GET"): {"-": "looooo"},
    ("api.list_clearance_levels", "GET"): {"-": "looooo"},
    ("api.create_token", "POST"): {"-": "iiiiii"},
    ("api.revoke_current_token", "DELETE"): {"-": "looooo"},
    ("api.me", "GET"): {"-": "looooo"},
    ("api.patch_me", "PATCH"): {"-": "liiiii"},
    ("notify.index", "GET"): {"-": "looooo"},
    ("notify.mark_read", "POST"): {"own": "lohhhh"},
    ("notify.mark_all_read", "POST"): {"-": "liiiii"},
    ("notify.mail_choice", "POST"): {"-": "liiiii"},
    ("api.list_notifications", "GET"): {"-": "looooo"},
    ("api.read_notification", "POST"): {"own": "lohhhh"},
    ("api.read_all_notifications", "POST"): {"-": "liiiii"},
    ("api.accept_invitation", "POST"): {"-": "iiiiii"},
    ("api.request_password_reset", "POST"): {"-": "iiiiii"},
    ("api.complete_password_reset", "POST"): {"-": "iiiiii"},
    ("api.create_user", "POST"): {"-": "lffiif"},
    ("api.patch_user", "PATCH"): {"-": "lfffif"},
    ("api.reissue_invitation", "POST"): {"-": "lfffif"},
    ("api.create_expert", "POST"): {"-": "lffiif"},
    ("api.search_experts", "GET"): {"-": "lfoooo"},
    ("api.get_expert", "GET"): {"own": "looooo", "other": "lhoooo", "pending": "lhhooh"},
    ("api.patch_expert", "PATCH"): {"own": "lififf", "other": "lhfiff", "pending": "lhhifh"},
    ("api.erase_expert", "DELETE"): {"own": "loffof", "other": "lhffof", "pending": "lhhfoh"},
    ("api.put_availability", "PUT"): {"own": "lififf", "other": "lhfiff", "pending": "lhhifh"},
    ("api.verify_clearance", "POST"): {"own": "lffiff", "other": "lhfiff", "pending": "lhhifh"},
    ("api.export_expert", "GET"): {"own": "loffof", "other": "lhffof", "pending": "lhhfoh"},
    ("api.decide_vetting", "POST"): {"own": "lffiff", "other": "lhfiff", "pending": "lhhifh"},
    ("api.invite_expert", "POST"): {"own": "lffiif", "other": "lhfiif", "pending": "lhhiih"},
    ("api.my_offers", "GET"): {"-": "loffff"},
    ("api.accept", "POST"): {"own": "liffff", "other": "lhffff"},
    ("api.decline", "POST"): {"own": "liffff", "other": "lhffff"},
    ("api.create_request", "POST"): {"-": "lfiifi"},
    ("api.list_requests", "GET"): {"-": "looooo"},
    ("api.get_request", "GET"): {
        "own": "lhoohh",
        "foreign": "lohohh",
        "secret": "lhhhhh",
        "lapsed": "lhhohh",
    },
    ("api.patch_request", "PATCH"): {"own": "lhiihh", "foreign": "lfhihh"},
    ("api.act", "POST"): {"own": "lhiihh", "foreign": "lfhihh", "secret": "lhhhhh"},
    ("api.list_candidates", "GET"): {"own": "lhfohh", "foreign": "lfhohh", "secret": "lhhhhh"},
    ("api.create_offers", "POST"): {"own": "lhfihh", "foreign": "lfhihh"},
    ("api.log_entry", "POST"): {"own": "lhiihh", "foreign": "lfhihh"},
    ("api.list_request_offers", "GET"): {
        "own": "lhfohh",
        "foreign": "lfhohh",
        "secret": "lhhhhh",
    },
    ("api.withdraw_offer", "POST"): {"own": "lffiff", "other": "lffiff"},
    ("api.request_team", "GET"): {
        "own": "lhoohh",
        "foreign": "lfhohh",
        "accepted": "lohohh",
        "secret": "lhhhhh",
    },
    ("api.read_log", "GET"): {"own": "lhoohh", "foreign": "lfhohh"},
    ("api.feedback", "POST"): {"own": "lhifhh", "foreign": "lfhfhh"},
    ("accounts.second_factor", "GET"): {"-": "oooooo"},
    ("accounts.second_factor", "POST"): {"-": "iiiiii"},
    ("accounts.enrol", "GET"): {"-": "oooooo"},
    ("accounts.enrol", "POST"): {"-": "iiiiii"},
    ("accounts.two_factor", "GET"): {"-": "looooo"},
    ("accounts.two_factor", "POST"): {"-": "liiiii"},
    ("accounts.new_recovery_codes", "POST"): {"-": "liiiii"},
    ("accounts.two_factor_off", "POST"): {"-": "liiiii"},
    ("api.start_totp", "POST"): {"-": "liiiii"},
    ("api.confirm_totp", "POST"): {"-": "liiiii"},
    ("ops.audit_trail", "GET"): {"-": "lfffof"},
    ("ops.verify_chain", "POST"): {"-": "lfffif"},
    ("app_settings.edit", "GET"): {"-": "lfffof"},
    ("app_settings.edit", "POST"): {"-": "lfffif"},
    ("api.get_settings", "GET"): {"-": "lfffof"},
    ("api.patch_settings", "PATCH"): {"-": "lfffif"},
    ("api.create_term", "POST"): {"-": "lffiff"},
    ("api.patch_term", "PATCH"): {"-": "lffiff"},
    ("api.end_term", "POST"): {"-": "lffiff"},
    ("api.create_focal_point", "POST"): {"-": "lffiff"},
    ("api.patch_focal_point", "PATCH"): {"-": "lffiff"},
    ("api.end_focal_point", "POST"): {"-": "lffiff"},
    ("api.command_focal_points", "GET"): {"-": "lfoooo"},
    ("api.list_audit_events", "GET"): {"-": "lfffof"},
    ("reports.dashboard_page", "GET"): {"-": "lffoof"},
    ("reports.report_page", "GET"): {"-": "lffoof"},
    ("reports.annual", "GET"): {"-": "lffoof"},
    ("reports.annual_pdf", "GET"): {"-": "lffoof"},
    ("reports.export_report", "GET"): {"-": "lffoof"},
    ("reports.export_search_results", "GET"): {"-": "lfoooo"},
    ("reports.static", "GET"): {"-": "hhhhhh"},
    ("imports.upload", "GET"): {"-": "lffoff"},
    ("imports.upload", "POST"): {"-": "lffiff"},
    ("imports.show", "GET"): {"-": "lffhff"},
    ("imports.problems_csv", "GET"): {"-": "lffhff"},
    ("imports.confirm", "POST"): {"-": "lffhff"},
    ("imports.discard", "POST"): {"-": "lffhff"},
    ("imports.invite", "POST"): {"-": "lffhff"},
    ("api.coverage_report", "GET"): {"-": "lffoof"},
    ("api.requests_report", "GET"): {"-": "lffoof"},
    ("api.participation_report", "GET"): {"-": "lffoof"},
    ("api.watchlist_report", "GET"): {"-": "lffoof"},
}


def url_args(rule, variant: str, ids: dict[str, int]) -> dict[str, object]:
    args: dict[str, object] = {}
    for name in rule.arguments:
        if name in ("expert_id",) or (name == "id" and "/experts/" in rule.rule):
            args[name] = ids[EXPERT.get(variant, "own_expert")]
        elif name == "request_id" or (name == "id" and "/requests/" in rule.rule):
            args[name] = ids[REQUEST.get(variant, "own_request")]
        elif name == "offer_id" or (name == "id" and "/offers/" in rule.rule):
            args[name] = ids[OFFER.get(variant, "own_offer")]
        elif name == "notification_id" or (name == "id" and "/notifications/" in rule.rule):
            args[name] = ids["expert_notification"]  # the expert's own, nobody else's
        elif name == "user_id":
            args[name] = ids["other_user"]
        elif name == "command_id":
            args[name] = ids["command"]
        elif name == "id" and "/csap-terms/" in rule.rule:
            args[name] = ids["membership"]
        elif name == "id" and "/focal-points/" in rule.rule:
            args[name] = ids["focal_point"]
        elif name == "id" and "/commands/" in rule.rule:
            args[name] = ids["command"]
        elif name == "membership_id":
            args[name] = ids["membership"]
        elif name == "focal_point_id":
            args[name] = ids["focal_point"]
        else:
            args[name] = {
                "token": "not-a-real-invitation",
                "action": "submit",
                "code": "crsv",
                "index": 0,
                "active": 0,
                "filename": "roster.css",
                "kind": "coverage",
                "fmt": "csv",
                "batch_id": 0,
                "session_id": 0,
                "token_id": 0,
            }[name]
    if rule.endpoint == "requests.rate_expert":
        args["expert_id"] = ids["own_expert"]
    return args


def routes(app) -> list[tuple[str, str, object]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return found


def classify(response, api: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"5xx({status})"
    if api and status == 401:
        return "l"
    if not api and status == 302 and "/login?next=" in response.headers.get("Location", ""):
        return "l"
    return {403: "f", 404: "h", 410: "g"}.get(status, "o" if status < 400 else "i")


def matches(expected: str, got: str) -> bool:
    if expected == "i":
        return got in ("o", "i")
    return expected == got


# Calls that change the world for the calls after them run each on a world of their own.
DESTRUCTIVE = {
    ("api.revoke_current_token", "DELETE"),
    ("offer_pages.accept", "POST"),
    ("offer_pages.withdraw", "POST"),
    ("api.withdraw_offer", "POST"),
    ("api.accept", "POST"),
    ("review.set_active", "POST"),
    ("accounts.set_active", "POST"),
    ("api.patch_user", "PATCH"),
    ("review.erase", "POST"),
    ("api.erase_expert", "DELETE"),
    ("accounts.logout", "POST"),
    ("settings.end_all_sessions", "POST"),
    ("user_admin.send_reset", "POST"),
}


@pytest.fixture
def new_world(auth, db_session, make_user, make_expert):
    return lambda: build(db_session, make_user, make_expert, auth)


def test_every_route_is_classified(app):
    missing = sorted({(e, m) for e, m, _ in routes(app)} - set(MATRIX))
    assert missing == [], f"routes nobody classified in the access matrix: {missing}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_access_matrix(app, new_world, role):
    index = ROLES.index(role)
    failures = []
    shared = new_world()
    for endpoint, method, rule in routes(app):
        for variant, expectations in MATRIX.get((endpoint, method), {}).items():
            world = new_world() if (endpoint, method) in DESTRUCTIVE else shared
            client, headers = world.client(app, role)
            with app.test_request_context():
                from flask import url_for

                path = url_for(endpoint, **url_args(rule, variant, world.ids))
            api = path.startswith("/api/")
            if api:
                kwargs = {"headers": headers}
                if method in ("POST", "PATCH", "PUT"):
                    kwargs["json"] = {}
            else:
                kwargs = {}
                if method == "POST":
                    kwargs["data"] = {"csrf_token": page_csrf(client, role != "anonymous")}
            response = client.open(path, method=method, **kwargs)
            got = classify(response, api)
            response.close()
            if not matches(expectations[index], got):
                failures.append(
                    f"{method} {path} [{variant}] as {role}: expected "
                    f"{expectations[index]}, got {got} ({response.status_code})"
                )
    assert failures == [], "\n".join(failures)
