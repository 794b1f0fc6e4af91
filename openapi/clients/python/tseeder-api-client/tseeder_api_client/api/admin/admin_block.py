from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.block_request import BlockRequest
from ...models.block_response import BlockResponse
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: BlockRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/blocklist",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BlockResponse | ErrorBody | None:
    if response.status_code == 201:
        response_201 = BlockResponse.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BlockResponse | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BlockRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[BlockResponse | ErrorBody]:
    """ Block an infohash

     New submissions of the torrent are refused (403 `blocked`) and every live job for it is
    cancelled. Admin role and above.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (BlockRequest): Block an infohash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlockResponse | ErrorBody]
     """


    kwargs = _get_kwargs(
        body=body,
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
    body: BlockRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> BlockResponse | ErrorBody | None:
    """ Block an infohash

     New submissions of the torrent are refused (403 `blocked`) and every live job for it is
    cancelled. Admin role and above.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (BlockRequest): Block an infohash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlockResponse | ErrorBody
     """


    return sync_detailed(
        client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BlockRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[BlockResponse | ErrorBody]:
    """ Block an infohash

     New submissions of the torrent are refused (403 `blocked`) and every live job for it is
    cancelled. Admin role and above.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (BlockRequest): Block an infohash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlockResponse | ErrorBody]
     """


    kwargs = _get_kwargs(
        body=body,
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
    body: BlockRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> BlockResponse | ErrorBody | None:
    """ Block an infohash

     New submissions of the torrent are refused (403 `blocked`) and every live job for it is
    cancelled. Admin role and above.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (BlockRequest): Block an infohash.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlockResponse | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
