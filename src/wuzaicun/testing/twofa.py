"""Two-factor login in tests: the world's administrators hold an authenticator with a known key, and the helpers
type its current code, as a person would read it off the phone.

- `enrol(user)`: a confirmed authenticator with `TOTP_KEY`;
- `code_for(user)`: the code the authenticator shows now (a code is accepted once: a second login in the same 30
  seconds gets the next step's code, within the one step of tolerance; past that, it waits for the next step);
- `log_in(client, username)`: the login page, then the code page when the user has an authenticator;
- `pass_second_factor(client, user)`: after `client.force_login`, the session as the code page leaves it (what
  `force_login` is to the password step; the `client_for` fixture uses it).
"""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wuzaicun.accounts import twofa

from .world import PASSWORD

TOTP_KEY = "3132333435363738393031323334353637383930"  # hex: RFC 6238's test key, for tests only


def enrol(user: Any, key: str = TOTP_KEY) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=twofa.DEVICE_NAME, key=key, confirmed=True)


def device_from_page(user: Any, page_text: str) -> TOTPDevice:
    """The authenticator being set up, as the phone holds it once the key shown on the enrolment page (the text
    under the QR code) was typed in: unsaved, the page writes nothing."""
    import base64
    import re

    found = re.search(r'id="twofa-secret">([A-Z2-7 ]+)<', page_text)
    assert found is not None, "no key on the enrolment page"
    text = found.group(1).replace(" ", "")
    key = base64.b32decode(text + "=" * (-len(text) % 8)).hex()
    return TOTPDevice(user=user, name=twofa.DEVICE_NAME, key=key, confirmed=False)


def code_at(device: TOTPDevice, step: int) -> str:
    return str(hotp(device.bin_key, step, device.digits)).zfill(device.digits)


def code_for(user: Any, *, device: TOTPDevice | None = None) -> str:
    """The current code of the user's authenticator (confirmed, or the one being set up when given)."""
    found = device or twofa.device_for(user)
    assert found is not None, f"{user} has no authenticator"
    if found.pk is not None:  # the one being set up is not saved until its first code confirms it
        found.refresh_from_db()
    while True:
        clock = TOTP(found.bin_key, found.step, found.t0, found.digits, found.drift)
        clock.time = time.time()
        now = clock.t()
        step = max(now, found.last_t + 1)
        if step <= now + found.tolerance:
            return code_at(found, step)
        time.sleep(found.step - (time.time() - found.t0) % found.step + 0.05)


def log_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    """Through the login page and, for a user with an authenticator, the code page; the last response."""
    from wuzaicun.accounts.models import User

    response = client.post("/accounts/login/", {"username": username, "password": password})
    user = User.objects_unscoped.filter(username=username).first()
    if response.status_code == 302 and user is not None and twofa.device_for(user) is not None:
        response = client.post("/accounts/2fa/verify/", {"code": code_for(user)})
    return response


def pass_second_factor(client: Client, user: Any) -> None:
    device = twofa.device_for(user)
    if device is None:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[twofa.SESSION_STATE] = twofa.VERIFIED
    session.save()


__all__ = ["TOTP_KEY", "code_at", "code_for", "device_from_page", "enrol", "log_in", "pass_second_factor"]
