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
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{id}/zip".format(id=quote(str(id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(
             payload = BytesIO(response.content)
        )



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
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | File]:
    """ A job's files as a zip

     Every stored file of the job at its path, uncompressed, streamed as it is built (no
    `Content-Length`; zip64 where needed). Owner or staff. Metered like a download (429
    `quota_bandwidth` once the month's bandwidth is used up).

    Args:
        id (UUID):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
     """


    kwargs = _get_kwargs(
        id=id,
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
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | File | None:
    """ A job's files as a zip

     Every stored file of the job at its path, uncompressed, streamed as it is built (no
    `Content-Length`; zip64 where needed). Owner or staff. Metered like a download (429
    `quota_bandwidth` once the month's bandwidth is used up).

    Args:
        id (UUID):
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
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | File]:
    """ A job's files as a zip

     Every stored file of the job at its path, uncompressed, streamed as it is built (no
    `Content-Length`; zip64 where needed). Owner or staff. Metered like a download (429
    `quota_bandwidth` once the month's bandwidth is used up).

    Args:
        id (UUID):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
     """


    kwargs = _get_kwargs(
        id=id,
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
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | File | None:
    """ A job's files as a zip

     Every stored file of the job at its path, uncompressed, streamed as it is built (no
    `Content-Length`; zip64 where needed). Owner or staff. Metered like a download (429
    `quota_bandwidth` once the month's bandwidth is used up).

    Args:
        id (UUID):
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
x_org_slug=x_org_slug,

    )).parsed
