from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.invite_preview import InvitePreview
from ...models.invite_token_request import InviteTokenRequest
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: InviteTokenRequest,
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
        "url": "/api/v1/orgs/invites/preview",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | InvitePreview | None:
    if response.status_code == 200:
        response_200 = InvitePreview.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | InvitePreview]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: InviteTokenRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | InvitePreview]:
    """ See what an invite link offers

     The organization, the role and who sent it, for the page that asks whether to accept.
    Any signed-in caller holding the link's token; 400 `invalid_invite` when it is unknown,
    used, revoked or expired. Changes nothing. API keys need `account:read`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (InviteTokenRequest): The token of an invite link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | InvitePreview]
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
    body: InviteTokenRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | InvitePreview | None:
    """ See what an invite link offers

     The organization, the role and who sent it, for the page that asks whether to accept.
    Any signed-in caller holding the link's token; 400 `invalid_invite` when it is unknown,
    used, revoked or expired. Changes nothing. API keys need `account:read`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (InviteTokenRequest): The token of an invite link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | InvitePreview
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
    body: InviteTokenRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | InvitePreview]:
    """ See what an invite link offers

     The organization, the role and who sent it, for the page that asks whether to accept.
    Any signed-in caller holding the link's token; 400 `invalid_invite` when it is unknown,
    used, revoked or expired. Changes nothing. API keys need `account:read`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (InviteTokenRequest): The token of an invite link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | InvitePreview]
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
    body: InviteTokenRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | InvitePreview | None:
    """ See what an invite link offers

     The organization, the role and who sent it, for the page that asks whether to accept.
    Any signed-in caller holding the link's token; 400 `invalid_invite` when it is unknown,
    used, revoked or expired. Changes nothing. API keys need `account:read`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (InviteTokenRequest): The token of an invite link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | InvitePreview
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
