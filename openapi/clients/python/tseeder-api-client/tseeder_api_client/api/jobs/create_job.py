from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_job_files_body import CreateJobFilesBody
from ...models.create_job_request import CreateJobRequest
from ...models.error_body import ErrorBody
from ...models.job import Job
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body:    CreateJobRequest  |     CreateJobFilesBody  | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/jobs",
    }

    if isinstance(body, CreateJobRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json; charset=utf-8"
    if isinstance(body, CreateJobFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Job | None:
    if response.status_code == 200:
        response_200 = Job.from_dict(response.json())



        return response_200

    if response.status_code == 201:
        response_201 = Job.from_dict(response.json())



        return response_201

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorBody.from_dict(response.json())



        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorBody.from_dict(response.json())



        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | Job]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    CreateJobRequest  |     CreateJobFilesBody  | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Job]:
    """ Submit a job

     Queues a download from a magnet link (JSON) or a `.torrent` file (multipart), optionally
    of some of its files only (`files`: indexes in the torrent's order; 400
    `invalid_selection` for a bad list, or an index a `.torrent` does not have). Submitting
    again with the same `Idempotency-Key`, or while a live job for the same torrent exists,
    returns that job with status 200 and `X-Deduplicated: true`. `regionHint` (JSON or
    multipart field) prefers agents of that region, falling back to others when it is full
    (400 `invalid_region` for a bad code). The job belongs to the organization the request
    acts in (`X-Org-Slug`, the API key's, or the personal one) and counts against its plan:
    429 `quota_jobs` or `quota_storage`, 413 `quota_file_size`, and 429 `quota_bandwidth`
    (with `Retry-After`) once the month's bandwidth is used up or the torrent's size would go
    past it. Rate-limited per user.

    Args:
        idempotency_key (str | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (CreateJobRequest): Submit a magnet link.
        body (CreateJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Job]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body:    CreateJobRequest  |     CreateJobFilesBody  | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Job | None:
    """ Submit a job

     Queues a download from a magnet link (JSON) or a `.torrent` file (multipart), optionally
    of some of its files only (`files`: indexes in the torrent's order; 400
    `invalid_selection` for a bad list, or an index a `.torrent` does not have). Submitting
    again with the same `Idempotency-Key`, or while a live job for the same torrent exists,
    returns that job with status 200 and `X-Deduplicated: true`. `regionHint` (JSON or
    multipart field) prefers agents of that region, falling back to others when it is full
    (400 `invalid_region` for a bad code). The job belongs to the organization the request
    acts in (`X-Org-Slug`, the API key's, or the personal one) and counts against its plan:
    429 `quota_jobs` or `quota_storage`, 413 `quota_file_size`, and 429 `quota_bandwidth`
    (with `Retry-After`) once the month's bandwidth is used up or the torrent's size would go
    past it. Rate-limited per user.

    Args:
        idempotency_key (str | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (CreateJobRequest): Submit a magnet link.
        body (CreateJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Job
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    CreateJobRequest  |     CreateJobFilesBody  | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Job]:
    """ Submit a job

     Queues a download from a magnet link (JSON) or a `.torrent` file (multipart), optionally
    of some of its files only (`files`: indexes in the torrent's order; 400
    `invalid_selection` for a bad list, or an index a `.torrent` does not have). Submitting
    again with the same `Idempotency-Key`, or while a live job for the same torrent exists,
    returns that job with status 200 and `X-Deduplicated: true`. `regionHint` (JSON or
    multipart field) prefers agents of that region, falling back to others when it is full
    (400 `invalid_region` for a bad code). The job belongs to the organization the request
    acts in (`X-Org-Slug`, the API key's, or the personal one) and counts against its plan:
    429 `quota_jobs` or `quota_storage`, 413 `quota_file_size`, and 429 `quota_bandwidth`
    (with `Retry-After`) once the month's bandwidth is used up or the torrent's size would go
    past it. Rate-limited per user.

    Args:
        idempotency_key (str | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (CreateJobRequest): Submit a magnet link.
        body (CreateJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Job]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body:    CreateJobRequest  |     CreateJobFilesBody  | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Job | None:
    """ Submit a job

     Queues a download from a magnet link (JSON) or a `.torrent` file (multipart), optionally
    of some of its files only (`files`: indexes in the torrent's order; 400
    `invalid_selection` for a bad list, or an index a `.torrent` does not have). Submitting
    again with the same `Idempotency-Key`, or while a live job for the same torrent exists,
    returns that job with status 200 and `X-Deduplicated: true`. `regionHint` (JSON or
    multipart field) prefers agents of that region, falling back to others when it is full
    (400 `invalid_region` for a bad code). The job belongs to the organization the request
    acts in (`X-Org-Slug`, the API key's, or the personal one) and counts against its plan:
    429 `quota_jobs` or `quota_storage`, 413 `quota_file_size`, and 429 `quota_bandwidth`
    (with `Retry-After`) once the month's bandwidth is used up or the torrent's size would go
    past it. Rate-limited per user.

    Args:
        idempotency_key (str | Unset):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (CreateJobRequest): Submit a magnet link.
        body (CreateJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Job
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
