from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.page_queue_message import PageQueueMessage
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    *,
    error_contains: str | Unset = UNSET,
    user_id: UUID | Unset = UNSET,
    older_than_secs: int | Unset = UNSET,
    newer_than_secs: int | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    params["errorContains"] = error_contains

    json_user_id: str | Unset = UNSET
    if not isinstance(user_id, Unset):
        json_user_id = str(user_id)
    params["userId"] = json_user_id

    params["olderThanSecs"] = older_than_secs

    params["newerThanSecs"] = newer_than_secs

    params["page"] = page

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/dlq",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | PageQueueMessage | None:
    if response.status_code == 200:
        response_200 = PageQueueMessage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | PageQueueMessage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    error_contains: str | Unset = UNSET,
    user_id: UUID | Unset = UNSET,
    older_than_secs: int | Unset = UNSET,
    newer_than_secs: int | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | PageQueueMessage]:
    """ List dead-lettered job messages

     Newest first, each with its full error history; filters combine with AND. Support role
    and above.

    Args:
        error_contains (str | Unset):
        user_id (UUID | Unset):
        older_than_secs (int | Unset):
        newer_than_secs (int | Unset):
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PageQueueMessage]
     """


    kwargs = _get_kwargs(
        error_contains=error_contains,
user_id=user_id,
older_than_secs=older_than_secs,
newer_than_secs=newer_than_secs,
page=page,
limit=limit,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    error_contains: str | Unset = UNSET,
    user_id: UUID | Unset = UNSET,
    older_than_secs: int | Unset = UNSET,
    newer_than_secs: int | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | PageQueueMessage | None:
    """ List dead-lettered job messages

     Newest first, each with its full error history; filters combine with AND. Support role
    and above.

    Args:
        error_contains (str | Unset):
        user_id (UUID | Unset):
        older_than_secs (int | Unset):
        newer_than_secs (int | Unset):
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PageQueueMessage
     """


    return sync_detailed(
        client=client,
error_contains=error_contains,
user_id=user_id,
older_than_secs=older_than_secs,
newer_than_secs=newer_than_secs,
page=page,
limit=limit,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    error_contains: str | Unset = UNSET,
    user_id: UUID | Unset = UNSET,
    older_than_secs: int | Unset = UNSET,
    newer_than_secs: int | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | PageQueueMessage]:
    """ List dead-lettered job messages

     Newest first, each with its full error history; filters combine with AND. Support role
    and above.

    Args:
        error_contains (str | Unset):
        user_id (UUID | Unset):
        older_than_secs (int | Unset):
        newer_than_secs (int | Unset):
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PageQueueMessage]
     """


    kwargs = _get_kwargs(
        error_contains=error_contains,
user_id=user_id,
older_than_secs=older_than_secs,
newer_than_secs=newer_than_secs,
page=page,
limit=limit,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    error_contains: str | Unset = UNSET,
    user_id: UUID | Unset = UNSET,
    older_than_secs: int | Unset = UNSET,
    newer_than_secs: int | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | PageQueueMessage | None:
    """ List dead-lettered job messages

     Newest first, each with its full error history; filters combine with AND. Support role
    and above.

    Args:
        error_contains (str | Unset):
        user_id (UUID | Unset):
        older_than_secs (int | Unset):
        newer_than_secs (int | Unset):
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PageQueueMessage
     """


    return (await asyncio_detailed(
        client=client,
error_contains=error_contains,
user_id=user_id,
older_than_secs=older_than_secs,
newer_than_secs=newer_than_secs,
page=page,
limit=limit,
x_org_slug=x_org_slug,

    )).parsed
