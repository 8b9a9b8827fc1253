"""The ``Idempotency-Key`` header: a retried write is answered with its first reply.

Before the view runs, the key is reserved for the calling member (coop/accounts/
idempotency.py); a retry of a request that succeeded gets the kept reply, with
``Idempotent-Replayed: true``, and nothing runs again. The same key with another
request is refused (422); a retry arriving while the first copy still runs gets a 409
with Retry-After. A request that failed before saving wrote nothing, so its key is
released; one that failed after its save (or while the database went away mid-save:
SaveUncertain) keeps it reserved, so a retry is refused rather than run twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable

from flask import Response, g, request

from coop.accounts.idempotency import OutcomeUnknown, Reply, StillRunning
from coop.application import saves_made
from domain.errors import CoopError
from web.api.auth import caller_id
from web.api.problem import invalid, problem
from web.auth import network

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255
_KEY = re.compile(r"^[\x21-\x7e]+$")  # visible ASCII: what a header carries intact

log = logging.getLogger(__name__)


def reserve() -> Response | None:
    """Reserve the request's key; answer at once when a reply is kept (or refused)."""
    key = request.headers.get(HEADER)
    if request.method not in WRITES or key is None:
        return None
    if not (0 < len(key) <= MAX_KEY_LENGTH and _KEY.match(key)):
        return invalid({HEADER: [f"the key must be 1 to {MAX_KEY_LENGTH} visible ASCII "
                                 "characters, e.g. a UUID"]})
    member = str(caller_id())
    try:
        reply = network().idempotency.reserve(member, key, fingerprint())
    except StillRunning as error:
        return problem(409, str(error), kind="idempotency-in-progress",
                       headers={"Retry-After": "1"})
    except OutcomeUnknown as error:
        return problem(409, str(error), kind="idempotency-outcome-unknown")
    if reply is not None:
        return replayed(reply)
    g.idempotency = (member, key)
    g.idempotency_saves = saves_made.get()
    return None


def conceal(fields: Iterable[str]) -> None:
    """Keep these fields of the reply out of the store: a replay shows them as null.

    For secrets shown once (an invitation link): the account store keeps no secret
    in the clear.
    """
    g.idempotency_conceal = tuple(fields)


def remember(response: Response) -> Response:
    """Keep the reply of a request that succeeded; release the key of one that failed."""
    held = g.pop("idempotency", None)
    if held is None:
        return response
    try:
        if 200 <= response.status_code < 300 and not response.is_streamed:
            network().idempotency.keep(*held, Reply(
                response.status_code, _kept_body(response), response.content_type,
                response.headers.get("Location")))
        elif saves_made.get() != g.pop("idempotency_saves", 0):
            # A change was recorded (or may have been) before the request failed, e.g.
            # reading it back when the database went away: the key stays reserved, so a
            # retry is told so (409) rather than run a second time.
            log.warning("kept an Idempotency-Key reserved: the failed request saved")
        else:
            network().idempotency.release(*held)
    except CoopError:
        # The command's own reply still goes out; a retry of this key is answered
        # 409 until the reservation is stale, then "outcome unknown" (STALE_SECONDS).
        log.exception("could not keep the reply for an Idempotency-Key")
    return response


def release_unanswered(error: BaseException | None) -> None:
    """Release the key of a request that ended without a reply (teardown)."""
    held = g.pop("idempotency", None)
    if held is not None and saves_made.get() == g.pop("idempotency_saves", 0):
        try:
            network().idempotency.release(*held)
        except CoopError:
            log.exception("could not release an Idempotency-Key")


def replayed(reply: Reply) -> Response:
    response = Response(reply.body, status=reply.status, content_type=reply.content_type)
    if reply.location:
        response.headers["Location"] = reply.location
    response.headers[REPLAYED] = "true"
    return response


def fingerprint() -> str:
    """Return what makes two requests "the same": method, path, query and body (JSON
    compared by value, so a retry need not repeat the first one's spacing)."""
    body = request.get_data(cache=True)
    try:
        text = json.dumps(json.loads(body, parse_float=str, parse_int=str, parse_constant=str),
                          sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        text = body
    query = "&".join(sorted(f"{k}={v}" for k, v in request.args.items(multi=True)))
    digest = hashlib.sha256(f"{request.method} {request.path}?{query}\n".encode())
    digest.update(text)
    return digest.hexdigest()


def _kept_body(response: Response) -> str:
    body = response.get_data(as_text=True)
    hidden = g.pop("idempotency_conceal", ())
    if not hidden:
        return body
    data = json.loads(body)
    for field in hidden:
        if field in data:
            data[field] = None
    return json.dumps(data)
