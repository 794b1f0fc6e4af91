from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.signed_url import SignedUrl
from ...models.signed_url_request import SignedUrlRequest
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    id: UUID,
    *,
    body: SignedUrlRequest | Unset = UNSET,
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
        "url": "/api/v1/files/{id}/signed-url".format(id=quote(str(id), safe=""),),
    }

    
    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | SignedUrl | None:
    if response.status_code == 200:
        response_200 = SignedUrl.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | SignedUrl]:
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
    body: SignedUrlRequest | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | SignedUrl]:
    """ Create a signed link

     A URL that downloads the file without credentials (for media players and download
    managers) until it expires: `expiresIn` seconds, 60 to 86400, default 3600. The URL is
    absolute, built from the request's `Host` (and `X-Forwarded-Proto` when proxy headers are
    trusted). Owner or staff. Refused with 429 `quota_bandwidth` once the month's bandwidth is
    used up; a link the object store presigns (and serves itself) counts the whole file now.

    Args:
        id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SignedUrlRequest | Unset): Options of a signed link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SignedUrl]
     """


    kwargs = _get_kwargs(
        id=id,
body=body,
x_csrf_token=x_csrf_token,
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
    body: SignedUrlRequest | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | SignedUrl | None:
    """ Create a signed link

     A URL that downloads the file without credentials (for media players and download
    managers) until it expires: `expiresIn` seconds, 60 to 86400, default 3600. The URL is
    absolute, built from the request's `Host` (and `X-Forwarded-Proto` when proxy headers are
    trusted). Owner or staff. Refused with 429 `quota_bandwidth` once the month's bandwidth is
    used up; a link the object store presigns (and serves itself) counts the whole file now.

    Args:
        id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SignedUrlRequest | Unset): Options of a signed link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SignedUrl
     """


    return sync_detailed(
        id=id,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: SignedUrlRequest | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | SignedUrl]:
    """ Create a signed link

     A URL that downloads the file without credentials (for media players and download
    managers) until it expires: `expiresIn` seconds, 60 to 86400, default 3600. The URL is
    absolute, built from the request's `Host` (and `X-Forwarded-Proto` when proxy headers are
    trusted). Owner or staff. Refused with 429 `quota_bandwidth` once the month's bandwidth is
    used up; a link the object store presigns (and serves itself) counts the whole file now.

    Args:
        id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SignedUrlRequest | Unset): Options of a signed link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | SignedUrl]
     """


    kwargs = _get_kwargs(
        id=id,
body=body,
x_csrf_token=x_csrf_token,
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
    body: SignedUrlRequest | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | SignedUrl | None:
    """ Create a signed link

     A URL that downloads the file without credentials (for media players and download
    managers) until it expires: `expiresIn` seconds, 60 to 86400, default 3600. The URL is
    absolute, built from the request's `Host` (and `X-Forwarded-Proto` when proxy headers are
    trusted). Owner or staff. Refused with 429 `quota_bandwidth` once the month's bandwidth is
    used up; a link the object store presigns (and serves itself) counts the whole file now.

    Args:
        id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SignedUrlRequest | Unset): Options of a signed link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | SignedUrl
     """


    return (await asyncio_detailed(
        id=id,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
