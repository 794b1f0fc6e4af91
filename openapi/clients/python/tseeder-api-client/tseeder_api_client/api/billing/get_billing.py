from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.billing import Billing
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
        "url": "/api/v1/billing",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Billing | ErrorBody | None:
    if response.status_code == 200:
        response_200 = Billing.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Billing | ErrorBody]:
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

) -> Response[Billing | ErrorBody]:
    """ The organization's billing

     For the organization the request acts in (`X-Org-Slug`, the API key's, or the personal
    one): the plan it runs on (its subscription's while that is active or trialing, or past
    due within the grace period; else its owner's), its subscription with the renewal date
    (`currentPeriodEnd`) and, after a failed payment, `graceUntil`; whether the caller may
    buy or manage its plan (`canManage`: owners and admins) and the plans for sale. Any
    member; API keys need `account:read`. 404 `billing_disabled` when this server takes no
    payments.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Billing | ErrorBody]
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

) -> Billing | ErrorBody | None:
    """ The organization's billing

     For the organization the request acts in (`X-Org-Slug`, the API key's, or the personal
    one): the plan it runs on (its subscription's while that is active or trialing, or past
    due within the grace period; else its owner's), its subscription with the renewal date
    (`currentPeriodEnd`) and, after a failed payment, `graceUntil`; whether the caller may
    buy or manage its plan (`canManage`: owners and admins) and the plans for sale. Any
    member; API keys need `account:read`. 404 `billing_disabled` when this server takes no
    payments.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Billing | ErrorBody
     """


    return sync_detailed(
        client=client,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_org_slug: str | Unset = UNSET,

) -> Response[Billing | ErrorBody]:
    """ The organization's billing

     For the organization the request acts in (`X-Org-Slug`, the API key's, or the personal
    one): the plan it runs on (its subscription's while that is active or trialing, or past
    due within the grace period; else its owner's), its subscription with the renewal date
    (`currentPeriodEnd`) and, after a failed payment, `graceUntil`; whether the caller may
    buy or manage its plan (`canManage`: owners and admins) and the plans for sale. Any
    member; API keys need `account:read`. 404 `billing_disabled` when this server takes no
    payments.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Billing | ErrorBody]
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

) -> Billing | ErrorBody | None:
    """ The organization's billing

     For the organization the request acts in (`X-Org-Slug`, the API key's, or the personal
    one): the plan it runs on (its subscription's while that is active or trialing, or past
    due within the grace period; else its owner's), its subscription with the renewal date
    (`currentPeriodEnd`) and, after a failed payment, `graceUntil`; whether the caller may
    buy or manage its plan (`canManage`: owners and admins) and the plans for sale. Any
    member; API keys need `account:read`. 404 `billing_disabled` when this server takes no
    payments.

    Args:
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Billing | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
x_org_slug=x_org_slug,

    )).parsed
