"""The second factor: TOTP enrolment with a QR code, codes accepted once, hashed recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from roster import audit
from roster.accounts.models import RecoveryCode, User, new_nonce
from roster.db import affected_rows, utcnow
from roster.errors import Conflict, ValidationFailed

ISSUER = "Roster"
STEP_SECONDS = 30  # RFC 6238 default; authenticator apps assume it
DRIFT_STEPS = 1  # accept the step before and after, for clock drift between phone and server
RECOVERY_CODES = 10
RECOVERY_GROUPS = 4  # 4 groups of 6 base32 characters: 120 bits each
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass
class Enrolment:
    """What a user needs to add the account to an authenticator app."""

    secret: str
    otpauth_uri: str


def time_step(at: datetime | None = None) -> int:
    return int((at or utcnow()).timestamp()) // STEP_SECONDS


def code_at_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).at(step * STEP_SECONDS)


def otpauth_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_svg(uri: str, label: str) -> Markup:
    """The URI as an inline SVG QR code (no image library, no inline script or style)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    accessible = f'<svg role="img" aria-label="{escape(label)}" class="qr" '
    return Markup(svg.replace("<svg ", accessible, 1))  # noqa: S704 - built from escaped parts  # nosec B704


def start_enrolment(*, session: Session, user: User) -> Enrolment:
    """A new, not yet confirmed secret for `user` (replacing an unconfirmed one)."""
    if user.two_factor_enabled:
        raise Conflict(_("Two-factor authentication is already on for this account."))
    user.totp_secret = pyotp.random_base32(length=32)  # 160 bits from the system CSPRNG
    user.totp_last_step = None
    session.flush()
    return Enrolment(user.totp_secret, otpauth_uri(user.totp_secret, user.email))


def pending_enrolment(*, session: Session, user: User) -> Enrolment:
    """The unconfirmed secret being set up, created on first use (so a reload shows the same)."""
    if user.totp_secret is None or user.two_factor_enabled:
        return start_enrolment(session=session, user=user)
    return Enrolment(user.totp_secret, otpauth_uri(user.totp_secret, user.email))


def confirm_enrolment(*, session: Session, user: User, code: str) -> list[str]:
    """Turn two-factor on once the user proves the app works; returns fresh recovery codes."""
    if user.two_factor_enabled:
        raise Conflict(_("Two-factor authentication is already on for this account."))
    if user.totp_secret is None:
        raise Conflict(_("Start the enrolment first."))
    if not accept_totp(session=session, user=user, code=code):
        raise ValidationFailed(WRONG_CODE, {"otp": [WRONG_CODE]})
    user.totp_enabled_at = utcnow()
    user.session_nonce = new_nonce()  # a changed factor ends the user's other sessions
    codes = replace_recovery_codes(session=session, user=user)
    audit.record(session, actor=f"user:{user.id}", action="totp.enable", subject=f"user:{user.id}")
    session.flush()
    return codes


WRONG_CODE = _("The code is wrong or was already used.")


def matching_step(user: User, code: str, at: datetime | None = None) -> int | None:
    """The step near now, later than the last one accepted, whose TOTP `code` is; or None."""
    code = (code or "").strip().replace(" ", "")
    if user.totp_secret is None or not re.fullmatch(r"\d{6}", code):
        return None
    now = time_step(at)
    last = user.totp_last_step if user.totp_last_step is not None else -1
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > last and hmac.compare_digest(code_at_step(user.totp_secret, step), code):
            return step
    return None


def _claim_step(session: Session, user: User, step: int) -> bool:
    """Make `step` the last accepted one, unless a request in parallel got there first.

    A compare-and-set in the database, not on the loaded row: of several requests with the
    same code at once exactly one updates (PostgreSQL re-checks the condition after waiting
    for the row lock; SQLite runs one writer at a time)."""
    result = session.execute(
        sa.update(User)
        .where(
            col(User.id) == user.id,
            sa.or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(result) != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def accept_totp(*, session: Session, user: User, code: str, at: datetime | None = None) -> bool:
    """Whether `code` is the user's TOTP for a step near now that is later than the last one
    accepted; if so, that step becomes the last accepted, so the same code never works twice."""
    step = matching_step(user, code, at)
    return step is not None and _claim_step(session, user, step)


def _normalize_recovery(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def recovery_digest(code: str) -> str:
    # 120 random bits: SHA-256 suffices (ASVS 6.5.2); a slow hash would add nothing.
    return hashlib.sha256(_normalize_recovery(code).encode()).hexdigest()


def new_recovery_code() -> str:
    groups = ("".join(secrets.choice(_BASE32) for _i in range(6)) for _j in range(RECOVERY_GROUPS))
    return "-".join(groups)


def replace_recovery_codes(*, session: Session, user: User) -> list[str]:
    """Fresh recovery codes for `user`; the old ones stop working. Only hashes are stored."""
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(old)
    codes = [new_recovery_code() for _i in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=recovery_digest(code)))
    session.flush()
    return codes


def use_recovery_code(*, session: Session, user: User, code: str) -> bool:
    """Spend one of the user's recovery codes; False when it is unknown or already used."""
    if len(_normalize_recovery(code)) != 6 * RECOVERY_GROUPS:
        return False
    # Compare-and-set: of several requests spending the same code at once, one wins.
    spent = session.execute(
        sa.update(RecoveryCode)
        .where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.code_hash) == recovery_digest(code),
            col(RecoveryCode.used_at).is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if affected_rows(spent) == 0:
        return False
    audit.record(
        session, actor=f"user:{user.id}", action="totp.recovery_code", subject=f"user:{user.id}"
    )
    session.flush()
    return True


def verify_second_factor(*, session: Session, user: User, code: str) -> bool:
    """A TOTP code or, failing that, an unused recovery code; either is accepted only once."""
    if not user.two_factor_enabled:
        return False
    if accept_totp(session=session, user=user, code=code):
        return True
    return use_recovery_code(session=session, user=user, code=code)


def disable(*, session: Session, user: User) -> None:
    """Turn two-factor off (for roles where it is optional) and forget secret and codes."""
    if user.two_factor_required:
        raise Conflict(_("Two-factor authentication is required for your role."))
    if not user.two_factor_enabled:
        raise Conflict(_("Two-factor authentication is not on."))
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.session_nonce = new_nonce()
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(old)
    audit.record(session, actor=f"user:{user.id}", action="totp.disable", subject=f"user:{user.id}")
    session.flush()
