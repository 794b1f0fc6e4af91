from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.job_event_list import JobEventList
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{id}/history".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | JobEventList | None:
    if response.status_code == 200:
        response_200 = JobEventList.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | JobEventList]:
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
    limit: int | Unset = 100,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | JobEventList]:
    """ A job's history

     Entries with `seq` greater than `after`, oldest first. Poll with the last `seq` seen, or
    follow `GET /jobs/{id}/events` instead.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobEventList]
     """


    kwargs = _get_kwargs(
        id=id,
after=after,
limit=limit,
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
    limit: int | Unset = 100,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | JobEventList | None:
    """ A job's history

     Entries with `seq` greater than `after`, oldest first. Poll with the last `seq` seen, or
    follow `GET /jobs/{id}/events` instead.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobEventList
     """


    return sync_detailed(
        id=id,
client=client,
after=after,
limit=limit,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | JobEventList]:
    """ A job's history

     Entries with `seq` greater than `after`, oldest first. Poll with the last `seq` seen, or
    follow `GET /jobs/{id}/events` instead.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobEventList]
     """


    kwargs = _get_kwargs(
        id=id,
after=after,
limit=limit,
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
    limit: int | Unset = 100,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | JobEventList | None:
    """ A job's history

     Entries with `seq` greater than `after`, oldest first. Poll with the last `seq` seen, or
    follow `GET /jobs/{id}/events` instead.

    Args:
        id (UUID):
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobEventList
     """


    return (await asyncio_detailed(
        id=id,
client=client,
after=after,
limit=limit,
x_org_slug=x_org_slug,

    )).parsed
