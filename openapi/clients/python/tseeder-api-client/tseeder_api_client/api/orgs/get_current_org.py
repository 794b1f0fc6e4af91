from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.current_org import CurrentOrg
from ...models.error_body import ErrorBody
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
        "url": "/api/v1/orgs/current",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CurrentOrg | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CurrentOrg.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[CurrentOrg | ErrorBody]:
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

) -> Response[CurrentOrg | ErrorBody]:
    """ The organization the request acts in

     The one `X-Org-Slug` names, or the API key's, or else the caller's personal one, with the
    caller's `role` there: owners and admins see and change every job of it, members their
    own. With `X-Org-Slug`, 404 `org_not_found` unless the caller is a member, 403
    `org_mismatch` for an API key of another organization.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentOrg | ErrorBody]
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

) -> CurrentOrg | ErrorBody | None:
    """ The organization the request acts in

     The one `X-Org-Slug` names, or the API key's, or else the caller's personal one, with the
    caller's `role` there: owners and admins see and change every job of it, members their
    own. With `X-Org-Slug`, 404 `org_not_found` unless the caller is a member, 403
    `org_mismatch` for an API key of another organization.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentOrg | ErrorBody
     """


    return sync_detailed(
        client=client,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> Response[CurrentOrg | ErrorBody]:
    """ The organization the request acts in

     The one `X-Org-Slug` names, or the API key's, or else the caller's personal one, with the
    caller's `role` there: owners and admins see and change every job of it, members their
    own. With `X-Org-Slug`, 404 `org_not_found` unless the caller is a member, 403
    `org_mismatch` for an API key of another organization.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CurrentOrg | ErrorBody]
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

) -> CurrentOrg | ErrorBody | None:
    """ The organization the request acts in

     The one `X-Org-Slug` names, or the API key's, or else the caller's personal one, with the
    caller's `role` there: owners and admins see and change every job of it, members their
    own. With `X-Org-Slug`, 404 `org_not_found` unless the caller is a member, 403
    `org_mismatch` for an API key of another organization.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CurrentOrg | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
x_org_slug=x_org_slug,

    )).parsed
