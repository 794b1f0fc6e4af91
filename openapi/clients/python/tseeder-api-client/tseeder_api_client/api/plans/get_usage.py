from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.usage import Usage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/usage",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Usage | None:
    if response.status_code == 200:
        response_200 = Usage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | Usage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Usage]:
    """ The organization's usage

     The plan in force in the organization the request acts in (`X-Org-Slug`, the API key's,
    or the caller's personal one), which is its longest-standing owner's, or the plan its
    subscription pays for while that grants it (see `GET /billing`), and what all its jobs
    count against it.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Usage]
     """


    kwargs = _get_kwargs(
        x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Usage | None:
    """ The organization's usage

     The plan in force in the organization the request acts in (`X-Org-Slug`, the API key's,
    or the caller's personal one), which is its longest-standing owner's, or the plan its
    subscription pays for while that grants it (see `GET /billing`), and what all its jobs
    count against it.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Usage
     """


    return sync_detailed(
        client=client,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Usage]:
    """ The organization's usage

     The plan in force in the organization the request acts in (`X-Org-Slug`, the API key's,
    or the caller's personal one), which is its longest-standing owner's, or the plan its
    subscription pays for while that grants it (see `GET /billing`), and what all its jobs
    count against it.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Usage]
     """


    kwargs = _get_kwargs(
        x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Usage | None:
    """ The organization's usage

     The plan in force in the organization the request acts in (`X-Org-Slug`, the API key's,
    or the caller's personal one), which is its longest-standing owner's, or the plan its
    subscription pays for while that grants it (see `GET /billing`), and what all its jobs
    count against it.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Usage
     """


    return (await asyncio_detailed(
        client=client,
x_org_slug=x_org_slug,

    )).parsed
