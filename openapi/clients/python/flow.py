"""A user's first steps against a live server, through the generated Python client.

Registers, logs in (the session cookie stays in the client's cookie jar; state-changing calls
send the CSRF token), creates an API key, then with the key: sets and clears the default region,
submits a magnet job, lists it, reads it and reads the account. Every response is parsed into
the generated models; an unexpected status, a field that does not parse, or a null where the
spec promises none raises, so the process exits non-zero.

Usage: PYTHONPATH=openapi/clients/python/tseeder-api-client python flow.py http://127.0.0.1:PORT
"""

import json
import secrets
import sys
import time
from typing import Any, TypeVar

from tseeder_api_client import AuthenticatedClient, Client
from tseeder_api_client.api.auth import create_api_key, login, me, register, update_me
from tseeder_api_client.api.health import health
from tseeder_api_client.api.jobs import create_job, get_job, list_jobs
from tseeder_api_client.models import (
    CreateApiKeyRequest,
    CreatedApiKeyView,
    CreateJobRequest,
    ErrorBody,
    HealthView,
    Job,
    JobSortBy,
    JobStatus,
    LoginRequest,
    LoginResponse,
    MeResponse,
    PageJob,
    RegisterRequest,
    Role,
    Scope,
    UpdateMeRequest,
    UserEnvelope,
)
from tseeder_api_client.types import UNSET, Response

T = TypeVar("T")


def check(cond: object, what: str) -> None:
    if not cond:
        raise AssertionError(f"check failed: {what}")


def no_nulls(value: Any, where: str) -> None:
    """Absent fields are left out of responses, never sent as null."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            no_nulls(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            check(item is not None, f"{where}.{key} is null; absent fields must be left out")
            no_nulls(item, f"{where}.{key}")


def expect(response: Response[Any], status: int, model: type[T], what: str) -> T:
    """The parsed body of a response that must have `status`, checked against the raw JSON."""
    body = response.parsed
    if response.status_code != status or not isinstance(body, model):
        raise AssertionError(f"{what}: {response.status_code} {response.content!r}")
    if response.content:
        no_nulls(json.loads(response.content), what)
    return body


def main(base: str) -> None:
    email = f"py-flow-{int(time.time() * 1000)}@example.com"
    password = "flow password 2"
    anon = Client(base_url=base, raise_on_unexpected_status=True)

    ok = expect(health.sync_detailed(client=anon), 200, HealthView, "health")
    check(ok.status == "ok", "health says ok")

    user = expect(
        register.sync_detailed(client=anon, body=RegisterRequest(email=email, password=password)),
        201,
        UserEnvelope,
        "register",
    ).user
    check(user.email == email and user.role == Role.USER, f"registered {user}")
    check(user.default_region is UNSET, "a new user has no default region")

    logged_in = expect(
        login.sync_detailed(client=anon, body=LoginRequest(email=email, password=password)),
        200,
        LoginResponse,
        "login",
    )
    csrf = logged_in.csrf_token
    jar = anon.get_httpx_client().cookies
    check(jar.get("session"), "login stored the session cookie")

    # The cookie session: the same HTTP client (and cookie jar), no bearer token.
    session = AuthenticatedClient(base_url=base, token="", raise_on_unexpected_status=True)
    session.set_httpx_client(anon.get_httpx_client())
    by_cookie = expect(me.sync_detailed(client=session), 200, MeResponse, "me (cookie)")
    check(by_cookie.csrf_token == csrf, "a cookie session reads its CSRF token back")

    key_request = CreateApiKeyRequest(
        name="python flow", scopes=[Scope.JOBSREAD, Scope.JOBSWRITE, Scope.ACCOUNTREAD], expires_in_days=30
    )
    refused = create_api_key.sync_detailed(client=session, body=key_request)
    check(
        refused.status_code == 403 and isinstance(refused.parsed, ErrorBody),
        f"no CSRF token: {refused.status_code}",
    )
    check(isinstance(refused.parsed, ErrorBody) and refused.parsed.error.code == "csrf_failed", "csrf_failed")
    created = expect(
        create_api_key.sync_detailed(client=session, body=key_request, x_csrf_token=csrf),
        201,
        CreatedApiKeyView,
        "create key",
    )
    check(created.secret.startswith("tsk_"), "the secret is a tsk_ key")
    check(created.key.last_used_at is UNSET, "an unused key has no lastUsedAt")
    check(created.key.expires_at is not UNSET, "the key expires")

    keyed = AuthenticatedClient(base_url=base, token=created.secret, raise_on_unexpected_status=True)
    region = expect(
        update_me.sync_detailed(client=keyed, body=UpdateMeRequest(default_region="us-east")),
        200,
        MeResponse,
        "set region",
    )
    check(region.user.default_region == "us-east", "the region is set")
    cleared = expect(
        update_me.sync_detailed(client=keyed, body=UpdateMeRequest(default_region=None)),
        200,
        MeResponse,
        "clear region",
    )
    check(cleared.user.default_region is UNSET, "a cleared region is absent")

    mine = expect(me.sync_detailed(client=keyed), 200, MeResponse, "me (key)")
    check(mine.user.email == email, "me is the new user")
    check(mine.csrf_token is UNSET, "bearer callers get no CSRF token")

    infohash = secrets.token_hex(20)
    job = expect(
        create_job.sync_detailed(
            client=keyed,
            body=CreateJobRequest(magnet_uri=f"magnet:?dn=flow&xt=urn:btih:{infohash}", name="python flow"),
            idempotency_key=f"py-{infohash}",
        ),
        201,
        Job,
        "submit",
    )
    check(job.infohash == infohash and job.name == "python flow", f"submitted {job}")
    check(isinstance(job.status, JobStatus), "the status is a JobStatus")
    again = expect(
        create_job.sync_detailed(
            client=keyed,
            body=CreateJobRequest(magnet_uri=f"magnet:?xt=urn:btih:{infohash}"),
            idempotency_key=f"py-{infohash}",
        ),
        200,
        Job,
        "resubmit",
    )
    check(again.id == job.id, "a retry returns the same job")

    page = expect(
        list_jobs.sync_detailed(client=keyed, limit=10, sort_by=JobSortBy.CREATED_AT), 200, PageJob, "list"
    )
    check(any(j.id == job.id for j in page.data), "the list holds the job")
    check(page.meta.total >= 1, "the list counts it")

    got = expect(get_job.sync_detailed(client=keyed, id=job.id), 200, Job, "get")
    check(got.id == job.id and got.created_at == job.created_at, "get returns the job")

    missing = get_job.sync_detailed(client=keyed, id=job.id.__class__(int=0))
    check(missing.status_code == 404 and isinstance(missing.parsed, ErrorBody), "unknown job: 404")

    print(f"python flow: ok (user {email}, job {job.id}, status {got.status.value})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: flow.py <base url>")
    main(sys.argv[1])
