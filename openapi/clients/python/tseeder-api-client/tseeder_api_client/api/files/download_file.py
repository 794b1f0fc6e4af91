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
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    if not isinstance(if_range, Unset):
        headers["If-Range"] = if_range

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/files/{id}/download".format(id=quote(str(id), safe=""),),
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
    client: AuthenticatedClient,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | File]:
    """ Download a file

     The file as an attachment. `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` gets 206 with that
    range (`bytes=0-1` is exactly two bytes); a range past the end gets 416
    `range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges in one header
    get the whole file with 200; a malformed header, or an `If-Range` that is not the current
    `ETag`, is ignored. Owner or staff; others get 404 `file_not_found`. The bytes sent count
    towards the organization's monthly bandwidth; once it is used up, 429 `quota_bandwidth`
    with `Retry-After` (seconds until the next month) and the reset time in the message.

    Args:
        id (UUID):
        range_ (str | Unset):
        if_range (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
     """


    kwargs = _get_kwargs(
        id=id,
range_=range_,
if_range=if_range,
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
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | File | None:
    """ Download a file

     The file as an attachment. `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` gets 206 with that
    range (`bytes=0-1` is exactly two bytes); a range past the end gets 416
    `range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges in one header
    get the whole file with 200; a malformed header, or an `If-Range` that is not the current
    `ETag`, is ignored. Owner or staff; others get 404 `file_not_found`. The bytes sent count
    towards the organization's monthly bandwidth; once it is used up, 429 `quota_bandwidth`
    with `Retry-After` (seconds until the next month) and the reset time in the message.

    Args:
        id (UUID):
        range_ (str | Unset):
        if_range (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
     """


    return sync_detailed(
        id=id,
client=client,
range_=range_,
if_range=if_range,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | File]:
    """ Download a file

     The file as an attachment. `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` gets 206 with that
    range (`bytes=0-1` is exactly two bytes); a range past the end gets 416
    `range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges in one header
    get the whole file with 200; a malformed header, or an `If-Range` that is not the current
    `ETag`, is ignored. Owner or staff; others get 404 `file_not_found`. The bytes sent count
    towards the organization's monthly bandwidth; once it is used up, 429 `quota_bandwidth`
    with `Retry-After` (seconds until the next month) and the reset time in the message.

    Args:
        id (UUID):
        range_ (str | Unset):
        if_range (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
     """


    kwargs = _get_kwargs(
        id=id,
range_=range_,
if_range=if_range,
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
    range_: str | Unset = UNSET,
    if_range: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | File | None:
    """ Download a file

     The file as an attachment. `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` gets 206 with that
    range (`bytes=0-1` is exactly two bytes); a range past the end gets 416
    `range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges in one header
    get the whole file with 200; a malformed header, or an `If-Range` that is not the current
    `ETag`, is ignored. Owner or staff; others get 404 `file_not_found`. The bytes sent count
    towards the organization's monthly bandwidth; once it is used up, 429 `quota_bandwidth`
    with `Retry-After` (seconds until the next month) and the reset time in the message.

    Args:
        id (UUID):
        range_ (str | Unset):
        if_range (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
     """


    return (await asyncio_detailed(
        id=id,
client=client,
range_=range_,
if_range=if_range,
x_org_slug=x_org_slug,

    )).parsed
