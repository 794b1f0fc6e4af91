from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.stream_job_events_response_200 import StreamJobEventsResponse200
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    after: int | Unset = 0,
    last_event_id: int | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = str(last_event_id)


    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    params["after"] = after


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{id}/events".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | StreamJobEventsResponse200 | None:
    if response.status_code == 200:
        response_200 = StreamJobEventsResponse200.from_dict(response.text)



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | StreamJobEventsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    last_event_id: int | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | StreamJobEventsResponse200]:
    """ Follow a job live

     Server-Sent Events (`text/event-stream`). First the history after `Last-Event-ID` (or
    `after`), one event per entry with `id: <seq>`, `event: <kind>` and
    `data: {seq, kind, payload, createdAt, job}`; then each new entry the same way, and
    `event: progress` with `data: {doneBytes, totalBytes, downloadBps, uploadBps, peers,
    etaSecs, progressPct}` (no `id`, so a reconnect resumes after the last history entry).
    A comment line every 15 s keeps the connection open. Once the job is completed, failed or
    cancelled: `event: end` with `data: {status}`, and the server closes the stream. Owner or
    staff; others get 404 `job_not_found` before anything is streamed.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        last_event_id (int | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | StreamJobEventsResponse200]
     """


    kwargs = _get_kwargs(
        id=id,
after=after,
last_event_id=last_event_id,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    last_event_id: int | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | StreamJobEventsResponse200 | None:
    """ Follow a job live

     Server-Sent Events (`text/event-stream`). First the history after `Last-Event-ID` (or
    `after`), one event per entry with `id: <seq>`, `event: <kind>` and
    `data: {seq, kind, payload, createdAt, job}`; then each new entry the same way, and
    `event: progress` with `data: {doneBytes, totalBytes, downloadBps, uploadBps, peers,
    etaSecs, progressPct}` (no `id`, so a reconnect resumes after the last history entry).
    A comment line every 15 s keeps the connection open. Once the job is completed, failed or
    cancelled: `event: end` with `data: {status}`, and the server closes the stream. Owner or
    staff; others get 404 `job_not_found` before anything is streamed.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        last_event_id (int | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | StreamJobEventsResponse200
     """


    return sync_detailed(
        id=id,
client=client,
after=after,
last_event_id=last_event_id,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    last_event_id: int | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | StreamJobEventsResponse200]:
    """ Follow a job live

     Server-Sent Events (`text/event-stream`). First the history after `Last-Event-ID` (or
    `after`), one event per entry with `id: <seq>`, `event: <kind>` and
    `data: {seq, kind, payload, createdAt, job}`; then each new entry the same way, and
    `event: progress` with `data: {doneBytes, totalBytes, downloadBps, uploadBps, peers,
    etaSecs, progressPct}` (no `id`, so a reconnect resumes after the last history entry).
    A comment line every 15 s keeps the connection open. Once the job is completed, failed or
    cancelled: `event: end` with `data: {status}`, and the server closes the stream. Owner or
    staff; others get 404 `job_not_found` before anything is streamed.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        last_event_id (int | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | StreamJobEventsResponse200]
     """


    kwargs = _get_kwargs(
        id=id,
after=after,
last_event_id=last_event_id,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    last_event_id: int | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | StreamJobEventsResponse200 | None:
    """ Follow a job live

     Server-Sent Events (`text/event-stream`). First the history after `Last-Event-ID` (or
    `after`), one event per entry with `id: <seq>`, `event: <kind>` and
    `data: {seq, kind, payload, createdAt, job}`; then each new entry the same way, and
    `event: progress` with `data: {doneBytes, totalBytes, downloadBps, uploadBps, peers,
    etaSecs, progressPct}` (no `id`, so a reconnect resumes after the last history entry).
    A comment line every 15 s keeps the connection open. Once the job is completed, failed or
    cancelled: `event: end` with `data: {status}`, and the server closes the stream. Owner or
    staff; others get 404 `job_not_found` before anything is streamed.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        last_event_id (int | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | StreamJobEventsResponse200
     """


    return (await asyncio_detailed(
        id=id,
client=client,
after=after,
last_event_id=last_event_id,
x_org_slug=x_org_slug,

    )).parsed
