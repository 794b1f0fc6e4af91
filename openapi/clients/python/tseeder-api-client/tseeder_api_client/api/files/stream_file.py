from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...types import File, FileTypes
from ...types import UNSET, Unset
from io import BytesIO
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    expires: int,
    token: str,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    if not isinstance(if_range, Unset):
        headers["If-Range"] = if_range



    

    params: dict[str, Any] = {}

    params["expires"] = expires

    params["token"] = token


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/files/{id}/stream".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(
             payload = BytesIO(response.content)
        )



        return response_200

    if response.status_code == 206:
        response_206 = File(
             payload = BytesIO(response.content)
        )



        return response_206

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    token: str,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,

) -> Response[ErrorBody | File]:
    """ Stream a file through a signed link

     No credentials: the link's `expires` and `token` are the credential. Same bytes, ranges and
    headers as the download, with `Content-Disposition: inline`. An expired link gets 403
    `link_expired`, a forged one 403 `invalid_link`. Metered like the download (429
    `quota_bandwidth` once the owner's monthly bandwidth is used up).

    Args:
        id (UUID):
        expires (int):
        token (str):
        range_ (str | Unset):
        if_range (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
     """


    kwargs = _get_kwargs(
        id=id,
expires=expires,
token=token,
range_=range_,
if_range=if_range,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    token: str,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,

) -> ErrorBody | File | None:
    """ Stream a file through a signed link

     No credentials: the link's `expires` and `token` are the credential. Same bytes, ranges and
    headers as the download, with `Content-Disposition: inline`. An expired link gets 403
    `link_expired`, a forged one 403 `invalid_link`. Metered like the download (429
    `quota_bandwidth` once the owner's monthly bandwidth is used up).

    Args:
        id (UUID):
        expires (int):
        token (str):
        range_ (str | Unset):
        if_range (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
     """


    return sync_detailed(
        id=id,
client=client,
expires=expires,
token=token,
range_=range_,
if_range=if_range,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    token: str,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,

) -> Response[ErrorBody | File]:
    """ Stream a file through a signed link

     No credentials: the link's `expires` and `token` are the credential. Same bytes, ranges and
    headers as the download, with `Content-Disposition: inline`. An expired link gets 403
    `link_expired`, a forged one 403 `invalid_link`. Metered like the download (429
    `quota_bandwidth` once the owner's monthly bandwidth is used up).

    Args:
        id (UUID):
        expires (int):
        token (str):
        range_ (str | Unset):
        if_range (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
     """


    kwargs = _get_kwargs(
        id=id,
expires=expires,
token=token,
range_=range_,
if_range=if_range,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    expires: int,
    token: str,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,

) -> ErrorBody | File | None:
    """ Stream a file through a signed link

     No credentials: the link's `expires` and `token` are the credential. Same bytes, ranges and
    headers as the download, with `Content-Disposition: inline`. An expired link gets 403
    `link_expired`, a forged one 403 `invalid_link`. Metered like the download (429
    `quota_bandwidth` once the owner's monthly bandwidth is used up).

    Args:
        id (UUID):
        expires (int):
        token (str):
        range_ (str | Unset):
        if_range (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
     """


    return (await asyncio_detailed(
        id=id,
client=client,
expires=expires,
token=token,
range_=range_,
if_range=if_range,

    )).parsed
