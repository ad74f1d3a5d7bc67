"""The pre-call check: camera, microphone and connection, tested in the browser.

The page does its work in ``scheduling/precall.js``; the server only renders it and answers
the probe the connection test times.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from meridian.accounts.http import AuthedRequest

PROBE_MAX_BYTES = 1_048_576
DOWNLOAD_BYTES = 262_144
WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII digits only: int() would also take "١٢٣"

# Every sentence the script may show, translated here and handed over with json_script.
TEXT = {
    "starting": _("Checking…"),
    "camera_ok": _("Camera works: you should see yourself below."),
    "camera_blocked": _(
        "Your browser blocked the camera. Click the camera icon in the address bar "
        "and choose Allow, then press Check again."
    ),
    "camera_missing": _("No camera was found. Plug one in, or join by phone."),
    "camera_busy": _("Another app is using your camera. Close it (Zoom, Teams…) and press Check again."),
    "camera_dark": _(
        "The camera started but sends no picture. Close other apps that use it, "
        "then press Check again, or join by phone."
    ),
    "camera_insecure": _("This page needs a secure connection (https) to use the camera."),
    "camera_failed": _(
        "The camera did not start ({error}). Press Check again; if it still fails, join by phone."
    ),
    "mic_ok": _("Microphone works: the bar moves when you speak."),
    "mic_listening": _("Listening… say something."),
    "mic_silent": _("We hear nothing: check the microphone is not muted, then speak or press Check again."),
    "mic_paused": _("Your browser paused the sound test. Press Check again to listen to the microphone."),
    "mic_blocked": _(
        "Your browser blocked the microphone. Click the microphone icon in the address bar "
        "and choose Allow, then press Check again."
    ),
    "mic_missing": _("No microphone was found. Plug in a headset, or join by phone."),
    "mic_busy": _("Another app is using your microphone. Close it (Zoom, Teams…) and press Check again."),
    "mic_insecure": _("This page needs a secure connection (https) to use the microphone."),
    "mic_failed": _(
        "The microphone did not start ({error}). Press Check again; if it still fails, join by phone."
    ),
    "net_good": _("Good for video."),
    "net_fair": _("Fine for audio; video may stutter. If it does, switch to the phone."),
    "net_poor": _("Too slow for a call: use the phone or messages."),
    "net_offline": _("You are offline. Connect to the internet, then press Check again."),
    "net_unreachable": _(
        "We could not reach Meridian. Check your internet connection and press Check again."
    ),
    "net_signed_out": _("You were signed out. Sign in again, then come back to this page."),
    "ms": _("{value} ms"),
    "mbps": _("{value} Mbit/s"),
}


@login_required
@require_GET
def precall_check(request: AuthedRequest) -> HttpResponse:
    return render(request, "scheduling/precall.html", {"text": TEXT, "download_bytes": DOWNLOAD_BYTES})


@login_required
@require_GET
def precall_probe(request: AuthedRequest) -> HttpResponse:
    size = probe_size(request.GET.get("size", ""))
    if size is None:
        return HttpResponseBadRequest(
            f"size must be a whole number of bytes from 1 to {PROBE_MAX_BYTES}.", content_type="text/plain"
        )
    # Random bytes, so no proxy or compression layer can shrink them and flatter the speed.
    response = HttpResponse(secrets.token_bytes(size), content_type="application/octet-stream")
    response["Cache-Control"] = "no-store"
    return response


def probe_size(raw: str) -> int | None:
    """Bytes asked for, clamped to 1..PROBE_MAX_BYTES (1 when blank); None unless a whole number."""
    raw = raw.strip()
    if not raw:
        return 1
    if not WHOLE_NUMBER.fullmatch(raw):
        return None
    if raw.startswith("-"):
        return 1
    digits = raw.lstrip("0")
    if len(digits) > len(str(PROBE_MAX_BYTES)):  # never int() a 4,000-digit string
        return PROBE_MAX_BYTES
    return min(max(int(digits or "0"), 1), PROBE_MAX_BYTES)
